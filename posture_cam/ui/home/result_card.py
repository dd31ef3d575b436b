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
    """One earlier check in a line: its date, then each value in plain words."""
    parts = [patient_sentences.result_sentence(mid, value) for mid, value in entry.values.items()]
    return _("{when}: {results}").format(when=when_text(entry.time), results="; ".join(parts))


class ResultCard(QFrame):
    """The card shown once the automatic capture has finished.

    Signals:
        sendRequested: the patient pressed "Send to my therapist".
        againRequested: the patient pressed "Check again".
    """

    sendRequested = Signal()
    againRequested = Signal()

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
        self.send_button = QPushButton()
        self.send_button.setDefault(True)
        self.send_button.setStyleSheet("background: #1a73e8; color: white;")
        self.again_button = QPushButton()
        self.send_button.clicked.connect(self.sendRequested)
        self.again_button.clicked.connect(self.againRequested)
        buttons = QHBoxLayout()
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
        layout.addLayout(buttons)
        layout.addWidget(self.note)
        self._capture: HomeCapture | None = None
        self._earlier: list[HistoryEntry] = []
        self.retranslate()

    def show_capture(self, capture: HomeCapture, earlier: list[HistoryEntry]) -> None:
        """Fill the card.

        Args:
            capture: the check just made.
            earlier: previous checks, oldest first (not including this one).
        """
        self._capture = capture
        self._earlier = list(earlier)
        self.sent.clear()
        self.send_button.setEnabled(True)
        self.retranslate()

    def show_sent(self, path: str) -> None:
        self.sent.setText(patient_sentences.sent_text(path))

    def retranslate(self) -> None:
        self.title.setText(_("Your result"))
        self.history_title.setText(_("Earlier checks"))
        self.send_button.setText(_("Send to my therapist"))
        self.again_button.setText(_("Check again"))
        self.note.setText(_("Screening aid, not a diagnosis."))
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
