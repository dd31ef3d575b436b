"""Points given by hand (``posture_cam.markers.points``): ``NAME=X,Y`` parsing, and a
moved landmark applied to a real photo's pose and audited."""

from __future__ import annotations

import pytest

from posture_cam.config import PipelineConfig
from posture_cam.errors import InputError
from posture_cam.landmarks import LM
from posture_cam.markers import PointEdits, parse_point
from posture_cam.pipeline import Pipeline
from posture_cam.sources import read_image
from posture_cam.types import Frame

#: A real side photo (the patient faces image-right).
SIDE_PHOTO = "images/seated_side/seated_side_nvv_straight_upright_facing_right.jpg"


def test_point_parsing() -> None:
    assert parse_point("c7=10.5,20") == ("c7", 10.5, 20.0)
    assert parse_point("LEFT_SHOULDER=1,2") == ("left_shoulder", 1.0, 2.0)
    for bad in ("c7", "c7=1", "navel=1,2", "c7=a,b", "c7=nan,1"):
        with pytest.raises(InputError):
            parse_point(bad)


def test_landmark_edit_is_applied_and_audited(media, model_path) -> None:
    photo = SIDE_PHOTO
    cfg = PipelineConfig(
        model_path=str(model_path), flip_average=False, rotation_average_deg=(), view="right"
    )
    with Pipeline.open(cfg, mode="image", allow_network=False) as pipe:
        base = pipe.process(Frame(read_image(media(photo)), 0, 0.0, photo))
    ear = base.pose_image.point(LM.RIGHT_EAR)
    edits = PointEdits.from_args([f"right_ear={ear[0] + 20},{ear[1]}"])
    with Pipeline.open(
        cfg.__class__(**{**cfg.__dict__, "points": (f"right_ear={ear[0] + 20},{ear[1]}",)}),
        mode="image",
        allow_network=False,
    ) as pipe:
        res = pipe.process(Frame(read_image(media(photo)), 0, 0.0, photo))
    assert res.metrics["cva"].source == "point"
    assert res.metrics["cva"].value < base.metrics["cva"].value  # ear moved forward
    assert res.metrics["trunk_inclination"].source == "model"
    (entry,) = res.markers.edits
    assert entry.kind == "moved" and entry.moved_px == pytest.approx(20.0)
    assert edits.points[0][0] == "right_ear"
