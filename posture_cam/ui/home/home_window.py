"""The home window: one large instruction, the mirror view, two spirit levels, then
the result card.

Composition: the live worker (:class:`~posture_cam.ui.live_worker.LiveWorker`,
iterating the Qt-free live loop) paints into a
:class:`~posture_cam.ui.widgets.video_view.VideoView`; every result is fed to the Qt-free
:class:`~posture_cam.home.session.HomeCheckSession` on the GUI thread (a few
microseconds), and the returned state is only rendered here. When the session
captures, the worker stops, the check is saved to the history and written to the
export folder at once (no key press needed), and the result card is shown.

When the file cannot be written (a read-only folder, a full disk, a file in the way)
the card says so, why and what to do, and offers *Save again* and *Choose folder…*: the
capture stays in memory until it is written or the patient starts a new check. Such a
check stays in the history with no file (``file: null``), and the history on later
cards says that the therapist did not get it. Closing the window (its close button or
Ctrl+Q) with such a check asks first. When the camera gives no picture the
window says why and offers *Try again*, *Choose camera…* and *Open a video…*.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import (
    QCloseEvent,
    QDesktopServices,
    QGuiApplication,
    QImage,
    QKeySequence,
    QPixmap,
    QShortcut,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from posture_cam import live
from posture_cam.app_settings import load_settings, save_settings
from posture_cam.config import PipelineConfig
from posture_cam.errors import InputError, OutputError
from posture_cam.home import build_home_check, patient_sentences, write_home_check
from posture_cam.home.capture_result import HomeCapture
from posture_cam.home.check_file import skeleton_image
from posture_cam.home.display import HomeRenderer, crop_to_drawing
from posture_cam.home.history import HistoryEntry, HomeHistory
from posture_cam.home.session import HomeCheckSession, HomeState, Phase
from posture_cam.home.sources import refuse_photo
from posture_cam.i18n import _, current_language
from posture_cam.ui.dialogs import camera_chooser
from posture_cam.ui.home.fitted_picture import FittedPicture
from posture_cam.ui.home.level_bar import LevelBar
from posture_cam.ui.home.result_card import ResultCard
from posture_cam.ui.home.source_problem import SourceProblem, ask_video, error_title
from posture_cam.ui.live_worker import LiveWorker
from posture_cam.ui.widgets.video_view import VideoView

_STYLE = (
    "QMainWindow, #homeRoot { background: #121417; }"
    "#homeInstruction { color: #f1f3f4; font-size: 40px; font-weight: 600; }"
    "#homeHint { color: #9aa0a6; font-size: 16px; }"
    "QProgressBar { background: #2b2f33; border: none; border-radius: 3px; }"
    "QProgressBar::chunk { background: #3fae5a; border-radius: 3px; }"
)

log = logging.getLogger(__name__)


def _pixmap(image_bgr) -> QPixmap:
    h, w = image_bgr.shape[:2]
    rgb = image_bgr[:, :, ::-1].copy()
    return QPixmap.fromImage(QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy())


class HomeWindow(QMainWindow):
    """Home mode for a patient alone at the webcam.

    Args:
        source: camera index as text, or a video / photo path.
        export_dir: where each check's file is written for the therapist.
        config: pipeline settings (model path / variant ...).
        mirror: show the picture as a mirror (default; labels stay anatomical).
        skeleton_only: show no camera pixels (privacy, screenshots).
        hold_s: seconds the check must hold still for the automatic capture.
        source_factory, pipeline_factory: passed to the live worker (tests use fakes).
        speed: video-file playback speed (1.0 = native; a slow machine or a
            screenshot script may lower it).
        parent: Qt parent.
    """

    def __init__(
        self,
        source: str,
        export_dir: str | Path,
        config: PipelineConfig | None = None,
        *,
        mirror: bool = True,
        skeleton_only: bool = False,
        hold_s: float = 2.0,
        source_factory: live.SourceFactory = live.default_source_factory,
        pipeline_factory: live.PipelineFactory = live.default_pipeline_factory,
        speed: float = 1.0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.source = str(source)
        self.export_dir = Path(export_dir).expanduser()
        self.config = config or PipelineConfig()
        self.mirror = mirror
        self.skeleton_only = skeleton_only
        self.session = HomeCheckSession(hold_s=hold_s)
        self.history = HomeHistory()
        self.worker: LiveWorker | None = None
        # Workers that did not stop in time: destroying a running QThread aborts.
        self._retired: list[LiveWorker] = []
        self.model_path: str | None = None
        self.written: Path | None = None
        self.capture: HomeCapture | None = None
        #: Why the file of this check could not be written (one line), or None.
        self.save_error: str | None = None
        #: Why the source gives no picture, or None while it does.
        self.source_error: live.LiveError | None = None
        #: Ctrl+Q is closing the window (the patient asked, as with the close button).
        self._quit_requested = False
        self._factories = (source_factory, pipeline_factory)
        self._speed = speed
        self._started_s = 0.0
        self.capture_wall_s: float | None = None  # seconds from start to the capture
        self._build()
        self.retranslate()
        self.start_check()

    # -- layout -------------------------------------------------------------------------

    def _build(self) -> None:
        self.setObjectName("homeWindow")
        self.setStyleSheet(_STYLE)
        self.instruction = QLabel()
        self.instruction.setObjectName("homeInstruction")
        self.instruction.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.instruction.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(6)
        self.video = VideoView()
        self.source_problem = SourceProblem()
        self.source_problem.retryRequested.connect(self.start_check)
        self.source_problem.chooseCameraRequested.connect(self._choose_camera)
        self.source_problem.openVideoRequested.connect(self._open_video)
        self.view_pages = QStackedWidget()
        self.view_pages.addWidget(self.video)
        self.view_pages.addWidget(self.source_problem)
        self.head_level = LevelBar("", "head_tilt", mirror=self.mirror)
        self.shoulder_level = LevelBar("", "shoulder_tilt", mirror=self.mirror)
        self.hint = QLabel()
        self.hint.setObjectName("homeHint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        levels = QHBoxLayout()
        levels.addWidget(self.head_level)
        levels.addSpacing(24)
        levels.addWidget(self.shoulder_level)
        live_page = QWidget()
        col = QVBoxLayout(live_page)
        col.setContentsMargins(24, 18, 24, 18)
        col.addWidget(self.instruction)
        col.addWidget(self.progress)
        col.addWidget(self.view_pages, 1)
        self.levels = QWidget()
        self.levels.setLayout(levels)
        col.addWidget(self.levels)
        col.addWidget(self.hint)
        self.card = ResultCard()
        self.card.sendRequested.connect(self._on_send_requested)
        self.card.againRequested.connect(self._on_again_requested)
        self.card.saveAgainRequested.connect(self.save_file)
        self.card.chooseFolderRequested.connect(self._choose_folder)
        self.picture = FittedPicture(560)
        self.picture.setMinimumWidth(320)
        result_page = QWidget()
        row = QHBoxLayout(result_page)
        row.setContentsMargins(32, 32, 32, 32)
        row.addWidget(self.picture, 2)
        row.addWidget(self.card, 3)
        self.pages = QStackedWidget()
        self.pages.setObjectName("homeRoot")
        self.pages.addWidget(live_page)
        self.pages.addWidget(result_page)
        self.setCentralWidget(self.pages)
        self.resize(1100, 800)
        QShortcut(QKeySequence.StandardKey.Quit, self).activated.connect(self._on_quit_requested)
        QShortcut(QKeySequence("F"), self).activated.connect(self._toggle_fullscreen)

    def retranslate(self) -> None:
        self.setWindowTitle(_("posture_cam: home check"))
        self.head_level.caption = _("Head")
        self.shoulder_level.caption = _("Shoulders")
        self._show_hint()
        self.source_problem.retranslate()
        self.card.retranslate()

    def _show_hint(self) -> None:
        if self.source_error is None:
            self.hint.setText(_("Sit or stand as you normally do. The check starts by itself."))
        else:  # nothing starts by itself without a picture
            self.hint.setText(_("The check starts by itself once there is a picture."))

    def _toggle_fullscreen(self) -> None:
        self.setWindowState(self.windowState() ^ Qt.WindowState.WindowFullScreen)

    # -- the check ----------------------------------------------------------------------

    def start_check(self) -> None:
        """Start (or restart) the live view and a new check."""
        self._stop_worker()
        self.session.restart()
        self.capture = None
        self.written = None
        self.save_error = None
        self.capture_wall_s = None
        self.source_error = None
        self.view_pages.setCurrentWidget(self.video)
        self.levels.show()
        self._show_hint()
        self.pages.setCurrentIndex(0)
        self._show_state(self.session.state)
        # Until the first frame is analysed (the model may take seconds to load) there
        # is nothing to instruct yet: "step into view" would confuse someone in view.
        self.instruction.setText(_("Getting ready…"))
        source_factory, pipeline_factory = self._factories
        render = live.RenderOptions(
            mirror=self.mirror, language=current_language(), skeleton_only=self.skeleton_only
        )
        skeleton_only = self.skeleton_only
        worker = LiveWorker(
            self.source,
            self.config,
            render,
            source_factory=source_factory,
            pipeline_factory=pipeline_factory,
            renderer_factory=lambda options: HomeRenderer(skeleton_only=skeleton_only),
            video_end="loop",
            speed=self._speed,
            parent=self,
        )
        worker.resultReady.connect(self._on_result)
        worker.sourceOpened.connect(self._on_source_opened)
        worker.failed.connect(self._on_failed)
        self.worker = worker
        self._started_s = time.perf_counter()
        worker.start()

    def _stop_worker(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            for signal in (worker.resultReady, worker.sourceOpened, worker.failed):
                signal.disconnect()
            if not worker.stop():
                self._retired.append(worker)

    def wait_for_workers(self, timeout_s: float) -> bool:
        """Stop the worker if it still runs (the event loop may have quit without a
        close event) and wait for every stopped worker still closing its model; True
        when none runs."""
        self._stop_worker()
        end = time.perf_counter() + timeout_s
        for worker in self._retired:
            worker.wait(max(0, int((end - time.perf_counter()) * 1000)))
        self._retired = [w for w in self._retired if not w.isFinished()]
        return not self._retired

    def _on_source_opened(self, info: live.SourceInfo) -> None:
        self.model_path = info.model_path

    def _on_failed(self, error: live.LiveError) -> None:
        """No picture: say why (title large, the error's line below) and what to do."""
        self.source_error = error
        self.instruction.setText(error_title(error))
        self.progress.setValue(0)
        self.source_problem.show_error(error, can_retry=self.source.strip().isdigit())
        self.view_pages.setCurrentWidget(self.source_problem)
        self.levels.hide()
        self._show_hint()

    def _choose_camera(self) -> None:
        """The camera chooser (it previews the cameras); the chosen one is remembered."""
        self._stop_worker()
        current = int(self.source) if self.source.strip().isdigit() else 0
        index = camera_chooser.ask_camera(self, current_language(), current)
        if index is None:
            return
        self._remember_setting(camera_index=index)
        self.source = str(index)
        self.start_check()

    def _open_video(self) -> None:
        path = ask_video(self)
        if not path:
            return
        try:
            refuse_photo(path)  # chosen under "All files": it would wait for ever
        except InputError as exc:
            self._on_failed(live.LiveError("input", str(exc)))
            return
        self.source = path
        self.start_check()

    def _remember_setting(self, **changes) -> None:
        """Save a choice in the settings; a settings file that cannot be written only
        loses the memory of it."""
        try:
            save_settings(dataclasses.replace(load_settings(), **changes))
        except (OutputError, OSError) as exc:
            log.warning("settings not saved: %s", exc)

    def _on_result(self, result: live.LiveResult) -> None:
        if self.worker is None or self.sender() is not self.worker:
            return  # a queued result of a worker that was already stopped
        self.video.show_result(result)
        state = self.session.feed(result.result)
        self._show_state(state)
        if state.phase is Phase.CAPTURED and state.capture is not None:
            self._on_captured(state.capture)

    def _show_state(self, state: HomeState) -> None:
        if state.phase is Phase.COUNTDOWN and state.countdown is not None:
            self.instruction.setText(patient_sentences.countdown_text(state.countdown))
        else:
            self.instruction.setText(patient_sentences.instruction_text(state.instruction))
        self.progress.setValue(round(1000 * state.progress))
        self.head_level.set_tilt(state.levels.head_tilt_deg)
        self.shoulder_level.set_tilt(state.levels.shoulder_tilt_deg)

    def _on_captured(self, capture: HomeCapture) -> None:
        self.capture_wall_s = time.perf_counter() - self._started_s
        self._stop_worker()
        self.capture = capture
        earlier = self.history.entries()
        # No file yet (file: null): it stays so, marked unsent, if writing it fails.
        self._remember(
            HistoryEntry(capture.check_id, capture.time, str(capture.view), capture.values())
        )
        # The whole picture, scaled to the space the card leaves it (value labels too).
        self.picture.set_picture(
            _pixmap(
                crop_to_drawing(
                    skeleton_image(capture, current_language(), mirror=self.mirror, labels=False)
                )
            )
        )
        self.card.show_capture(capture, earlier)
        self.pages.setCurrentIndex(1)
        self.save_file()

    def _remember(self, entry: HistoryEntry) -> None:
        """Add ``entry`` to the history; a history that cannot be written must not cost
        the check (the card still shows it, the file is written apart)."""
        try:
            self.history.append(entry)
        except (OutputError, OSError) as exc:
            log.warning("home history not saved: %s", exc)

    def write_file(self) -> Path:
        """Write this check's file into the export folder (once) and say where.

        Raises:
            OutputError, OSError: the file could not be written (:meth:`save_file`
                shows it on the card instead).
        """
        capture = self.capture
        assert capture is not None
        if self.written is None:
            doc = build_home_check(capture, model_path=self.model_path, language=current_language())
            self.written = write_home_check(doc, self.export_dir)
            self.save_error = None
            self._remember(
                HistoryEntry(
                    capture.check_id,
                    capture.time,
                    str(capture.view),
                    capture.values(),
                    str(self.written),
                )
            )
        self.card.show_sent(str(self.written))
        return self.written

    def save_file(self) -> Path | None:
        """:meth:`write_file`, or None when it cannot be written: the card then says
        that the check was not saved, why and what to do, and offers to try again."""
        try:
            return self.write_file()
        except (OutputError, OSError) as exc:
            self.save_error = str(exc)
            self.card.show_not_saved(self.save_error)
            return None

    def _choose_folder(self) -> None:
        """Ask for another export folder (remembered for later checks) and save there."""
        start = self.export_dir
        while not start.is_dir() and start != start.parent:
            start = start.parent
        folder = QFileDialog.getExistingDirectory(
            self, _("Choose a folder for your therapist's files"), str(start)
        )
        if not folder:
            return
        self.export_dir = Path(folder)
        self._remember_setting(home_export_dir=folder)
        self.save_file()

    def _on_again_requested(self) -> None:
        """A new check; one whose file was not written is dropped only when confirmed."""
        if self.capture is not None and self.written is None:
            answer = QMessageBox.question(
                self,
                _("Check again"),
                _(
                    "This check was not saved for your therapist. Start a new check"
                    " anyway? (Its numbers stay in your earlier checks.)"
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.start_check()

    def _on_send_requested(self) -> None:
        path = self.save_file()
        if path is None:
            return
        # Open the folder so the file can be attached to an e-mail or a portal upload.
        folder = str(path.parent)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(folder)):
            # No file manager (or none that answers): the path, selectable and copied.
            clipboard = QGuiApplication.clipboard()
            if clipboard is not None:
                clipboard.setText(folder)
            self.card.show_folder_not_opened(folder)

    def _on_quit_requested(self) -> None:
        """Ctrl+Q: close as the window's close button does (asking first when needed)."""
        self._quit_requested = True
        try:
            self.close()
        finally:
            self._quit_requested = False

    def may_close(self) -> bool:
        """True unless a captured check was not saved and the patient chose to stay."""
        if self.capture is None or self.written is not None:
            return True
        answer = QMessageBox.question(
            self,
            _("Close"),
            _(
                "This check was not saved for your therapist. Close anyway? (Its numbers"
                " stay in your earlier checks; Save again or Choose folder… on the card"
                " saves it.)"
            ),
            QMessageBox.StandardButton.Close | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Close

    def closeEvent(self, event: QCloseEvent) -> None:
        # The patient closing the window (its close button, Ctrl+Q) is asked about an
        # unsaved check; Ctrl+C / SIGTERM in the terminal and programmatic closes are not.
        asked_by_patient = event.spontaneous() or self._quit_requested
        if asked_by_patient and not self.may_close():
            event.ignore()
            return
        self._stop_worker()
        super().closeEvent(event)
