"""The result card: what the check found in plain words, earlier checks, and sending.

Only layout: the sentences come from :mod:`posture_cam.home.patient_sentences`, the
history from :class:`~posture_cam.home.history.HomeHistory`.
"""

from __future__ import annotations

import datetime as _dt

from babel.dates import format_datetime
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from posture_cam.home import patient_sentences
from posture_cam.home.capture_result import HomeCapture
from posture_cam.home.history import HistoryEntry
from posture_cam.i18n import _, current_language

#: Earlier checks listed under the result.
HISTORY_ROWS = 5


def when_text(when: _dt.datetime) -> str:
    """A check's date and time in the current language ("1 mrt 2026, 09:30")."""
    return format_datetime(when, "d MMM yyyy, HH:mm", locale=current_language())


def history_line(entry: HistoryEntry) -> str:
    """One earlier check in a line: its date, then each value in plain words; a check
    whose file could not be written says that the therapist did not get it."""
    parts = [patient_sentences.result_sentence(mid, value) for mid, value in entry.values.items()]
    # Whole sentences, each with its capital: "…is level. Your right shoulder…"
    line = _("{when}: {results}").format(when=when_text(entry.time), results=". ".join(parts))
    if entry.file is None:
        line = _("{line} (not saved for your therapist)").format(line=line)
    return line


def not_saved_text(error: str) -> str:
    """The card's lines when the check's file could not be written: that it was not
    saved, why (the one-line error) and what to do."""
    return "\n".join(
        (
            _("This check was NOT saved for your therapist."),
            error,
            _("Choose another folder, or free some disk space, then press “Save again”."),
        )
    )


def folder_not_opened_text(folder: str) -> str:
    """Where the file is, when no file manager could open its folder."""
    return _(
        "The folder could not be opened. Your file is in {folder} (the folder's path is"
        " copied): attach the file to an e-mail or the practice's portal."
    ).format(folder=folder)


class ResultCard(QFrame):
    """The card shown once the automatic capture has finished.

    Signals:
        sendRequested: the patient pressed "Send to my therapist".
        againRequested: the patient pressed "Check again".
        saveAgainRequested: "Save again" after the file could not be written.
        chooseFolderRequested: "Choose folder…" after the file could not be written.
    """

    sendRequested = Signal()
    againRequested = Signal()
    saveAgainRequested = Signal()
    chooseFolderRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("homeResultCard")
        self.setStyleSheet(
            "#homeResultCard { background: #1f2327; border-radius: 18px; }"
            "QLabel { color: #e8eaed; }"
            "QPushButton { font-size: 18px; padding: 12px 22px; border-radius: 10px;"
            " color: #e8eaed; background: #3c4043; }"
        )
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 30px; font-weight: 600;")
        self.when = QLabel()
        self.when.setWordWrap(True)  # the capture line is long in Dutch
        self.when.setStyleSheet("font-size: 16px; color: #bdc1c6;")
        self.lines = QLabel()
        self.lines.setWordWrap(True)
        self.lines.setStyleSheet("font-size: 24px; line-height: 140%;")
        self.history_title = QLabel()
        self.history_title.setStyleSheet("font-size: 18px; font-weight: 600; margin-top: 12px;")
        self.history = QLabel()
        self.history.setWordWrap(True)
        self.history.setStyleSheet("font-size: 16px; color: #bdc1c6;")
        self.note = QLabel()
        self.note.setStyleSheet("font-size: 14px; color: #9aa0a6;")
        self.sent = QLabel()
        self.sent.setWordWrap(True)
        self.sent.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sent.setStyleSheet("font-size: 16px; color: #81c995;")
        # The file could not be written (or its folder not opened): what and what to do.
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem.setStyleSheet("font-size: 17px; color: #f28b82;")
        self.problem.hide()
        self.save_again_button = QPushButton()
        self.save_again_button.setStyleSheet("background: #1a73e8; color: white;")
        self.choose_folder_button = QPushButton()
        self.save_again_button.clicked.connect(self.saveAgainRequested)
        self.choose_folder_button.clicked.connect(self.chooseFolderRequested)
        self.save_again_button.hide()
        self.choose_folder_button.hide()
        self.send_button = QPushButton()
        self.send_button.setDefault(True)
        self.send_button.setStyleSheet("background: #1a73e8; color: white;")
        self.again_button = QPushButton()
        self.send_button.clicked.connect(self.sendRequested)
        self.again_button.clicked.connect(self.againRequested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_again_button)
        buttons.addWidget(self.choose_folder_button)
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.again_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(36, 30, 36, 30)
        layout.setSpacing(10)
        for widget in (self.title, self.when, self.lines, self.history_title, self.history):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(self.sent)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)
        layout.addWidget(self.note)
        self._capture: HomeCapture | None = None
        self._earlier: list[HistoryEntry] = []
        self._sent_path: str | None = None
        self._save_error: str | None = None
        self._folder_not_opened: str | None = None
        self.retranslate()

    def show_capture(self, capture: HomeCapture, earlier: list[HistoryEntry]) -> None:
        """Fill the card.

        Args:
            capture: the check just made.
            earlier: previous checks, oldest first (not including this one).
        """
        self._capture = capture
        self._earlier = list(earlier)
        self._sent_path = self._save_error = self._folder_not_opened = None
        self.send_button.setEnabled(True)
        self.retranslate()

    def show_sent(self, path: str) -> None:
        """The file is written at ``path``."""
        self._sent_path, self._save_error = path, None
        self.send_button.setEnabled(True)
        self._show_file_state()

    def show_not_saved(self, error: str) -> None:
        """The file could not be written: say so, why (``error``, one line in the UI's
        language) and offer to try again; nothing to send until then."""
        self._sent_path, self._save_error, self._folder_not_opened = None, error, None
        self.send_button.setEnabled(False)
        self._show_file_state()

    def show_folder_not_opened(self, folder: str) -> None:
        """No file manager opened ``folder``: show its path as selectable text."""
        self._folder_not_opened = folder
        self._show_file_state()

    @property
    def saved(self) -> bool:
        """Whether the card shows a written file."""
        return self._sent_path is not None

    def _show_file_state(self) -> None:
        if self._sent_path is not None:
            self.sent.setText(patient_sentences.sent_text(self._sent_path))
        else:
            self.sent.clear()
        self.sent.setVisible(self._sent_path is not None)
        if self._save_error is not None:
            problem = not_saved_text(self._save_error)
        elif self._folder_not_opened is not None:
            problem = folder_not_opened_text(self._folder_not_opened)
        else:
            problem = ""
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        unsaved = self._save_error is not None
        self.save_again_button.setVisible(unsaved)
        self.choose_folder_button.setVisible(unsaved)
        self.send_button.setVisible(not unsaved)  # nothing to send until it is saved

    def retranslate(self) -> None:
        self.title.setText(_("Your result"))
        self.history_title.setText(_("Earlier checks"))
        self.send_button.setText(_("Send to my therapist"))
        self.again_button.setText(_("Check again"))
        self.save_again_button.setText(_("Save again"))
        self.choose_folder_button.setText(_("Choose folder…"))
        self.note.setText(_("Screening aid, not a diagnosis."))
        self._show_file_state()
        capture = self._capture
        if capture is None:
            return
        self.when.setText(
            when_text(capture.time)
            + "\n"
            + patient_sentences.capture_text(
                capture.frames_used, capture.waited_s, capture.paused_s
            )
        )
        last = next((e for e in reversed(self._earlier) if e.view == str(capture.view)), None)
        lines = [
            patient_sentences.result_sentence(mid, m.value, last)
            for mid, m in capture.measurements.items()
            if m.value is not None
        ]
        self.lines.setText("\n".join(lines) if lines else patient_sentences.not_measured_text())
        rows = [history_line(e) for e in reversed(self._earlier[-HISTORY_ROWS:])]
        self.history.setText("\n".join(rows) if rows else _("This is your first check."))
