"""``posture-cam retest``: the text table (names and units of the metrics, the design
line, English and Dutch), videos and photos as captures, unequal numbers of captures,
and one clear line with its exit code for each bad input."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from posture_cam import wording
from posture_cam.metrics import CATALOGUE
from posture_cam.metrics.retest import reliability

PHOTOS = (
    (
        "images/standing_frontal/frontal_shapy_img01_woman_neutral.jpg",
        "images/standing_frontal/frontal_shapy_img18_woman_studio_neutral.jpg",
    ),
    (
        "images/standing_frontal/frontal_shapy_img02_person_neutral.jpg",
        "images/standing_frontal/frontal_shapy_img21_man_street.jpg",
    ),
    (
        "images/standing_frontal/frontal_shapy_img06_man_hands_in_pockets.jpg",
        "images/standing_frontal/frontal_dipan_front_image_man_home_lowres.jpg",
    ),
)
VIDEO = "videos/video_gesture_woman_head_shoulders_webcamlike_7s.mp4"
SIDE_PHOTO = "images/seated_side/seated_side_nvv_straight_upright_facing_right.jpg"
SLOUCH_PHOTO = "images/seated_side/seated_side_nvv_hunchback_flip_SLOUCH_facing_right.jpg"
NO_PERSON = (
    "images/no_person/nobody_mps_cat.jpg",
    "images/no_person/nobody_dlib_horses.jpg",
)


def _run(model_path, *words: str, command: str = "retest") -> subprocess.CompletedProcess[str]:
    options = ["--offline", "--model", str(model_path)]
    return subprocess.run(
        [sys.executable, "-m", "posture_cam", command, *words, *options],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def _retest(folders, model_path, *args: str) -> tuple[list[str], list[list[str]], str]:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "posture_cam",
            *args,
            "retest",
            *map(str, folders),
            "--offline",
            "--model",
            str(model_path),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    design, *table = proc.stdout.splitlines()
    return [design], [re.split(r" {2,}", line) for line in table], "\n".join(table)


def _folder(root: Path, name: str, files: dict[str, Path]) -> Path:
    folder = root / name
    folder.mkdir()
    for target, source in files.items():
        shutil.copy(source, folder / target)
    return folder


def _our_lines(stderr: str) -> list[str]:
    """Our lines on stderr (MediaPipe's native code may log there too)."""
    assert "Traceback" not in stderr
    return [line for line in stderr.splitlines() if line.startswith("posture-cam")]


def _one_error_line(proc: subprocess.CompletedProcess[str], code: int) -> str:
    """The run failed with ``code`` and said why in one line, with nothing on stdout."""
    assert proc.returncode == code, proc.stderr
    assert proc.stdout == ""
    (line,) = _our_lines(proc.stderr)
    assert line.startswith("posture-cam: error: ")
    return line


@pytest.mark.media
def test_retest_table_names_the_metrics_with_their_units(tmp_path, model_path, media):
    folders = [
        _folder(tmp_path, f"subject{s}", {Path(rel).name: media(rel) for rel in photos})
        for s, photos in enumerate(PHOTOS)
    ]

    design, (header, *rows), text = _retest(folders, model_path)
    assert design == ["3 subjects, 2 captures each"]
    assert header == [
        "Measurement",
        "Unit",
        "ICC(2,1) (95 % CI)",
        "ICC(3,1) (95 % CI)",
        "SEM",
        "MDC95",
    ]
    num = r"−?\d\.\d{3}"
    with_ci = rf"{num} \(−?\d\.\d\d to −?\d\.\d\d\)"
    cells = [cell for row in rows for cell in row[2:4]]
    assert all(re.fullmatch(rf"{with_ci}|{num}|—", cell) for cell in cells), [
        c for c in cells if not re.fullmatch(rf"{with_ci}|{num}|—", c)
    ]
    assert sum(bool(re.fullmatch(with_ci, cell)) for cell in cells) >= len(rows)
    order = [entry.id for entry in CATALOGUE]
    by_label = {wording.metric_label(mid): mid for mid in order}
    ids = [by_label[row[0]] for row in rows]  # every row is named, none by its id
    assert len(ids) >= 8 and "shoulder_tilt" in ids
    assert ids == sorted(ids, key=order.index)  # the analyze table's order
    assert {len(row) for row in rows} == {6}  # an index shows "—" as its unit
    units = {by_label[row[0]]: row[1] for row in rows}
    assert units["shoulder_tilt"] == "°" and units["head_shift"] == "% height"
    assert units["asymmetry_index"] == "—"
    assert not re.search(r"\b[a-z]+_[a-z_]+\b|\bdeg\b|%height", text)
    lines = text.splitlines()
    assert {len(line) for line in lines} == {len(lines[0])}  # numbers end under MDC95

    design, (header, *rows), text = _retest(folders, model_path, "--lang", "nl")
    assert design == ["3 personen, elk 2 opnames"]
    assert header[:4] == ["Meting", "Eenheid", "ICC(2,1) (95%-BI)", "ICC(3,1) (95%-BI)"]
    assert " tot " in rows[0][2]
    assert "Schouderscheefstand" in [row[0] for row in rows]
    assert not re.search(r"\d\.\d", text)  # decimal comma only


@pytest.mark.media
@pytest.mark.slow
def test_a_video_counts_as_one_capture_of_its_gate_passing_frames(tmp_path, model_path, media):
    """One folder per subject, a video beside photos in one: the video contributes the
    median of its gate-passing frames, a photo its value, as ``analyze`` reports them."""
    video = cv2.VideoCapture(str(media(VIDEO)))
    stills = {}
    for index in range(26):
        ok, frame = video.read()
        assert ok
        if index in (5, 15, 25):  # arms at the sides: frames the gate lets through
            stills[index] = tmp_path / f"still{index}.png"
            cv2.imwrite(str(stills[index]), frame)
    video.release()
    s0 = _folder(tmp_path, "s0", {"a_clip.mp4": media(VIDEO), "b_still.png": stills[5]})
    s1 = _folder(tmp_path, "s1", {"a.png": stills[15], "b.png": stills[25]})
    files = [*sorted(s0.iterdir()), *sorted(s1.iterdir())]

    proc = _run(model_path, str(s0), str(s1), "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["subjects"] == 2 and doc["captures_per_subject"] == 2
    assert set(doc["metrics"]) == {"head_tilt", "shoulder_tilt", "asymmetry_index"}

    analysed = _run(model_path, *map(str, files), "--json", "--jobs", "1", command="analyze")
    assert analysed.returncode == 0, analysed.stderr
    clip, *photos = json.loads(analysed.stdout)["inputs"]
    capture = clip["aggregate"]["capture"]
    assert capture["ok"] and 0 < capture["frames_used"] < capture["frames_seen"] == 195
    for mid, got in doc["metrics"].items():
        # The median over the frames the gate let through: not every frame, not the first.
        gated = [
            f["metrics"][mid]["value"]
            for f in clip["frames"]
            if f["quality"]["ok"] and f["view"]["view"] == capture["view"]
        ]
        assert len(gated) == capture["frames_used"]
        video_value = float(np.median(gated))  # frame values keep 6 decimals
        assert clip["aggregate"]["metrics"][mid]["median"] == pytest.approx(video_value, abs=1e-3)
        photo = [p["frames"][0]["metrics"][mid]["value"] for p in photos]
        want = reliability([[video_value, photo[0]], photo[1:]]).to_json()
        assert got["unit"] == clip["aggregate"]["metrics"][mid]["unit"]
        for key, value in want.items():  # JSON keeps 4 decimals
            assert got[key] == pytest.approx(value, abs=2e-4), (mid, key)
    tilt = doc["metrics"]["shoulder_tilt"]
    assert tilt["n_subjects"] == 2 and tilt["n_trials"] == 2 and tilt["unit"] == "deg"
    assert 0 < tilt["sem"] < 3


@pytest.mark.media
def test_unequal_captures_are_named_and_the_table_says_what_was_counted(
    tmp_path, model_path, media
):
    s0, s0_first_two, s1 = (tmp_path / name for name in ("s0", "s0_first_two", "s1"))
    for folder, photo, shifts in (
        (s0, SIDE_PHOTO, (0, 9, -7)),
        (s0_first_two, SIDE_PHOTO, (0, 9)),
        (s1, SLOUCH_PHOTO, (4, -11)),
    ):
        img = cv2.imread(str(media(photo)))
        folder.mkdir()
        for t, dx in enumerate(shifts):  # repeated captures: slightly re-framed
            m = np.float32([[1, 0, dx], [0, 1, -dx]])
            shifted = cv2.warpAffine(
                img, m, (img.shape[1], img.shape[0]), borderMode=cv2.BORDER_REPLICATE
            )
            cv2.imwrite(str(folder / f"capture{t}.png"), shifted)

    proc = _run(model_path, str(s0), str(s1), "--json")
    assert proc.returncode == 0, proc.stderr
    few = (
        "posture-cam: note: 2 subjects: SEM and MDC95 only (an ICC needs 3 subjects or "
        "more; a reliability study at least 30 with 3 captures each, Koo & Li 2016)"
    )
    assert _our_lines(proc.stderr) == [
        f"posture-cam: {s0}: the first 2 of 3 captures counted "
        "(every subject counts as many as the one with the fewest)",
        few,
    ]
    doc = json.loads(proc.stdout)
    assert doc["captures_per_subject"] == 2 and doc["metrics"]["cva"]["n_trials"] == 2
    assert doc["view"] == "right" and doc["not_clinical"] == []
    cva = doc["metrics"]["cva"]
    assert cva["icc_2_1"] is None and cva["icc_2_1_ci95"] is None  # 2 subjects
    assert cva["sem"] > 0 and len(cva["capture_means"]) == 2
    # Exactly the first two of s0 (by name) were counted.
    same = _run(model_path, str(s0_first_two), str(s1), "--json")
    assert same.returncode == 0 and _our_lines(same.stderr) == [few]
    assert json.loads(same.stdout) == doc


def test_a_subject_or_capture_given_twice_is_refused(tmp_path, model_path):
    # Refused before any analysis: no model, no media needed.
    s1 = tmp_path / "s1"
    s1.mkdir()
    for name in ("a.jpg", "b.jpg"):
        (s1 / name).write_bytes(b"x")
    line = _one_error_line(_run(model_path, str(s1), str(s1)), 2)
    assert line == (
        f"posture-cam: error: {s1}: given twice (give each subject and each capture once)"
    )
    line = _one_error_line(_run(model_path, str(s1), f"{tmp_path}/./s1/"), 2)
    assert f"the same file or folder as {s1}" in line
    line = _one_error_line(_run(model_path, str(s1), str(s1 / "a.jpg"), str(s1 / "b.jpg")), 2)
    assert line.startswith(f"posture-cam: error: {s1 / 'a.jpg'}: given twice")


@pytest.mark.media
def test_a_file_that_is_not_an_image_is_named(tmp_path, model_path, media):
    fake = tmp_path / "fake.jpg"
    fake.write_text("hello\n")
    line = _one_error_line(_run(model_path, str(fake), str(media(PHOTOS[0][0]))), 2)
    # The same words as analyze and visit add.
    assert line == (
        f"posture-cam: error: {fake}: not a readable image (corrupt or unsupported format) "
        "(use JPEG or PNG)"
    )


@pytest.mark.media
def test_photos_without_a_person_exit_3_naming_each(tmp_path, model_path, media):
    folder = _folder(tmp_path, "nobody", {Path(rel).name: media(rel) for rel in NO_PERSON})
    proc = _run(model_path, str(folder))
    assert proc.returncode == 3 and proc.stdout == "", proc.stderr
    assert sorted(_our_lines(proc.stderr)) == [
        f"posture-cam: error: {folder / Path(rel).name}: no person found "
        "(use a photo or video of the patient)"
        for rel in sorted(NO_PERSON, key=lambda rel: Path(rel).name)
    ]


@pytest.mark.media
def test_captures_of_different_views_are_refused_naming_each_view(tmp_path, model_path, media):
    front, side = media(PHOTOS[0][0]), media(SIDE_PHOTO)
    line = _one_error_line(_run(model_path, str(front), str(side)), 2)
    assert line == (
        f"posture-cam: error: the captures show different views (Front: {front}; Right "
        f"side: {side}); repeated captures must show one view (a left and a right side view "
        "are two)"
    )
    # A left and a right side view share every metric, but not the patient's side: the
    # slouched sitter and its mirror read CVA 25.6° and 38.9°.
    left = media("images/seated_side/seated_side_nvv_hunchback_SLOUCH_facing_left.jpg")
    right = media(SLOUCH_PHOTO)
    line = _one_error_line(_run(model_path, str(left), str(right)), 2)
    assert line.startswith("posture-cam: error: the captures show different views (Left side: ")


@pytest.mark.media
def test_a_video_with_no_frame_through_the_gate_is_named(tmp_path, model_path, media):
    running = media("videos/video_sports2d_demo3_woman_running_side_1.6s.mp4")
    line = _one_error_line(_run(model_path, str(running), str(media(SIDE_PHOTO))), 2)
    assert line.startswith(
        f"posture-cam: error: {running}: quality gate failed in all 33 frames with a person: "
    )
    assert line.endswith("(a video counts only its frames that pass the quality gate)")


@pytest.mark.media
def test_a_photo_that_fails_the_quality_gate_is_named(tmp_path, model_path, media):
    """Counted as analyze measures it, but named on stderr with why, and listed in the
    JSON: the man by the car is turned about 32° from square."""
    turned = media("images/standing_frontal/frontal_bgmv2_test_fg_man_by_car.jpg")
    square = media(PHOTOS[0][0])
    proc = _run(model_path, str(turned), str(square), "--json")
    assert proc.returncode == 0, proc.stderr
    (line,) = [s for s in _our_lines(proc.stderr) if "quality gate" in s]
    assert line.startswith(f"posture-cam: {turned}: counted, but it fails the quality gate (")
    assert "turned about 32° away from square to the camera" in line
    assert line.endswith("); retake it for figures a clinic can rely on")
    assert json.loads(proc.stdout)["not_clinical"] == [str(turned)]
