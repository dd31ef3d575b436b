"""Fakes at the seams: :class:`ScriptedEstimator` returns scripted poses instead of
running MediaPipe; :class:`SyntheticFrameSource` yields drawn frames (a stick figure) at
a fixed rate; :class:`StoppingCamera` stops like an unplugged webcam;
:class:`PassThroughRenderer` draws nothing; :func:`threads_left` finds threads a test
leaked.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from posture_cam.sources import FrameSource
from posture_cam.testing.person import draw_pose
from posture_cam.types import Frame, Pose, PoseEstimate


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

    def render(
        self, image_bgr: np.ndarray, result: Any, *, mirror: bool = False, plus_minus: Any = None
    ) -> np.ndarray:
        return np.ascontiguousarray(image_bgr[:, ::-1]) if mirror else image_bgr.copy()


#: Helper threads of the live path (``posture_cam.live``); daemon threads, but a test
#: that leaves one running has leaked a feed or the pose model.
LIVE_THREAD_NAMES = (
    "camera-grabber",
    "video-feed",
    "pose-inference",
    "pose-estimates",
    "crowd-count",
    "level-reader",
)


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
