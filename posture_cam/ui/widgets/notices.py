"""Small widgets: the empty state (no image, with actions) and the notice bar.

The notice floats over the top of the video (:class:`OverlayHost`), so showing or
hiding it never moves the image or the side column; an information notice expires
after :data:`NOTICE_EXPIRE_MS`, an error stays until it is dismissed.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from posture_cam.i18n import N_, _, using_language


class EmptyState(QWidget):
    """Shown instead of the video when there is no image: says why and what to do.

    Signals:
        retryRequested: "Retry camera" (or "Play again" after a video ended).
        chooseCameraRequested: "Choose camera…".
        openFileRequested: "Open video or photo…".
    """

    retryRequested = Signal()
    chooseCameraRequested = Signal()
    openFileRequested = Signal()

    def __init__(self, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._language = language
        self._title = N_("No camera image")
        self._retry = N_("Retry camera")
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setStyleSheet("font-size: 22px; font-weight: bold;")
        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry_button = QPushButton()
        self.choose_camera_button = QPushButton()
        self.open_file_button = QPushButton()
        self.retry_button.clicked.connect(self.retryRequested)
        self.choose_camera_button.clicked.connect(self.chooseCameraRequested)
        self.open_file_button.clicked.connect(self.openFileRequested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.retry_button, self.choose_camera_button, self.open_file_button):
            b.setMinimumHeight(36)
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addSpacing(16)
        layout.addLayout(buttons)
        layout.addStretch(2)
        self.retranslate(language)

    def show_problem(self, title: str, message: str, retry: str = N_("Retry camera")) -> None:
        """Set the title, the detail line and the retry button's text.

        Args:
            title: English msgid (marked ``N_``), shown translated.
            message: the detail line, already in the UI's language.
            retry: English msgid of the retry button's text.
        """
        self._title, self._retry = title, retry
        self.message.setText(message)
        self.retranslate(self._language)

    def retranslate(self, language: str) -> None:
        self._language = language
        with using_language(language):
            self.title.setText(_(self._title))
            self.retry_button.setText(_(self._retry))
            self.choose_camera_button.setText(_("Choose camera…"))
            self.open_file_button.setText(_("Open video or photo…"))
            if not self.message.text():
                self.message.setText(
                    _("Connect a camera, choose another one, or open a video or photo.")
                )


#: How long an information notice stays (errors stay until dismissed).
NOTICE_EXPIRE_MS = 7000


class NoticeBar(QFrame):
    """A one-line message over the top of the video, with an optional action and a close button.

    Information notices hide themselves after ``expire_ms``; errors stay until the
    close button (or the next notice) replaces them.

    Signals:
        actionTriggered: the action button was pressed.
    """

    actionTriggered = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action_button = QPushButton()
        self.action_button.clicked.connect(self.actionTriggered)
        self.close_button = QPushButton("×")
        self.close_button.setFixedWidth(28)
        self.close_button.clicked.connect(self.hide)
        self.expire_ms = NOTICE_EXPIRE_MS
        self.is_error = False
        self._expiry = QTimer(self)
        self._expiry.setSingleShot(True)
        self._expiry.timeout.connect(self.hide)
        for b in (self.action_button, self.close_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.action_button)
        layout.addWidget(self.close_button)
        self.hide()

    def show_notice(self, text: str, action_text: str = "", error: bool = False) -> None:
        color = "#7a1f16" if error else "#1f4f2a"
        self.setStyleSheet(f"NoticeBar {{ background: {color}; }} QLabel {{ color: white; }}")
        self.text.setText(text)
        self.action_button.setText(action_text)
        self.action_button.setVisible(bool(action_text))
        self.is_error = error
        self._expiry.stop()
        if not error:
            self._expiry.start(self.expire_ms)
        self.show()
        self.raise_()
        parent = self.parentWidget()
        if parent is not None:
            self._place(parent.width())

    def _place(self, width: int) -> None:
        """Span the top of the host, as tall as the text needs."""
        self.setFixedWidth(width)
        self.adjustSize()
        self.move(0, 0)


class OverlayHost(QWidget):
    """Holds ``content`` in its layout and ``notice`` floating over its top edge.

    Args:
        content: the widget that fills the host (the video / empty-state stack).
        notice: the notice bar; it is not in any layout, so it never moves ``content``.
        parent: Qt parent.
    """

    def __init__(self, content: QWidget, notice: NoticeBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(content)
        self.notice = notice
        notice.setParent(self)
        notice.hide()
        self.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self and event.type() == QEvent.Type.Resize and self.notice.isVisible():
            self.notice._place(self.width())
        return False
