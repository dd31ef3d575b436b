"""Small standard dialogs that choose where images come from or go to.

Each returns the user's choice, or None when cancelled; the caller acts on it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QWidget

from posture_cam.i18n import _, using_language

PATTERNS = "*.mp4 *.avi *.mov *.mkv *.webm *.m4v *.jpg *.jpeg *.png *.bmp *.webp *.tif *.tiff"


def file_filter() -> str:
    """The file dialog's filter in the current language ("Video of foto (*.mp4 …)")."""
    return _("Video or photo ({patterns});;All files (*)").format(patterns=PATTERNS)


def ask_video_or_photo(parent: QWidget, language: str) -> str | None:
    """A video or photo file to open, or None."""
    with using_language(language):
        title, filters = _("Open video or photo…"), file_filter()
    path = QFileDialog.getOpenFileName(parent, title, "", filters)[0]
    return path or None


def ask_folder(parent: QWidget, language: str, start: str) -> str | None:
    """A folder for snapshots and sessions, or None."""
    with using_language(language):
        title = _("Snapshot folder…")
    folder = QFileDialog.getExistingDirectory(parent, title, start)
    return folder or None
