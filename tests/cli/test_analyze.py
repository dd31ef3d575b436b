"""``posture-cam analyze`` run as a user runs it: a subprocess, real photos and video."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys

import cv2
import numpy as np
import pytest

from posture_cam.batch.results import AnalysisReport
from tests._helpers import own_stderr_lines, validate_analyze_json

pytestmark = pytest.mark.media

FRONT = "images/standing_frontal/frontal_shapy_img01_woman_neutral.jpg"
BACK = "images/standing_back/back_tfjs_posenet_backpackman_walking_away.jpg"
SIDE = "images/derived_stills_from_videos/still_side_sports2d_demo4_f236_older_woman_walking.jpg"
SEATED = "images/seated_side/seated_side_nvv_hunchback_SLOUCH_facing_left.jpg"
UPPER = "images/upper_body_webcamlike/upper_facerec_biden2_head_shoulders.jpg"
MULTI = "images/multi_person/multi_dlib_2009_004587_man_and_woman.jpg"
NOBODY = "images/no_person/nobody_dlib_horses.jpg"
NOBODY2 = "images/no_person/nobody_bgm_background_0001_atrium.png"
VIDEO = "videos/video_sports2d_demo5_man_frontal_lateral_raises_18s.mp4"


def cli(*args, model=None, env=None):
    cmd = [sys.executable, "-m", "posture_cam", "analyze", *map(str, args)]
    if model is not None:
        cmd += ["--model", str(model)]
    return subprocess.run(
        cmd, capture_output=True, text=True, timeout=600, env={**os.environ, **(env or {})}
    )


def assert_clean_stderr(proc, max_lines=None):
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = own_stderr_lines(proc.stderr)
    assert lines[-1].startswith("posture-cam: analysed"), proc.stderr
    if max_lines is not None:
        assert len(lines) <= max_lines, proc.stderr


def test_json_on_real_photos(model_path, media):
    paths = [media(p) for p in (FRONT, BACK, SIDE, SEATED, UPPER, MULTI, NOBODY)]
    proc = cli(*paths, "--json", model=model_path)
    assert proc.returncode == 0, proc.stderr
    assert_clean_stderr(proc, max_lines=1)
    doc = json.loads(proc.stdout)
    inputs = {os.path.basename(i["source"]): i for i in doc["inputs"]}
    assert len(inputs) == 7
    for path in paths:
        entry = inputs[path.name]
        assert entry["kind"] == "image" and entry["frame_count"] == 1
        (frame,) = entry["frames"]
        assert set(frame) >= {"index", "t_ms", "person_found", "num_people", "landmarks"}
        if path.name == NOBODY.rsplit("/", 1)[1]:
            assert frame["person_found"] is False and frame["num_people"] == 0
            assert frame["landmarks"] is None
            continue
        assert frame["person_found"] is True
        lms = frame["landmarks"]
        assert len(lms) == 33
        h, w = cv2.imread(str(path)).shape[:2]
        present = [p for p in lms if p is not None]
        assert len(present) >= 10
        for x, y, _z, vis in present:
            assert 0 <= x < w and 0 <= y < h and 0.5 <= vis <= 1.0
    front = inputs[FRONT.rsplit("/", 1)[1]]["frames"][0]["landmarks"]
    assert front[11][0] > front[12][0]  # patient's left shoulder on the image's right
    back = inputs[BACK.rsplit("/", 1)[1]]["frames"][0]["landmarks"]
    assert back[11][0] < back[12][0]
    assert inputs[MULTI.rsplit("/", 1)[1]]["frames"][0]["num_people"] >= 2


def test_video_json_out_and_summary(model_path, media, tmp_path):
    out = tmp_path / "out"
    proc = cli(
        media(VIDEO), media(FRONT), "--json", "--max-frames", "45", "--out", out, model=model_path
    )
    assert proc.returncode == 0, proc.stderr
    assert_clean_stderr(proc, max_lines=1)
    assert "46 frames in" in proc.stderr and "frames/s" in proc.stderr
    video, _image = json.loads(proc.stdout)["inputs"]
    assert video["kind"] == "video" and video["frame_count"] == 45
    assert video["fps"] == pytest.approx(29.97, abs=0.05)
    t = [f["t_ms"] for f in video["frames"]]
    assert t[0] == 0 and all(b > a for a, b in itertools.pairwise(t))
    assert t[-1] == pytest.approx(44 * 1000 / 29.97, abs=2)
    assert sum(f["person_found"] for f in video["frames"]) == 45
    aggregate = video["aggregate"]  # JSON data, not a string (issue #8)
    assert isinstance(aggregate, dict)
    assert aggregate["capture"]["frames_seen"] == 45
    assert aggregate["capture"]["frames_no_person"] == 0
    used = aggregate["capture"]["frames_used"]
    assert 0 <= used <= 45
    for stats in aggregate["metrics"].values():
        assert stats["n_frames"] <= used
        if stats["median"] is not None:
            assert stats["min"] <= stats["median"] <= stats["max"]
    written = cv2.VideoCapture(str(out / f"{media(VIDEO).stem}_annotated.mp4"))
    n = 0
    while written.read()[0]:
        n += 1
    assert n == 45
    png = cv2.imread(str(out / f"{media(FRONT).stem}_annotated.png"))
    assert png is not None and png.shape[:2] == cv2.imread(str(media(FRONT))).shape[:2]
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temp files left


@pytest.mark.parametrize("jobs", [1, 2])
def test_bad_inputs_are_named_and_the_rest_still_analysed(model_path, media, tmp_path, jobs):
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    # Fixed bytes that no decoder accepts (random ones could, once in a while): a PNG
    # signature whose first chunk is not IHDR, and an "MP4" with no box an MP4 has. Both
    # make OpenCV / FFmpeg write warnings to stderr, from the workers with --jobs 2.
    corrupt = tmp_path / "corrupt.png"
    corrupt.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    text = tmp_path / "notes.txt"
    text.write_text("not an image")
    fake_video = tmp_path / "fake.mp4"
    fake_video.write_bytes(b"posture-cam test: not a video\n" * 70)
    missing = tmp_path / "missing.jpg"
    args = (empty, corrupt, media(FRONT), text, fake_video, missing, "--json", "--jobs", jobs)
    proc = cli(*args, model=model_path)
    assert proc.returncode == 2
    assert_clean_stderr(proc)
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("posture-cam: error:")]
    assert len(errors) == 5
    for path in (empty, corrupt, text, fake_video, missing):
        assert sum(str(path) in ln for ln in errors) == 1
    doc = json.loads(proc.stdout)
    assert [os.path.basename(i["source"]) for i in doc["inputs"]] == [media(FRONT).name]
    # The document names the inputs it could not open too, each with its stderr line
    # (before, they were on stderr only): a script reading the JSON alone sees them.
    validate_analyze_json(doc)
    failed = {f["path"]: f["error"] for f in doc["failed_inputs"]}
    assert set(failed) == {str(p) for p in (empty, corrupt, text, fake_video, missing)}
    for path, error in failed.items():
        assert f"posture-cam: error: {error}" in errors
        assert error.startswith(f"{path}: ")
    assert AnalysisReport.from_json(doc).failed_inputs == 5


def test_no_person_anywhere_exits_3(model_path, media):
    proc = cli(media(NOBODY), media(NOBODY2), model=model_path)
    assert proc.returncode == 3, proc.stderr
    assert "person found in 0 frames" in proc.stderr


def test_folder_input(model_path, media, tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    for rel in (FRONT, NOBODY):
        (folder / media(rel).name).symlink_to(media(rel))
    (folder / "readme.txt").write_text("ignored: not media")
    proc = cli(folder, "--json", model=model_path)
    assert proc.returncode == 0, proc.stderr
    found = [i["frames"][0]["person_found"] for i in json.loads(proc.stdout)["inputs"]]
    assert sorted(found) == [False, True]


def test_missing_model_is_one_line_with_what_to_do(media, tmp_path):
    proc = cli(media(FRONT), model=tmp_path / "nope.task")
    assert proc.returncode == 4
    assert "Traceback" not in proc.stderr
    (line,) = own_stderr_lines(proc.stderr)
    assert "nope.task" in line


def test_help_documents_exit_codes():
    proc = subprocess.run(
        [sys.executable, "-m", "posture_cam", "analyze", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "3 no person found" in proc.stdout.replace("\n", " ").replace("  ", " ")


def test_landmarks_json_has_no_nan(model_path, media):
    proc = cli(media(UPPER), "--json", model=model_path)
    assert "NaN" not in proc.stdout
    lms = json.loads(proc.stdout)["inputs"][0]["frames"][0]["landmarks"]
    assert any(p is None for p in lms)  # legs are out of frame -> null, not (0, 0)
    assert all(p is None or np.isfinite(p[:2]).all() for p in lms)


@pytest.mark.parametrize(
    ("lang", "one", "two"),
    [
        (
            "en",
            "posture-cam: analysed 1 input, 1 frame in 2.0 s (0.5 frames/s); person found in "
            "1 frame; 1 bad input; 1 output NOT written",
            "posture-cam: analysed 2 inputs, 46 frames in 2.0 s (23.0 frames/s); person found "
            "in 0 frames; 2 bad inputs; 2 outputs NOT written",
        ),
        (
            "nl",
            "posture-cam: 1 invoerbestand en 1 beeld geanalyseerd in 2,0 s (0,5 beelden/s); "
            "persoon gevonden in 1 beeld; 1 onjuist invoerbestand; 1 uitvoerbestand NIET "
            "geschreven",
            "posture-cam: 2 invoerbestanden en 46 beelden geanalyseerd in 2,0 s (23,0 "
            "beelden/s); persoon gevonden in 0 beelden; 2 onjuiste invoerbestanden; 2 "
            "uitvoerbestanden NIET geschreven",
        ),
    ],
)
def test_the_summary_line_counts_in_singular_and_plural(lang, one, two) -> None:
    """Each count of the stderr summary in its plural form (was "1 input(s), 1 frame(s)")."""
    from posture_cam.cli.analyze import summary_line
    from posture_cam.i18n import using_language

    with using_language(lang):
        assert (
            summary_line(inputs=1, frames=1, seconds=2.0, with_person=1, bad=1, failed_outputs=1)
            == one
        )
        assert (
            summary_line(inputs=2, frames=46, seconds=2.0, with_person=0, bad=2, failed_outputs=2)
            == two
        )
        assert "(s)" not in summary_line(
            inputs=1, frames=1, seconds=1.0, with_person=1, bad=0, failed_outputs=0
        )
        hint = summary_line(
            inputs=1, frames=1, seconds=1.0, with_person=1, bad=0, failed_outputs=0,
            second_model_missing=True,
        )  # fmt: skip
    assert hint.endswith(
        {
            "en": "; photos measured with the pose model alone: `posture-cam models fetch "
            "movenet` installs the second keypoint model",
            "nl": "; foto's gemeten met alleen het houdingsmodel: `posture-cam models fetch "
            "movenet` installeert het tweede keypointmodel",
        }[lang]
    ), hint
