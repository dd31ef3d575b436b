"""With a scale profile lengths are in cm, and every table shows a value beside a band in
its own unit: the band converted to cm where the pose and the scale are known (the
snapshot panel, as the app's table), none where they are not (``analyze``'s table,
``visits``, the report), never a cm value against a %-height band.

Real media and a real profile (``calibrate scale`` on a rendered ArUco marker, as
tests/cli/test_calibrate.py makes it). Before, ``analyze frame.png --profile clinic``
printed ``Shoulder height difference  1.0 cm R high  ±1.0 % height``, and ``visits``,
the report and the burned-in panel the same mix.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import cv2
import pytest

from posture_cam import wording
from posture_cam.cli import main
from posture_cam.metrics import spec
from posture_cam.metrics.body import body_height, trunk_length_px
from tests.calibration._helpers import marker_scene

CLIP = "videos/video_gesture_woman_head_shoulders_webcamlike_7s.mp4"
#: Full-body stills at the profile's 1280x720: a front and a side view.
FRONT = "images/derived_stills_from_videos/still_frontal_sports2d_demo5_f005_man_dumbbells.jpg"
SIDE = "images/derived_stills_from_videos/still_side_sports2d_demo4_f236_older_woman_walking.jpg"
#: A 15 cm marker 200 px wide on a 1280x720 picture: 0.075 cm per pixel.
CM_PER_PX = 0.075
NOTE = (
    "values in cm have no normal band here: their bands are set in % of body height "
    "(or trunk length), which this table does not know in cm"
)
LENGTHS = ("length", "length_trunk")

pytestmark = pytest.mark.media


@pytest.fixture
def profile(tmp_path, capsys, monkeypatch, model_path) -> str:
    """A scale profile ``clinic`` made by ``posture-cam calibrate scale`` (1280x720)."""
    monkeypatch.setenv("POSTURE_CAM_MODEL", str(model_path))
    marker = tmp_path / "marker.png"
    cv2.imwrite(str(marker), marker_scene(200))
    args = ["calibrate", "scale", "--image", str(marker), "--marker-cm", "15"]
    assert main([*args, "--profile", "clinic"]) == 0
    assert capsys.readouterr().out.startswith("scale 0.0750 cm/px")
    return "clinic"


@pytest.fixture
def webcam_frame(tmp_path, media) -> Path:
    """Frame 30 of the webcam clip (1280x720, head and shoulders: no hips, so no body
    height), written to a PNG in the test's folder."""
    cap = cv2.VideoCapture(str(media(CLIP)))
    cap.set(cv2.CAP_PROP_POS_FRAMES, 30)
    ok, image = cap.read()
    cap.release()
    assert ok and image.shape == (720, 1280, 3)
    path = tmp_path / "frame720.png"
    cv2.imwrite(str(path), image)
    return path


def _run(capsys, *args: str) -> str:
    """stdout of ``posture-cam ARGS``, its no-break spaces ("1.0 cm", "2.0 % height") as
    plain ones."""
    capsys.readouterr()
    assert main(list(args)) == 0
    return capsys.readouterr().out.replace("\u00a0", " ")


def _columns(header: str) -> dict[str, int]:
    """Where each column of a table starts, by its heading (headings are single words)."""
    return {m[0]: m.start() for m in re.finditer(r"\S+", header)}


def _table(text: str, indent: str) -> dict[str, dict[str, str]]:
    """label -> {heading: cell} of every table in ``text`` (a header line starting with
    ``indent + "Measurement"``, rows at that indent until a line that is not one: the
    lines under a table have ": " in them), cells cut at the header's column starts, so
    an empty cell reads "" (splitting at runs of spaces would drop it)."""
    rows: dict[str, dict[str, str]] = {}
    starts: dict[str, int] | None = None
    for line in text.splitlines():
        if line.startswith(indent + "Measurement"):
            starts = _columns(line)
            continue
        if starts is None:
            continue
        if not line.startswith(indent) or line.startswith(indent + " ") or ": " in line:
            starts = None
            continue
        bounds = [*starts.values(), len(line)]
        cells = {
            name: line[a:b].strip()
            for name, a, b in zip(starts, bounds[:-1], bounds[1:], strict=True)
        }
        rows[cells["Measurement"]] = cells
    return rows


def _cm_rows(rows: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    return {label: r for label, r in rows.items() if re.search(r"\d cm\b", r["Value"])}


def test_analyze_a_webcam_photo_shows_no_height_band_beside_a_cm_value(
    capsys, profile, webcam_frame
):
    out = _run(capsys, "analyze", str(webcam_frame), "--profile", profile)
    rows = _table(out, "  ")
    diff = rows["Shoulder height difference"]
    assert re.fullmatch(r"\d+\.\d cm [LR] high", diff["Value"]), diff
    assert diff["Normal"] == "", diff  # was "±1.0 % height" beside "1.0 cm R high"
    assert "% height" not in out.split("Screening aid")[0]
    assert rows["Shoulder tilt"]["Normal"] == "±1.5°"  # angles keep their degree bands
    assert rows["Head tilt"]["Normal"] == "±2.0°"
    assert "  " + NOTE in out.splitlines()


def test_analyze_full_body_photos_with_a_scale_never_mix_cm_and_percent(capsys, profile, media):
    for photo, n_cm in ((FRONT, 4), (SIDE, 5)):
        out = _run(capsys, "analyze", str(media(photo)), "--profile", profile)
        rows = _table(out, "  ")
        cm = _cm_rows(rows)
        assert len(cm) >= n_cm, (photo, sorted(cm))
        assert all(r["Normal"] == "" for r in cm.values()), cm
        assert "% height" not in out and "% trunk" not in out
        assert "  " + NOTE in out.splitlines()
        # Without the profile the same photo keeps its %-height bands and no note.
        plain = _run(capsys, "analyze", str(media(photo)))
        assert "% height" in plain and NOTE not in plain


def test_analyze_the_webcam_clip_with_a_scale(capsys, profile, media):
    out = _run(capsys, "analyze", str(media(CLIP)), "--profile", profile, "--max-frames", "60")
    rows = _table(out, "  ")
    diff = rows["Shoulder height difference"]
    assert diff["Value"].endswith(" cm L high") or diff["Value"].endswith(" cm R high"), diff
    assert diff["Normal"] == "" and diff["n"] == "12", diff
    assert "% height" not in out
    assert "  " + NOTE in out.splitlines()


def test_visits_and_the_report_of_a_visit_measured_in_cm(capsys, profile, media, tmp_path):
    _run(capsys, "patients", "add", "P-CM")
    _run(capsys, "visit", "add", "P-CM", str(media(FRONT)), "--profile", profile)
    text = _run(capsys, "visits", "P-CM")
    rows = _table(text, "    ")
    cm = _cm_rows(rows)
    assert {"Shoulder height difference", "Head shift", "Pelvis shift"} <= set(cm), sorted(rows)
    assert all(r["Normal"] == "" for r in cm.values()), cm  # was "±2.0 % height"
    assert rows["Shoulder tilt"]["Normal"] == "±1.5°"
    assert "% height" not in text
    assert "    " + NOTE in text.splitlines()

    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed to read the report back")
    pdf = tmp_path / "report.pdf"
    _run(capsys, "report", "P-CM", "--out", str(pdf))
    read = ["pdftotext", "-layout", str(pdf), "-"]
    report = subprocess.run(read, capture_output=True, text=True, check=True).stdout
    for label in cm:
        (line,) = [  # its table row (a chart's title is its name too)
            ln for ln in report.splitlines() if ln.strip().startswith(label + "  ") and " ± " in ln
        ]
        cells = re.split(r" {2,}", line.strip())
        # name, "0.1 ± 0.1 to R", unit, band, status, source
        assert cells[2] == "cm" and cells[3] == "-", cells
    assert "% height" not in report
    assert " ".join(NOTE.split()) in " ".join(report.split())


def test_the_burned_in_panel_converts_the_band_to_cm(profile, model_path, media, webcam_frame):
    from posture_cam.config import PipelineConfig
    from posture_cam.overlay.panel import panel_rows
    from posture_cam.pipeline import Pipeline
    from posture_cam.sources import read_image
    from posture_cam.types import Frame

    config = PipelineConfig(model_path=str(model_path), profile=profile, second_model=False)
    checked = 0
    for photo in (media(FRONT), media(SIDE), webcam_frame):
        with Pipeline.open(config, mode="image") as pipeline:
            result = pipeline.process(Frame(read_image(photo), 0, 0.0, "photo"))
        assert result.cm_per_px == pytest.approx(CM_PER_PX, rel=0.01)
        pose = result.pose_measured
        height = body_height(pose).height_px
        for row in panel_rows(result):
            metric = result.metrics[row.metric_id]
            entry = spec(row.metric_id)
            if metric.value is None or entry.unit_kind not in LENGTHS:
                if metric.value is not None:
                    assert row.note == wording.norm_line(row.metric_id)  # degrees, index
                continue
            assert metric.unit == "cm" and "%" not in row.note, row
            ref = height if entry.unit_kind == "length" else trunk_length_px(pose)
            if not ref:  # the webcam frame: no hips, so no body height to convert with
                assert row.note == "", row
                checked += 1
                continue
            (n_lo, n_hi), (b_lo, b_hi) = entry.norm.normal, entry.norm.borderline
            numbers = [
                float(x.replace("\u2212", "-")) for x in re.findall(r"[−+]?\d+\.\d", row.note)
            ]
            want = [v / 100.0 * ref * result.cm_per_px for v in (n_lo, n_hi, b_lo, b_hi)]
            assert numbers == pytest.approx(want, abs=0.051), (row, want)
            assert row.note.startswith("norm ≈ ") and ", borderline ≈ " in row.note, row
            assert row.note.endswith(" cm"), row
            checked += 1
    assert checked == 1 + 4 + 5  # the webcam frame's, the front's, the side's cm rows
