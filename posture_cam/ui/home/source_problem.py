"""Shown in the home window instead of the picture when the camera (or video) gives
none: why, and what the patient can do about it (try again, choose another camera,
open a video), as the therapist's window offers.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from posture_cam.i18n import _
from posture_cam.live import LiveError
from posture_cam.ui.window import live_pages

#: The large instruction for each kind of live error: the therapist's window's titles.
ERROR_TITLES = live_pages.ERROR_TITLES

#: Videos a patient may open instead of the camera (a photo cannot hold still for the
#: automatic capture: it is analysed once).
VIDEO_PATTERNS = "*.mp4 *.avi *.mov *.mkv *.webm *.m4v"


def error_title(error: LiveError) -> str:
    """The translated title of ``error``."""
    return _(ERROR_TITLES.get(error.kind, ERROR_TITLES["bug"]))


def ask_video(parent: QWidget) -> str | None:
    """A video file to check with instead of the camera, or None."""
    filters = _("Video ({patterns});;All files (*)").format(patterns=VIDEO_PATTERNS)
    path = QFileDialog.getOpenFileName(parent, _("Open a video…"), "", filters)[0]
    return path or None


class SourceProblem(QWidget):
    """The error's one line and three buttons.

    Signals:
        retryRequested: "Try again" (only shown for a camera).
        chooseCameraRequested: "Choose camera…".
        openVideoRequested: "Open a video…".
    """

    retryRequested = Signal()
    chooseCameraRequested = Signal()
    openVideoRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("homeSourceProblem")
        self.setStyleSheet(
            "QLabel { color: #e8eaed; font-size: 20px; }"
            "QPushButton { font-size: 18px; padding: 12px 22px; border-radius: 10px;"
            " color: #e8eaed; background: #3c4043; }"
        )
        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry_button = QPushButton()
        self.retry_button.setStyleSheet("background: #1a73e8; color: white;")
        self.choose_camera_button = QPushButton()
        self.open_video_button = QPushButton()
        self.retry_button.clicked.connect(self.retryRequested)
        self.choose_camera_button.clicked.connect(self.chooseCameraRequested)
        self.open_video_button.clicked.connect(self.openVideoRequested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.retry_button, self.choose_camera_button, self.open_video_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addSpacing(24)
        layout.addLayout(buttons)
        layout.addStretch(2)
        self.retranslate()

    def show_error(self, error: LiveError, *, can_retry: bool) -> None:
        """Say why there is no picture; *Try again* only where it can help (a camera)."""
        self.message.setText(error.message)
        self.retry_button.setVisible(can_retry)

    def retranslate(self) -> None:
        self.retry_button.setText(_("Try again"))
        self.choose_camera_button.setText(_("Choose camera…"))
        self.open_video_button.setText(_("Open a video…"))
