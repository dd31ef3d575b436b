"""Markerless stand-ins for clinical points that MediaPipe does not have (side views).

C7 estimate (for the CVA and the forward-head angle)
    MediaPipe's shoulder point is the shoulder joint centre, which lies in FRONT of and
    BELOW the C7 spinous process; the raw shoulder-ear line therefore reads the CVA far
    too high (upright sitters 73-78° against a clinical 50 ± 2°) and barely moves
    when the back rounds. C7 is estimated in the trunk's own frame:

        C7 ≈ shoulder + a·T·u + b·T·p

    with T the hip-shoulder length, u the unit vector hip -> shoulder (up the trunk)
    and p the unit vector perpendicular to it pointing BACK (away from where the
    patient faces). a = 0.15 and b = 0.10 come from C7 and the tragus annotated by
    hand on the shared side photos of upright and slouched sitters (docs/metrics.md,
    ``C7_CALIBRATION``): in upright sitters the annotated C7 lies at a = 0.15-0.25,
    b = 0.04-0.11; in a hunched sitter the model's shoulder slides forward on the
    rounded back (b = 0.35), so there the estimate sits too far forward and the CVA
    reads HIGHER than the true one (conservative: it flags less, never more). Because
    u and p turn with the trunk, the estimate follows a rotation of the image exactly.

Shoulder protraction (markerless)
    Kendall's ideal sagittal alignment puts the ear lobe, the acromion and the greater
    trochanter on one plumb line. The proxy is the perpendicular distance of the
    shoulder point from the line hip -> ear, in % of the trunk length, positive =
    anterior. It is independent of how far the whole trunk leans (the old definition,
    shoulder ahead of the vertical through the hip, was the sine of the trunk
    inclination). Limits: the shoulder joint centre is not the acromion and lies
    behind it, so upright people read negative (-7 to -17 % on the shared photos); a
    forward head moves the ear forward and so hides protraction: read it together
    with the CVA. With C7 and acromion markers use ``forward_shoulder_angle``.
"""

from __future__ import annotations

import numpy as np

#: C7 offset from the shoulder in trunk lengths: along the trunk (a) and backwards (b).
C7_ALONG_TRUNK = 0.15
C7_BEHIND_TRUNK = 0.10
#: Hand annotations behind the constants: photo -> (tragus_xy, c7_xy) in pixels.
C7_CALIBRATION = {
    "seated_side_nvv_straight_upright_facing_right.jpg": ((213, 215), (160, 298)),
    "seated_side_nvv_straight_hf_upright_arms_folded_facing_left.jpg": ((443, 208), (497, 298)),
    "seated_side_nvv_hunchback_SLOUCH_facing_left.jpg": ((308, 285), (400, 290)),
    "seated_side_nvv_jav_other_man_upright.jpg": ((313, 222), (405, 272)),
}


def trunk_axes(hip: np.ndarray, shoulder: np.ndarray, facing_x: float) -> tuple:
    """(T, u, p): trunk length in px, unit vector up the trunk, unit vector backwards."""
    d = np.asarray(shoulder, dtype=np.float64) - np.asarray(hip, dtype=np.float64)
    length = float(np.hypot(d[0], d[1]))
    u = d / length
    p = np.array([-u[1], u[0]])
    if p[0] * facing_x > 0:  # make p point away from the facing direction
        p = -p
    return length, u, p


def estimate_c7(hip: np.ndarray, shoulder: np.ndarray, facing_x: float) -> np.ndarray:
    """(2,) estimated C7 in pixels (see module docstring)."""
    length, u, p = trunk_axes(hip, shoulder, facing_x)
    return np.asarray(shoulder, dtype=np.float64) + length * (
        C7_ALONG_TRUNK * u + C7_BEHIND_TRUNK * p
    )


def shoulder_ahead_of_ear_hip_px(
    ear: np.ndarray, shoulder: np.ndarray, hip: np.ndarray, facing_x: float
) -> float:
    """Perpendicular distance of the shoulder from the hip->ear line in pixels, positive =
    anterior (the engine divides by the trunk length)."""
    hip = np.asarray(hip, dtype=np.float64)
    line = np.asarray(ear, dtype=np.float64) - hip
    n = np.array([line[1], -line[0]]) / float(np.hypot(line[0], line[1]))
    if n[0] * facing_x < 0:
        n = -n
    return float((np.asarray(shoulder, dtype=np.float64) - hip) @ n)
