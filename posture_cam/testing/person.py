"""The one synthetic person: :func:`standing_pose` (all 33 landmarks of an upright body
in a front, back or side view, with a known shoulder / pelvic tilt, neck angle and
camera roll, in pixels), :func:`upper_body_pose` (framed like a laptop webcam) and
:func:`draw_pose` (a stick figure of a pose).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import cv2
import numpy as np

from posture_cam.landmarks import LM, MIRROR_INDEX, NUM_LANDMARKS, SKELETON_EDGES
from posture_cam.types import Pose, View

# Front view, head heights (s) from the body's vertical centre line / top of the head:
# (dx toward the patient's LEFT, dy down) for each left-side (or centre) landmark.
_FRONT_LEFT: dict[int, tuple[float, float]] = {
    LM.NOSE: (0.0, 0.55),
    LM.LEFT_EYE_INNER: (0.1, 0.42),
    LM.LEFT_EYE: (0.18, 0.41),
    LM.LEFT_EYE_OUTER: (0.26, 0.42),
    LM.LEFT_EAR: (0.42, 0.5),
    LM.MOUTH_LEFT: (0.14, 0.75),
    LM.LEFT_SHOULDER: (0.95, 1.5),
    LM.LEFT_ELBOW: (1.12, 2.8),
    LM.LEFT_WRIST: (1.17, 3.85),
    LM.LEFT_PINKY: (1.2, 4.1),
    LM.LEFT_INDEX: (1.15, 4.15),
    LM.LEFT_THUMB: (1.08, 4.05),
    LM.LEFT_HIP: (0.55, 4.0),
    LM.LEFT_KNEE: (0.5, 5.9),
    LM.LEFT_ANKLE: (0.45, 7.65),
    LM.LEFT_HEEL: (0.44, 7.8),
    LM.LEFT_FOOT_INDEX: (0.6, 7.95),
}
# Left view (the patient's left side toward the camera, facing image-left): (dx forward, dy down).
_SIDE: dict[int, tuple[float, float]] = {
    LM.LEFT_ELBOW: (-0.05, 2.8),
    LM.LEFT_WRIST: (0.2, 3.85),
    LM.LEFT_PINKY: (0.22, 4.1),
    LM.LEFT_INDEX: (0.3, 4.12),
    LM.LEFT_THUMB: (0.3, 4.0),
    LM.LEFT_HIP: (-0.05, 4.0),
    LM.LEFT_KNEE: (0.1, 5.9),
    LM.LEFT_ANKLE: (0.0, 7.65),
    LM.LEFT_HEEL: (-0.15, 7.8),
    LM.LEFT_FOOT_INDEX: (0.45, 7.95),
}
_FACE_FROM_EAR = {  # side view, relative to the ear (forward, down)
    LM.NOSE: (0.42, 0.05),
    LM.LEFT_EYE_INNER: (0.34, -0.08),
    LM.LEFT_EYE: (0.3, -0.08),
    LM.LEFT_EYE_OUTER: (0.25, -0.07),
    LM.MOUTH_LEFT: (0.3, 0.28),
}


def _twin(i: int) -> int:
    return int(MIRROR_INDEX[i])


def rotate_points(xy: np.ndarray, size_wh: tuple[int, int], roll_deg: float) -> np.ndarray:
    """Rotate points about the image centre so a true horizontal appears rotated
    counter-clockwise by ``roll_deg`` as displayed (image y down)."""
    r = math.radians(roll_deg)
    c = np.array([size_wh[0] / 2.0, size_wh[1] / 2.0])
    rot = np.array([[math.cos(r), math.sin(r)], [-math.sin(r), math.cos(r)]])
    return (xy - c) @ rot.T + c


def standing_pose(
    resolution_wh: tuple[int, int] = (640, 480),
    view: View | str = "front",
    *,
    shoulder_tilt_deg: float = 0.0,
    pelvic_tilt_deg: float = 0.0,
    cva_deg: float = 50.0,
    roll_deg: float = 0.0,
    moved_px: Mapping[str, tuple[float, float]] | None = None,
) -> Pose:
    """The synthetic person: all 33 landmarks of someone standing upright, built from
    body proportions (8 head heights), filling ~85 % of the image height. The one
    builder for tests, fakes, golden images and benchmarks.

    Args:
        resolution_wh: image size in pixels.
        view: ``front`` (patient's left on the image right), ``back`` (patient's left
            on the image left), ``left`` / ``right`` (that side toward the camera; the
            patient faces image-left for ``left`` and image-right for ``right``).
        shoulder_tilt_deg: frontal shoulder obliquity, positive = patient's left higher.
        pelvic_tilt_deg: frontal pelvic obliquity, positive = patient's left higher.
        cva_deg: side views: the shoulder-to-ear line above the horizontal (90 = ear
            straight above the shoulder; lower = head further forward).
        roll_deg: camera roll: the whole pose is rotated about the image centre so that
            a true horizontal appears rotated counter-clockwise by this angle.
        moved_px: landmark name -> (dx, dy) pixels added after building, dx toward the
            patient's left in front/back views (image x in side views), dy down; e.g.
            ``{"left_shoulder": (0, -10)}`` lifts the left shoulder by 10 px.

    Depth ``z_px`` follows MediaPipe (smaller = nearer): the nose is nearer than the ears
    from the front and farther from behind; in side views the camera side is nearer.
    """
    view = View(view)
    w, h = resolution_wh
    s = 0.85 * h / 8.0  # one head height, pixels
    top, cx = 0.07 * h, w / 2.0
    xy = np.full((NUM_LANDMARKS, 2), np.nan)
    z = np.zeros(NUM_LANDMARKS)
    left_dir = 1.0
    if view.is_side:
        forward = -1.0 if view == View.LEFT else 1.0
        near: dict[int, tuple[float, float]] = dict(_SIDE)
        shoulder = (0.05, 1.5)
        ear_dx = 1.15 * math.cos(math.radians(cva_deg))
        ear_dy = -1.15 * math.sin(math.radians(cva_deg))
        near[LM.LEFT_SHOULDER] = shoulder
        near[LM.LEFT_EAR] = (shoulder[0] + ear_dx, shoulder[1] + ear_dy)
        ear = near[LM.LEFT_EAR]
        for face_id, (fx, fy) in _FACE_FROM_EAR.items():
            near[face_id] = (ear[0] + fx, ear[1] + fy)
        for i, (fx, fy) in near.items():
            j = _twin(i) if view == View.RIGHT else i  # the camera-side twin
            k = _twin(j)
            xy[j] = (cx + forward * fx * s, top + fy * s)
            if k != j:  # the far side: slightly behind, hidden by the body
                xy[k] = (cx + forward * (fx - 0.06) * s, top + (fy - 0.03) * s)
                z[j], z[k] = -0.6 * s, 0.6 * s
        left_dir = forward
    else:
        left_dir = 1.0 if view == View.FRONT else -1.0  # image-x of the patient's left
        for i, (dx, dy) in _FRONT_LEFT.items():
            xy[i] = (cx + left_dir * dx * s, top + dy * s)
            if _twin(i) != i:
                xy[_twin(i)] = (cx - left_dir * dx * s, top + dy * s)
        for a, b, half_width, tilt_deg in (
            (LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, 0.95, shoulder_tilt_deg),
            (LM.LEFT_HIP, LM.RIGHT_HIP, 0.55, pelvic_tilt_deg),
        ):
            d = half_width * s * math.tan(math.radians(tilt_deg))
            xy[a, 1] -= d
            xy[b, 1] += d
        z[LM.NOSE] = (-0.5 if view == View.FRONT else 0.5) * s
    for name, (dx, dy) in (moved_px or {}).items():
        xy[LM[name.upper()]] += (left_dir * dx if not view.is_side else dx, dy)
    if roll_deg:
        xy = rotate_points(xy, resolution_wh, roll_deg)
    return Pose.from_arrays(xy, (w, h), z_px=z)


def upper_body_pose(
    resolution_wh: tuple[int, int] = (640, 480),
    shoulder_tilt_deg: float = 0.0,
    dy_px: float = 0.0,
) -> Pose:
    """A laptop-webcam framing: :func:`standing_pose` zoomed 2.5x with the shoulder line
    at 61 % of the image height, so head and shoulders fill the picture and hips, arms
    and legs are out of it.

    Args:
        resolution_wh: image size in pixels.
        shoulder_tilt_deg: positive = patient's left shoulder higher.
        dy_px: shift down (pixels), e.g. to cut the shoulders off at the bottom.
    """
    pose = standing_pose(resolution_wh, shoulder_tilt_deg=shoulder_tilt_deg)
    xy = pose.xy_px.copy()
    xy[LM.LEFT_ELBOW :] = np.nan  # arms, hips, legs and feet out of the picture
    w, h = resolution_wh
    shoulders = (xy[LM.LEFT_SHOULDER] + xy[LM.RIGHT_SHOULDER]) / 2.0
    xy = (xy - shoulders) * 2.5 + (w / 2.0, 0.61 * h + dy_px)
    return Pose.from_arrays(xy, resolution_wh, z_px=pose.z_px)


def draw_pose(pose: Pose, background: int = 40) -> np.ndarray:
    """A BGR canvas with the pose drawn as a stick figure."""
    w, h = pose.resolution_wh
    image = np.full((h, w, 3), background, np.uint8)
    for a, b in SKELETON_EDGES:
        if pose.has(a, b):
            pa = tuple(int(v) for v in pose.point(a))
            pb = tuple(int(v) for v in pose.point(b))
            cv2.line(image, pa, pb, (200, 200, 200), 3, cv2.LINE_AA)
    return image
