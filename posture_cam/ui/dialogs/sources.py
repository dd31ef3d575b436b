"""Small standard dialogs that choose where images come from or go to.

Each returns the user's choice, or None when cancelled; the caller acts on it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QWidget

from posture_cam.ui.i18n import tr

FILE_FILTER = (
    "Video or photo (*.mp4 *.avi *.mov *.mkv *.webm *.m4v *.jpg *.jpeg *.png *.bmp *.webp *.tif"
    " *.tiff);;All files (*)"
)


def ask_video_or_photo(parent: QWidget, language: str) -> str | None:
    """A video or photo file to open, or None."""
    path, _ = QFileDialog.getOpenFileName(parent, tr("open_file", language), "", FILE_FILTER)
    return path or None


def ask_folder(parent: QWidget, language: str, start: str) -> str | None:
    """A folder for snapshots and sessions, or None."""
    folder = QFileDialog.getExistingDirectory(parent, tr("data_folder", language), start)
    return folder or None
