"""The main window: live view, metrics, quality checklist, view override, snapshots.

The window builds the widgets and wires small controllers that each own their state
and talk through signals and public methods:

* :class:`SettingsStore` — the app settings and the pipeline config (frozen snapshots);
* :class:`LiveSessionController` — the live worker, its stale-signal guard, the
  status text;
* :class:`SnapshotController` — countdown, averaged capture, files;
* :class:`CalibrationController` — the calibration wizard and applying its profile.

Settings flow one way: ``widget -> _on_<thing>_changed -> store.update(...)`` (saved,
then announced), and :meth:`MainWindow._sync_widgets` sets the widgets back from the
store under a ``QSignalBlocker`` (napari's two-way binding with a loop guard).

Seams for what comes next: a patient / visit controller gets the store and the
session (``session.resultReady``, ``snapshots.saved``) and adds its widgets with
:meth:`MainWindow.add_side_widget`; a home mode builds its own window from the same
controllers.

Factories for the source, the pipeline and the renderers are injectable so tests and
benchmarks build the window with fakes (no model, no camera).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSignalBlocker, Qt, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices
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

from posture_cam import live, snapshot
from posture_cam.config import PipelineConfig
from posture_cam.i18n import _
from posture_cam.types import ViewEstimate
from posture_cam.ui.dialogs import camera_chooser
from posture_cam.ui.dialogs import sources as source_dialogs
from posture_cam.ui.dialogs.shortcuts import ShortcutsDialog
from posture_cam.ui.i18n import apply_language, key_text, tr
from posture_cam.ui.points import PointsController
from posture_cam.ui.records import GhostLayer, VisitController, VisitPanel
from posture_cam.ui.settings import AppSettings
from posture_cam.ui.widgets.notices import EmptyState, NoticeBar, OverlayHost
from posture_cam.ui.widgets.panels import MetricsPanel, QualityPanel
from posture_cam.ui.widgets.video_view import VideoView
from posture_cam.ui.widgets.zoom import STEP
from posture_cam.ui.window.calibration import CalibrationController
from posture_cam.ui.window.live_session import LiveSessionController
from posture_cam.ui.window.menus import VIEW_KEYS, Actions, build_actions
from posture_cam.ui.window.model_menu import (
    ModelAvailability,
    internet_reachable,
    unavailable_reason,
)
from posture_cam.ui.window.profile_text import profile_line
from posture_cam.ui.window.settings_store import SettingsStore
from posture_cam.ui.window.snapshots import (
    ExportRendererFactory,
    SnapshotContext,
    SnapshotController,
    default_export_renderer,
    localized,
)

VIEWS: tuple[str | None, ...] = (None, "front", "back", "left", "right")
ERROR_TITLES = {
    "camera": "empty_title",
    "camera_lost": "camera_lost_title",
    "input": "input_title",
    "model": "model_title",
    "bug": "bug_title",
}


def is_camera_spec(spec: str) -> bool:
    """True for a camera index ("0", "1" ...), False for a video or photo path."""
    return spec.strip().isdigit()


class MainWindow(QMainWindow):
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
        net_check: is the model storage reachable (decides which model variants
            that need a download are offered).
        parent: Qt parent.
    """

    def __init__(
        self,
        source: str | None = None,
        settings: AppSettings | None = None,
        config: PipelineConfig | None = None,
        *,
        source_factory: live.SourceFactory = live.default_source_factory,
        pipeline_factory: live.PipelineFactory = live.default_pipeline_factory,
        renderer_factory: live.RendererFactory = live.default_renderer_factory,
        export_renderer_factory: ExportRendererFactory = default_export_renderer,
        persist: bool = True,
        speed: float = 1.0,
        net_check: Callable[[], bool] = internet_reachable,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        settings = settings or AppSettings()
        config = config or PipelineConfig(
            model_variant=settings.model_variant, profile=settings.profile
        )
        self.store = SettingsStore(settings, config, persist=persist, parent=self)
        # Before any widget exists: widgets that translate once at construction
        # (``_("...")``) must already see the UI language.
        apply_language(self.store.language)
        self._session_dir: Path | None = None
        self._source_wh: tuple[int, int] | None = None  # for the profile-resolution warning
        self._notice_folder: Path | None = None

        self.video = VideoView()
        self.empty = EmptyState(settings.language)
        self.notice = NoticeBar()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.video)
        self.stack.addWidget(self.empty)
        self.metrics_panel = MetricsPanel(settings.language)
        self.quality_panel = QualityPanel(settings.language)
        self.view_label = QLabel()
        self.view_combo = QComboBox()
        self.detected_label = QLabel()
        self.profile_label = QLabel()  # the calibration profile in use (or none)
        # Shown when a view set by hand contradicts the body (nothing is judged then).
        self.view_warning = QLabel()
        self.view_warning.setWordWrap(True)
        self.view_warning.setStyleSheet(
            "background: #5a4300; color: white; padding: 6px; border-radius: 3px;"
        )
        self.view_warning.hide()
        self.profile_label.setWordWrap(True)
        self.mirror_check = QCheckBox()
        self.snapshot_button = QPushButton()
        self.snapshot_button.setMinimumHeight(40)
        for w in (self.view_combo, self.mirror_check, self.snapshot_button):
            w.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep Space / digits for shortcuts
        self.level_label = QLabel()  # camera level, when the printed board is in view
        self.status_label = QLabel()
        # The active calibration profile, also in the status bar so it is always in view.
        self.status_profile_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_profile_label)
        self.statusBar().addPermanentWidget(self.level_label)
        self.statusBar().addPermanentWidget(self.status_label)
        self._side = QVBoxLayout()
        self._build_layout()

        self.session = LiveSessionController(
            self.store,
            self.video,
            source_factory=source_factory,
            pipeline_factory=pipeline_factory,
            renderer_factory=renderer_factory,
            speed=speed,
            parent=self,
        )
        self.snapshots = SnapshotController(export_renderer_factory, self)
        self.calibration = CalibrationController(self.store, self.session, self)
        self.models = ModelAvailability(net_check, self)
        # The variant to go back to when a newly chosen one cannot be loaded.
        self._variant_fallback: str | None = None
        self.visit = VisitController(self.session, hold_s=settings.hold_s, parent=self)
        self.visit.follow_snapshots(self.snapshots)  # Space during a visit belongs to it
        self.visit_panel = VisitPanel(self.visit)
        self.add_side_widget(self.visit_panel)
        self.video.overlays.append(GhostLayer(self.visit, lambda: self.store.settings.mirror))
        # Not ``self.actions``: that would shadow QWidget.actions().
        self.window_actions: Actions = build_actions(self)
        self.points = PointsController(self, export_renderer_factory)
        self._connect()
        self._sync_widgets()
        self.retranslate()
        self.resize(1400, 820)
        # Start with the keyboard on the picture, not in a side-panel text field
        # (where Space would type a blank instead of taking a snapshot).
        self.video.setFocus()
        # Privacy: no network traffic unless it is needed and asked for. The
        # reachability check runs when the Settings menu (with the model variants)
        # first opens, and only when a variant is not cached.
        self.window_actions.menus["menu_settings"].aboutToShow.connect(self._check_models)
        self.session.start(source if source is not None else str(settings.camera_index))

    def _check_models(self) -> None:
        from posture_cam.pose.model_files import catalogue
        from posture_cam.pose.model_store import find_cached

        if any(find_cached(v) is None for v in catalogue()):
            self.models.start()

    # -- convenience views of the controllers' state ------------------------------------

    @property
    def settings(self) -> AppSettings:
        return self.store.settings

    @property
    def config(self) -> PipelineConfig:
        return self.store.config

    @property
    def latest(self) -> live.LiveResult | None:
        """The newest live result of the current source."""
        return self.session.latest

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
        col.addWidget(self.view_warning)
        col.addWidget(self.profile_label)
        col.addWidget(self.mirror_check)
        col.addWidget(self.snapshot_button)
        col.addWidget(self.metrics_panel, 3)
        col.addWidget(self.quality_panel, 1)
        col.addLayout(self._side)
        # The notice floats over the video: showing it never moves the layout.
        left = OverlayHost(self.stack, self.notice)
        central = QWidget()
        row = QHBoxLayout(central)
        row.addWidget(left, 1)
        row.addWidget(side)
        self.setCentralWidget(central)

    def add_side_widget(self, widget: QWidget, stretch: int = 0) -> None:
        """Add a widget at the bottom of the side column (patient / visit parts)."""
        self._side.addWidget(widget, stretch)

    def _connect(self) -> None:
        a = self.window_actions
        a["open_file"].triggered.connect(self.open_file_dialog)
        a["choose_camera"].triggered.connect(self.choose_camera_dialog)
        a["retry_camera"].triggered.connect(self.session.retry)
        a["snapshot"].triggered.connect(self.take_snapshot)
        a["cancel_snapshot"].triggered.connect(self.snapshots.cancel)
        a["quit"].triggered.connect(self.close)
        a["mirror"].toggled.connect(self._on_mirror_changed)
        a["fullscreen"].toggled.connect(self._on_fullscreen_changed)
        a["skeleton_only_display"].toggled.connect(self._on_display_privacy_changed)
        a["zoom_in"].triggered.connect(lambda: self.video.zoom_by(STEP))
        a["zoom_out"].triggered.connect(lambda: self.video.zoom_by(1 / STEP))
        a["zoom_fit"].triggered.connect(self.video.fit)
        a["zoom_person"].triggered.connect(self.video.zoom_to_person)
        a["strict_quality"].toggled.connect(lambda on: self.store.update(strict_quality=bool(on)))
        a["data_folder"].triggered.connect(self.choose_data_folder)
        a["data_folder_default"].triggered.connect(lambda: self.store.update(data_folder=None))
        a["calibration"].triggered.connect(self.calibration.open_wizard)
        a["shortcuts"].triggered.connect(lambda: ShortcutsDialog(self.store.language, self).exec())
        for index, action in enumerate(a.views):
            action.triggered.connect(lambda _=False, i=index: self.set_view_index(i))
        for code, action in a.languages.items():
            action.triggered.connect(lambda _=False, c=code: self._on_language_changed(c))
        for mode, action in a.privacy.items():
            action.triggered.connect(lambda _=False, m=mode: self.store.update(export_privacy=m))
        for variant, action in a.variants.items():
            action.triggered.connect(lambda _=False, v=variant: self._on_variant_changed(v))
        self.models.answered.connect(lambda _online: self._refresh_variants())
        self.store.settingsChanged.connect(self._sync_widgets)
        self.store.saveFailed.connect(
            lambda why: self.notice.show_notice(
                _("Settings apply now but cannot be saved: {why}").format(why=why), error=True
            )
        )
        self.store.configChanged.connect(self._sync_widgets)
        self.view_combo.currentIndexChanged.connect(self._on_view_override_changed)
        self.mirror_check.toggled.connect(self._on_mirror_changed)
        self.snapshot_button.clicked.connect(self.take_snapshot)
        self.empty.retryRequested.connect(self.session.retry)
        self.empty.chooseCameraRequested.connect(self.choose_camera_dialog)
        self.empty.openFileRequested.connect(self.open_file_dialog)
        self.notice.actionTriggered.connect(self._on_notice_action)
        self.session.started.connect(self._on_session_started)
        self.session.resultReady.connect(self._on_result_ready)
        # The source opens only after the pipeline (and its model) was built.
        self.session.sourceOpened.connect(self._on_source_opened)
        self.session.failed.connect(self._on_live_failed)
        self.session.ended.connect(self._on_live_ended)
        self.session.detectedChanged.connect(self.detected_label.setText)
        self.session.statusChanged.connect(self._on_status_changed)
        self.snapshots.bannerChanged.connect(self.video.set_banner)
        self.snapshots.stateChanged.connect(self._on_snapshot_state_changed)
        self.snapshots.saved.connect(self._on_snapshot_saved)
        self.snapshots.failed.connect(lambda msg: self.notice.show_notice(msg, error=True))

    def _sync_widgets(self, *_changed: object) -> None:
        """Settings -> widgets, without echoing back into the handlers."""
        s, a = self.store.settings, self.window_actions
        guarded = (
            self.mirror_check,
            self.view_combo,
            a["mirror"],
            a["skeleton_only_display"],
            a["strict_quality"],
        )
        blockers = [QSignalBlocker(w) for w in guarded]
        self.mirror_check.setChecked(s.mirror)
        a["mirror"].setChecked(s.mirror)
        a["skeleton_only_display"].setChecked(s.display_skeleton_only)
        a["strict_quality"].setChecked(s.strict_quality)
        index = VIEWS.index(self.store.config.view)
        self.view_combo.setCurrentIndex(index)
        a.views[index].setChecked(True)
        a.languages[s.language].setChecked(True)
        a.privacy[s.export_privacy].setChecked(True)
        a.variants[self.store.config.model_variant].setChecked(True)
        del blockers
        self._show_profile()

    def _show_profile(self) -> None:
        text, warn = profile_line(self.store.config.profile, self._source_wh, self.store.language)
        self.profile_label.setText(text)
        self.profile_label.setStyleSheet("color: #b36b00;" if warn else "")
        self.status_profile_label.setText(text)
        self.status_profile_label.setStyleSheet("color: #b36b00;" if warn else "")

    def retranslate(self) -> None:
        lang = self.store.language
        apply_language(lang)
        self.setWindowTitle(tr("app_title", lang))
        self.window_actions.retranslate(lang)
        self._refresh_variants()
        with QSignalBlocker(self.view_combo):
            # From the store, not the combo: the combo is still empty on the first call.
            index = VIEWS.index(self.store.config.view)
            self.view_combo.clear()
            self.view_combo.addItems([tr(k, lang) for k in VIEW_KEYS])
            self.view_combo.setCurrentIndex(index)
        self.view_label.setText(tr("view", lang) + ":")
        self._show_profile()
        self.mirror_check.setText(f"{tr('mirror', lang)}  ({key_text('M')})")
        self.snapshot_button.setText(f"{tr('snapshot', lang)}  ({key_text('Space')})")
        self.snapshot_button.setToolTip(tr("snapshot_tip", lang))
        self.metrics_panel.retranslate(lang)
        self.quality_panel.retranslate(lang)
        self.empty.retranslate(lang)
        self.notice.action_button.setText(tr("open_folder", lang))
        self.visit_panel.retranslate()

    # -- settings handlers -------------------------------------------------------------

    def _on_mirror_changed(self, checked: bool) -> None:
        self.store.update(mirror=bool(checked))

    def _on_display_privacy_changed(self, checked: bool) -> None:
        self.store.update(display_skeleton_only=bool(checked))

    def _on_language_changed(self, language: str) -> None:
        self.store.update(language=language)
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
        if index >= 0:
            self.store.update_config(view=VIEWS[index])

    def _on_variant_changed(self, variant: str) -> None:
        previous = self.store.config.model_variant
        if variant == previous:
            return
        self._variant_fallback = previous
        self.store.update_config(model_variant=variant)
        self.store.update(model_variant=variant)
        self.notice.show_notice(tr("restart_needed", self.store.language))
        self.session.retry()

    def _refresh_variants(self) -> None:
        """Enable the usable model variants; a disabled one says why in its tooltip."""
        lang, online = self.store.language, self.models.online
        for variant, action in self.window_actions.variants.items():
            reason = unavailable_reason(variant, online, lang)
            action.setEnabled(reason is None)
            action.setToolTip(reason or "")

    def _revert_variant(self, error: live.LiveError) -> bool:
        """A newly chosen model failed to load: go back to the last one, say why."""
        previous, self._variant_fallback = self._variant_fallback, None
        if previous is None or error.kind != "model":
            return False
        failed = self.store.config.model_variant
        self.store.update_config(model_variant=previous)
        self.store.update(model_variant=previous)
        self.session.retry()
        lang = self.store.language
        why = unavailable_reason(failed, False, lang) or tr("model_not_loaded", lang)
        self.notice.show_notice(
            tr("model_kept", lang, variant=failed, why=why, previous=previous), error=True
        )
        self._refresh_variants()
        return True

    # -- sources and folders -----------------------------------------------------------

    def choose_camera_dialog(self) -> None:
        """The camera chooser; the live camera is released while it previews."""
        previous = self.session.current_spec()
        was_camera = is_camera_spec(previous) and self.session.worker is not None
        if was_camera:
            self.session.stop()
        index = camera_chooser.ask_camera(
            self, self.store.language, self.store.settings.camera_index
        )
        if index is not None:
            self.store.update(camera_index=index)
            self.session.start(str(index))
        elif was_camera:
            self.session.start(previous)

    def open_file_dialog(self) -> None:
        path = source_dialogs.ask_video_or_photo(self, self.store.language)
        if path:
            self.session.start(path)

    def choose_data_folder(self) -> None:
        s = self.store.settings
        start = s.data_folder or str(snapshot.paths.sessions_dir())
        folder = source_dialogs.ask_folder(self, s.language, start)
        if folder:
            self._session_dir = None
            self.store.update(data_folder=folder)

    # -- live session -> widgets -------------------------------------------------------

    def _on_session_started(self, spec: str) -> None:
        self.snapshots.cancel()
        self.stack.setCurrentWidget(self.video)
        # "Retry camera" only makes sense for a camera, never for a video or a photo.
        self.window_actions["retry_camera"].setEnabled(is_camera_spec(spec))

    def _on_source_opened(self, _info: live.SourceInfo) -> None:
        self._variant_fallback = None  # the chosen model loaded

    def _on_result_ready(self, result: live.LiveResult) -> None:
        self.snapshots.add_result(result)
        if result.result.frame.resolution_wh != self._source_wh:
            self._source_wh = result.result.frame.resolution_wh
            self._show_profile()  # warn when the profile was made at another resolution
        self._show_view_warning(result.result.view)
        self.metrics_panel.update_result(result.result)
        self.quality_panel.update_result(result.result)

    def _show_view_warning(self, view: ViewEstimate) -> None:
        contradicted = bool(view.forced and view.reason)
        if contradicted:
            lang = self.store.language
            name = tr(f"view_{view.view}", lang)
            text = tr("view_contradicts", lang, view=name)
            if self.view_warning.text() != text:
                self.view_warning.setText(text)
        if self.view_warning.isVisible() != contradicted:
            self.view_warning.setVisible(contradicted)

    def _on_live_failed(self, error: live.LiveError) -> None:
        self.snapshots.cancel()
        # The numbers on screen belong to a stream that is gone: never leave them there.
        self.metrics_panel.clear()
        self.quality_panel.clear()
        self.detected_label.setText("")
        self._on_status_changed("", "")
        if self._revert_variant(error):
            return
        self.empty.show_problem(ERROR_TITLES.get(error.kind, "bug_title"), error.message)
        self.empty.retry_button.setVisible(is_camera_spec(self.session.current_spec()))
        self.stack.setCurrentWidget(self.empty)

    def _on_live_ended(self) -> None:
        self.empty.show_problem("video_ended", "", retry_key="play_again")
        self.empty.retry_button.setVisible(True)
        self.stack.setCurrentWidget(self.empty)

    def _on_status_changed(self, status: str, level: str) -> None:
        self.status_label.setText(status)
        self.level_label.setText(level)

    # -- snapshots ---------------------------------------------------------------------

    def session_dir(self) -> Path:
        """This run's session folder (chosen on the first snapshot)."""
        if self._session_dir is None:
            self._session_dir = snapshot.new_session_dir(self.store.settings.data_folder)
        return self._session_dir

    def take_snapshot(self) -> None:
        """Start the snapshot countdown on the current source."""
        s, latest = self.store.settings, self.session.latest
        if latest is None:
            reason = tr("snapshot_no_result", s.language)
            self.notice.show_notice(tr("snapshot_failed", s.language, reason=reason), error=True)
            return
        if self.snapshots.busy:
            return
        info = self.session.source_info
        ctx = SnapshotContext(
            source=latest.result.frame.source_id,
            model_path=info.model_path if info else None,
            profile=self.store.config.profile,
            privacy=s.export_privacy,
            language=s.language,
            folder=self.session_dir(),
            countdown_s=s.countdown_s,
            hold_s=s.hold_s,
            require_quality=s.require_quality,
            strict=s.strict_quality,
        )
        self.notice.hide()
        self.snapshots.start(ctx, latest.result)

    def _on_snapshot_state_changed(self, state: str) -> None:
        self.snapshot_button.setEnabled(state == "idle")

    def _on_snapshot_saved(self, files: snapshot.SnapshotFiles) -> None:
        lang = self.store.language
        self._notice_folder = files.folder
        reasons = self.snapshots.last_quality_reasons
        if reasons:
            shown = "; ".join(localized(r, lang) for r in reasons)
            text = tr("saved_not_clinical", lang, folder=str(files.folder), reasons=shown)
        else:
            text = tr("saved", lang, folder=str(files.folder))
        # A not-clinical snapshot stays until dismissed: the therapist must read why.
        self.notice.show_notice(text, tr("open_folder", lang), error=bool(reasons))

    def _on_notice_action(self) -> None:
        if self._notice_folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._notice_folder)))

    # -- closing -----------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.snapshots.cancel()
        self.session.shutdown()
        self.visit.close()
        super().closeEvent(event)
