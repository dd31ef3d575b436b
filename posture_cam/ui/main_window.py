"""The main window: live view, metrics, quality checklist, view override, snapshots.

The window owns at most one :class:`~posture_cam.ui.worker.LiveWorker` at a time and
only paints what it emits. Settings are a frozen :class:`AppSettings`; every change
goes ``widget -> _on_<thing>_changed -> dataclasses.replace -> persist -> snapshot to
the worker``, and widgets are set back from the settings under a ``QSignalBlocker``
(napari's two-way binding with a loop guard).

Factories for the source, the pipeline and the renderers are injectable so tests and
benchmarks build the window with fakes (no model, no camera).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from posture_cam.config import PipelineConfig
from posture_cam.ui import worker as wk
from posture_cam.ui.dialogs import ShortcutsDialog
from posture_cam.ui.i18n import tr
from posture_cam.ui.menus import VIEW_KEYS, build_actions
from posture_cam.ui.panels import MetricsPanel, QualityPanel
from posture_cam.ui.settings import AppSettings, save_settings
from posture_cam.ui.snapshot_controller import SnapshotController
from posture_cam.ui.video_view import VideoView
from posture_cam.ui.widgets import EmptyState, NoticeBar
from posture_cam.ui.window_actions import WindowActionsMixin
from posture_cam.ui.window_source import (
    STATUS_REFRESH_MS,
    STOP_TIMEOUT_S,
    WindowSourceMixin,
)

VIEWS: tuple[str | None, ...] = (None, "front", "back", "left", "right")


class MainWindow(WindowSourceMixin, WindowActionsMixin, QMainWindow):
    """posture_cam's window.

    Args:
        source: camera index as text, or a video / image path; None = the settings'
            camera.
        settings: the app settings snapshot (defaults -> file -> CLI flags).
        config: the pipeline settings (model, smoothing, view, profile).
        source_factory: opens a source in the worker thread.
        pipeline_factory: builds the pipeline in the worker thread.
        renderer_factory: live overlay renderer from render options.
        export_renderer_factory: snapshot renderer from (privacy, language).
        persist: write settings changes to the settings file.
        speed: video playback speed (benchmarks/tests; 1.0 = native fps).
        parent: Qt parent.
    """

    def __init__(
        self,
        source: str | None = None,
        settings: AppSettings | None = None,
        config: PipelineConfig | None = None,
        *,
        source_factory: wk.SourceFactory = wk.default_source_factory,
        pipeline_factory: wk.PipelineFactory = wk.default_pipeline_factory,
        renderer_factory: Callable[[wk.RenderOptions], Any] = wk.default_renderer_factory,
        export_renderer_factory: Callable[[str, str], Any] | None = None,
        persist: bool = True,
        speed: float = 1.0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings or AppSettings()
        self.config = config or PipelineConfig(
            model_variant=self.settings.model_variant, profile=self.settings.profile
        )
        self._factories = (source_factory, pipeline_factory, renderer_factory)
        self._persist = persist
        self._speed = speed
        self.worker: wk.LiveWorker | None = None
        self._retired: list[wk.LiveWorker] = []
        self.source_info: wk.SourceInfo | None = None
        self.latest: wk.LiveResult | None = None
        self.results_received = 0
        self._session_dir: Path | None = None
        self._notice_folder: Path | None = None
        self._last_status = 0.0

        self.video = VideoView()
        self.empty = EmptyState(self.settings.language)
        self.notice = NoticeBar()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.video)
        self.stack.addWidget(self.empty)
        self.metrics_panel = MetricsPanel(self.settings.language)
        self.quality_panel = QualityPanel(self.settings.language)
        self.view_label = QLabel()
        self.view_combo = QComboBox()
        self.detected_label = QLabel()
        self.mirror_check = QCheckBox()
        self.snapshot_button = QPushButton()
        self.snapshot_button.setMinimumHeight(40)
        for w in (self.view_combo, self.mirror_check, self.snapshot_button):
            w.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep Space / digits for shortcuts
        self.level_label = QLabel()  # camera level, when the printed board is in view
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.level_label)
        self.statusBar().addPermanentWidget(self.status_label)
        self.calibration_wizard = None
        self._build_layout()

        export = export_renderer_factory or _default_export_factory()
        self.snapshots = SnapshotController(export, self)
        self.actions = build_actions(self)
        self._connect()
        self._sync_widgets()
        self.retranslate()
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(STATUS_REFRESH_MS)
        self._status_timer.timeout.connect(self._on_status_timer)
        self._status_timer.start()
        self.resize(1400, 820)
        self.start_source(source if source is not None else str(self.settings.camera_index))

    # -- layout and wiring ------------------------------------------------------------

    def _build_layout(self) -> None:
        side = QWidget()
        side.setFixedWidth(560)
        view_row = QHBoxLayout()
        view_row.addWidget(self.view_label)
        view_row.addWidget(self.view_combo, 1)
        col = QVBoxLayout(side)
        col.addLayout(view_row)
        col.addWidget(self.detected_label)
        col.addWidget(self.mirror_check)
        col.addWidget(self.snapshot_button)
        col.addWidget(self.metrics_panel, 3)
        col.addWidget(self.quality_panel, 1)
        left = QWidget()
        left_col = QVBoxLayout(left)
        left_col.setContentsMargins(0, 0, 0, 0)
        left_col.addWidget(self.notice)
        left_col.addWidget(self.stack, 1)
        central = QWidget()
        row = QHBoxLayout(central)
        row.addWidget(left, 1)
        row.addWidget(side)
        self.setCentralWidget(central)

    def _connect(self) -> None:
        a = self.actions
        a["open_file"].triggered.connect(self.open_file_dialog)
        a["choose_camera"].triggered.connect(self.choose_camera_dialog)
        a["retry_camera"].triggered.connect(self.retry)
        a["snapshot"].triggered.connect(self.take_snapshot)
        a["cancel_snapshot"].triggered.connect(self.snapshots.cancel)
        a["quit"].triggered.connect(self.close)
        a["mirror"].toggled.connect(self._on_mirror_changed)
        a["fullscreen"].toggled.connect(self._on_fullscreen_changed)
        a["skeleton_only_display"].toggled.connect(self._on_display_privacy_changed)
        a["data_folder"].triggered.connect(self.choose_data_folder)
        a["data_folder_default"].triggered.connect(lambda: self._update(data_folder=None))
        a["calibration"].triggered.connect(self.calibration_dialog)
        a["shortcuts"].triggered.connect(
            lambda: ShortcutsDialog(self.settings.language, self).exec()
        )
        for index, action in enumerate(a.views):
            action.triggered.connect(lambda _=False, i=index: self.set_view_index(i))
        for code, action in a.languages.items():
            action.triggered.connect(lambda _=False, c=code: self._on_language_changed(c))
        for mode, action in a.privacy.items():
            action.triggered.connect(lambda _=False, m=mode: self._update(export_privacy=m))
        for variant, action in a.variants.items():
            action.triggered.connect(lambda _=False, v=variant: self._on_variant_changed(v))
        self.view_combo.currentIndexChanged.connect(self._on_view_override_changed)
        self.mirror_check.toggled.connect(self._on_mirror_changed)
        self.snapshot_button.clicked.connect(self.take_snapshot)
        self.empty.retryRequested.connect(self.retry)
        self.empty.chooseCameraRequested.connect(self.choose_camera_dialog)
        self.empty.openFileRequested.connect(self.open_file_dialog)
        self.notice.actionTriggered.connect(self._on_notice_action)
        self.video.displaySizeChanged.connect(self._on_display_size_changed)
        self.snapshots.bannerChanged.connect(self.video.set_banner)
        self.snapshots.stateChanged.connect(self._on_snapshot_state_changed)
        self.snapshots.saved.connect(self._on_snapshot_saved)
        self.snapshots.failed.connect(lambda msg: self.notice.show_notice(msg, error=True))

    def _sync_widgets(self) -> None:
        """Settings -> widgets, without echoing back into the handlers."""
        s = self.settings
        blockers = [
            QSignalBlocker(w)
            for w in (
                self.mirror_check,
                self.view_combo,
                self.actions["mirror"],
                self.actions["skeleton_only_display"],
            )
        ]
        self.mirror_check.setChecked(s.mirror)
        self.actions["mirror"].setChecked(s.mirror)
        self.actions["skeleton_only_display"].setChecked(s.display_skeleton_only)
        index = VIEWS.index(self.config.view)
        self.view_combo.setCurrentIndex(index)
        self.actions.views[index].setChecked(True)
        self.actions.languages[s.language].setChecked(True)
        self.actions.privacy[s.export_privacy].setChecked(True)
        self.actions.variants[self.config.model_variant].setChecked(True)
        del blockers

    def retranslate(self) -> None:
        lang = self.settings.language
        self.setWindowTitle(tr("app_title", lang))
        self.actions.retranslate(lang)
        with QSignalBlocker(self.view_combo):
            index = max(0, self.view_combo.currentIndex())
            self.view_combo.clear()
            self.view_combo.addItems([tr(k, lang) for k in VIEW_KEYS])
            self.view_combo.setCurrentIndex(index)
        self.view_label.setText(tr("view", lang) + ":")
        self.mirror_check.setText(tr("mirror", lang) + "  (M)")
        self.snapshot_button.setText(tr("snapshot", lang) + "  (Space)")
        self.snapshot_button.setToolTip(tr("snapshot_tip", lang))
        self.metrics_panel.retranslate(lang)
        self.quality_panel.retranslate(lang)
        self.empty.retranslate(lang)
        self.notice.action_button.setText(tr("open_folder", lang))
        if self.latest is not None:
            self._show_detected(self.latest)

    # -- settings handlers -------------------------------------------------------------

    def _update(self, **changes: Any) -> None:
        self.settings = dataclasses.replace(self.settings, **changes)
        if self._persist:
            save_settings(self.settings)
        if self.worker is not None:
            self.worker.set_render_options(self._render_options())
        self._sync_widgets()

    def _on_mirror_changed(self, checked: bool) -> None:
        self._update(mirror=bool(checked))

    def _on_display_privacy_changed(self, checked: bool) -> None:
        self._update(display_skeleton_only=bool(checked))

    def _on_language_changed(self, language: str) -> None:
        self._update(language=language)
        self.retranslate()

    def _on_fullscreen_changed(self, checked: bool) -> None:
        if checked:
            self.showFullScreen()
        else:
            self.showNormal()

    def set_view_index(self, index: int) -> None:
        """0 auto, 1 front, 2 back, 3 left, 4 right (keys 1-5)."""
        self.view_combo.setCurrentIndex(index)

    def _on_view_override_changed(self, index: int) -> None:
        if index < 0:
            return
        self.config = dataclasses.replace(self.config, view=VIEWS[index])
        if self.worker is not None:
            self.worker.set_config(self.config)
        self._sync_widgets()

    def _on_variant_changed(self, variant: str) -> None:
        self.config = dataclasses.replace(self.config, model_variant=variant)
        self._update(model_variant=variant)
        self.notice.show_notice(tr("restart_needed", self.settings.language))
        self.retry()

    # -- closing -----------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self._status_timer.stop()
        self.snapshots.cancel()
        self.stop_worker()
        for worker in self._retired:
            worker.wait(int(STOP_TIMEOUT_S * 1000))
        super().closeEvent(event)


def _default_export_factory() -> Callable[[str, str], Any]:
    from posture_cam.ui.snapshot_controller import default_export_renderer

    return default_export_renderer
