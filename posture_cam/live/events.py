"""What the live loop yields, and the settings snapshots it reads (no Qt here).

The loop (:func:`posture_cam.live.loop.live_events`) yields one of four event types,
which the app's worker thread turns into past-tense signals:

* :class:`SourceInfo` once the source and the pipeline are open,
* :class:`LiveResult` per processed frame (with the overlay already drawn),
* :class:`LiveError` when something failed (the loop then ends),
* :class:`LiveEnded` when the source ran out (a video that does not loop).

Settings reach the loop as immutable snapshots through :class:`LiveSettings`, a small
thread-safe box with a version number: the GUI thread replaces a snapshot, the loop
reads the newest one before each frame.
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from posture_cam import wording
from posture_cam.calibration.level import RollEstimate
from posture_cam.config import PipelineConfig
from posture_cam.types import FrameResult


@dataclass(frozen=True)
class RenderOptions:
    """How the loop draws the live image (display only; never changes inference).

    Attributes:
        mirror: flip the displayed image horizontally (labels stay anatomical).
        language: ``en`` or ``nl`` for on-image labels.
        skeleton_only: draw on black instead of the camera image (privacy).
        display_wh: size of the view in device pixels, or None. Frames larger than
            that are shrunk before drawing, so the GUI thread paints 1:1 instead of
            scaling (the cheapest paint), and lines and text are sized for what is on
            screen.
    """

    mirror: bool = False
    language: str = "en"
    skeleton_only: bool = False
    display_wh: tuple[int, int] | None = None

    def same_drawing(self, other: RenderOptions) -> bool:
        """True when only the display size differs (the renderer can be kept)."""
        return dataclasses.replace(self, display_wh=None) == dataclasses.replace(
            other, display_wh=None
        )


def fit_size(image_wh: tuple[int, int], box_wh: tuple[int, int] | None) -> tuple[int, int]:
    """The largest size with the image's aspect ratio inside ``box_wh``, never larger
    than the image itself.

    Args:
        image_wh: image (width, height) in pixels.
        box_wh: the box (width, height) in pixels, or None for no limit.

    Returns:
        (width, height) in pixels, each at least 1.
    """
    w, h = image_wh
    if not box_wh or box_wh[0] <= 0 or box_wh[1] <= 0:
        return w, h
    scale = min(box_wh[0] / w, box_wh[1] / h, 1.0)
    return max(1, round(w * scale)), max(1, round(h * scale))


@dataclass(frozen=True, eq=False)
class LiveResult:
    """One processed frame, ready to paint.

    Attributes:
        result: the pipeline's result (un-mirrored coordinates).
        image_bgr: (H, W, 3) uint8 BGR overlay image, ready to paint.
        capture_s: ``time.perf_counter()`` when the frame was captured / due.
        emitted_s: ``time.perf_counter()`` when the overlay was finished.
        render_ms: time spent resizing and drawing the overlay.
        dropped: source frames skipped before this one.
        seq: running number of results of this loop (1, 2, ...).
        level: the newest camera-level reading from the printed board (refreshed every
            ``LEVEL_INTERVAL_S``), or None when no board was in view.
        display_bgrx: (H, W, 4) uint8, the same picture as B, G, R, 255: the memory
            layout of Qt's ``Format_RGB32`` on little-endian machines, so the GUI thread
            paints it without converting (made in the loop's thread, where OpenCV runs
            without holding the GIL); None when the loop did not make one.
        queued_ms: how long the frame waited for the pose model after it was captured /
            due (0 for stills).
    """

    result: FrameResult
    image_bgr: np.ndarray
    capture_s: float
    emitted_s: float
    render_ms: float
    dropped: int
    seq: int
    level: RollEstimate | None = None
    display_bgrx: np.ndarray | None = None
    queued_ms: float = 0.0


@dataclass(frozen=True)
class SourceInfo:
    """The source and the pipeline are open.

    Attributes:
        spec: the source spec as given (camera index as text, or a path).
        kind: ``camera``, ``video``, ``image`` or ``folder``.
        source_id: the source's id (recorded in snapshots and profiles).
        fps: the source's frame rate, or None (stills, unknown).
        frame_count: frames in a video or images in a folder, or None.
        model_path: the pose model file the pipeline uses, or None (a fake).
        landmark_models: the file names of the models that place the landmarks (a
            photo may have the second keypoint model too); () for a fake.
    """

    spec: str
    kind: str
    source_id: str
    fps: float | None
    frame_count: int | None
    model_path: str | None
    landmark_models: tuple[str, ...] = ()


@dataclass(frozen=True)
class LiveError:
    """A failure to show in the window; the loop ends after it.

    Attributes:
        kind: ``camera`` (won't open), ``camera_lost``, ``input``, ``model`` or ``bug``.
        message: one user-facing line.
    """

    kind: str
    message: str


@dataclass(frozen=True)
class LiveEnded:
    """The source ran out (a video with ``video_end="stop"``, a single still)."""


#: Everything the live loop yields.
LiveEvent = SourceInfo | LiveResult | LiveError | LiveEnded


@dataclass(frozen=True)
class SettingsSnapshot:
    """The settings in force for one frame; ``version`` grows with every change."""

    version: int
    config: PipelineConfig
    render: RenderOptions


class LiveSettings:
    """The newest settings snapshot, replaced by one thread and read by another.

    Args:
        config: the first pipeline settings.
        render: the first render options.
    """

    def __init__(self, config: PipelineConfig, render: RenderOptions) -> None:
        self._lock = threading.Lock()
        self._snapshot = SettingsSnapshot(0, config, render)

    def set_config(self, config: PipelineConfig) -> None:
        """Replace the pipeline settings (the loop rebuilds its per-stream state)."""
        with self._lock:
            s = self._snapshot
            self._snapshot = SettingsSnapshot(s.version + 1, config, s.render)

    def set_render(self, render: RenderOptions) -> None:
        """Replace the display options."""
        with self._lock:
            s = self._snapshot
            self._snapshot = SettingsSnapshot(s.version + 1, s.config, render)

    def snapshot(self) -> SettingsSnapshot:
        """The newest snapshot (immutable)."""
        with self._lock:
            return self._snapshot


def model_label(path: str | Path | None) -> str:
    """Model name for a status line, in words for a known variant
    (``pose_landmarker_full`` -> "pose model: standard"), else the file's stem."""
    return wording.model_file_name(Path(path).stem) if path else "?"
