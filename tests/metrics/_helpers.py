"""Pose transforms for the metrics tests; the person is ``posture_cam.testing.standing_pose``."""

from __future__ import annotations

import numpy as np

from posture_cam.landmarks import MIRROR_INDEX
from posture_cam.types import Pose

#: Image size of the synthetic poses in the metrics tests (a tall portrait frame).
SIZE_WH = (1000, 1200)


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
