"""Known groups on the shared side photos: the CVA (C7 estimated from the landmarks)
flags the slouched / forward-head sitters and not the upright ones, and shoulder
protraction is its own measure that keeps upright sitters inside its band."""

from __future__ import annotations

import math

import pytest

from posture_cam.pipeline import Pipeline
from posture_cam.reasons import has_code
from posture_cam.sources import read_image
from posture_cam.types import Frame, MetricStatus

S = "images/seated_side/"
UPRIGHT = (
    S + "seated_side_nvv_straight_upright_facing_right.jpg",
    S + "seated_side_nvv_straight_hf_upright_arms_folded_facing_left.jpg",
    S + "seated_side_pperf_test_image_woman_upright_224.jpg",
    S + "seated_side_nvv_img_woman_upright_stock.jpg",
)
SLOUCHED = (
    S + "seated_side_nvv_hunchback_SLOUCH_facing_left.jpg",
    S + "seated_side_nvv_hunchback_flip_SLOUCH_facing_right.jpg",
)
#: Sitters leaning back in the chair: the neck line turns up with the trunk.
RECLINED = (
    S + "seated_side_pperf_testimg_woman_SLUMPED_arms_crossed.jpg",
    S + "seated_side_nvv_recline_leaning_back.jpg",
)


@pytest.fixture(scope="module")
def side_metrics(media, photo_config):
    out = {}
    with Pipeline.open(photo_config, mode="image", allow_network=False) as pipe:
        for rel in UPRIGHT + SLOUCHED + RECLINED:
            res = pipe.process(Frame(read_image(media(rel)), 0, 0.0, rel))
            assert res.view.view.is_side, rel
            out[rel] = res.metrics
    return out


def test_cva_flags_slouched_and_not_upright(side_metrics) -> None:
    for rel in UPRIGHT:
        m = side_metrics[rel]["cva"]
        assert m.status is MetricStatus.NORMAL, (rel, m.value)
        assert m.value > 50.5, rel  # at least 2° clear of the 48.5° normal limit
    for rel in SLOUCHED:
        m = side_metrics[rel]["cva"]
        assert m.status is MetricStatus.OUTSIDE, (rel, m.value)
        assert m.value < 43.5, rel  # at least 2° below the 45.5° severity cut-off
        hf = side_metrics[rel]["head_forward_angle"]
        assert hf.status is MetricStatus.OUTSIDE
        assert hf.value + m.value == pytest.approx(90.0, abs=1e-6)


def test_shoulder_protraction_is_not_trunk_lean(side_metrics) -> None:
    for rel in SLOUCHED:
        prot, lean = (side_metrics[rel][k] for k in ("shoulder_protraction", "trunk_inclination"))
        # The old proxy was 100 * sin(trunk inclination) (same two landmarks): a sitter
        # leaning 26-42° forward read 44-66 %; the trunk lean no longer drives it.
        assert lean.value > 20, rel
        assert abs(prot.value - 100 * math.sin(math.radians(lean.value))) > 30, rel
        assert prot.status is MetricStatus.NORMAL, rel
    for rel in UPRIGHT:
        prot = side_metrics[rel]["shoulder_protraction"]
        assert prot.status is not MetricStatus.OUTSIDE, (rel, prot.value)


def test_reclined_trunk_gets_no_normal_cva(side_metrics) -> None:
    # The slumped woman leans 39° back: her neck line is steep (CVA 65°) although her
    # head is forward of her trunk. The markerless CVA refuses instead of saying normal.
    for rel in RECLINED:
        lean = side_metrics[rel]["trunk_inclination"]
        assert lean.value < -25, (rel, lean.value)
        assert lean.status is MetricStatus.OUTSIDE
        for key in ("cva", "head_forward_angle"):
            m = side_metrics[rel][key]
            assert m.status is MetricStatus.NOT_MEASURABLE, (rel, key, m.value)
            assert has_code(m.reason, "trunk_reclined"), (rel, m.reason)
            assert m.reason.data["trunk_deg"] == pytest.approx(-lean.value, abs=0.1)
    for rel in UPRIGHT + SLOUCHED:
        assert side_metrics[rel]["cva"].value is not None, rel
