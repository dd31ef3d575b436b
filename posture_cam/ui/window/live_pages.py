"""The window's left part: the live video, or the empty page that says why there is no
image and what to do (retry, choose a camera, open a file)."""

from __future__ import annotations

from PySide6.QtWidgets import QStackedWidget, QWidget

from posture_cam.i18n import N_
from posture_cam.live import LiveError
from posture_cam.ui.widgets.notices import EmptyState
from posture_cam.ui.widgets.video_view import VideoView

#: The empty page's title for each kind of live error (English msgids).
ERROR_TITLES = {
    "camera": N_("No camera image"),
    "camera_lost": N_("The camera stopped"),
    "input": N_("Cannot open this source"),
    "model": N_("No pose model"),
    "bug": N_("Something went wrong"),
}


class LivePages(QStackedWidget):
    """The live video or the empty page, one at a time.

    Args:
        video: the live view.
        empty: the page shown when there is no image.
        parent: Qt parent.
    """

    def __init__(self, video: VideoView, empty: EmptyState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.video, self.empty = video, empty
        self.addWidget(video)
        self.addWidget(empty)

    def show_live(self) -> None:
        self.setCurrentWidget(self.video)

    def show_error(self, error: LiveError, can_retry: bool) -> None:
        """Why the source gives no image; *Retry* only where retrying can help."""
        self.empty.show_problem(ERROR_TITLES.get(error.kind, ERROR_TITLES["bug"]), error.message)
        self.empty.retry_button.setVisible(can_retry)
        self.setCurrentWidget(self.empty)

    def show_ended(self) -> None:
        """A video played to its end: offer to play it again."""
        self.empty.show_problem(N_("The video has ended."), "", retry=N_("Play again"))
        self.empty.retry_button.setVisible(True)
        self.setCurrentWidget(self.empty)
