"""View classification and metric plausibility on real photos (IMAGE mode).

Facing directions were checked by eye on each photo.
"""

from __future__ import annotations

import pytest

from posture_cam.metrics import MetricsEngine, QualityGate, classify_view
from posture_cam.pose import PoseEstimator
from posture_cam.sources import ImageSource
from posture_cam.types import View
from tests.metrics._helpers import true_mirror

pytestmark = pytest.mark.media

SEATED = "images/seated_side/"
STILLS = "images/derived_stills_from_videos/"
CASES = {
    "images/standing_frontal/frontal_shapy_img01_woman_neutral.jpg": View.FRONT,
    "images/standing_frontal/frontal_shapy_img06_man_hands_in_pockets.jpg": View.FRONT,
    STILLS + "still_frontal_sports2d_demo5_f005_man_dumbbells.jpg": View.FRONT,
    "images/standing_back/back_tfjs_posenet_backpackman_walking_away.jpg": View.BACK,
    # Faces image-left, so her LEFT side is toward the camera.
    STILLS + "still_side_sports2d_demo4_f236_older_woman_walking.jpg": View.LEFT,
    SEATED + "seated_side_nvv_straight_hf_upright_arms_folded_facing_left.jpg": View.LEFT,
    SEATED + "seated_side_nvv_hunchback_SLOUCH_facing_left.jpg": View.LEFT,
    SEATED + "seated_side_nvv_straight_upright_facing_right.jpg": View.RIGHT,
    SEATED + "seated_side_nvv_hunchback_flip_SLOUCH_facing_right.jpg": View.RIGHT,
}


@pytest.fixture(scope="module")
def poses(model_path, media):
    out = {}
    with PoseEstimator(model_path, mode="image", num_poses=1) as est:
        for rel in CASES:
            with ImageSource(media(rel)) as src:
                out[rel] = est.estimate(next(iter(src))).pose
    return out


@pytest.mark.parametrize("rel", list(CASES))
def test_view_of_real_photo(poses, rel):
    est = classify_view(poses[rel])
    assert est.view is CASES[rel]
    assert est.confidence >= 0.8
    swap = {View.LEFT: View.RIGHT, View.RIGHT: View.LEFT}
    assert classify_view(poses[rel].mirrored()).view is swap.get(CASES[rel], CASES[rel])


def test_slouched_cva_smaller_than_upright(poses):
    eng = MetricsEngine()

    def cva(rel):
        pose = poses[SEATED + rel]
        return eng.compute(pose, classify_view(pose), None)["cva"].value

    # Same man, same camera side: hunched forward vs sitting upright.
    upright_l = cva("seated_side_nvv_straight_hf_upright_arms_folded_facing_left.jpg")
    slouch_l = cva("seated_side_nvv_hunchback_SLOUCH_facing_left.jpg")
    upright_r = cva("seated_side_nvv_straight_upright_facing_right.jpg")
    slouch_r = cva("seated_side_nvv_hunchback_flip_SLOUCH_facing_right.jpg")
    assert slouch_l < upright_l - 10
    assert slouch_r < upright_r - 8
    for v in (upright_l, slouch_l, upright_r, slouch_r):
        assert 30 < v < 95


def test_real_frontal_values_plausible_and_mirror_exact(poses):
    eng = MetricsEngine()
    pose = poses["images/standing_frontal/frontal_shapy_img06_man_hands_in_pockets.jpg"]
    m = eng.compute(pose, classify_view(pose), None)
    # A man standing relaxed: tilts of a few degrees, knees near straight.
    for mid in ("head_tilt", "shoulder_tilt", "pelvic_tilt", "trunk_lean"):
        assert abs(m[mid].value) < 5, mid
    for mid in ("knee_angle_left", "knee_angle_right"):
        assert abs(m[mid].value) < 10, mid
    mm = eng.compute(true_mirror(pose), classify_view(true_mirror(pose)), None)
    assert mm["shoulder_tilt"].value == pytest.approx(-m["shoulder_tilt"].value, abs=1e-9)
    assert mm["knee_angle_left"].value == pytest.approx(m["knee_angle_right"].value, abs=1e-9)


def test_side_seated_plumb_offsets_refused(poses):
    pose = poses[SEATED + "seated_side_nvv_straight_upright_facing_right.jpg"]
    m = MetricsEngine().compute(pose, classify_view(pose), None)
    assert m["ear_offset"].value is None and "standing" in m["ear_offset"].reason
    assert m["trunk_inclination"].value is not None


def test_quality_gate_passes_a_clean_frontal_photo(poses):
    pose = poses["images/standing_frontal/frontal_shapy_img06_man_hands_in_pockets.jpg"]
    report = QualityGate().check(pose, classify_view(pose), 0.0)
    assert report.ok, report.failed()
