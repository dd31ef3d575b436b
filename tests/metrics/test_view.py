"""Three-quarter views: a body turned ~35-65° is neither front nor side, gets a reason
and no metrics; the yaw estimate is exposed for the live display."""

from __future__ import annotations

import pytest

from posture_cam.metrics import MetricsEngine
from posture_cam.pipeline import Pipeline
from posture_cam.sources import read_image
from posture_cam.types import Frame, Pose, View, ViewEstimate

THREE_QUARTER = (
    "images/standing_frontal/frontal_mmpose_coco785_skier.jpg",
    "images/standing_frontal/frontal_tfex_image2_man_suit_arms_crossed.jpeg",
    "images/standing_side/side34_shapy_img19_elderly_man_stooped_FORWARD_HEAD.jpg",
)
STILLS = "images/derived_stills_from_videos/"
SQUARE_OR_SIDE = {
    "images/standing_frontal/frontal_shapy_img01_woman_neutral.jpg": View.FRONT,
    "images/standing_frontal/frontal_shapy_img18_woman_studio_neutral.jpg": View.FRONT,
    STILLS + "still_frontal_tfjs_squats_f000_woman_standing.jpg": View.FRONT,
    "images/standing_back/back_tfjs_posenet_backpackman_walking_away.jpg": View.BACK,
    # The model takes this back for a front on the photo and for a back on its mirror:
    # averaged with the labels as given, the shoulders met in the middle ("right side").
    "images/standing_back/back_hardhat_back_torso_markers_child_gray.jpg": View.BACK,
    "images/seated_side/seated_side_nvv_straight_upright_facing_right.jpg": View.RIGHT,
    STILLS + "still_side_sports2d_demo4_f236_older_woman_walking.jpg": View.LEFT,
}


@pytest.fixture(scope="module")
def results(media, photo_config):
    out = {}
    with Pipeline.open(photo_config, mode="image", allow_network=False) as pipe:
        for rel in (*THREE_QUARTER, *SQUARE_OR_SIDE):
            out[rel] = pipe.process(Frame(read_image(media(rel)), 0, 0.0, rel))
    return out


@pytest.mark.parametrize("rel", THREE_QUARTER)
def test_three_quarter_photos(results, rel) -> None:
    res = results[rel]
    assert res.view.view is View.THREE_QUARTER, (res.view, rel)
    assert 35.0 <= res.view.yaw_deg <= 65.0
    assert "neither front nor side" in res.view.reason
    assert res.metrics == {}  # no frontal or sagittal number from a turned body
    checks = {c.id: c for c in res.quality.checks}
    check = checks["view_known"]
    assert not check.ok and "turned about" in check.reason
    # "Turned to the camera" says how far, the view's own yaw (it said "view unknown").
    turned = checks["orientation"]
    assert not turned.ok and turned.reason.code == "turned_from_square"
    assert turned.reason.data["deg"] == pytest.approx(res.view.yaw_deg, abs=0.01)
    assert res.view.to_json()["view"] == "three_quarter"


@pytest.mark.parametrize("rel", list(SQUARE_OR_SIDE))
def test_square_and_side_photos_keep_their_view(results, rel) -> None:
    res = results[rel]
    assert res.view.view is SQUARE_OR_SIDE[rel], (res.view, rel)
    if res.view.view.is_frontal:
        assert res.view.yaw_deg < 35.0
    else:
        assert res.view.yaw_deg > 65.0


def test_engine_measures_nothing_in_a_three_quarter_view() -> None:
    import numpy as np

    pose = Pose.from_arrays(np.random.default_rng(0).uniform(10, 90, (33, 2)), (100, 100))
    assert MetricsEngine().compute(pose, ViewEstimate(View.THREE_QUARTER, 1.0), None) == {}
