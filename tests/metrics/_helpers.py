"""Synthetic poses for the metrics tests (pure NumPy, built with Pose.from_arrays)."""

from __future__ import annotations

import numpy as np

from posture_cam.landmarks import LM, MIRROR_INDEX, NUM_LANDMARKS
from posture_cam.types import Pose

W, H = 1000, 1200


def frontal_pose(back: bool = False, **offsets: tuple[float, float]) -> Pose:
    """A person square to the camera, ~1000 px tall. Front: the patient's left is
    image-right and the nose is nearer than the ears (z); back: mirrored layout and
    the nose farther. ``offsets`` move named landmarks, e.g. ``left_shoulder=(0, -10)``."""
    s = -1.0 if back else 1.0  # image-x direction of the patient's left
    cx = 500.0
    pts = {
        LM.NOSE: (0, 140),
        LM.LEFT_EYE: (15, 125),
        LM.RIGHT_EYE: (-15, 125),
        LM.LEFT_EAR: (40, 135),
        LM.RIGHT_EAR: (-40, 135),
        LM.LEFT_SHOULDER: (100, 260),
        LM.RIGHT_SHOULDER: (-100, 260),
        LM.LEFT_HIP: (60, 560),
        LM.RIGHT_HIP: (-60, 560),
        LM.LEFT_KNEE: (62, 820),
        LM.RIGHT_KNEE: (-62, 820),
        LM.LEFT_ANKLE: (64, 1080),
        LM.RIGHT_ANKLE: (-64, 1080),
    }
    xy = np.full((NUM_LANDMARKS, 2), np.nan)
    for lm, (dx, y) in pts.items():
        xy[lm] = (cx + s * dx, y)
    for name, (dx, dy) in offsets.items():
        lm = LM[name.upper()]
        xy[lm] += (s * dx, dy)
    z = np.zeros(NUM_LANDMARKS)
    z[LM.NOSE] = 60.0 if back else -60.0
    vis = np.where(np.isnan(xy).any(axis=1), 0.0, 1.0)
    return Pose.from_arrays(xy, (W, H), visibility=vis, z_px=z)


def side_pose(facing_right: bool = True, ear_forward_px: float = 40.0) -> Pose:
    """A person standing side-on, facing image-right (RIGHT view: right side nearer,
    smaller z) or image-left (LEFT view)."""
    f = 1.0 if facing_right else -1.0
    near_left = not facing_right
    cx = 500.0
    pts = {
        LM.NOSE: (ear_forward_px + 70, 150),
        LM.LEFT_EYE: (ear_forward_px + 55, 130),
        LM.RIGHT_EYE: (ear_forward_px + 55, 130),
        LM.LEFT_EAR: (ear_forward_px, 140),
        LM.RIGHT_EAR: (ear_forward_px - 3, 140),
        LM.LEFT_SHOULDER: (10, 270),
        LM.RIGHT_SHOULDER: (5, 270),
        LM.LEFT_HIP: (0, 560),
        LM.RIGHT_HIP: (-4, 560),
        LM.LEFT_KNEE: (12, 820),
        LM.RIGHT_KNEE: (8, 820),
        LM.LEFT_ANKLE: (0, 1080),
        LM.RIGHT_ANKLE: (-3, 1080),
        LM.LEFT_HEEL: (-20, 1100),
        LM.RIGHT_HEEL: (-22, 1100),
        LM.LEFT_FOOT_INDEX: (60, 1110),
        LM.RIGHT_FOOT_INDEX: (58, 1110),
    }
    xy = np.full((NUM_LANDMARKS, 2), np.nan)
    z = np.zeros(NUM_LANDMARKS)
    for lm, (dx, y) in pts.items():
        xy[lm] = (cx + f * dx, y)
        if lm != LM.NOSE:
            is_left = lm.name.startswith("LEFT")
            z[lm] = -80.0 if is_left == near_left else 80.0
    vis = np.where(np.isnan(xy).any(axis=1), 0.0, 1.0)
    return Pose.from_arrays(xy, (W, H), visibility=vis, z_px=z)


def rotated(pose: Pose, theta_deg: float) -> Pose:
    """The pose rotated counter-clockwise *as displayed* by ``theta_deg`` about the
    image centre (image y points down, hence the sign pattern)."""
    t = np.radians(theta_deg)
    c = np.array(pose.resolution_wh, dtype=float) / 2
    d = pose.xy_px - c
    x = c[0] + d[:, 0] * np.cos(t) + d[:, 1] * np.sin(t)
    y = c[1] - d[:, 0] * np.sin(t) + d[:, 1] * np.cos(t)
    return pose.with_xy(np.stack([x, y], axis=1))


def true_mirror(pose: Pose) -> Pose:
    """What a flipped photo gives: mirrored x AND anatomical labels exchanged (the
    person in a flipped image has their sides swapped)."""
    m = pose.mirrored()
    i = MIRROR_INDEX
    return Pose(m.xy_px[i], m.z_px[i], m.visibility[i], m.presence[i], m.resolution_wh)
