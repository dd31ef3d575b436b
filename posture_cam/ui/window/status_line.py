"""The main window's status bar: the calibration profile, the camera level and the live
status (fps, latency, model), each in a label of its own."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar

from posture_cam.ui.window.side_panel import WARNING_STYLE


class StatusLine:
    """Three permanent labels in ``bar``, set by the window.

    Args:
        bar: the window's status bar (it owns the labels).
    """

    def __init__(self, bar: QStatusBar) -> None:
        # The active calibration profile, also here so it is always in view.
        self.profile_label = QLabel()
        self.level_label = QLabel()  # camera level, when the printed board is in view
        self.status_label = QLabel()
        for label in (self.profile_label, self.level_label, self.status_label):
            bar.addPermanentWidget(label)

    def show_profile(self, text: str, warn: bool) -> None:
        self.profile_label.setText(text)
        self.profile_label.setStyleSheet(WARNING_STYLE if warn else "")

    def show_status(self, status: str, level: str) -> None:
        """The live status line and the camera-level reading ("" clears them)."""
        self.status_label.setText(status)
        self.level_label.setText(level)
