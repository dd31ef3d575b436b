"""Dialogs: keyboard shortcuts, and calibration (pick the profile, live level).

The calibration dialog is the simple version: it picks and shows the active profile,
shows a live level reading from the printed board (``estimate_roll_from_board`` on
the latest frame, twice a second) and explains the CLI steps (level -> scale -> lens).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from posture_cam.ui.i18n import SHORTCUTS, tr

LEVEL_REFRESH_MS = 500


class ShortcutsDialog(QDialog):
    """Lists every keyboard shortcut."""

    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("shortcuts", language))
        table = QTableWidget(len(SHORTCUTS), 2, self)
        table.setHorizontalHeaderLabels(["", ""])
        table.horizontalHeader().setVisible(False)
        table.verticalHeader().setVisible(False)
        for row, (keys, action) in enumerate(SHORTCUTS):
            table.setItem(row, 0, QTableWidgetItem(keys))
            table.setItem(row, 1, QTableWidgetItem(tr(action, language).rstrip("…")))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.resize(380, 420)


class CalibrationDialog(QDialog):
    """Choose the active calibration profile; live camera level; CLI instructions.

    Args:
        language: ``en`` or ``nl``.
        active: the active profile name or None.
        latest_frame: returns the newest camera image (BGR) or None.
        parent: Qt parent.
    """

    def __init__(
        self,
        language: str,
        active: str | None,
        latest_frame: Callable[[], np.ndarray | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._language = language
        self._latest_frame = latest_frame
        self.setWindowTitle(tr("calibration_title", language))
        self.profiles = QComboBox()
        self.profiles.addItem(tr("calibration_none", language), None)
        for name in _profile_names():
            self.profiles.addItem(name, name)
        index = self.profiles.findData(active)
        self.profiles.setCurrentIndex(max(0, index))
        self.level = QLabel("—")
        self.level.setStyleSheet("font-size: 18px; font-weight: bold;")
        form = QFormLayout()
        form.addRow(tr("calibration_active", language), self.profiles)
        form.addRow(tr("calibration_level", language), self.level)
        help_text = QLabel(tr("calibration_help", language))
        help_text.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(help_text)
        layout.addWidget(buttons)
        self._timer = QTimer(self)
        self._timer.setInterval(LEVEL_REFRESH_MS)
        self._timer.timeout.connect(self._on_level_timer)
        self._timer.start()
        self._on_level_timer()

    def selected_profile(self) -> str | None:
        return self.profiles.currentData()

    def _on_level_timer(self) -> None:
        image = self._latest_frame()
        if image is None:
            return
        try:
            from posture_cam.calibration import estimate_roll_from_board
        except ImportError:
            self._timer.stop()
            return
        estimate = estimate_roll_from_board(image)
        if estimate is None:
            self.level.setText(tr("no_board", self._language))
            return
        ok = abs(estimate.roll_deg) <= 0.5
        color = "#2e9d4a" if ok else "#e0a000"
        self.level.setText(
            f"<span style='color:{color}'>{estimate.roll_deg:+.2f}° "
            f"(± {estimate.residual_deg:.2f}°)</span>"
        )

    def done(self, result: int) -> None:
        self._timer.stop()
        super().done(result)


def _profile_names() -> list[str]:
    try:
        from posture_cam.calibration import list_profiles
    except ImportError:
        return []
    return list_profiles()
