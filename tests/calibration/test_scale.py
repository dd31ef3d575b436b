"""Scale from a marker or from a pose of known height (synthetic scenes)."""

from __future__ import annotations

import numpy as np
import pytest

from posture_cam.calibration import (
    EYE_HEIGHT_FRACTION,
    ScaleProblem,
    scale_from_height,
    scale_from_marker,
)
from posture_cam.calibration.board import SCALE_MARKER_ID
from posture_cam.landmarks import LM
from posture_cam.types import Pose
from tests.calibration._helpers import marker_scene


@pytest.mark.parametrize(("side_px", "angle"), [(210, 0.0), (150, 3.7), (300, -6.0)])
def test_scale_from_marker_within_one_percent(side_px, angle):
    est = scale_from_marker(marker_scene(side_px, angle), marker_cm=15.0)
    truth = 15.0 / side_px
    assert abs(est.cm_per_px / truth - 1) < 0.01
    assert est.extra["marker_id"] == SCALE_MARKER_ID


def test_scale_marker_problems():
    with pytest.raises(ScaleProblem, match="no ArUco marker"):
        scale_from_marker(np.full((480, 640, 3), 128, np.uint8), 15.0)
    with pytest.raises(ScaleProblem, match="only"):
        scale_from_marker(marker_scene(30), 15.0)


def test_scale_from_height_uses_eye_height_fraction():
    xy = np.full((33, 2), np.nan)
    xy[LM.LEFT_EYE] = (510, 100)
    xy[LM.RIGHT_EYE] = (490, 100)
    xy[LM.LEFT_HEEL] = (520, 890)
    xy[LM.LEFT_FOOT_INDEX] = (530, 900)
    xy[LM.RIGHT_HEEL] = (480, 890)
    xy[LM.RIGHT_FOOT_INDEX] = (470, 900)
    est = scale_from_height(Pose.from_arrays(xy, (1000, 1000)), 170.0)
    assert est.cm_per_px == pytest.approx(170.0 * EYE_HEIGHT_FRACTION / 800.0)
    assert est.uncertainty_pct == pytest.approx(3.0)
    xy[[LM.LEFT_HEEL, LM.RIGHT_HEEL, LM.LEFT_FOOT_INDEX, LM.RIGHT_FOOT_INDEX]] = np.nan
    with pytest.raises(ScaleProblem, match="feet"):
        scale_from_height(Pose.from_arrays(xy, (1000, 1000)), 170.0)
