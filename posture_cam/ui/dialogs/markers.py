"""*Settings → Skin markers…*: which stickers are placed on the patient, and their colour.

One checkbox per marker of the SAPO protocol (in plain words,
``posture_cam.markers.points.MARKER_WORDS``) and the stickers' colour: a named colour
(``posture_cam.markers.detect.NAMED_COLOURS``) or, under *Other colour*, ``#RRGGBB`` or
``h,s,v`` typed in and checked as ``posture-cam analyze --marker-colour`` checks it
(:meth:`~posture_cam.markers.MarkerColour.parse`). OK stays disabled while the typed
colour is not one; a swatch shows the colour the detector will look for.

The dialog only asks: :meth:`MarkersDialog.chosen` gives the names and the colour text,
and the window's controller applies them.
"""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from posture_cam.errors import InputError
from posture_cam.i18n import N_, _, using_language
from posture_cam.markers import MARKER_NAMES, MarkerColour
from posture_cam.markers.detect import NAMED_COLOURS
from posture_cam.markers.points import MARKER_WORDS

#: Each named sticker colour in words (English msgids).
COLOUR_WORDS: dict[str, str] = {
    "green": N_("green (fluorescent)"),
    "yellow": N_("yellow"),
    "orange": N_("orange"),
    "pink": N_("pink"),
    "blue": N_("blue"),
}
#: The colour box's last entry: a colour typed in.
OTHER = "other"
ERROR_STYLE = "color: #b3261e;"


def colour_swatch(colour: MarkerColour) -> QColor:
    """The sticker colour as Qt shows it (OpenCV hue is in 2° steps)."""
    return QColor.fromHsv(min(359, colour.h * 2), colour.s, colour.v)


class MarkersDialog(QDialog):
    """Choose the skin markers placed and their colour.

    Args:
        markers: the markers set now (ticked).
        colour: their colour text now (``green``, ``#RRGGBB`` or ``h,s,v``).
        language: the UI language.
        parent: Qt parent.
    """

    def __init__(
        self,
        markers: tuple[str, ...],
        colour: str,
        language: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._language = language
        self.setMinimumWidth(520)  # the intro in a few lines, not a narrow column
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.names_box = QGroupBox()
        self.checks: dict[str, QCheckBox] = {}
        names_col = QVBoxLayout(self.names_box)
        for name in MARKER_NAMES:
            check = QCheckBox()
            check.setObjectName(f"marker_{name}")
            check.setChecked(name in markers)
            names_col.addWidget(check)
            self.checks[name] = check
        self.colour_label = QLabel()
        self.colour_combo = QComboBox()
        for name in NAMED_COLOURS:
            self.colour_combo.addItem("", name)
        self.colour_combo.addItem("", OTHER)
        self.colour_edit = QLineEdit()
        self.colour_edit.setPlaceholderText("#39FF14  ·  57,230,230")
        self.swatch = QLabel()
        self.swatch.setFixedSize(28, 20)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        colour_row = QHBoxLayout()
        colour_row.addWidget(self.colour_label)
        colour_row.addWidget(self.colour_combo, 1)
        colour_row.addWidget(self.colour_edit, 1)
        colour_row.addWidget(self.swatch)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.names_box)
        layout.addLayout(colour_row)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        self._retranslate()
        key = colour.strip().lower()
        if key in NAMED_COLOURS:
            self.colour_combo.setCurrentIndex(self.colour_combo.findData(key))
        else:
            self.colour_combo.setCurrentIndex(self.colour_combo.findData(OTHER))
            self.colour_edit.setText(colour)
        self.colour_combo.currentIndexChanged.connect(self._on_colour_changed)
        self.colour_edit.textChanged.connect(self._on_colour_changed)
        self._on_colour_changed()

    def _retranslate(self) -> None:
        with using_language(self._language):
            self.setWindowTitle(_("Skin markers"))
            self.intro.setText(
                _(
                    "Tick the stickers placed on the patient: round stickers of one colour "
                    "on palpated landmarks, on the side toward the camera. They are found and "
                    "named in side views; a measurement that needs a missing one comes from "
                    "the pose model."
                )
            )
            self.names_box.setTitle(_("Stickers placed"))
            for name, check in self.checks.items():
                check.setText(_(MARKER_WORDS[name]))
            self.colour_label.setText(_("Sticker colour") + ":")
            for index in range(self.colour_combo.count()):
                key = self.colour_combo.itemData(index)
                text = _("other: #RRGGBB or h,s,v") if key == OTHER else _(COLOUR_WORDS[key])
                self.colour_combo.setItemText(index, text)

    # -- what was chosen -----------------------------------------------------------------

    def colour_text(self) -> str:
        """The colour as chosen: a colour name or the text typed under *other*."""
        key = self.colour_combo.currentData()
        return self.colour_edit.text().strip() if key == OTHER else str(key)

    def chosen(self) -> tuple[tuple[str, ...], str]:
        """The ticked marker names (protocol order) and the colour text."""
        names = tuple(n for n in MARKER_NAMES if self.checks[n].isChecked())
        return names, self.colour_text()

    def _on_colour_changed(self, *_args: object) -> None:
        other = self.colour_combo.currentData() == OTHER
        self.colour_edit.setVisible(other)
        text = self.colour_text()
        try:
            colour = MarkerColour.parse(text)
        except InputError:
            colour = None
        ok = colour is not None
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        with using_language(self._language):
            self.error_label.setText(
                ""
                if ok
                else _(
                    "Not a colour: type #RRGGBB (e.g. #39FF14) or h,s,v in OpenCV HSV "
                    "(h 0-179, s and v 0-255)"
                )
            )
        self.error_label.setVisible(not ok)
        fill = colour_swatch(colour).name() if colour is not None else "transparent"
        self.swatch.setStyleSheet(f"background: {fill}; border: 1px solid #888;")
