"""The live worker: one thread owns the source, the landmarker and the pipeline.

Like superqt's ``GeneratorWorker``: a loop that checks for interruption every
iteration and reports through past-tense signals. Everything heavy happens here,
including drawing the overlay, so the GUI thread only wraps the finished BGR image in
a ``QImage`` and paints it.

* The source and the pipeline (MediaPipe landmarker) are *created and closed in*
  :meth:`LiveWorker.run`, i.e. in the worker thread (MediaPipe graphs are not meant
  to hop threads).
* Settings arrive as immutable snapshots (:class:`~posture_cam.config.PipelineConfig`,
  :class:`RenderOptions`) through :meth:`set_config` / :meth:`set_render_options`;
  the loop picks up the newest one before the next frame. A still image is processed
  again when a snapshot changes, so the view override and mirror work there too.
* Every ``LEVEL_INTERVAL_S`` the worker also looks for the printed calibration board
  (``estimate_roll_from_board``) and attaches the camera roll to the results, for the
  live level indicator in the status bar.
* Stop: :meth:`stop` requests interruption and joins with a timeout. The loop never
  blocks longer than ``feed.WAIT_SLICE_S`` plus one frame's processing, so it ends well
  within a second. ``QThread.terminate()`` is never used.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PySide6.QtCore import QThread, Signal

from posture_cam.calibration.level import RollEstimate, estimate_roll_from_board
from posture_cam.config import PipelineConfig
from posture_cam.errors import CameraError, InputError, ModelError, PostureCamError
from posture_cam.pipeline import Pipeline
from posture_cam.sources import FrameSource, open_source
from posture_cam.types import FrameResult
from posture_cam.ui.feed import Fed, LatestFrameGrabber, RealtimeVideoFeed, StillFeed

#: ``source_factory(spec) -> FrameSource`` (opened in the worker thread).
SourceFactory = Callable[[str], FrameSource]
#: ``pipeline_factory(config, mode) -> Pipeline`` (called in the worker thread).
PipelineFactory = Callable[[PipelineConfig, str], Pipeline]
#: Seconds between two camera-level readings (one ArUco pass, 5-25 ms at 720p).
LEVEL_INTERVAL_S = 0.5


@dataclass(frozen=True)
class RenderOptions:
    """How the worker draws the live image (display only; never changes inference).

    Attributes:
        mirror: flip the displayed image horizontally (labels stay anatomical).
        language: ``en`` or ``nl`` for on-image labels.
        skeleton_only: draw on black instead of the camera image (privacy).
        display_wh: size of the view in device pixels, or None. Frames larger than
            that are shrunk in the worker before drawing, so the GUI thread paints
            1:1 instead of scaling (the cheapest paint), and lines and text are sized
            for what is on screen.
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
    than the image itself."""
    w, h = image_wh
    if not box_wh or box_wh[0] <= 0 or box_wh[1] <= 0:
        return w, h
    scale = min(box_wh[0] / w, box_wh[1] / h, 1.0)
    return max(1, round(w * scale)), max(1, round(h * scale))


@dataclass(frozen=True, eq=False)
class LiveResult:
    """What the worker emits per processed frame.

    Attributes:
        result: the pipeline's result (un-mirrored coordinates).
        image_bgr: (H, W, 3) uint8 BGR overlay image, ready to paint.
        capture_s: ``time.perf_counter()`` when the frame was captured / due.
        emitted_s: ``time.perf_counter()`` when the worker emitted it.
        render_ms: time spent drawing the overlay.
        dropped: source frames skipped before this one.
        seq: running number of emitted results.
        level: the newest camera-level reading from the printed board (refreshed every
            ``LEVEL_INTERVAL_S``), or None when no board was in view.
    """

    result: FrameResult
    image_bgr: np.ndarray
    capture_s: float
    emitted_s: float
    render_ms: float
    dropped: int
    seq: int
    level: RollEstimate | None = None


@dataclass(frozen=True)
class SourceInfo:
    """Emitted once the source and the pipeline are open."""

    spec: str
    kind: str
    source_id: str
    fps: float | None
    frame_count: int | None
    model_path: str | None


@dataclass(frozen=True)
class WorkerError:
    """A failure shown in the window.

    Attributes:
        kind: ``camera`` (won't open), ``camera_lost``, ``input``, ``model`` or ``bug``.
        message: one user-facing line.
    """

    kind: str
    message: str


def default_source_factory(spec: str) -> FrameSource:
    return open_source(spec)


def default_pipeline_factory(config: PipelineConfig, mode: str) -> Pipeline:
    return Pipeline.open(config, mode=mode, allow_network=True)


def default_renderer_factory(options: RenderOptions) -> Any:
    """The overlay renderer for the live view."""
    from posture_cam.overlay import OverlayRenderer

    return OverlayRenderer(language=options.language, skeleton_only=options.skeleton_only)


class LiveWorker(QThread):
    """Runs source -> pipeline -> overlay in its own thread.

    Args:
        spec: source spec (camera index as text, or a file / folder path).
        config: first pipeline settings snapshot.
        render: first render options snapshot.
        source_factory: opens the source (tests pass fakes).
        pipeline_factory: builds the pipeline (tests pass fakes).
        renderer_factory: builds the overlay renderer from render options.
        video_end: ``loop`` or ``stop`` at the end of a video file.
        speed: video playback speed (1.0 = the file's native fps).
        parent: Qt parent.
    """

    resultReady = Signal(object)  # LiveResult
    sourceOpened = Signal(object)  # SourceInfo
    failed = Signal(object)  # WorkerError
    ended = Signal()  # the source ran out (video with video_end="stop", lost camera)

    def __init__(
        self,
        spec: str,
        config: PipelineConfig,
        render: RenderOptions,
        *,
        source_factory: SourceFactory = default_source_factory,
        pipeline_factory: PipelineFactory = default_pipeline_factory,
        renderer_factory: Callable[[RenderOptions], Any] = default_renderer_factory,
        video_end: str = "loop",
        speed: float = 1.0,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.spec = str(spec)
        self._source_factory = source_factory
        self._pipeline_factory = pipeline_factory
        self._renderer_factory = renderer_factory
        self._video_end = video_end
        self._speed = speed
        self._lock = threading.Lock()
        self._config = config
        self._render = render
        self._version = 0
        self.setObjectName(f"LiveWorker[{self.spec}]")

    # -- GUI thread API -------------------------------------------------------------

    def set_config(self, config: PipelineConfig) -> None:
        """Hand the worker a new pipeline settings snapshot."""
        with self._lock:
            self._config = config
            self._version += 1

    def set_render_options(self, options: RenderOptions) -> None:
        """Hand the worker new display options."""
        with self._lock:
            self._render = options
            self._version += 1

    def stop(self, timeout_s: float = 1.0) -> bool:
        """Request interruption and wait up to ``timeout_s``; True when it ended."""
        self.requestInterruption()
        return self.wait(int(timeout_s * 1000))

    # -- worker thread --------------------------------------------------------------

    def _snapshot(self) -> tuple[int, PipelineConfig, RenderOptions]:
        with self._lock:
            return self._version, self._config, self._render

    def run(self) -> None:
        stopping = self.isInterruptionRequested
        try:
            source = self._source_factory(self.spec)
        except CameraError as exc:
            self.failed.emit(WorkerError("camera", str(exc)))
            return
        except PostureCamError as exc:
            self.failed.emit(WorkerError("input", str(exc)))
            return
        try:
            self._run_with(source, stopping)
        except ModelError as exc:
            self.failed.emit(WorkerError("model", str(exc)))
        except (InputError, CameraError) as exc:
            self.failed.emit(WorkerError("input", str(exc)))
        except Exception as exc:  # thread boundary: a bug becomes a message, not a dead view
            self.failed.emit(WorkerError("bug", f"{type(exc).__name__}: {exc}"))
        finally:
            source.close()

    def _run_with(self, source: FrameSource, stopping: Callable[[], bool]) -> None:
        version, config, render = self._snapshot()
        mode = "video" if source.is_stream else "image"
        root = self._pipeline_factory(config, mode)
        try:
            model = getattr(root.estimator, "model_path", None)
            self.sourceOpened.emit(
                SourceInfo(
                    self.spec,
                    source.kind,
                    source.source_id,
                    source.fps,
                    source.frame_count,
                    str(model) if model else None,
                )
            )
            self._loop(source, root, version, config, render, stopping)
        finally:
            root.close()

    def _loop(
        self,
        source: FrameSource,
        root: Pipeline,
        version: int,
        config: PipelineConfig,
        render: RenderOptions,
        stopping: Callable[[], bool],
    ) -> None:
        pipeline, renderer = root, self._renderer_factory(render)
        grabber = None
        if source.kind == "camera":
            grabber = LatestFrameGrabber(source).start()
            items = iter(lambda: grabber.next(stopping), None)
            feed = None
        elif source.kind == "video":
            reopen = (
                (lambda: self._source_factory(self.spec)) if self._video_end == "loop" else None
            )
            feed = RealtimeVideoFeed(source, reopen, self._speed)
            items = feed.iter(stopping)
        else:
            feed = StillFeed(source)
            items = feed.iter(stopping)
        seq = 0
        last: Fed | None = None
        level: RollEstimate | None = None
        level_due = 0.0
        try:
            while not stopping():
                fed = next(items, None)
                if fed is None:
                    if stopping():
                        break
                    if grabber is not None:
                        message = grabber.error or "the camera stopped delivering frames"
                        self.failed.emit(WorkerError("camera_lost", message))
                        return
                    if last is None or source.kind == "video":
                        self.ended.emit()
                        return
                    fed = self._wait_for_change(version, stopping, last)
                    if fed is None:
                        break
                new_version, new_config, new_render = self._snapshot()
                if new_version != version:
                    if new_config != config:
                        # Same estimator (its stream timestamps stay monotonic), new
                        # per-stream state for the new settings.
                        pipeline = Pipeline(
                            root.estimator, new_config, root.calibration, owns_estimator=False
                        )
                    if not new_render.same_drawing(render):
                        renderer = self._renderer_factory(new_render)
                    version, config, render = new_version, new_config, new_render
                last = fed
                result = pipeline.process(fed.frame)
                t0 = time.perf_counter()
                image = fed.frame.image_bgr
                size = fit_size(fed.frame.resolution_wh, render.display_wh)
                if size != fed.frame.resolution_wh:
                    image = cv2.resize(image, size, interpolation=cv2.INTER_LINEAR)
                image = renderer.render(image, result, mirror=render.mirror)
                t1 = time.perf_counter()
                seq += 1
                if not source.is_stream:  # a photo: read its level before showing it
                    level = estimate_roll_from_board(fed.frame.image_bgr)
                self.resultReady.emit(
                    LiveResult(
                        result,
                        image,
                        fed.capture_s,
                        t1,
                        (t1 - t0) * 1000.0,
                        fed.dropped,
                        seq,
                        level,
                    )
                )
                if source.is_stream and t1 >= level_due:
                    # After the emit: the reading delays the next frame, not this one.
                    level = estimate_roll_from_board(fed.frame.image_bgr)
                    level_due = time.perf_counter() + LEVEL_INTERVAL_S
        finally:
            if grabber is not None:
                grabber.stop()
            if feed is not None and feed.source is not source:
                feed.close()

    def _wait_for_change(self, version: int, stopping: Callable[[], bool], last: Fed) -> Fed | None:
        """A still was shown: wait until settings change, then reprocess it."""
        while not stopping():
            if self._snapshot()[0] != version:
                return Fed(last.frame, time.perf_counter())
            time.sleep(0.02)
        return None


def model_label(path: str | Path | None) -> str:
    """Short model name for the status bar (``pose_landmarker_full``)."""
    return Path(path).stem if path else "?"
