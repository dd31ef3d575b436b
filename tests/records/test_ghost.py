"""The ghost of the previous visit: scaled by body height, anchored at the feet, or at
the hips when the feet are out of view."""

from __future__ import annotations

import numpy as np

from posture_cam.records.ghost import ghost_xy, landmarks_array


def _pose(rng: np.random.Generator) -> np.ndarray:
    xy = rng.uniform(100, 300, size=(33, 2))
    xy[list(range(11)), 1] = rng.uniform(20, 40, size=11)  # head at the top
    xy[[27, 28], 1] = 500.0  # ankles at the bottom
    return xy


def test_same_posture_smaller_and_elsewhere_lands_exactly_on_the_patient():
    rng = np.random.default_rng(3)
    current = _pose(rng)
    feet = current[[27, 28]].mean(axis=0)
    previous = (current - feet) * 0.5 + np.array([40.0, 10.0])  # camera farther, shifted
    np.testing.assert_allclose(ghost_xy(previous, current), current, atol=1e-9)


def test_a_changed_shoulder_stays_visible_in_the_ghost():
    rng = np.random.default_rng(4)
    current = _pose(rng)
    previous = current.copy()
    previous[11, 1] += 12.0  # the left shoulder sat 12 px lower last time
    ghost = ghost_xy(previous, current)
    assert ghost[11, 1] - current[11, 1] > 11.0
    np.testing.assert_allclose(ghost[27:29], current[27:29])


def test_seated_anchors_at_the_hips_and_scales_by_trunk_length():
    rng = np.random.default_rng(5)
    current = _pose(rng)
    current[[27, 28]] = np.nan  # feet under the desk
    hips = current[[23, 24]].mean(axis=0)
    previous = (current - hips) * 2.0 + np.array([5.0, -30.0])
    np.testing.assert_allclose(ghost_xy(previous, current), current, atol=1e-9)
    current[[23, 24]] = np.nan
    assert ghost_xy(previous, current) is None


def test_stored_landmarks_round_trip():
    stored = [[1.0, 2.0]] * 32 + [None]
    arr = landmarks_array(stored)
    assert arr.shape == (33, 2) and np.isnan(arr[32]).all() and arr[0].tolist() == [1.0, 2.0]
    assert landmarks_array(None) is None
