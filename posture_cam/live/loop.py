"""The live loop: a source and settings snapshots in, live results out (no Qt here).

:func:`live_events` is a plain generator. The app's worker thread iterates it and only
emits what it yields (the shape of superqt's ``GeneratorWorker``); tests iterate it
directly. Streams (camera, video) run in three stages, so that on two cores the pose
model never waits for anything else:

1. a feed thread decodes (or reads the camera) and keeps only the newest frame
   (:mod:`posture_cam.live.feeds`): what the stages behind are too slow for is dropped,
   never queued;
2. an inference thread runs the pose model back to back on the newest frame
   (:mod:`posture_cam.live.inference`), skipping one that queued too long behind a
   slow inference (:mod:`posture_cam.live.freshness`); the real pipeline's model runs
   in a process of its own (:mod:`posture_cam.pose.process`), so it shares no GIL with
   the rest, and the thread shrinks the frame for the display while the model works
   on it;
3. the generator's own thread finishes each estimate: it reconciles the settings (a
   new pipeline config gets a new :class:`Pipeline` over the same estimator, so stream
   timestamps stay monotonic; new drawing options a new renderer), runs smoothing,
   view, quality gate and metrics (:meth:`Pipeline.complete`), shrinks the frame to
   the display size and draws the overlay (and its copy in the GUI's pixel layout).

Beside them a level thread reads the camera level from the printed board every
``LEVEL_INTERVAL_S`` (:mod:`posture_cam.live.level`), so that the reading never
delays a frame.

Stills (photos, folders) run everything in the generator's thread; a still is
processed again when a settings snapshot changes.

The source and the pipeline (MediaPipe landmarker) are created and closed inside the
generator, i.e. in the thread that iterates it. ``should_stop`` is polled between
frames and during every wait, so a stop request ends the loop within a few tens of
milliseconds plus one frame's work. Failures become a :class:`LiveError` event (one
line for the user), never an exception out of the generator.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterator
from typing import Protocol

import cv2
import numpy as np

from posture_cam.calibration.level import RollEstimate, estimate_roll_from_board
from posture_cam.config import PipelineConfig
from posture_cam.errors import CameraError, InputError, ModelError, PostureCamError
from posture_cam.live.events import (
    LiveEnded,
    LiveError,
    LiveEvent,
    LiveResult,
    LiveSettings,
    RenderOptions,
    SourceInfo,
    fit_size,
)
from posture_cam.live.feeds import (
    WAIT_SLICE_S,
    Fed,
    FeedThread,
    RealtimeVideoFeed,
    StillFeed,
    camera_feed,
)
from posture_cam.live.freshness import FreshFrames, NextFrame
from posture_cam.live.inference import InferenceThread, PipelinedEstimator
from posture_cam.live.level import LevelReader
from posture_cam.pipeline import Pipeline
from posture_cam.pose.process import ProcessEstimator
from posture_cam.runtime.frame_skips import MAX_WAIT_INTERVALS
from posture_cam.sources import FrameSource, open_source
from posture_cam.types import FrameResult, PoseEstimate

#: Seconds between two camera-level readings (one ArUco pass, 5-25 ms at 720p).
LEVEL_INTERVAL_S = 0.5


class Renderer(Protocol):
    """What the loop needs from an overlay renderer (the real one or a test fake)."""

    def render(
        self, image_bgr: np.ndarray, result: FrameResult, *, mirror: bool = False
    ) -> np.ndarray: ...


#: ``source_factory(spec) -> FrameSource`` (called in the loop's thread).
SourceFactory = Callable[[str], FrameSource]
#: ``pipeline_factory(config, mode) -> Pipeline`` (called in the loop's thread).
PipelineFactory = Callable[[PipelineConfig, str], Pipeline]
#: ``renderer_factory(options) -> Renderer``.
RendererFactory = Callable[[RenderOptions], Renderer]


def default_source_factory(spec: str) -> FrameSource:
    """Open a camera index, a video, a photo or a folder."""
    return open_source(spec)


def default_pipeline_factory(config: PipelineConfig, mode: str) -> Pipeline:
    """The real pipeline (resolves, and may download, the model), its pose model in a
    process of its own (:mod:`posture_cam.pose.process`) so that the model and the
    rest of the loop run on two cores; it adopts the child that
    :func:`~posture_cam.pose.process.start_early_for` started."""
    return Pipeline.open(config, mode=mode, allow_network=True, estimator_type=ProcessEstimator)


def default_renderer_factory(options: RenderOptions) -> Renderer:
    """The overlay renderer for the live view."""
    from posture_cam.overlay import OverlayRenderer

    return OverlayRenderer(language=options.language, skeleton_only=options.skeleton_only)


def frame_picker(
    estimator: object, feed_next: NextFrame, interval_s: float
) -> tuple[NextFrame, float]:
    """How the inference thread takes frames, and the skip rule's ``max_wait_s``.

    A frame that waited more than :data:`~posture_cam.runtime.frame_skips.MAX_WAIT_INTERVALS`
    intervals for the model is skipped (rationed), once: a pipelined model process
    applies the rule itself (it alone knows when it is free), so it gets the feed as
    is; an estimator that takes one frame at a time gets
    :class:`~posture_cam.live.freshness.FreshFrames`. Both together would spend two
    rations of skips (up to 8 % of the frames instead of 4 %).
    """
    max_wait_s = MAX_WAIT_INTERVALS * interval_s
    if isinstance(estimator, PipelinedEstimator):
        return feed_next, max_wait_s
    return FreshFrames(feed_next, interval_s, MAX_WAIT_INTERVALS), max_wait_s


def live_events(
    spec: str,
    settings: LiveSettings,
    should_stop: Callable[[], bool],
    *,
    source_factory: SourceFactory = default_source_factory,
    pipeline_factory: PipelineFactory = default_pipeline_factory,
    renderer_factory: RendererFactory = default_renderer_factory,
    video_end: str = "loop",
    speed: float = 1.0,
) -> Generator[LiveEvent, None, None]:
    """Open ``spec`` and yield live events until the source ends or ``should_stop()``.

    Args:
        spec: source spec (camera index as text, or a file / folder path).
        settings: the settings box; read before every frame.
        should_stop: returns True once the caller wants the loop to end.
        source_factory: opens the source (tests pass fakes).
        pipeline_factory: builds the pipeline (tests pass fakes).
        renderer_factory: builds the overlay renderer from render options.
        video_end: ``loop`` or ``stop`` at the end of a video file.
        speed: video playback speed (1.0 = the file's native fps).

    Yields:
        :class:`SourceInfo` once, then :class:`LiveResult` per frame, and finally a
        :class:`LiveError` or :class:`LiveEnded` when the loop ends by itself.
    """
    try:
        source = source_factory(spec)
    except CameraError as exc:
        yield LiveError("camera", str(exc))
        return
    except PostureCamError as exc:
        yield LiveError("input", str(exc))
        return
    try:
        loop = _Loop(spec, source, settings, should_stop, source_factory, renderer_factory)
        yield from loop.run(pipeline_factory, video_end, speed)
    except ModelError as exc:
        yield LiveError("model", str(exc))
    except (InputError, CameraError) as exc:
        yield LiveError("input", str(exc))
    except PostureCamError as exc:  # e.g. a profile that does not fit this source
        yield LiveError("input", str(exc))
    except Exception as exc:  # thread boundary: a bug becomes a message, not a dead view
        yield LiveError("bug", f"{type(exc).__name__}: {exc}")
    finally:
        source.close()


class _Loop:
    """The state of one run of :func:`live_events` (pipeline, renderer, level)."""

    def __init__(
        self,
        spec: str,
        source: FrameSource,
        settings: LiveSettings,
        should_stop: Callable[[], bool],
        source_factory: SourceFactory,
        renderer_factory: RendererFactory,
    ) -> None:
        self.spec = spec
        self.source = source
        self.settings = settings
        self.should_stop = should_stop
        self._source_factory = source_factory
        self._renderer_factory = renderer_factory
        self.snapshot = settings.snapshot()
        self.renderer = renderer_factory(self.snapshot.render)
        self.seq = 0
        self._stream = 0
        self.level: RollEstimate | None = None

    def run(
        self, pipeline_factory: PipelineFactory, video_end: str, speed: float
    ) -> Iterator[LiveEvent]:
        mode = "video" if self.source.is_stream else "image"
        root = pipeline_factory(self.snapshot.config, mode)
        try:
            model = getattr(root.estimator, "model_path", None)
            yield SourceInfo(
                self.spec,
                self.source.kind,
                self.source.source_id,
                self.source.fps,
                self.source.frame_count,
                str(model) if model else None,
                tuple(getattr(root, "landmark_models", ())),
            )
            self.root = self.pipeline = root
            yield from self._frames(video_end, speed)
        finally:
            if isinstance(root.estimator, ProcessEstimator):
                # Closing the window waits for this thread, not for MediaPipe to shut
                # down in the model's process (most of the 0.1-1.5 s a close took).
                root.estimator.close(wait=False)
            root.close()

    def _frames(self, video_end: str, speed: float) -> Iterator[LiveEvent]:
        if not self.source.is_stream:
            yield from self._stills()
            return
        source, stopping = self.source, self.should_stop
        video: RealtimeVideoFeed | None = None
        interval_s = 1.0 / (source.fps or 30.0)
        if source.kind == "camera":
            feed = camera_feed(source)
        else:
            interval_s /= speed
            reopen = (lambda: self._source_factory(self.spec)) if video_end == "loop" else None
            video = RealtimeVideoFeed(source, reopen, speed)
            feed = FeedThread(video.iter, "video-feed")
        # Three stages on two cores: the feed decodes, the inference thread runs the
        # model back to back on fresh frames, this thread finishes each estimate
        # (metrics, overlay).
        next_frame, max_wait_s = frame_picker(self.root.estimator, feed.next, interval_s)
        inference = InferenceThread(self.root.estimator, next_frame, self._shrink, max_wait_s)
        level = LevelReader(LEVEL_INTERVAL_S)
        feed.start()
        inference.start()
        level.start()
        try:
            while not stopping():
                item = inference.next(stopping)
                if item is None:
                    if stopping():
                        return
                    if source.kind == "camera":
                        message = feed.error or "the camera stopped delivering frames"
                        yield LiveError("camera_lost", message)
                    elif feed.exception is not None:
                        raise feed.exception
                    else:
                        yield LiveEnded()
                    return
                self.level = level.reading()
                yield self._finish(
                    item.fed, item.estimate, item.inference_ms, item.prepared, item.queued_ms
                )
                # After the yield: the reading overlaps the wait for the next estimate.
                level.offer(item.fed.frame.image_bgr)
        finally:
            level.stop()
            inference.stop()
            feed.stop()
            if video is not None and video.source is not source:
                video.close()

    def _stills(self) -> Iterator[LiveEvent]:
        """Images and folders: each image once, again when the settings change."""
        feed = StillFeed(self.source)
        items = feed.iter(self.should_stop)
        last: Fed | None = None
        while not self.should_stop():
            fed = next(items, None)
            if fed is None:
                if self.should_stop():
                    return
                if last is None:
                    yield LiveEnded()
                    return
                fed = self._wait_for_change(last)
                if fed is None:
                    return
            last = fed
            t0 = time.perf_counter()
            estimate = self.root.estimator.estimate(fed.frame)
            inference_ms = (time.perf_counter() - t0) * 1000.0
            # A photo: read its level before showing it.
            self.level = estimate_roll_from_board(fed.frame.image_bgr)
            yield self._finish(fed, estimate, inference_ms)

    def _reconcile(self) -> None:
        """Pick up the newest settings snapshot (a no-op when nothing changed)."""
        new = self.settings.snapshot()
        old = self.snapshot
        if new.version == old.version:
            return
        if new.config != old.config:
            # Same estimator (its stream timestamps stay monotonic), new per-stream
            # state (smoothing, quality window, forced view) for the new settings.
            self.pipeline = Pipeline(
                self.root.estimator,
                new.config,
                self.root.calibration,
                owns_estimator=False,
                landmark_models=self.root.landmark_models,
                stream=self.root.stream,
            )
        if not new.render.same_drawing(old.render):
            self.renderer = self._renderer_factory(new.render)
        self.snapshot = new

    def _shrink(self, fed: Fed) -> np.ndarray:
        """The frame at the display size (the inference thread calls this while the
        model's process works on the same frame)."""
        return fit_to_display(fed.frame.image_bgr, self.settings.snapshot().render)

    def _finish(
        self,
        fed: Fed,
        estimate: PoseEstimate,
        inference_ms: float,
        shrunk: object = None,
        queued_ms: float = 0.0,
    ) -> LiveResult:
        """Metrics and overlay for an estimate, under the newest settings.

        ``shrunk``: the frame already shrunk for the display (used when it still has
        the size the newest settings ask for).
        """
        self._reconcile()
        if fed.stream != self._stream:
            self._stream = fed.stream
            self.pipeline.reset()  # a looped video: no smoothing across the jump
        result = self.pipeline.complete(fed.frame, estimate, inference_ms)
        t0 = time.perf_counter()
        image = draw_live(
            self.renderer, fed.frame.image_bgr, result, self.snapshot.render, shrunk=shrunk
        )
        bgrx = cv2.cvtColor(image, cv2.COLOR_BGR2BGRA)  # the GUI paints it as it is
        t1 = time.perf_counter()
        self.seq += 1
        return LiveResult(
            result,
            image,
            fed.capture_s,
            t1,
            (t1 - t0) * 1000.0,
            fed.dropped,
            self.seq,
            self.level,
            display_bgrx=bgrx,
            queued_ms=queued_ms,
        )

    def _wait_for_change(self, last: Fed) -> Fed | None:
        """A still was shown: wait until the settings change, then re-process it."""
        version = self.snapshot.version
        while not self.should_stop():
            if self.settings.snapshot().version != version:
                return Fed(last.frame, time.perf_counter())
            time.sleep(WAIT_SLICE_S)
        return None


#: A frame smaller than the view is enlarged to it before the overlay is drawn (crisp
#: lines and words instead of a small drawing scaled up), at most this many times.
MAX_ENLARGE = 3.0


def display_size(image_wh: tuple[int, int], render: RenderOptions) -> tuple[int, int]:
    """The size the overlay is drawn at: the frame shrunk to fit the display, or, when
    it is smaller than the display, enlarged to fit it (at most ``MAX_ENLARGE`` times)."""
    w, h = image_wh
    size = fit_size((w, h), render.display_wh)
    if size != (w, h) or not render.display_wh:
        return size
    box_w, box_h = render.display_wh
    scale = min(box_w / w, box_h / h, MAX_ENLARGE)
    if scale <= 1.05:  # about the view's size already: drawn as it is
        return size
    return max(1, round(w * scale)), max(1, round(h * scale))


def fit_to_display(image_bgr: np.ndarray, render: RenderOptions) -> np.ndarray:
    """``image_bgr`` at the size the overlay is drawn at (:func:`display_size`)."""
    h, w = image_bgr.shape[:2]
    return _resized(image_bgr, display_size((w, h), render))


def _resized(image_bgr: np.ndarray, size_wh: tuple[int, int]) -> np.ndarray:
    if image_bgr.shape[1::-1] == size_wh:
        return image_bgr
    return cv2.resize(image_bgr, size_wh, interpolation=cv2.INTER_LINEAR)


def draw_live(
    renderer: Renderer,
    image_bgr: np.ndarray,
    result: FrameResult,
    render: RenderOptions,
    *,
    shrunk: object = None,
) -> np.ndarray:
    """Bring ``image_bgr`` to the display size (:func:`display_size`) and draw the
    overlay on it.

    Args:
        renderer: the overlay renderer.
        image_bgr: (H, W, 3) uint8 frame as captured.
        result: the pipeline's result for that frame (frame pixel coordinates).
        render: the display options (mirror, display size).
        shrunk: ``image_bgr`` already brought to the display size
            (:func:`fit_to_display`); used when it has the size ``render`` asks for, else
            the frame is resized here.

    Returns:
        (h, w, 3) uint8 BGR image at :func:`display_size`: at most the display size.
    """
    h, w = image_bgr.shape[:2]
    size_wh = display_size((w, h), render)
    if isinstance(shrunk, np.ndarray) and shrunk.shape[1::-1] == size_wh:
        image_bgr = shrunk
    else:
        image_bgr = _resized(image_bgr, size_wh)
    return renderer.render(image_bgr, result, mirror=render.mirror)
