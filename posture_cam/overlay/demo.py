"""Synthetic, camera-free results for overlay previews, golden tests and benchmarks.

Nothing here comes from a camera: the canvas is drawn and the pose is built from body
proportions (8 head heights), so golden images and previews contain no patient pixels.
Metric values are computed from the synthetic points so that the drawing and the
numbers agree; statuses use simple illustrative thresholds, not the catalogue's norms.
"""

from __future__ import annotations

import math

import numpy as np

from posture_cam.i18n import Text
from posture_cam.landmarks import LM, MIRROR_INDEX, NUM_LANDMARKS
from posture_cam.types import (
    Frame,
    FrameResult,
    Metric,
    MetricStatus,
    Pose,
    PoseEstimate,
    QualityCheck,
    QualityReport,
    View,
    ViewEstimate,
)

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


def _rotate(xy: np.ndarray, size_wh: tuple[int, int], roll_deg: float) -> np.ndarray:
    """Rotate points about the image centre so a true horizontal appears rotated
    counter-clockwise by ``roll_deg`` as displayed (image y down)."""
    r = math.radians(roll_deg)
    c = np.array([size_wh[0] / 2.0, size_wh[1] / 2.0])
    rot = np.array([[math.cos(r), math.sin(r)], [-math.sin(r), math.cos(r)]])
    return (xy - c) @ rot.T + c


def demo_pose(
    view: View | str = View.FRONT,
    size_wh: tuple[int, int] = (480, 360),
    *,
    shoulder_tilt_deg: float = 3.0,
    cva_deg: float = 46.0,
    roll_deg: float = 0.0,
) -> Pose:
    """A standing person filling ~85 % of the frame height.

    Args:
        view: front, back, left or right.
        size_wh: frame size in pixels.
        shoulder_tilt_deg: shoulder line angle, positive = the patient's left higher.
        cva_deg: shoulder-to-ear angle above the horizontal in side views.
        roll_deg: camera roll: the whole pose is rotated about the image centre so that
            a true horizontal appears rotated counter-clockwise by this angle.
    """
    view = View(view)
    w, h = size_wh
    s = 0.85 * h / 8.0
    top, cx = 0.07 * h, w / 2.0
    xy = np.full((NUM_LANDMARKS, 2), np.nan)
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
            if k != j:  # the far side: slightly behind and hidden by the body
                xy[k] = (cx + forward * (fx - 0.06) * s, top + (fy - 0.03) * s)
    else:
        sign = (
            1.0 if view == View.FRONT else -1.0
        )  # the patient's left is image-right from the front
        for i, (dx, dy) in _FRONT_LEFT.items():
            xy[i] = (cx + sign * dx * s, top + dy * s)
            if _twin(i) != i:
                xy[_twin(i)] = (cx - sign * dx * s, top + dy * s)
        d = 0.95 * s * math.tan(math.radians(shoulder_tilt_deg))
        xy[LM.LEFT_SHOULDER, 1] -= d
        xy[LM.RIGHT_SHOULDER, 1] += d
    if roll_deg:
        xy = _rotate(xy, size_wh, roll_deg)
    return Pose.from_arrays(xy, (w, h))


def demo_canvas(size_wh: tuple[int, int] = (480, 360)) -> np.ndarray:
    """A plain synthetic room: a wall gradient and a floor (BGR uint8)."""
    w, h = size_wh
    ramp = np.linspace(150, 110, h, dtype=np.float64)[:, None]
    img = np.empty((h, w, 3), dtype=np.uint8)
    img[..., 0] = np.broadcast_to(ramp + 8, (h, w)).astype(np.uint8)
    img[..., 1] = np.broadcast_to(ramp + 4, (h, w)).astype(np.uint8)
    img[..., 2] = np.broadcast_to(ramp, (h, w)).astype(np.uint8)
    img[round(0.9 * h) :] = (70, 85, 100)
    return img


def _status(value: float, normal: float, borderline: float) -> MetricStatus:
    v = abs(value)
    if v <= normal:
        return MetricStatus.NORMAL
    return MetricStatus.BORDERLINE if v <= borderline else MetricStatus.OUTSIDE


def demo_metrics(pose: Pose, view: View, roll_deg: float = 0.0) -> dict[str, Metric]:
    """Metric values computed from a (demo) pose, in catalogue-like order."""
    # Metrics are measured on the levelled pose (as calibration's correct_pose does).
    xy = _rotate(pose.xy_px, pose.resolution_wh, -roll_deg) if roll_deg else pose.xy_px
    m: dict[str, Metric] = {}

    def add(metric_id, value, unit, normal, borderline, lms=()):
        m[metric_id] = Metric(
            metric_id, float(value), unit, _status(value, normal, borderline), None, lms
        )

    if view.is_frontal:
        for metric_id, a, b in (
            ("head_tilt", 7, 8),
            ("shoulder_tilt", 11, 12),
            ("pelvic_tilt", 23, 24),
        ):
            # Positive = the patient's LEFT side (a) higher, whatever the view.
            angle = math.degrees(math.atan2(xy[b, 1] - xy[a, 1], abs(xy[a, 0] - xy[b, 0])))
            add(metric_id, angle, "deg", 2.0, 4.0, (a, b))
        add("trunk_lean", 0.4, "deg", 2.0, 4.0, (11, 12, 23, 24))
        add("head_shift", 1.2, "%height", 1.5, 3.0, (7, 8, 27, 28))
        add("shoulder_shift", -0.6, "%height", 1.5, 3.0, (11, 12, 27, 28))
        add("pelvis_shift", 0.3, "%height", 1.5, 3.0, (23, 24, 27, 28))
        add("knee_angle_left", 177.0 - 180.0, "deg", 5.0, 10.0, (23, 25, 27))
        m["asymmetry_index"] = Metric.not_measurable("asymmetry_index", "index", "needs both knees")
    elif view.is_side:
        s_id, e_id, h_id = (11, 7, 23) if view == View.LEFT else (12, 8, 24)
        forward = -1.0 if view == View.LEFT else 1.0
        d = xy[e_id] - xy[s_id]
        cva = math.degrees(math.atan2(-d[1], forward * d[0]))
        m["cva"] = Metric("cva", cva, "deg", _status(50.6 - cva, 4.0, 5.1), None, (s_id, e_id))
        t = xy[s_id] - xy[h_id]
        add(
            "trunk_inclination",
            math.degrees(math.atan2(forward * t[0], -t[1])),
            "deg",
            3.0,
            6.0,
            (h_id, s_id),
        )
        add("shoulder_protraction", 1.8, "%height", 2.0, 4.0, (s_id, h_id))
        add("ear_offset", 4.5, "%height", 2.5, 4.0, (e_id,))
        add("hip_offset", -0.5, "%height", 2.5, 4.0, (h_id,))
        m["pelvic_tilt_sagittal"] = Metric.not_measurable(
            "pelvic_tilt_sagittal", "deg", "needs ASIS/PSIS markers"
        )
    return m


def demo_result(
    view: View | str = View.FRONT,
    size_wh: tuple[int, int] = (480, 360),
    *,
    image_bgr: np.ndarray | None = None,
    person: bool = True,
    shoulder_tilt_deg: float = 3.0,
    cva_deg: float = 46.0,
    roll_deg: float = 0.0,
) -> FrameResult:
    """A complete synthetic :class:`FrameResult` (pose, metrics, view, quality)."""
    view = View(view)
    image = demo_canvas(size_wh) if image_bgr is None else image_bgr
    frame = Frame(image, 0, 0.0, "demo")
    pose = demo_pose(
        view,
        frame.resolution_wh,
        shoulder_tilt_deg=shoulder_tilt_deg,
        cva_deg=cva_deg,
        roll_deg=roll_deg,
    )
    if not person:
        return FrameResult(
            frame, PoseEstimate(None), None, None, ViewEstimate(View.UNKNOWN, 0.0), QualityReport()
        )
    moving = Text(
        "moving: {motion:.1f} % of body height in the last {window:.1f} s (limit {limit:.1f} %)",
        motion=2.4,
        window=1.0,
        limit=1.5,
    )
    checks = (QualityCheck("visibility", True), QualityCheck("still", False, moving))
    quality = QualityReport(checks)
    return FrameResult(
        frame=frame,
        estimate=PoseEstimate(pose, (pose,)),
        pose_image=pose,
        pose_measured=pose,
        view=ViewEstimate(view, 0.93),
        quality=quality,
        metrics=demo_metrics(pose, view, roll_deg),
        roll_deg=roll_deg,
    )
