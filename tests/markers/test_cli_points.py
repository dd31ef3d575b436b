"""``analyze`` with skin markers and given points, as a user meets it: a point outside
the picture, a name given twice, a colour without markers and two points at one place
are refused or not measured, each with one clear line; the table says where each number
came from and which markers were found."""

from __future__ import annotations

import json
import math

import cv2
import numpy as np
import pytest

from posture_cam.cli import main
from posture_cam.config import PipelineConfig
from posture_cam.landmarks import LM
from posture_cam.metrics.body import trunk_length_px
from posture_cam.pipeline import Pipeline
from posture_cam.sources import read_image
from posture_cam.types import Frame

pytestmark = pytest.mark.media

SIDE_PHOTO = "images/seated_side/seated_side_nvv_straight_upright_facing_right.jpg"  # 720 x 1280
FRONT_PHOTO = "images/standing_frontal/frontal_shapy_img01_woman_neutral.jpg"
GREEN_BGR = (20, 255, 57)


def _analyze(capsys, *args) -> tuple[int, str, list[str]]:
    code = main(["analyze", "--fast", "--offline", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err.strip().splitlines()


def test_a_point_outside_the_picture_is_refused_for_that_input_only(
    media, model_path, capsys
) -> None:
    side, front = media(SIDE_PHOTO), media(FRONT_PHOTO)
    code, out, err = _analyze(capsys, side, "--point", "c7=5000,300", "--model", model_path)
    assert code == 2
    assert err[0] == (
        f"posture-cam: error: {side}: --point c7=5000,300 is outside the picture "
        "(720 x 1280 px): give pixels inside it"
    )
    assert "Traceback" not in "\n".join(err) and out == ""
    # Inside the side photo but outside the (smaller) front one: only that one fails.
    h_front, w_front = read_image(front).shape[:2]
    x = w_front + 10
    assert x < 720
    code, out, err = _analyze(capsys, side, front, "--point", f"c7={x},5", "--model", model_path)
    assert code == 2
    assert [line for line in err if "error" in line] == [
        f"posture-cam: error: {front}: --point c7={x},5 is outside the picture "
        f"({w_front} x {h_front} px): give pixels inside it"
    ]
    assert str(side) in out and str(front) not in out


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["--point", "c7=125,313", "--point", "c7=100,300"],
            "posture-cam: error: --point c7: given more than once: give each point once",
        ),
        (
            ["--marker-colour", "pink"],
            "posture-cam: error: --marker-colour: only with --markers NAMES: it is the colour "
            "of those stickers",
        ),
    ],
)
def test_option_mistakes_are_one_line(media, model_path, capsys, args, line) -> None:
    code, out, err = _analyze(capsys, media(SIDE_PHOTO), *args, "--model", model_path)
    assert (code, out, err) == (2, "", [line])


def test_two_points_at_one_place_give_no_angle(media, model_path, capsys) -> None:
    photo = media(SIDE_PHOTO)
    args = ["--point", "c7=125,313", "--point", "tragus=126,314", "--model", model_path]
    code, out, _err = _analyze(capsys, photo, *args)
    assert code == 0
    assert (
        "Craniovertebral angle, Forward head angle: not measurable: the c7 and tragus points "
        "are less than 3 px apart: no line between them"
    ) in out
    # Three pixels apart is a line (an exact one: given points are taken as they are).
    code, out, _err = _analyze(
        capsys, photo, "--point", "c7=125,313", "--point", "tragus=128,313", "--model", model_path
    )
    row = next(line for line in out.splitlines() if "Craniovertebral angle" in line)
    assert row.split()[2] == "0.0°" and row.split()[-1] == "point"


def test_the_table_names_each_numbers_source_and_the_markers_found(
    media, model_path, tmp_path, capsys
) -> None:
    """Only the ASIS sticker on the photo: the table says it was found and the others
    not, and that the CVA (C7 and tragus missing) comes from the pose model."""
    image = read_image(media(SIDE_PHOTO))
    cfg = PipelineConfig(model_path=str(model_path), flip_average=False, rotation_average_deg=())
    with Pipeline.open(cfg, mode="image", allow_network=False) as pipe:
        pose = pipe.process(Frame(image, 0, 0.0, SIDE_PHOTO)).pose_image
    trunk = trunk_length_px(pose)
    hip = np.nanmean(pose.xy_px[[LM.LEFT_HIP, LM.RIGHT_HIP]], axis=0)
    asis = hip + trunk * np.array([0.17 * math.cos(math.radians(10)), -0.08])
    cv2.circle(image, (round(asis[0]), round(asis[1])), round(0.02 * trunk), GREEN_BGR, -1)
    marked = tmp_path / "asis_only.png"
    cv2.imwrite(str(marked), image)

    code, out, _err = _analyze(
        capsys, marked, "--markers", "tragus,c7,asis,psis", "--model", model_path
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[1].split()[-1] == "Source"
    cva = next(line for line in lines if line.strip().startswith("Craniovertebral angle"))
    assert cva.endswith("  model (proxy)")  # the ear and estimated C7 stand in
    pelvic_json = json.loads(
        _analyze(capsys, marked, "--markers", "asis,psis", "--json", "--model", model_path)[1]
    )["inputs"][0]["frames"][0]["metrics"]
    assert pelvic_json["cva"]["proxy"] is True and pelvic_json["cva"]["source"] == "model"
    assert (
        "  markers found: asis; not found: tragus, c7, psis (what needs them is measured "
        "from the pose model)"
    ) in lines
    # The same in Dutch; without markers the Source column stays (every number says
    # where it came from) but no line about markers.
    assert main(["--lang", "nl", "analyze", "--fast", "--offline", str(marked),
                 "--markers", "asis,psis", "--model", str(model_path)]) == 0  # fmt: skip
    out_nl = capsys.readouterr().out
    assert out_nl.splitlines()[1].split()[-1] == "Bron"
    assert "  markers gevonden: asis; niet gevonden: psis (wat ze nodig heeft, wordt met het " \
        "houdingsmodel gemeten)" in out_nl.splitlines()  # fmt: skip
    code, out, _err = _analyze(capsys, marked, "--model", model_path)
    assert out.splitlines()[1].split()[-1] == "Source" and "markers found" not in out


def test_markers_on_a_front_photo_say_why_they_are_not_used(media, model_path, capsys) -> None:
    code, out, _err = _analyze(
        capsys, media(FRONT_PHOTO), "--markers", "c7,tragus", "--point", "left_hip=150,300",
        "--model", model_path,
    )  # fmt: skip
    assert code == 0
    assert "  markers not used: markers are named in side views only" in out.splitlines()
    assert "  points given by hand: left_hip" in out.splitlines()


def test_one_end_of_the_neck_line_given_replaces_its_stand_in(media, model_path, capsys) -> None:
    """A C7 placed alone is used with the ear landmark for the tragus (it was ignored:
    the estimated C7 stayed); a tragus alone with C7 estimated from the trunk. The note
    says which stand-in is left, and the value stays a proxy."""
    photo = media(SIDE_PHOTO)  # faces image-right
    c7, tragus = np.array([125.0, 313.0]), np.array([239.0, 216.0])
    docs = {}
    for name, args in {
        "none": [],
        "c7": ["--point", "c7=125,313"],
        "tragus": ["--point", "tragus=239,216"],
        "both": ["--point", "c7=125,313", "--point", "tragus=239,216"],
    }.items():
        code, out, _err = _analyze(capsys, photo, *args, "--json", "--model", model_path)
        assert code == 0
        frame = json.loads(out)["inputs"][0]["frames"][0]
        docs[name] = frame
    xy = np.array([p[:2] if p else [np.nan, np.nan] for p in docs["c7"]["landmarks"]], float)
    ear = xy[LM.RIGHT_EAR]  # the right side faces the camera

    def elevation(a, b) -> float:
        return math.degrees(math.atan2(a[1] - b[1], b[0] - a[0]))

    cva = {k: d["metrics"]["cva"] for k, d in docs.items()}
    assert cva["c7"]["value"] == pytest.approx(elevation(c7, ear), abs=0.01)  # JSON: 0.01 px
    assert (cva["c7"]["source"], cva["c7"]["proxy"]) == ("point", True)
    assert "the ear landmark stands in for the tragus" in cva["c7"]["reason"]
    assert cva["both"]["value"] == pytest.approx(elevation(c7, tragus), abs=1e-5)
    assert (cva["both"]["source"], cva["both"]["proxy"], cva["both"]["reason"]) == (
        "point", False, None,
    )  # fmt: skip
    assert cva["tragus"]["source"] == "point" and "C7 estimated" in cva["tragus"]["reason"]
    # Each given end moves the value away from the markerless one.
    assert len({round(c["value"], 3) for c in cva.values()}) == 4
    head = docs["c7"]["metrics"]["head_forward_angle"]
    assert head["value"] == pytest.approx(90.0 - cva["c7"]["value"], abs=1e-4)
