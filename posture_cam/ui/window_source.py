"""Main-window source handling: the live worker's start, stop and signals, and the
text it feeds (detected view, status bar, camera-level indicator). A mixin of
:class:`~posture_cam.ui.main_window.MainWindow` (kept apart so each module stays
short); it uses the window's ``settings``, ``config``, ``video``, ``stack``,
``empty``, ``snapshots``, panels and labels, and the ``_factories`` and ``_speed``
given to the window.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtCore import Qt

from posture_cam.ui import worker as wk
from posture_cam.ui.calibration_steps import level_text
from posture_cam.ui.i18n import tr

STOP_TIMEOUT_S = 1.0
STATUS_REFRESH_MS = 250


class WindowSourceMixin:
    """The worker lifecycle and the text it drives, for the main window."""

    def _starting_text(self, spec: str) -> str:
        """The start-up banner, with a note when the model must first be prepared."""
        from posture_cam.pose.model_store import find_cached

        lang = self.settings.language
        name = f"camera {spec}" if spec.isdigit() else Path(spec).name
        text = tr("starting", lang, source=name)
        needs_model = not (self.config.model_path or os.environ.get("POSTURE_CAM_MODEL"))
        if needs_model and find_cached(self.config.model_variant) is None:
            text += " " + tr("preparing_model", lang)
        return text

    def start_source(self, spec: str) -> None:
        """Stop the current worker (if any) and start one on ``spec``."""
        self.stop_worker()
        self.snapshots.cancel()
        self.latest = None
        self.video.clear()
        self.stack.setCurrentWidget(self.video)
        self.video.set_banner(self._starting_text(spec))
        source_factory, pipeline_factory, renderer_factory = self._factories
        worker = wk.LiveWorker(
            spec,
            self.config,
            self._render_options(),
            source_factory=source_factory,
            pipeline_factory=pipeline_factory,
            renderer_factory=renderer_factory,
            video_end=self.settings.video_end,
            speed=self._speed,
        )
        queued = Qt.ConnectionType.QueuedConnection
        worker.resultReady.connect(self._on_result_ready, queued)
        worker.sourceOpened.connect(self._on_source_opened, queued)
        worker.failed.connect(self._on_worker_failed, queued)
        worker.ended.connect(self._on_worker_ended, queued)
        self.worker = worker
        worker.start()

    def stop_worker(self, timeout_s: float = STOP_TIMEOUT_S) -> bool:
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

    def _is_current(self) -> bool:
        """False for a queued signal that a stopped worker sent before it ended."""
        sender = self.sender()
        return sender is None or sender is self.worker

    def retry(self) -> None:
        spec = self.worker.spec if self.worker else None
        if spec is None and self.source_info is not None:
            spec = self.source_info.spec
        self.start_source(spec or str(self.settings.camera_index))

    def _render_options(self) -> wk.RenderOptions:
        s = self.settings
        return wk.RenderOptions(
            s.mirror, s.language, s.display_skeleton_only, self.video.device_size()
        )

    def _on_display_size_changed(self, width: int, height: int) -> None:
        if self.worker is not None:
            self.worker.set_render_options(self._render_options())

    def _on_source_opened(self, info: wk.SourceInfo) -> None:
        if not self._is_current():
            return
        self.source_info = info
        self.video.set_banner("")

    def _on_result_ready(self, live: wk.LiveResult) -> None:
        if not self._is_current():
            return
        self.results_received += 1
        self.latest = live
        self.video.show_result(live)
        self.snapshots.add_result(live)
        self.metrics_panel.update_result(live.result)
        self.quality_panel.update_result(live.result)
        now = time.perf_counter()
        if now - self._last_status > STATUS_REFRESH_MS / 1000.0:
            self._last_status = now
            self._show_detected(live)

    def _on_worker_failed(self, error: wk.WorkerError) -> None:
        if not self._is_current():
            return
        titles = {
            "camera": "empty_title",
            "camera_lost": "camera_lost_title",
            "input": "input_title",
            "model": "model_title",
            "bug": "bug_title",
        }
        self.snapshots.cancel()
        self.video.set_banner("")
        self.empty.show_problem(titles.get(error.kind, "bug_title"), error.message)
        self.stack.setCurrentWidget(self.empty)

    def _on_worker_ended(self) -> None:
        if not self._is_current():
            return
        self.empty.show_problem("video_ended", "", retry_key="play_again")
        self.stack.setCurrentWidget(self.empty)

    def _show_detected(self, live: wk.LiveResult) -> None:
        lang = self.settings.language
        view = live.result.view
        how = tr("forced" if view.forced else "detected", lang)
        name = tr(f"view_{view.view}", lang)
        self.detected_label.setText(f"{name} ({how}, {view.confidence:.2f})")

    def _on_status_timer(self) -> None:
        lang = self.settings.language
        live = self.latest
        if live is None:
            self.status_label.setText("")
            self.level_label.setText("")
            return
        self.level_label.setText(level_text(live.level, live.result.roll_deg, lang))
        stats = self.video.stats
        model = wk.model_label(self.source_info.model_path if self.source_info else None)
        self.status_label.setText(
            f"{stats.fps:4.1f} {tr('fps', lang)} · {tr('latency', lang)} "
            f"{stats.latency_ms:3.0f} ms · {tr('inference', lang)} "
            f"{live.result.timings_ms.get('inference', 0.0):3.0f} ms · {tr('dropped', lang)} "
            f"{stats.source_dropped + stats.superseded} · {tr('people', lang)} "
            f"{live.result.num_people} · {model}"
        )
