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

from posture_cam import wording
from posture_cam.config import MEASURED_VIEWS
from posture_cam.i18n import N_, _, using_language
from posture_cam.ui.i18n import key_text

#: Keys and what they do (English msgids, translated when shown); the view keys 1-5
#: follow ``Ctrl+O``.
SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Space", N_("Snapshot")),
    ("P", N_("Correct points on this frame…")),
    ("Shift+P", N_("Correct points on the last snapshot…")),
    ("M", N_("Mirror")),
    ("F", N_("Full screen")),
    ("+ / −", N_("Zoom in (or the mouse wheel)")),
    ("0", N_("Whole picture")),
    ("Z", N_("Zoom to the patient")),
    ("Ctrl+O", N_("Open video or photo…")),
)
_LAST: tuple[tuple[str, str], ...] = (("F1", N_("Keyboard shortcuts")), ("Ctrl+Q", N_("Quit")))


def shortcut_rows(language: str) -> list[tuple[str, str]]:
    """Every shortcut as (keys, what it does), in ``language``."""
    with using_language(language):
        rows = [(keys, _(text)) for keys, text in SHORTCUTS]
        views = (None, *MEASURED_VIEWS)
        rows += [(str(i + 1), wording.view_setting_name(v)) for i, v in enumerate(views)]
        rows += [(keys, _(text)) for keys, text in _LAST]
        return [(key_text(keys), text.rstrip("…")) for keys, text in rows]


class ShortcutsDialog(QDialog):
    """Lists every keyboard shortcut."""

    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        with using_language(language):
            self.setWindowTitle(_("Keyboard shortcuts"))
        rows = shortcut_rows(language)
        table = QTableWidget(len(rows), 2, self)
        table.setHorizontalHeaderLabels(["", ""])
        table.horizontalHeader().setVisible(False)
        table.verticalHeader().setVisible(False)
        for row, (keys, text) in enumerate(rows):
            table.setItem(row, 0, QTableWidgetItem(keys))
            table.setItem(row, 1, QTableWidgetItem(text))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        # Wide enough for the longest line ("… op de laatste momentopname" in Dutch).
        self.resize(max(380, table.horizontalHeader().length() + 60), 460)
