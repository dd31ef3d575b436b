"""Scale from a marker / a pose of known height, and lens calibration on synthetic views."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from test_calibration_synth import lens_views

from posture_cam.calibration import (
    EYE_HEIGHT_FRACTION,
    LensProblem,
    ScaleProblem,
    calibrate_lens,
    scale_from_height,
    scale_from_marker,
)
from posture_cam.calibration.board import SCALE_MARKER_ID, dictionary
from posture_cam.landmarks import LM
from posture_cam.types import Pose


def marker_scene(side_px: int, angle_deg: float = 0.0, marker_id: int = SCALE_MARKER_ID):
    img = np.full((720, 1280, 3), 200, np.uint8)
    m = cv2.aruco.generateImageMarker(dictionary(), marker_id, side_px)
    img[200 : 200 + side_px, 500 : 500 + side_px] = m[..., None]
    rot = cv2.getRotationMatrix2D((640, 360), angle_deg, 1.0)
    return cv2.warpAffine(img, rot, (1280, 720), flags=cv2.INTER_LINEAR, borderValue=(200,) * 3)


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


K_TRUE = np.array([[700.0, 0, 485], [0, 700, 265], [0, 0, 1]])
DIST_TRUE = np.array([-0.28, 0.09, 0.0, 0.0, 0.0])


@pytest.fixture(scope="module")
def synthetic_views():
    return lens_views(K_TRUE, DIST_TRUE)


def test_lens_recovers_known_distortion(synthetic_views):
    cal = calibrate_lens(synthetic_views)
    assert cal.rms_px < 0.5
    assert cal.num_views == 9
    assert cal.camera_matrix[0, 0] == pytest.approx(700.0, rel=0.02)
    assert cal.camera_matrix[1, 1] == pytest.approx(700.0, rel=0.02)
    assert cal.dist_coeffs[0] == pytest.approx(-0.28, rel=0.03)
    assert cal.dist_coeffs[1] == pytest.approx(0.09, abs=0.02)


def test_lens_rejects_too_few_views(synthetic_views):
    blank = np.full_like(synthetic_views[0][1], 255)
    views = [*synthetic_views[:3], ("blank.png", blank)]
    with pytest.raises(LensProblem, match="only 3 of 4"):
        calibrate_lens(views)


def test_lens_rejects_mixed_sizes(synthetic_views):
    small = cv2.resize(synthetic_views[0][1], (480, 270))
    with pytest.raises(LensProblem, match="different sizes"):
        calibrate_lens([*synthetic_views, ("small.png", small)])


def test_lens_rejects_poor_coverage(synthetic_views):
    # the same central view over and over: the corners of the image are never seen
    with pytest.raises(LensProblem, match="covered only"):
        calibrate_lens([(f"{i}.png", synthetic_views[4][1]) for i in range(6)])
