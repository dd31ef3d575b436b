"""The live worker: a QThread that iterates the Qt-free live loop and only emits.

The shape of superqt's ``GeneratorWorker``: :meth:`LiveWorker.run` iterates
:func:`posture_cam.live.live_events` (which opens the source and the pipeline in this
thread, runs them and closes them), checks for interruption every iteration, and turns
each event into a past-tense signal. Nothing here touches frames or models.

Settings arrive as immutable snapshots through :meth:`set_config` and
:meth:`set_render_options`; the loop picks up the newest one before the next frame.
Stop: :meth:`stop` requests interruption and joins with a timeout; the loop never
blocks longer than a few tens of milliseconds plus one frame's work, and
``QThread.terminate()`` is never used.
"""

from __future__ import annotations

import sys

import cv2
from PySide6.QtCore import QObject, QThread, Signal

from posture_cam import live
from posture_cam.config import PipelineConfig
from posture_cam.runtime.long_lived import freeze_long_lived

#: GIL switch interval while the live path runs (Python's default: 5 ms).
LIVE_SWITCH_INTERVAL_S = 0.001


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

    resultReady = Signal(object)  # live.LiveResult
    sourceOpened = Signal(object)  # live.SourceInfo
    failed = Signal(object)  # live.LiveError
    ended = Signal()  # the source ran out (video with video_end="stop")

    def __init__(
        self,
        spec: str,
        config: PipelineConfig,
        render: live.RenderOptions,
        *,
        source_factory: live.SourceFactory = live.default_source_factory,
        pipeline_factory: live.PipelineFactory = live.default_pipeline_factory,
        renderer_factory: live.RendererFactory = live.default_renderer_factory,
        video_end: str = "loop",
        speed: float = 1.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.spec = str(spec)
        self.settings = live.LiveSettings(config, render)
        self._factories = (source_factory, pipeline_factory, renderer_factory)
        self._video_end = video_end
        self._speed = speed
        self.setObjectName(f"LiveWorker[{self.spec}]")

    def set_config(self, config: PipelineConfig) -> None:
        """Hand the worker a new pipeline settings snapshot."""
        self.settings.set_config(config)

    def set_render_options(self, options: live.RenderOptions) -> None:
        """Hand the worker new display options."""
        self.settings.set_render(options)

    def stop(self, timeout_s: float = 1.0) -> bool:
        """Request interruption and wait up to ``timeout_s``; True when it ended."""
        self.requestInterruption()
        return self.wait(int(timeout_s * 1000))

    def run(self) -> None:
        # The live path hands the GIL between three threads many times a frame; with
        # Python's default 5 ms switch interval the pose-model thread can wait that long
        # to get it back after each native call. 1 ms keeps it busy (process-wide, and
        # harmless for the rest of the app).
        if sys.getswitchinterval() > LIVE_SWITCH_INTERVAL_S:
            sys.setswitchinterval(LIVE_SWITCH_INTERVAL_S)
        # The app's modules and window are built: keep the garbage collector's full
        # walks (50-90 ms holding the GIL) off them, once per process.
        freeze_long_lived()
        # The live path already runs its stages on threads of their own beside the
        # model's process; OpenCV's pool (resize, colour conversion) only made them
        # wait for a core (bench/app_latency.py, "waiting for a CPU by thread").
        cv2.setNumThreads(1)
        source_factory, pipeline_factory, renderer_factory = self._factories
        events = live.live_events(
            self.spec,
            self.settings,
            self.isInterruptionRequested,
            source_factory=source_factory,
            pipeline_factory=pipeline_factory,
            renderer_factory=renderer_factory,
            video_end=self._video_end,
            speed=self._speed,
        )
        try:
            for event in events:
                if self.isInterruptionRequested():
                    break
                self._emit(event)
        finally:
            events.close()  # closes the source and the pipeline in this thread

    def _emit(self, event: live.LiveEvent) -> None:
        if isinstance(event, live.LiveResult):
            self.resultReady.emit(event)
        elif isinstance(event, live.SourceInfo):
            self.sourceOpened.emit(event)
        elif isinstance(event, live.LiveError):
            self.failed.emit(event)
        else:
            self.ended.emit()
