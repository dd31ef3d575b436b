"""Fakes at the seams, for tests and demos without a camera or a model.

* :class:`ScriptedEstimator` returns poses from a script (a list of poses, or of
  landmark JSON as printed by ``analyze --json``) instead of running MediaPipe.
* :class:`SyntheticFrameSource` yields drawn frames (a stick figure) at a fixed rate.
* :func:`standing_pose` builds an anatomically plausible front/back/side pose with a
  known shoulder / pelvic tilt and head position, in pixels.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

import cv2
import numpy as np

from posture_cam.landmarks import LM, NUM_LANDMARKS, SKELETON_EDGES
from posture_cam.sources import FrameSource
from posture_cam.types import Frame, Pose, PoseEstimate


def standing_pose(
    resolution_wh: tuple[int, int] = (640, 480),
    view: str = "front",
    shoulder_tilt_deg: float = 0.0,
    pelvic_tilt_deg: float = 0.0,
    head_forward_px: float = 0.0,
) -> Pose:
    """A synthetic upright pose filling ~80 % of the image height.

    Args:
        resolution_wh: image size in pixels.
        view: ``front`` (patient's left on the image right), ``back`` (patient's left
            on the image left), ``left`` / ``right`` (that side toward the camera;
            the patient faces image-left for ``left`` and image-right for ``right``).
        shoulder_tilt_deg: frontal shoulder obliquity, positive = patient's left higher.
        pelvic_tilt_deg: frontal pelvic obliquity, positive = patient's left higher.
        head_forward_px: side views: ear ahead of the shoulder by this many pixels.
    """
    w, h = resolution_wh
    cx, top, height = w / 2.0, 0.1 * h, 0.8 * h
    xy = np.full((NUM_LANDMARKS, 2), np.nan)

    def y(frac: float) -> float:
        return top + frac * height

    if view in ("front", "back"):
        s = 1.0 if view == "front" else -1.0  # image-x direction of the patient's left
        half_sh, half_hip = 0.13 * height, 0.09 * height
        dy_sh = half_sh * math.tan(math.radians(shoulder_tilt_deg))
        dy_hip = half_hip * math.tan(math.radians(pelvic_tilt_deg))
        pts = {
            LM.NOSE: (cx, y(0.06)),
            LM.LEFT_EYE: (cx + s * 0.02 * height, y(0.045)),
            LM.RIGHT_EYE: (cx - s * 0.02 * height, y(0.045)),
            LM.LEFT_EAR: (cx + s * 0.045 * height, y(0.055)),
            LM.RIGHT_EAR: (cx - s * 0.045 * height, y(0.055)),
            LM.MOUTH_LEFT: (cx + s * 0.015 * height, y(0.085)),
            LM.MOUTH_RIGHT: (cx - s * 0.015 * height, y(0.085)),
            LM.LEFT_SHOULDER: (cx + s * half_sh, y(0.18) - dy_sh),
            LM.RIGHT_SHOULDER: (cx - s * half_sh, y(0.18) + dy_sh),
            LM.LEFT_ELBOW: (cx + s * 0.16 * height, y(0.36)),
            LM.RIGHT_ELBOW: (cx - s * 0.16 * height, y(0.36)),
            LM.LEFT_WRIST: (cx + s * 0.17 * height, y(0.50)),
            LM.RIGHT_WRIST: (cx - s * 0.17 * height, y(0.50)),
            LM.LEFT_HIP: (cx + s * half_hip, y(0.52) - dy_hip),
            LM.RIGHT_HIP: (cx - s * half_hip, y(0.52) + dy_hip),
            LM.LEFT_KNEE: (cx + s * 0.085 * height, y(0.74)),
            LM.RIGHT_KNEE: (cx - s * 0.085 * height, y(0.74)),
            LM.LEFT_ANKLE: (cx + s * 0.08 * height, y(0.95)),
            LM.RIGHT_ANKLE: (cx - s * 0.08 * height, y(0.95)),
            LM.LEFT_HEEL: (cx + s * 0.08 * height, y(0.97)),
            LM.RIGHT_HEEL: (cx - s * 0.08 * height, y(0.97)),
            LM.LEFT_FOOT_INDEX: (cx + s * 0.09 * height, y(0.99)),
            LM.RIGHT_FOOT_INDEX: (cx - s * 0.09 * height, y(0.99)),
        }
        if view == "back":  # the face is hidden from behind
            for lm in (LM.NOSE, LM.LEFT_EYE, LM.RIGHT_EYE, LM.MOUTH_LEFT, LM.MOUTH_RIGHT):
                pts.pop(lm)
    elif view in ("left", "right"):
        f = -1.0 if view == "left" else 1.0  # image-x direction the patient faces
        near = "LEFT" if view == "left" else "RIGHT"
        far = "RIGHT" if view == "left" else "LEFT"
        base = {
            "EAR": (cx + f * head_forward_px, y(0.055)),
            "SHOULDER": (cx, y(0.18)),
            "ELBOW": (cx + f * 0.01 * height, y(0.36)),
            "WRIST": (cx + f * 0.03 * height, y(0.50)),
            "HIP": (cx, y(0.52)),
            "KNEE": (cx + f * 0.01 * height, y(0.74)),
            "ANKLE": (cx - f * 0.01 * height, y(0.95)),
            "HEEL": (cx - f * 0.03 * height, y(0.97)),
            "FOOT_INDEX": (cx + f * 0.06 * height, y(0.99)),
        }
        pts = {LM[f"{near}_{k}"]: v for k, v in base.items()}
        pts.update({LM[f"{far}_{k}"]: (v[0] - f * 0.01 * height, v[1]) for k, v in base.items()})
        pts[LM.NOSE] = (cx + f * (head_forward_px + 0.07 * height), y(0.06))
        pts[LM[f"{near}_EYE"]] = (cx + f * (head_forward_px + 0.05 * height), y(0.045))
    else:
        raise ValueError(f"view must be front/back/left/right, got {view!r}")
    for lm, p in pts.items():
        xy[int(lm)] = p
    return Pose.from_arrays(xy, (w, h))


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


def upper_body_pose(
    resolution_wh: tuple[int, int] = (640, 480),
    shoulder_tilt_deg: float = 0.0,
    dy_px: float = 0.0,
) -> Pose:
    """A laptop-webcam framing: :func:`standing_pose` zoomed 2.5x about the top centre,
    so head and shoulders fill the picture and hips, arms and legs are out of it.

    Args:
        resolution_wh: image size in pixels.
        shoulder_tilt_deg: positive = patient's left shoulder higher.
        dy_px: shift down (pixels), e.g. to cut the shoulders off at the bottom.
    """
    pose = standing_pose(resolution_wh, shoulder_tilt_deg=shoulder_tilt_deg)
    xy = pose.xy_px.copy()
    xy[LM.LEFT_ELBOW :] = np.nan  # arms, hips, legs and feet out of the picture
    cx = resolution_wh[0] / 2.0
    xy[:, 0] = cx + (xy[:, 0] - cx) * 2.5
    xy[:, 1] = xy[:, 1] * 2.5 + dy_px
    return Pose.from_arrays(xy, resolution_wh)


#: Helper threads of the live path (``posture_cam.live``); daemon threads, but a test
#: that leaves one running has leaked a feed or the pose model.
LIVE_THREAD_NAMES = ("camera-grabber", "video-feed", "pose-inference")


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
