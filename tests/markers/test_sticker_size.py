"""A frame whose stickers would be too small to find says so (``MarkerResult.too_small``,
``markers.too_small`` in the JSON): on the shared low-resolution side photo a 20 mm
sticker is about 4 px across; on a full-size one it is well over 5 px."""

from __future__ import annotations

import pytest

from posture_cam.config import PipelineConfig
from posture_cam.pipeline import Pipeline
from posture_cam.sources import read_image
from posture_cam.types import Frame

pytestmark = pytest.mark.media

SMALL = "images/standing_side/side_dipan_side_image_man_home_lowres.jpg"  # 93 x 314 px
LARGE = "images/seated_side/seated_side_nvv_straight_upright_facing_right.jpg"


@pytest.fixture(scope="module")
def located(media_dir, model_path):
    config = PipelineConfig(
        model_path=str(model_path), markers=("tragus", "c7", "asis", "psis"), second_model=False
    )
    found = {}
    with Pipeline.open(config, mode="image") as pipeline:
        for i, rel in enumerate((SMALL, LARGE)):
            path = media_dir / rel
            result = pipeline.process(Frame(read_image(path), i, 0.0, str(path)))
            found[rel] = result.markers
    return found


def test_stickers_on_a_low_resolution_photo_are_too_small(located) -> None:
    small = located[SMALL]
    assert small.markers.missing == ("tragus", "c7", "asis", "psis")
    assert small.markers.sticker_px is not None and 2.0 < small.markers.sticker_px < 5.0
    doc = small.to_json()
    assert doc["too_small"] is True and doc["sticker_20mm_px"] == pytest.approx(
        small.markers.sticker_px, abs=0.05
    )


def test_stickers_on_a_full_size_photo_are_not(located) -> None:
    large = located[LARGE]
    assert large.markers.missing  # no stickers on it either
    assert large.markers.sticker_px > 10.0
    assert large.to_json()["too_small"] is False


def test_analyze_says_the_stickers_would_be_too_small(media_dir, model_path, capsys) -> None:
    from posture_cam.cli import main

    args = ["analyze", "--fast", "--offline", str(media_dir / SMALL), "--model", str(model_path)]
    assert main([*args, "--markers", "tragus,c7,asis,psis"]) == 0
    (line,) = [s for s in capsys.readouterr().out.splitlines() if "markers found" in s]
    assert line.endswith(
        "; a 20 mm sticker is about 4 px across here, too small to be found reliably "
        "(5 px or more): move the camera closer or use a higher resolution"
    )
