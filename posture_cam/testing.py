"""Fakes at the seams, for tests, demos and benchmarks without a camera or a model.

* :func:`standing_pose` is the one synthetic person: all 33 landmarks of an upright
  body in a front, back or side view, with a known shoulder / pelvic tilt, neck angle
  and camera roll, in pixels; :func:`upper_body_pose` frames it like a laptop webcam.
* :func:`demo_result` wraps it in a complete :class:`FrameResult` (a drawn room, metric
  values computed from the synthetic points) for overlay previews and golden images.
* :class:`ScriptedEstimator` returns scripted poses instead of running MediaPipe;
  :class:`SyntheticFrameSource` yields drawn frames (a stick figure) at a fixed rate;
  :class:`StoppingCamera` stops like an unplugged webcam.
* :func:`threads_left` finds threads a test leaked.

Nothing here comes from a camera, so golden images and previews hold no patient pixels.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import cv2
import numpy as np

from posture_cam.i18n import Text
from posture_cam.landmarks import LM, MIRROR_INDEX, NUM_LANDMARKS, SKELETON_EDGES
from posture_cam.sources import FrameSource
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
        xy = _rotate(xy, resolution_wh, roll_deg)
    return Pose.from_arrays(xy, (w, h), z_px=z)


class ScriptedEstimator:
    """Returns scripted poses in order (cycling), or ``None`` entries for "nobody"."""

    def __init__(self, poses: Sequence[Pose | None]) -> None:
        self._poses = list(poses)
        self._i = 0
        self.closed = False
        self.calls = 0

    def estimate(self, frame: Frame) -> PoseEstimate:
        if self.closed:
            raise RuntimeError("ScriptedEstimator.estimate() called after close()")
        pose = self._poses[self._i % len(self._poses)] if self._poses else None
        self._i += 1
        self.calls += 1
        return PoseEstimate(pose, (pose,) if pose is not None else ())

    def close(self) -> None:
        self.closed = True


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


class SyntheticFrameSource(FrameSource):
    """Yields ``count`` drawn frames of ``pose`` at ``fps`` (video-like timestamps)."""

    kind = "video"
    is_stream = True

    def __init__(self, pose: Pose, count: int = 30, fps: float = 30.0) -> None:
        super().__init__("synthetic")
        self.pose = pose
        self.fps = fps
        self.frame_count = count
        self._image = draw_pose(pose)

    def _frames(self) -> Iterator[Frame]:
        for i in range(int(self.frame_count or 0)):
            yield Frame(self._image.copy(), i, i * 1000.0 / float(self.fps or 30.0), "synthetic")


class StoppingCamera(FrameSource):
    """A camera that delivers ``frames`` frames, ~10 ms apart, and then stops with an
    error, like an unplugged webcam."""

    kind = "camera"
    is_stream = True

    def __init__(self, frames: int = 5, resolution_wh: tuple[int, int] = (640, 480)) -> None:
        super().__init__("camera:7")
        self.fps = 30.0
        self._n = frames
        self._image = np.full((resolution_wh[1], resolution_wh[0], 3), 60, np.uint8)

    def _frames(self) -> Iterator[Frame]:
        for i in range(self._n):
            time.sleep(0.01)
            yield Frame(self._image, i, i * 33.0, self.source_id)
        self.error = "camera 7: stopped delivering frames (unplugged?)"


class PassThroughRenderer:
    """An overlay renderer that draws nothing: returns a copy of the image (flipped in
    mirror mode), so tests can compare what is shown with what was captured."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def render(self, image_bgr: np.ndarray, result: Any, *, mirror: bool = False) -> np.ndarray:
        return np.ascontiguousarray(image_bgr[:, ::-1]) if mirror else image_bgr.copy()


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


#: Helper threads of the live path (``posture_cam.live``); daemon threads, but a test
#: that leaves one running has leaked a feed or the pose model.
LIVE_THREAD_NAMES = ("camera-grabber", "video-feed", "pose-inference", "level-reader")


def threads_left(before: set[threading.Thread], timeout_s: float = 2.0) -> list[str]:
    """Names of threads started since ``before`` that are still running after up to
    ``timeout_s``: non-daemon threads and the live path's helpers (for fixtures that
    fail a test which leaks a thread, like napari's ``_dangling_qthreads``)."""

    def left() -> list[str]:
        return [
            t.name
            for t in threading.enumerate()
            if t not in before and t.is_alive() and (not t.daemon or t.name in LIVE_THREAD_NAMES)
        ]

    deadline = time.monotonic() + timeout_s
    alive = left()
    while alive and time.monotonic() < deadline:
        time.sleep(0.02)
        alive = left()
    return alive
