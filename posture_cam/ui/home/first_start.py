"""First start: who uses posture_cam on this computer, a therapist or a patient at home?

Asked once when ``posture-cam`` starts without a subcommand and no mode is saved; the
answer is remembered in the settings (``AppSettings.mode``). ``posture-cam app`` and
``posture-cam home`` always open their own mode.
"""

from __future__ import annotations

import dataclasses
import logging
import sys

from PySide6.QtWidgets import QApplication, QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from posture_cam.app_settings import load_settings, save_settings
from posture_cam.errors import PostureCamError
from posture_cam.i18n import _

log = logging.getLogger(__name__)


class ModeDialog(QDialog):
    """Two large buttons: therapist (treatment room) or patient at home."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode: str | None = None
        self.setWindowTitle("posture_cam")
        question = QLabel(_("Who uses posture_cam on this computer?"))
        question.setStyleSheet("font-size: 22px; font-weight: 600;")
        self.therapist_button = QPushButton(_("Therapist: measurements in the treatment room"))
        self.home_button = QPushButton(_("Patient: a posture check at home"))
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        for button, mode in ((self.therapist_button, "therapist"), (self.home_button, "home")):
            button.setMinimumHeight(56)
            button.setStyleSheet("font-size: 17px; text-align: left; padding: 8px 16px;")
            button.clicked.connect(lambda _checked=False, m=mode: self._choose(m))
            layout.addWidget(button)

    def _choose(self, mode: str) -> None:
        self.mode = mode
        self.accept()


def choose_mode(language: str | None = None) -> str:
    """The saved mode, or ask once and save the answer (closing the dialog: therapist,
    not saved, so it is asked again next time)."""
    from posture_cam.i18n import set_language

    settings = load_settings()
    if settings.mode is not None:
        return settings.mode
    set_language(language or settings.language)
    QApplication.instance() or QApplication(sys.argv[:1])
    dialog = ModeDialog()
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.mode is None:
        return "therapist"
    try:
        save_settings(dataclasses.replace(load_settings(), mode=dialog.mode))
    except (PostureCamError, OSError) as exc:
        # A read-only or full disk: the chosen mode opens now and is asked again next time.
        log.warning("settings not saved: %s", exc)
    return dialog.mode
