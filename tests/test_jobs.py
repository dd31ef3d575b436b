"""``analyze --jobs 2`` gives byte-identical output to ``--jobs 1``, in input order."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.media

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
