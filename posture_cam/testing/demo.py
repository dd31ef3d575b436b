"""A complete synthetic :class:`FrameResult` for overlay previews and golden images:
:func:`demo_result` puts the synthetic person (:mod:`posture_cam.testing.person`) in a
drawn room (:func:`demo_canvas`) with metric values computed from its points.
"""

from __future__ import annotations

import math

import numpy as np

from posture_cam.i18n import Text
from posture_cam.reasons import reason
from posture_cam.testing.person import rotate_points, standing_pose
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
    xy = rotate_points(pose.xy_px, pose.resolution_wh, -roll_deg) if roll_deg else pose.xy_px
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
            "pelvic_tilt_sagittal", "deg", reason("needs_pelvis_markers")
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
    pose = standing_pose(
        frame.resolution_wh,
        view,
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
