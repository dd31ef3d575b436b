"""The skin-markers dialog: a box per protocol marker in plain words, the colour by name
or typed in (checked as ``--marker-colour`` is, OK disabled while it is not a colour)."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialogButtonBox

from posture_cam.markers import MARKER_NAMES
from posture_cam.ui.dialogs.markers import OTHER, MarkersDialog


def _ok(dialog: MarkersDialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_the_dialog_shows_the_markers_set_and_gives_back_the_choice(qtbot) -> None:
    dialog = MarkersDialog(("c7", "tragus"), "yellow", "en")
    qtbot.addWidget(dialog)
    assert list(dialog.checks) == list(MARKER_NAMES)
    assert [n for n, c in dialog.checks.items() if c.isChecked()] == ["tragus", "c7"]
    assert dialog.checks["asis"].text() == "ASIS (front of the pelvis)"
    assert dialog.colour_combo.currentText() == "yellow"
    assert dialog.colour_edit.isHidden()
    dialog.checks["tragus"].setChecked(False)
    dialog.checks["psis"].setChecked(True)
    dialog.checks["asis"].setChecked(True)
    dialog.colour_combo.setCurrentIndex(dialog.colour_combo.findData("green"))
    assert dialog.chosen() == (("c7", "asis", "psis"), "green")
    assert _ok(dialog).isEnabled()


def test_a_typed_colour_is_checked_before_ok(qtbot) -> None:
    dialog = MarkersDialog((), "#39FF14", "en")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.colour_combo.currentData() == OTHER
    assert dialog.colour_edit.isVisible() and dialog.colour_edit.text() == "#39FF14"
    assert _ok(dialog).isEnabled() and dialog.error_label.isHidden()
    swatch = QColor(dialog.swatch.styleSheet().split("background: ")[1].split(";")[0])
    assert swatch.green() == 255 and swatch.red() < 80 and swatch.blue() < 40  # the green
    dialog.colour_edit.setText("180,10,10")  # hue past 179
    assert not _ok(dialog).isEnabled()
    assert "transparent" in dialog.swatch.styleSheet()
    assert dialog.error_label.isVisible() and "h 0-179" in dialog.error_label.text()
    dialog.colour_edit.setText(" 57,230,230 ")
    assert _ok(dialog).isEnabled()
    assert dialog.chosen() == ((), "57,230,230")


def test_the_dialog_speaks_dutch(qtbot) -> None:
    dialog = MarkersDialog(("asis",), "green", "nl")
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Huidmarkers"
    assert dialog.checks["asis"].text() == "SIAS (voorkant van het bekken)"
    assert dialog.checks["knee"].text() != "lateral knee joint line"
    assert dialog.colour_combo.currentText() == "groen (fluorescerend)"
