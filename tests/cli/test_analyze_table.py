"""``posture-cam analyze`` without ``--json``: a readable table per input, in en and nl."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from posture_cam.cli.analyze_table import format_input
from posture_cam.i18n import using_language
from posture_cam.landmarks import LM
from posture_cam.metrics import QualityGate
from posture_cam.testing import standing_pose
from posture_cam.types import View, ViewEstimate
from tests._helpers import validate_analyze_json

FRONT = "images/standing_frontal/frontal_shapy_img01_woman_neutral.jpg"
UPPER = "images/upper_body_webcamlike/upper_facerec_biden2_head_shoulders.jpg"
CLIP = "videos/video_gesture_woman_head_shoulders_webcamlike_7s.mp4"


def _analyze(*args):
    cmd = [sys.executable, "-m", "posture_cam", "analyze", *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600)


@pytest.mark.media
def test_table_per_input_with_side_in_words(model_path, media):
    proc = _analyze(
        media(FRONT), media(CLIP), "--model", model_path, "--max-frames", "60", "--fast"
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "{" not in out  # a table, not JSON
    blocks = out.strip().split("\n\n")
    assert len(blocks) == 3  # photo, video, screening note
    photo, video, note = blocks
    assert photo.startswith(f"{media(FRONT)}: photo, Front")
    assert video.startswith(f"{media(CLIP)}: video, Front") and "of 60 frames used" in video
    header = photo.splitlines()[1].split()
    assert header == ["Measurement", "Value", "±", "Normal", "Status", "n", "Source"]
    rows = {line.strip().split("  ")[0]: line for line in photo.splitlines()[2:]}
    shoulder = rows["Shoulder tilt"]
    assert " high" in shoulder and ("L high" in shoulder or "R high" in shoulder)
    # a photo is one frame; model landmarks stand in for the clinical points, and the
    # table says so on every row, as the report does (before: only with --markers)
    assert shoulder.rstrip().endswith(" 1  model (proxy)")
    # the webcam clip measures head and shoulders; the rest is one line per reason
    video_rows = {line.strip().split("  ")[0] for line in video.splitlines()[2:]}
    assert {"Head tilt", "Shoulder tilt"} <= video_rows
    assert "Pelvic obliquity, Trunk lean: not in the picture: hips" in video  # plain words
    assert "(23)" not in video  # never landmark ids
    assert note == "Screening aid, not a diagnosis."
    assert "posture-cam: analysed 2 inputs, " in proc.stderr


@pytest.mark.media
def test_table_in_dutch_uses_decimal_comma(model_path, media):
    proc = _analyze(media(UPPER), "--model", model_path, "--lang", "nl", "--fast")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].endswith(": foto, Vooraanzicht")
    assert lines[1].split() == ["Meting", "Waarde", "±", "Normaal", "Status", "n", "Bron"]
    assert lines[2].rstrip().endswith("model (benadering)")
    rows = "\n".join(lines[2:-1])
    assert re.search(r"\d,\d° [LR] hoger", rows)
    assert not re.search(r"\d\.\d", rows)  # decimal comma only
    assert "niet in beeld: heupen" in rows  # plain words, no landmark ids
    assert "(23)" not in rows
    assert lines[-1] == "Hulpmiddel voor screening, geen diagnose."


@pytest.mark.media
def test_json_is_unchanged_by_the_table(model_path, media):
    proc = _analyze(media(UPPER), "--model", model_path, "--json", "--fast")
    doc = json.loads(proc.stdout)
    assert doc["inputs"][0]["kind"] == "image"
    with using_language("en"):
        table = format_input(doc["inputs"][0])
    assert table.splitlines()[0].endswith(": photo, Front")


TURNED = "images/standing_frontal/frontal_mmpose_coco785_skier.jpg"
NOBODY = "images/no_person/nobody_bgmv2_test_bg_car.jpg"


@pytest.mark.media
def test_a_refused_photo_says_why_in_the_users_language(model_path, media):
    proc = _analyze(media(TURNED), media(NOBODY), "--model", model_path, "--json", "--fast")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    validate_analyze_json(
        doc
    )  # a three-quarter frame follows the schema too (its view was missing)
    turned, nobody = doc["inputs"]
    view = turned["frames"][0]["view"]
    assert view["view"] == "three_quarter"
    yaw = round(view["yaw_deg"])
    assert 25 <= yaw <= 65
    with using_language("en"):
        assert format_input(turned).splitlines()[1] == (
            f"  nothing measurable in this picture: body turned about {yaw}° from the "
            "camera: neither front nor side; turn the patient square to the camera or "
            "fully side-on"
        )
        assert format_input(nobody).splitlines()[1] == (
            "  nothing measurable in this picture: no person found"
        )
    with using_language("nl"):
        line = format_input(turned).splitlines()[1]
        assert line.startswith(
            f"  niets meetbaar in dit beeld: lichaam ongeveer {yaw}° weggedraaid"
        )
        assert format_input(nobody).splitlines()[1] == (
            "  niets meetbaar in dit beeld: geen persoon gevonden"
        )
    # The Dutch comes from the checks' codes, not from the English words: garbled
    # words change nothing while the codes are there.
    checks = {c["id"]: c for c in turned["frames"][0]["quality"]["checks"]}
    assert checks["view_known"]["reasons"] == [
        {"code": "three_quarter", "yaw_deg": pytest.approx(view["yaw_deg"], abs=0.06)}
    ]
    for rep in (turned, nobody):
        for check in rep["frames"][0]["quality"]["checks"]:
            check["reason"] = "(English words of an older release)" if check["reason"] else None
    with using_language("nl"):
        assert (
            format_input(turned)
            .splitlines()[1]
            .startswith(f"  niets meetbaar in dit beeld: lichaam ongeveer {yaw}° weggedraaid")
        )
        assert format_input(nobody).splitlines()[1] == (
            "  niets meetbaar in dit beeld: geen persoon gevonden"
        )


@pytest.mark.media
def test_the_notes_on_measured_values_are_said_under_the_table(model_path, media):
    """A head-cropped photo's lengths are judged against a body height estimated from
    the trunk: the JSON said so for each, the table said nothing (it named only why
    others were not measurable)."""
    cropped = "images/standing_frontal/frontal_icon_003883_woman_home_HEAD_CROPPED.jpg"
    proc = _analyze(media(cropped), "--model", model_path, "--json", "--no-second-model")
    assert proc.returncode == 0, proc.stderr
    (rep,) = json.loads(proc.stdout)["inputs"]
    noted = [k for k, m in rep["frames"][0]["metrics"].items() if m["value"] is not None
             and m["reasons"] == [{"code": "height_from_trunk"}]]  # fmt: skip
    assert noted == ["shoulder_height_diff", "shoulder_shift", "pelvis_shift"]
    with using_language("en"):
        assert (
            "  Shoulder height difference, Shoulder shift, Pelvis shift: body height "
            "estimated from the trunk (legs or head not visible)"
        ) in format_input(rep).splitlines()
    with using_language("nl"):
        assert (
            "  Hoogteverschil schouders, Zijwaartse verschuiving schouders, Zijwaartse "
            "verschuiving bekken: lichaamslengte geschat uit de romp (benen of hoofd niet "
            "zichtbaar)"
        ) in format_input(rep).splitlines()


def test_a_refused_frame_shows_each_gate_reason_in_dutch_from_its_code():
    """No model: a frame cut off at the bottom edge, with its hips hidden, through the real
    gate and JSON; the table rebuilds the words from the codes alone."""
    size_wh = (640, 960)
    pose = standing_pose(size_wh)
    xy = pose.xy_px.copy()
    xy[:, 1] += size_wh[1] - 5 - xy[LM.LEFT_ANKLE, 1]  # ankles 5 px above the bottom edge
    report = QualityGate(require_full_body=True).check(
        pose.with_xy(xy), ViewEstimate(View.FRONT, 1.0), 0.0
    )
    checks = json.loads(json.dumps(report.to_json()))["checks"]
    cut = next(c for c in checks if c["id"] == "in_frame")
    assert [r["code"] for r in cut["reasons"]] == ["cut_off"]
    assert cut["reasons"][0]["edges"][0]["edge"] == "bottom"
    assert "left_ankle" in cut["reasons"][0]["edges"][0]["landmarks"]
    for check in checks:
        check["reason"] = "?" if check["reason"] else None  # words gone: codes only
    failed = [c for c in checks if not c["ok"]]
    rep = {"source": "x.jpg", "kind": "image", "frames": [{"quality": {"checks": failed}}]}
    with using_language("nl"):
        line = format_input(rep).splitlines()[1]
    assert line.startswith(
        "  niets meetbaar in dit beeld: lichaam valt buiten beeld aan de onderrand"
    )
    assert "linkerenkel" in line and "?" not in line and "ankle" not in line
