"""Pure NumPy angle and offset helpers (no pose knowledge).

Angle conventions (image pixels, x right, y DOWN, as displayed):
    * Angles of lines are counter-clockwise positive *as displayed* (so y is
      negated): rotating the image counter-clockwise by θ adds exactly θ.
    * Every function uses exact ``atan2`` (no small-angle approximations) so that a
      rigid rotation of the points changes the angles by exactly the rotation.
    * Points are (2,) float arrays in pixels; NaN propagates to NaN results.
"""

from __future__ import annotations

import numpy as np


def midpoint(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(2,) midpoint of two pixel points."""
    return (np.asarray(a, dtype=np.float64) + np.asarray(b, dtype=np.float64)) / 2.0


def distance_px(a: np.ndarray, b: np.ndarray) -> float:
    """Euclidean distance in pixels."""
    d = np.asarray(b, dtype=np.float64) - np.asarray(a, dtype=np.float64)
    return float(np.hypot(d[0], d[1]))


def frontal_tilt_deg(left_xy: np.ndarray, right_xy: np.ndarray, left_dir_x: float) -> float:
    """Tilt of a left/right landmark pair vs the horizontal, positive = left side higher.

    Args:
        left_xy: (2,) the patient's left point, pixels.
        right_xy: (2,) the patient's right point, pixels.
        left_dir_x: +1 when the patient's left is image-right (front view), -1 when it
            is image-left (back view).

    Returns:
        Degrees in (-180, 180]. A CCW rotation (as displayed) by θ adds +θ in a front
        view and -θ in a back view.
    """
    d = np.asarray(left_xy, dtype=np.float64) - np.asarray(right_xy, dtype=np.float64)
    # -d_y: image y points down, so "left higher" means y_left < y_right.
    return float(np.degrees(np.arctan2(-d[1], left_dir_x * d[0])))


def angle_from_vertical_deg(base: np.ndarray, tip: np.ndarray, positive_dir_x: float) -> float:
    """Angle of the line base->tip from the upward vertical in degrees.

    Args:
        base: (2,) lower point, pixels.
        tip: (2,) upper point, pixels.
        positive_dir_x: +1 if a tip displaced toward image-right counts positive,
            -1 if toward image-left.

    Returns:
        0 when tip is straight above base; in (-180, 180].
    """
    d = np.asarray(tip, dtype=np.float64) - np.asarray(base, dtype=np.float64)
    return float(np.degrees(np.arctan2(positive_dir_x * d[0], -d[1])))


def elevation_deg(base: np.ndarray, tip: np.ndarray, forward_dir_x: float) -> float:
    """Angle of base->tip above the horizontal, measured from the forward direction.

    90° = tip straight above base; < 90° = tip ahead (toward ``forward_dir_x``).
    """
    d = np.asarray(tip, dtype=np.float64) - np.asarray(base, dtype=np.float64)
    return float(np.degrees(np.arctan2(-d[1], forward_dir_x * d[0])))


def interior_angle_deg(a: np.ndarray, vertex: np.ndarray, b: np.ndarray) -> float:
    """Angle a-vertex-b in degrees, in [0, 180]."""
    u = np.asarray(a, dtype=np.float64) - np.asarray(vertex, dtype=np.float64)
    v = np.asarray(b, dtype=np.float64) - np.asarray(vertex, dtype=np.float64)
    cross = u[0] * v[1] - u[1] * v[0]
    dot = u[0] * v[0] + u[1] * v[1]
    # atan2(|cross|, dot) stays exact near 0° and 180°, unlike arccos of a cosine.
    return float(np.degrees(np.arctan2(abs(cross), dot)))


def cross_z(a: np.ndarray, b: np.ndarray) -> float:
    """z component of the 2-D cross product a x b (image axes, y down)."""
    return float(a[0] * b[1] - a[1] * b[0])


def knee_deviation_deg(
    hip: np.ndarray, knee: np.ndarray, ankle: np.ndarray, medial_dir_x: float
) -> float:
    """Frontal-plane knee deviation from a straight hip-knee-ankle line.

    Args:
        hip: (2,) hip joint centre, pixels.
        knee: (2,) knee, pixels.
        ankle: (2,) ankle, pixels.
        medial_dir_x: +1 if the medial side of this leg is image-right, -1 if image-left.

    Returns:
        ``180° - angle(hip, knee, ankle)`` with sign: positive = knee displaced
        medially (valgus, "knock-knee"), negative = laterally (varus). Invariant to
        image rotation.
    """
    dev = 180.0 - interior_angle_deg(hip, knee, ankle)
    line = np.asarray(ankle, dtype=np.float64) - np.asarray(hip, dtype=np.float64)
    off = np.asarray(knee, dtype=np.float64) - np.asarray(hip, dtype=np.float64)
    # For a downward line (0, +1) and a knee offset (ox, 0), cross = -ox; the cross
    # product keeps that relation under any rotation of the image.
    lateral_x = -cross_z(line, off)
    return float(dev if lateral_x * medial_dir_x > 0 else -dev)


def body_axes(up: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unit (up, right) vectors of a body frame from an upward image vector.

    ``right`` is the image-right direction rotated with the body: for an upright
    body (up = (0, -1)) it is (1, 0).
    """
    u = np.asarray(up, dtype=np.float64)
    n = float(np.hypot(u[0], u[1]))
    if not np.isfinite(n) or n == 0.0:
        u = np.array([0.0, -1.0])
        n = 1.0
    u = u / n
    return u, np.array([-u[1], u[0]])


def ramp(x: float, zero_at: float, one_at: float) -> float:
    """Linear ramp clipped to [0, 1]: 0 at ``zero_at``, 1 at ``one_at``."""
    t = (x - zero_at) / (one_at - zero_at)
    return float(min(1.0, max(0.0, t)))
