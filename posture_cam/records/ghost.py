"""The ghost of the previous visit: its median skeleton moved onto the live patient.

The previous capture's landmarks are scaled by body height and anchored at the feet
(ankle midpoint), so a patient who stands in the same place sees at once whether the
shoulder that was low is still low. When the feet are not both in view (seated, or a
waist-up camera) the ghost is anchored at the hip midpoint and scaled by trunk length
(shoulder midpoint to hip midpoint) instead. Pure NumPy, no Qt: the app draws the
points it returns.
"""

from __future__ import annotations

import numpy as np

_HEAD = list(range(11))  # nose, eyes, ears, mouth
_ANKLES = (27, 28)
_HIPS = (23, 24)
_SHOULDERS = (11, 12)


def _mid(xy: np.ndarray, ids: tuple[int, int]) -> np.ndarray | None:
    points = xy[list(ids)]
    if not np.all(np.isfinite(points)):
        return None
    return points.mean(axis=0)


def _height(xy: np.ndarray, feet: np.ndarray) -> float | None:
    head_y = xy[_HEAD, 1]
    head_y = head_y[np.isfinite(head_y)]
    if head_y.size == 0:
        return None
    height = float(feet[1] - head_y.min())
    return height if height > 1.0 else None


def ghost_xy(previous_xy: np.ndarray, current_xy: np.ndarray) -> np.ndarray | None:
    """The previous skeleton placed on the current one, in the current image's pixels.

    Args:
        previous_xy: (33, 2) float, the previous capture's median landmarks (px), NaN
            where missing.
        current_xy: (33, 2) float, the live pose (px), NaN where missing.

    Returns:
        (33, 2) float ghost landmarks (NaN where the previous one is missing), or None
        when neither the feet nor the hips and shoulders give an anchor in both.
    """
    prev = np.asarray(previous_xy, dtype=np.float64)
    cur = np.asarray(current_xy, dtype=np.float64)
    prev_feet, cur_feet = _mid(prev, _ANKLES), _mid(cur, _ANKLES)
    if prev_feet is not None and cur_feet is not None:
        prev_h, cur_h = _height(prev, prev_feet), _height(cur, cur_feet)
        if prev_h is not None and cur_h is not None:
            return (prev - prev_feet) * (cur_h / prev_h) + cur_feet
    prev_hip, cur_hip = _mid(prev, _HIPS), _mid(cur, _HIPS)
    prev_sh, cur_sh = _mid(prev, _SHOULDERS), _mid(cur, _SHOULDERS)
    if prev_hip is None or cur_hip is None or prev_sh is None or cur_sh is None:
        return None
    prev_trunk = float(np.linalg.norm(prev_sh - prev_hip))
    cur_trunk = float(np.linalg.norm(cur_sh - cur_hip))
    if prev_trunk <= 1.0:
        return None
    return (prev - prev_hip) * (cur_trunk / prev_trunk) + cur_hip


def landmarks_array(stored: list | None) -> np.ndarray | None:
    """A capture's stored landmarks (33 x ``[x, y]`` or null) as a (33, 2) array."""
    if not stored or len(stored) != 33:
        return None
    return np.array([[np.nan, np.nan] if p is None else [float(p[0]), float(p[1])] for p in stored])
