"""Markers and placed points in the pipeline (``posture_cam.markers.stage``): the true
CVA / sagittal pelvic tilt from fluorescent-green discs composited (in the test, never
stored) onto real side photos at known positions, missing markers, exact ``--point``."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest

from posture_cam.config import PipelineConfig
from posture_cam.metrics.body import trunk_length_px
from posture_cam.pipeline import Pipeline
from posture_cam.sources import read_image
from posture_cam.types import Frame
from tests._helpers import paint_stickers, sticker_places

SIDE_PHOTOS = (
    # (photo, facing: +1 image-right, -1 image-left)
    ("images/seated_side/seated_side_nvv_straight_upright_facing_right.jpg", 1),
    ("images/seated_side/seated_side_nvv_straight_hf_upright_arms_folded_facing_left.jpg", -1),
    ("images/seated_side/seated_side_nvv_hunchback_SLOUCH_facing_left.jpg", -1),
    ("images/seated_side/seated_side_nvv_jav_other_man_upright.jpg", -1),
    (
        "images/derived_stills_from_videos/still_side_sports2d_demo4_f236_older_woman_walking.jpg",
        -1,
    ),
)


def _elevation(a: np.ndarray, b: np.ndarray, facing: int) -> float:
    d = b - a
    return math.degrees(math.atan2(-d[1], facing * d[0]))


@pytest.mark.parametrize(("photo", "facing"), SIDE_PHOTOS)
def test_markers_on_real_side_photos(media, model_path, photo: str, facing: int) -> None:
    image = read_image(media(photo))
    cfg = PipelineConfig(model_path=str(model_path), flip_average=False, rotation_average_deg=())
    with Pipeline.open(cfg, mode="image", allow_network=False) as pipe:
        base = pipe.process(Frame(image, 0, 0.0, photo))
    pose = base.pose_image
    assert base.view.view.is_side
    trunk = trunk_length_px(pose)
    tilt_deg = 14.0  # anterior: ASIS lower than PSIS
    truth = sticker_places(pose, facing, tilt_deg)
    marked = paint_stickers(image, truth, trunk)
    cfg_m = PipelineConfig(
        model_path=str(model_path),
        flip_average=False,
        rotation_average_deg=(),
        markers=("tragus", "c7", "asis", "psis"),
    )
    with Pipeline.open(cfg_m, mode="image", allow_network=False) as pipe:
        res = pipe.process(Frame(marked, 0, 0.0, photo))
    found = res.markers.points
    assert set(found) == set(truth), res.markers.to_json()
    for name, xy in truth.items():
        assert np.hypot(*(found[name].xy_px - xy)) < 1.0, name
    cva_true = _elevation(truth["c7"], truth["tragus"], facing)
    pelvic_true = math.degrees(
        math.atan2(
            truth["asis"][1] - truth["psis"][1], facing * (truth["asis"][0] - truth["psis"][0])
        )
    )
    cva, pelvic = res.metrics["cva"], res.metrics["pelvic_tilt_sagittal"]
    assert cva.source == "marker" and pelvic.source == "marker"
    assert abs(cva.value - cva_true) < 1.0, (cva.value, cva_true)
    assert abs(pelvic.value - pelvic_true) < 1.0, (pelvic.value, pelvic_true)
    assert pelvic.value > 0  # anterior
    assert res.markers.markers.missing == ()


def test_missing_markers_are_reported(media, model_path) -> None:
    photo = SIDE_PHOTOS[0][0]
    cfg = PipelineConfig(
        model_path=str(model_path),
        flip_average=False,
        rotation_average_deg=(),
        markers=("asis", "psis"),
    )
    with Pipeline.open(cfg, mode="image", allow_network=False) as pipe:
        res = pipe.process(Frame(read_image(media(photo)), 0, 0.0, photo))
    assert res.markers.markers.missing == ("asis", "psis")
    m = res.metrics["pelvic_tilt_sagittal"]
    assert m.value is None and "both ASIS and PSIS" in m.reason


def test_point_cli_is_exact(media, model_path, tmp_path) -> None:
    photo = media(SIDE_PHOTOS[0][0])  # facing right
    pts = {
        "c7": (301.25, 402.5),
        "tragus": (357.75, 251.125),
        "asis": (398.5, 702.25),
        "psis": (297.0, 681.5),
    }
    args = [f"--point={n}={x},{y}" for n, (x, y) in pts.items()]
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "posture_cam",
            "analyze",
            str(photo),
            "--json",
            "--fast",
            "--offline",
            "--model",
            str(model_path),
            *args,
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**__import__("os").environ, "POSTURE_CAM_DATA_DIR": str(tmp_path)},
    )
    frame = json.loads(out.stdout)["inputs"][0]["frames"][0]
    m = frame["metrics"]
    c7, tragus = np.array(pts["c7"]), np.array(pts["tragus"])
    asis, psis = np.array(pts["asis"]), np.array(pts["psis"])
    assert m["cva"]["source"] == "point" and m["pelvic_tilt_sagittal"]["source"] == "point"
    assert m["cva"]["proxy"] is False  # the clinical points themselves, no stand-in
    assert abs(m["cva"]["value"] - _elevation(c7, tragus, 1)) < 1e-6
    expected_pelvic = math.degrees(math.atan2(asis[1] - psis[1], asis[0] - psis[0]))
    assert abs(m["pelvic_tilt_sagittal"]["value"] - expected_pelvic) < 1e-6
    assert [e["name"] for e in frame["markers"]["edits"]] == list(pts)
