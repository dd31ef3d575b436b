"""Lens calibration on synthetic ChArUco views of a known camera."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from posture_cam.calibration import LensProblem, calibrate_lens
from tests.calibration._helpers import DIST_TRUE, K_TRUE, lens_views


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
