"""The live session: one worker at a time, its stale-signal guard, and the text it drives.

:class:`LiveSessionController` starts and stops :class:`LiveWorker` threads, forwards
settings snapshots to the running one, paints its results into the
:class:`~posture_cam.ui.widgets.video_view.VideoView`, and re-emits the worker's signals
for the rest of the window (panels, snapshots, empty state). A stopped worker may
still have queued signals in flight: those are dropped here (``_is_current``), so the
window never shows a result or an error of a source it already left.

It also owns the live text: the detected view (``detectedChanged``), and the status
bar line and camera-level indicator (``statusChanged``, refreshed four times a second).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from posture_cam import live, wording
from posture_cam.i18n import _, fmt, using_language
from posture_cam.ui.calibration.steps import level_text
from posture_cam.ui.live_worker import LiveWorker
from posture_cam.ui.widgets.video_view import VideoView
from posture_cam.ui.window.settings_store import SettingsStore

STOP_TIMEOUT_S = 1.0
STATUS_REFRESH_MS = 250


class LiveSessionController(QObject):
    """Runs the live worker for one window.

    Args:
        store: the window's settings (language, mirror, camera, pipeline config ...).
        video: the live view the results are painted in.
        source_factory: opens a source in the worker thread.
        pipeline_factory: builds the pipeline in the worker thread.
        renderer_factory: live overlay renderer from render options.
        speed: video playback speed (benchmarks/tests; 1.0 = native fps).
        parent: Qt parent.
    """

    started = Signal(str)  # spec: a new worker was started
    sourceOpened = Signal(object)  # live.SourceInfo
    resultReady = Signal(object)  # live.LiveResult (after it was queued for painting)
    failed = Signal(object)  # live.LiveError
    ended = Signal()
    detectedChanged = Signal(str)  # "Front (detected, 0.93)"
    statusChanged = Signal(str, str)  # (status line, camera-level text)

    def __init__(
        self,
        store: SettingsStore,
        video: VideoView,
        *,
        source_factory: live.SourceFactory = live.default_source_factory,
        pipeline_factory: live.PipelineFactory = live.default_pipeline_factory,
        renderer_factory: live.RendererFactory = live.default_renderer_factory,
        speed: float = 1.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._video = video
        self._factories = (source_factory, pipeline_factory, renderer_factory)
        self._speed = speed
        self.worker: LiveWorker | None = None
        self._retired: list[LiveWorker] = []
        self.source_info: live.SourceInfo | None = None
        self.latest: live.LiveResult | None = None
        self.results_received = 0
        self._last_detected_s = 0.0
        store.settingsChanged.connect(self._on_settings_changed)
        store.configChanged.connect(self._on_config_changed)
        video.displaySizeChanged.connect(self._on_display_size_changed)
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(STATUS_REFRESH_MS)
        self._status_timer.timeout.connect(self.refresh_status)
        self._status_timer.start()

    # -- lifecycle ---------------------------------------------------------------------

    def start(self, spec: str) -> None:
        """Stop the current worker (if any) and start one on ``spec``."""
        self.stop()
        self.latest = None
        self._video.clear()
        self._video.set_banner(self._starting_text(spec))
        source_factory, pipeline_factory, renderer_factory = self._factories
        worker = LiveWorker(
            spec,
            self._store.config,
            self.render_options(),
            source_factory=source_factory,
            pipeline_factory=pipeline_factory,
            renderer_factory=renderer_factory,
            video_end=self._store.settings.video_end,
            speed=self._speed,
        )
        queued = Qt.ConnectionType.QueuedConnection
        worker.resultReady.connect(self._on_result_ready, queued)
        worker.sourceOpened.connect(self._on_source_opened, queued)
        worker.failed.connect(self._on_failed, queued)
        worker.ended.connect(self._on_ended, queued)
        self.worker = worker
        self.started.emit(spec)
        worker.start()

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> bool:
        """Stop the worker within ``timeout_s``; True when it has ended."""
        worker, self.worker = self.worker, None
        self._retired = [w for w in self._retired if not w.isFinished()]
        if worker is None:
            return True
        for signal in (worker.resultReady, worker.sourceOpened, worker.failed, worker.ended):
            signal.disconnect()
        stopped = worker.stop(timeout_s)
        if not stopped:
            # Keep a reference: destroying a running QThread aborts the process.
            self._retired.append(worker)
        return stopped

    def shutdown(self) -> None:
        """Stop everything for good (the window closes)."""
        self._status_timer.stop()
        self.stop()
        for worker in self._retired:
            worker.wait(int(STOP_TIMEOUT_S * 1000))

    def wait_for_retired(self, timeout_s: float) -> bool:
        """Wait for workers that did not stop in time (e.g. still loading the model);
        True when none is left running."""
        end = time.perf_counter() + timeout_s
        for worker in self._retired:
            left_ms = max(0, int((end - time.perf_counter()) * 1000))
            worker.wait(left_ms)
        self._retired = [w for w in self._retired if not w.isFinished()]
        return not self._retired

    def current_spec(self) -> str:
        """The source now shown (or last tried), else the settings' camera."""
        if self.worker is not None:
            return self.worker.spec
        if self.source_info is not None:
            return self.source_info.spec
        return str(self._store.settings.camera_index)

    def retry(self) -> None:
        """Start the current source again (a new pipeline: profile and model reload)."""
        self.start(self.current_spec())

    def render_options(self) -> live.RenderOptions:
        s = self._store.settings
        return live.RenderOptions(
            s.mirror, s.language, s.display_skeleton_only, self._video.device_size()
        )

    def _starting_text(self, spec: str) -> str:
        """The start-up banner, with a note when the model must first be prepared."""
        from posture_cam.pose.model.store import find_cached

        lang, config = self._store.language, self._store.config
        needs_model = not (config.model_path or os.environ.get("POSTURE_CAM_MODEL"))
        with using_language(lang):
            name = _("camera {id}").format(id=spec) if spec.isdigit() else Path(spec).name
            text = _("Starting {source}…").format(source=name)
            if needs_model and find_cached(config.model_variant) is None:
                text += " " + _("First start: preparing the pose model (a few seconds).")
        return text

    # -- settings -> worker --------------------------------------------------------------

    def _on_settings_changed(self, _settings: object) -> None:
        if self.worker is not None:
            self.worker.set_render_options(self.render_options())
        if self.latest is not None:
            self.detectedChanged.emit(self.detected_text(self.latest))

    def _on_config_changed(self, config: object) -> None:
        if self.worker is not None:
            self.worker.set_config(self._store.config)

    def _on_display_size_changed(self, _width: int, _height: int) -> None:
        if self.worker is not None:
            self.worker.set_render_options(self.render_options())

    # -- worker -> window (queued; stale signals dropped) --------------------------------

    def _is_current(self) -> bool:
        """False for a queued signal that a stopped worker sent before it ended."""
        sender = self.sender()
        return sender is None or sender is self.worker

    def _on_source_opened(self, info: live.SourceInfo) -> None:
        if not self._is_current():
            return
        self.source_info = info
        self._video.set_banner("")
        self.sourceOpened.emit(info)

    def _on_result_ready(self, result: live.LiveResult) -> None:
        if not self._is_current():
            return
        self.results_received += 1
        self.latest = result
        self._video.show_result(result)  # first: painting is what the user waits for
        self.resultReady.emit(result)
        now = time.perf_counter()
        if now - self._last_detected_s > STATUS_REFRESH_MS / 1000.0:
            self._last_detected_s = now
            self.detectedChanged.emit(self.detected_text(result))

    def _on_failed(self, error: live.LiveError) -> None:
        if not self._is_current():
            return
        self._video.set_banner("")
        self.failed.emit(error)

    def _on_ended(self) -> None:
        if not self._is_current():
            return
        self.ended.emit()

    # -- text ----------------------------------------------------------------------------

    def detected_text(self, result: live.LiveResult) -> str:
        """The view the pipeline used and how it was chosen."""
        lang = self._store.language
        view = result.result.view
        # The body's yaw from square (0 front/back, 90 side-on) helps the patient turn.
        # Each number says what it is; a view set by hand has no certainty of its own
        # (its 1.00 read as if the detector had been sure).
        with using_language(lang):
            name = wording.view_name(view.view)
            if view.forced:
                if view.yaw_deg is None:
                    return fmt(_("{name} (set by hand)"), name=name)
                return fmt(
                    _("{name} (set by hand; body turned {yaw:.0f}° from facing the camera)"),
                    name=name,
                    yaw=view.yaw_deg,
                )
            if view.yaw_deg is None:
                return fmt(
                    _("{name} (detected, certainty {confidence:.2f})"),
                    name=name,
                    confidence=view.confidence,
                )
            return fmt(
                _(
                    "{name} (detected, certainty {confidence:.2f}; body turned {yaw:.0f}° "
                    "from facing the camera)"
                ),
                name=name,
                confidence=view.confidence,
                yaw=view.yaw_deg,
            )

    def refresh_status(self) -> None:
        """Emit the status line and the camera-level text for the newest result."""
        lang, result = self._store.language, self.latest
        if result is None:
            self.statusChanged.emit("", "")
            return
        level = level_text(result.level, result.result.roll_deg, lang)
        stats = self._video.stats
        info = self.source_info
        model = live.model_label(info.model_path if info else None)
        with using_language(lang):
            if info is not None and len(info.landmark_models) > 1:
                model += " " + _("+ second keypoint model")  # a photo: both models
            status = fmt(
                _(
                    "{fps:.1f} fps · latency {latency:.0f} ms · model {inference:.0f} ms · "
                    "dropped {dropped} · people {people} · {model}"
                ),
                fps=stats.fps,
                latency=stats.latency_ms,
                inference=result.result.timings_ms.get("inference", 0.0),
                dropped=stats.source_dropped + stats.superseded,
                people=result.result.num_people,
                model=model,
            )
        self.statusChanged.emit(status, level)
