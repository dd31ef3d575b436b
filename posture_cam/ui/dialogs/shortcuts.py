"""The keyboard shortcuts dialog (F1)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from posture_cam.i18n import N_
from posture_cam.ui.i18n import SHORTCUTS, key_text, tr


class ShortcutsDialog(QDialog):
    """Lists every keyboard shortcut."""

    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr(N_("Keyboard shortcuts"), language))
        table = QTableWidget(len(SHORTCUTS), 2, self)
        table.setHorizontalHeaderLabels(["", ""])
        table.horizontalHeader().setVisible(False)
        table.verticalHeader().setVisible(False)
        for row, (keys, action) in enumerate(SHORTCUTS):
            table.setItem(row, 0, QTableWidgetItem(key_text(keys)))
            table.setItem(row, 1, QTableWidgetItem(tr(action, language).rstrip("…")))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        # Wide enough for the longest line ("… op de laatste momentopname" in Dutch).
        self.resize(max(380, table.horizontalHeader().length() + 60), 460)
