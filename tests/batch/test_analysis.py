"""Batch analysis: the work estimate that orders inputs in the process pool,
``analyze --jobs 2`` byte-identical to ``--jobs 1``, and the Python API (README) giving
the document ``analyze --json`` prints."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from posture_cam.batch import AnalysisReport, analyze
from posture_cam.batch.analysis import PHOTO_COST_FRAMES, work_estimate

pytestmark = pytest.mark.media

HD = "videos/video_sports2d_demo5_man_frontal_lateral_raises_18s.mp4"  # 540 frames, 720p
FULL_HD = "videos/video_romp_woman_jumping_jacks_then_turning_10s.mp4"  # 300 frames, 1080p
SHORT = "videos/video_tfjs_pose_squats_woman_frontal_13s_5fps.mp4"  # 65 frames
PHOTO = "images/standing_frontal/frontal_shapy_img01_woman_neutral.jpg"


def test_work_grows_with_frames_and_pixels(media):
    assert work_estimate(media(HD)) == pytest.approx(540 * (1 + 1280 * 720 / 1e6))
    # --max-frames caps a long video; a short one keeps its own length.
    assert work_estimate(media(HD), 150) == pytest.approx(150 * (1 + 1280 * 720 / 1e6))
    assert work_estimate(media(SHORT), 150) == pytest.approx(65 * (1 + 720 * 1280 / 1e6))
    # Same frame count, more pixels: more work (decoding and colour conversion).
    assert work_estimate(media(FULL_HD), 150) > 1.5 * work_estimate(media(HD), 150)
    assert work_estimate(media(PHOTO)) == PHOTO_COST_FRAMES


INPUTS = [
    "videos/video_tfjs_pose_1_woman_dancing_frontal_4s.mp4",
    "images/standing_frontal/frontal_shapy_img01_woman_neutral.jpg",
    "videos/video_sports2d_demo3_woman_running_side_1.6s.mp4",
]


def _analyze(model_path, paths, jobs):
    cmd = [sys.executable, "-m", "posture_cam", "analyze", "--json", "--max-frames", "15"]
    cmd += ["--model", str(model_path), "--jobs", str(jobs), *map(str, paths)]
    proc = subprocess.run(cmd, capture_output=True, timeout=600)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout


def test_jobs_2_output_is_byte_identical_to_jobs_1(model_path, media):
    paths = [media(p) for p in INPUTS]
    one = _analyze(model_path, paths, 1)
    two = _analyze(model_path, paths, 2)
    assert one == two
    sources = [i["source"] for i in json.loads(one)["inputs"]]
    assert sources == [str(p) for p in paths]  # input order, whatever finished first


def test_the_python_api_reports_what_analyze_json_prints(model_path, media):
    photo = media(PHOTO)
    report = analyze(photo, model_path=str(model_path))  # README's import
    assert isinstance(report, AnalysisReport) and len(report.inputs) == 1
    assert report.inputs[0].kind == "image" and len(report.inputs[0].frames) == 1
    cli = json.loads(_analyze(model_path, [photo], 1))
    assert report.to_json() == cli
