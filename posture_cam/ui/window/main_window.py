"""The main window: live view, metrics, quality checklist, view override, snapshots.

The window lays out parts and wires small controllers that each own their state and
talk through signals and public methods:

* :class:`SettingsStore` — the app settings and the pipeline config (frozen snapshots);
* :class:`LiveSessionController` — the live worker, its stale-signal guard, the
  status text;
* :class:`SidePanel` — view choice, profile line, mirror, snapshot button, metrics
  table and quality checklist;
* :class:`StatusLine` — profile, camera level and live status in the status bar;
* :class:`SnapshotController` — countdown, averaged capture, files;
  :class:`SnapshotDesk` — what a snapshot is of, its session folder, the saved notice;
* :class:`CalibrationController` — the calibration wizard and applying its profile;
* :class:`MarkerSettingsController` — the *Skin markers* dialog and applying its choice
  (the side panel's marker line says what each frame found);
* :class:`ModelVariants` — the *Pose model* menu and going back when a model fails;
* :class:`SecondModelInstaller` — installing the second keypoint model for photos from it;
* :class:`SourcePicker` — another camera, a video or photo file, the snapshot folder;
* :class:`LivePages` — the live video, or the empty page that says why there is none;
* :class:`VisitController` — patient and visit capture (its :class:`VisitPanel` sits
  in the side column, its :class:`GhostLayer` on the video);
* :class:`PointsController` — freezing a capture to move or place points.

Settings flow one way: ``widget -> _on_<thing>_changed -> store.update(...)`` (saved,
then announced), and :meth:`MainWindow._sync_widgets` sets the widgets back from the
store under a ``QSignalBlocker`` (napari's two-way binding with a loop guard).

A new part gets the store and the session (``session.resultReady``,
``snapshots.saved``) and adds its widgets with :meth:`MainWindow.add_side_widget`. Home
mode has a window of its own (:mod:`posture_cam.ui.home.home_window`) on the same
:class:`~posture_cam.ui.live_worker.LiveWorker` and video view.

Factories for the source, the pipeline and the renderers are injectable so tests and
benchmarks build the window with fakes (no model, no camera).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QStyle,
    QWidget,
)

from posture_cam import live
from posture_cam.app_settings import AppSettings
from posture_cam.config import PipelineConfig
from posture_cam.i18n import _, using_language
from posture_cam.ui.dialogs.shortcuts import ShortcutsDialog
from posture_cam.ui.i18n import apply_language
from posture_cam.ui.points import PointsController
from posture_cam.ui.records import GhostLayer, VisitController, VisitPanel
from posture_cam.ui.widgets.notices import EmptyState, NoticeBar, OverlayHost
from posture_cam.ui.widgets.video_view import VideoView
from posture_cam.ui.widgets.zoom import STEP
from posture_cam.ui.window.calibration_controller import CalibrationController
from posture_cam.ui.window.live_pages import LivePages
from posture_cam.ui.window.live_session import LiveSessionController
from posture_cam.ui.window.marker_settings import MarkerSettingsController
from posture_cam.ui.window.menus import VIEWS, Actions, build_actions
from posture_cam.ui.window.model_menu import ModelVariants, internet_reachable
from posture_cam.ui.window.profile_text import profile_line
from posture_cam.ui.window.second_model_menu import (
    Builder,
    SecondModelInstaller,
    build_into_user_folder,
)
from posture_cam.ui.window.settings_store import SettingsStore
from posture_cam.ui.window.side_panel import SidePanel
from posture_cam.ui.window.snapshot_capture import (
    ExportRendererFactory,
    SnapshotController,
    default_export_renderer,
)
from posture_cam.ui.window.snapshot_desk import SnapshotDesk
from posture_cam.ui.window.source_picker import SourcePicker, is_camera_spec
from posture_cam.ui.window.status_line import StatusLine

#: The side column can be dragged this narrow (px); it then scrolls sideways.
SIDE_MIN_PX = 320


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
        second_model_builder: fetches and builds the second keypoint model when the
            *Pose model* menu is asked to install it.
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
        second_model_builder: Builder = build_into_user_folder,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        settings = settings or AppSettings()
        config = config or PipelineConfig(**settings.pipeline_fields())
        self.store = SettingsStore(settings, config, persist=persist, parent=self)
        # Before any widget exists: widgets that translate once at construction
        # (``_("...")``) must already see the UI language.
        apply_language(self.store.language)
        self._source_wh: tuple[int, int] | None = None  # for the profile-resolution warning

        self.video = VideoView()
        self.empty = EmptyState(settings.language)
        self.notice = NoticeBar()
        self.stack = LivePages(self.video, self.empty)
        self.side = SidePanel(settings.language)
        self.status_line = StatusLine(self.statusBar())
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
        self.snapshot_desk = SnapshotDesk(
            self.store, self.session, self.snapshots, self.notice, self
        )
        self.calibration = CalibrationController(self.store, self.session, self)
        self.markers = MarkerSettingsController(self.store, self.notice, self)
        self.sources = SourcePicker(self.store, self.session, self)
        self.visit = VisitController(
            self.session, hold_s=settings.hold_s, parent=self, settings=self.store
        )
        self.visit.follow_snapshots(self.snapshots)  # Space during a visit belongs to it
        self.visit_panel = VisitPanel(self.visit)
        self.add_side_widget(self.visit_panel)
        self.video.overlays.append(GhostLayer(self.visit, lambda: self.store.settings.mirror))
        # Not ``self.actions``: that would shadow QWidget.actions().
        self.window_actions: Actions = build_actions(self)
        self.models = ModelVariants(
            self.store, self.session, self.notice, self.window_actions.variants, net_check, self
        )
        self.second_model = SecondModelInstaller(
            self.window_actions.menus["model_variant"],
            self.store,
            self.session,
            self.notice,
            second_model_builder,
            parent=self,
        )
        self.points = PointsController(self, export_renderer_factory)
        self._connect()
        self._sync_widgets()
        self.retranslate()
        self.resize(1400, 820)
        self.splitter.setSizes([max(1, 1400 - self._side_px), self._side_px])
        # Start with the keyboard on the picture, not in a side-panel text field
        # (where Space would type a blank instead of taking a snapshot).
        self.video.setFocus()
        # Privacy: no network traffic unless it is needed and asked for. The
        # reachability check runs when the Settings menu (with the model variants)
        # first opens, and only when a variant is not cached.
        self.window_actions.menus["menu_settings"].aboutToShow.connect(
            self.models.check_when_missing
        )
        # Installed meanwhile (`posture-cam models fetch movenet`): the entry says so.
        self.window_actions.menus["menu_settings"].aboutToShow.connect(self.second_model.refresh)
        self.session.start(source if source is not None else str(settings.camera_index))

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
        # The side column scrolls when it is taller than the window (a laptop screen,
        # a visit in progress), instead of growing the window past the screen.
        side = QScrollArea()
        side.setWidget(self.side)
        side.setWidgetResizable(True)
        side.setFrameShape(QFrame.Shape.NoFrame)
        scrollbar_px = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        self._side_px = self.side.minimumWidth() + scrollbar_px
        side.setMinimumWidth(SIDE_MIN_PX)
        # The notice floats over the video: showing it never moves the layout.
        left = OverlayHost(self.stack, self.notice)
        # A splitter: the side column starts as wide as its table needs (every column
        # whole, in any language); dragging the handle gives the picture more room, and
        # the column then scrolls sideways instead of cutting its words.
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setCollapsible(0, False)
        self.splitter.setCollapsible(1, False)
        self.splitter.setSizes([max(1, self.width() - self._side_px), self._side_px])
        central = QWidget()
        row = QHBoxLayout(central)
        row.addWidget(self.splitter)
        self.setCentralWidget(central)

    def add_side_widget(self, widget: QWidget, stretch: int = 0) -> None:
        """Add a widget at the bottom of the side column (patient / visit parts)."""
        self.side.add_widget(widget, stretch)

    def _connect(self) -> None:
        a = self.window_actions
        a["open_file"].triggered.connect(self.sources.open_file)
        a["choose_camera"].triggered.connect(self.sources.choose_camera)
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
        a["data_folder"].triggered.connect(self.sources.choose_data_folder)
        a["data_folder_default"].triggered.connect(lambda: self.store.update(data_folder=None))
        a["calibration"].triggered.connect(self.calibration.open_wizard)
        a["markers"].triggered.connect(self.markers.open_dialog)
        a["shortcuts"].triggered.connect(lambda: ShortcutsDialog(self.store.language, self).exec())
        for index, action in enumerate(a.views):
            action.triggered.connect(lambda _=False, i=index: self.set_view_index(i))
        for code, action in a.languages.items():
            action.triggered.connect(lambda _=False, c=code: self._on_language_changed(c))
        for mode, action in a.privacy.items():
            action.triggered.connect(lambda _=False, m=mode: self.store.update(export_privacy=m))
        self.store.settingsChanged.connect(self._sync_widgets)
        self.store.saveFailed.connect(
            lambda why: self.notice.show_notice(
                _("Settings apply now but cannot be saved: {why}").format(why=why), error=True
            )
        )
        self.store.configChanged.connect(self._sync_widgets)
        self.side.viewChosen.connect(lambda view: self.store.update_config(view=view))
        self.side.mirrorToggled.connect(self._on_mirror_changed)
        self.side.snapshotRequested.connect(self.take_snapshot)
        self.empty.retryRequested.connect(self.session.retry)
        self.empty.chooseCameraRequested.connect(self.sources.choose_camera)
        self.empty.openFileRequested.connect(self.sources.open_file)
        self.session.started.connect(self._on_session_started)
        self.session.resultReady.connect(self._on_result_ready)
        self.session.failed.connect(self._on_live_failed)
        self.session.ended.connect(self.stack.show_ended)
        self.session.detectedChanged.connect(self.side.detected_label.setText)
        self.session.statusChanged.connect(self.status_line.show_status)
        self.snapshots.bannerChanged.connect(self.video.set_banner)
        self.snapshots.stateChanged.connect(
            lambda state: self.side.set_snapshot_enabled(state == "idle")
        )
        self.snapshots.failed.connect(lambda msg: self.notice.show_notice(msg, error=True))

    def _sync_widgets(self, *_changed: object) -> None:
        """Settings -> widgets, without echoing back into the handlers."""
        s, a = self.store.settings, self.window_actions
        self.side.show_settings(s.mirror, self.store.config.view, self.store.config.markers)
        guarded = (a["mirror"], a["skeleton_only_display"], a["strict_quality"])
        blockers = [QSignalBlocker(w) for w in guarded]
        a["mirror"].setChecked(s.mirror)
        a["skeleton_only_display"].setChecked(s.display_skeleton_only)
        a["strict_quality"].setChecked(s.strict_quality)
        a.views[VIEWS.index(self.store.config.view)].setChecked(True)
        a.languages[s.language].setChecked(True)
        a.privacy[s.export_privacy].setChecked(True)
        a.variants[self.store.config.model_variant].setChecked(True)
        del blockers
        self._show_profile()

    def _show_profile(self) -> None:
        text, warn = profile_line(self.store.config.profile, self._source_wh, self.store.language)
        self.side.show_profile(text, warn)
        self.status_line.show_profile(text, warn)

    def retranslate(self) -> None:
        lang = self.store.language
        apply_language(lang)
        with using_language(lang):
            self.setWindowTitle(_("posture_cam — posture analysis"))
            self.notice.action_button.setText(_("Open folder"))
        self.window_actions.retranslate(lang)
        self.models.refresh()
        self.second_model.refresh()
        self.side.retranslate(lang)
        self._show_profile()
        self.empty.retranslate(lang)
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
        self.side.choose_view(VIEWS[index])

    # -- live session -> widgets -------------------------------------------------------

    def _on_session_started(self, spec: str) -> None:
        self.snapshots.cancel()
        self.stack.show_live()
        # "Retry camera" only makes sense for a camera, never for a video or a photo.
        self.window_actions["retry_camera"].setEnabled(is_camera_spec(spec))

    def _on_result_ready(self, result: live.LiveResult) -> None:
        self.snapshots.add_result(result)
        if result.result.frame.resolution_wh != self._source_wh:
            self._source_wh = result.result.frame.resolution_wh
            self._show_profile()  # warn when the profile was made at another resolution
        self.side.show_result(result.result)

    def _on_live_failed(self, error: live.LiveError) -> None:
        self.snapshots.cancel()
        # The numbers on screen belong to a stream that is gone: never leave them there.
        self.side.clear()
        self.status_line.show_status("", "")
        if self.models.revert(error):
            return
        self.stack.show_error(error, can_retry=is_camera_spec(self.session.current_spec()))

    # -- snapshots ---------------------------------------------------------------------

    def session_dir(self) -> Path:
        """This run's session folder (chosen on the first snapshot)."""
        return self.snapshot_desk.session_dir()

    def take_snapshot(self) -> None:
        """Start the snapshot countdown on the current source."""
        self.snapshot_desk.take()

    # -- closing -----------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.snapshots.cancel()
        self.session.shutdown()
        self.visit.close()
        super().closeEvent(event)
