"""The main window's side column: view choice, profile line, mirror, snapshot button,
the metrics table, the quality checklist and the skin-marker line, and room for more
parts below them.

The panel owns its widgets and says what the user did through signals
(:attr:`SidePanel.viewChosen`, :attr:`SidePanel.mirrorToggled`,
:attr:`SidePanel.snapshotRequested`); the window sets it back from the settings with
:meth:`SidePanel.show_settings`, under signal blockers, so nothing echoes.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from posture_cam import wording
from posture_cam.i18n import _, using_language
from posture_cam.types import FrameResult, ViewEstimate
from posture_cam.ui.i18n import key_text
from posture_cam.ui.widgets.marker_line import MarkerLine
from posture_cam.ui.widgets.panels import MetricsPanel, QualityPanel
from posture_cam.ui.window.menus import VIEWS

#: The side column's narrowest width (px); wider where the metrics table needs it.
WIDTH_PX = 560
WARNING_STYLE = "color: #b36b00;"


class SidePanel(QWidget):
    """The side column of the main window.

    Signals:
        viewChosen: the view the user chose (``None`` = automatic, ``front`` ...).
        mirrorToggled: the mirror box was (un)ticked.
        snapshotRequested: the snapshot button was clicked.

    Args:
        language: the UI language.
        parent: Qt parent.
    """

    viewChosen = Signal(object)  # str | None
    mirrorToggled = Signal(bool)
    snapshotRequested = Signal()

    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._language = language
        self._view: str | None = None
        self.view_label = QLabel()
        self.view_combo = QComboBox()
        self.detected_label = QLabel()
        self.detected_label.setWordWrap(True)  # long in Dutch on a narrow window
        self.profile_label = QLabel()  # the calibration profile in use (or none)
        self.profile_label.setWordWrap(True)
        # Shown when a view set by hand contradicts the body (nothing is judged then).
        self.view_warning = QLabel()
        self.view_warning.setWordWrap(True)
        self.view_warning.setStyleSheet(
            "background: #5a4300; color: white; padding: 6px; border-radius: 3px;"
        )
        self.view_warning.hide()
        self.mirror_check = QCheckBox()
        self.snapshot_button = QPushButton()
        self.snapshot_button.setMinimumHeight(40)
        for w in (self.view_combo, self.mirror_check, self.snapshot_button):
            w.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep Space / digits for shortcuts
        self.metrics_panel = MetricsPanel(language, plus_minus=True)
        self.quality_panel = QualityPanel(language)
        # Which skin markers the frame found and which are missing (hidden when none set).
        self.marker_line = MarkerLine(language)
        self._more = QVBoxLayout()

        view_row = QHBoxLayout()
        view_row.addWidget(self.view_label)
        view_row.addWidget(self.view_combo, 1)
        col = QVBoxLayout(self)
        col.addLayout(view_row)
        col.addWidget(self.detected_label)
        col.addWidget(self.view_warning)
        col.addWidget(self.profile_label)
        col.addWidget(self.mirror_check)
        col.addWidget(self.snapshot_button)
        col.addWidget(self.metrics_panel, 3)
        col.addWidget(self.quality_panel, 1)
        col.addWidget(self.marker_line)
        col.addLayout(self._more)
        # As wide as the metrics table needs for its widest texts in any language (set
        # once: the window sizes the side column from it, and a language switch must not
        # move the layout), never narrower than WIDTH_PX.
        margins = col.contentsMargins()
        table_px = self.metrics_panel.content_width() + margins.left() + margins.right()
        self.setFixedWidth(max(WIDTH_PX, table_px))

        self.view_combo.currentIndexChanged.connect(self._on_view_index_changed)
        self.mirror_check.toggled.connect(self.mirrorToggled)
        self.snapshot_button.clicked.connect(self.snapshotRequested)

    def add_widget(self, widget: QWidget, stretch: int = 0) -> None:
        """Add a part at the bottom of the column (patient / visit parts)."""
        self._more.addWidget(widget, stretch)

    # -- settings -> widgets -----------------------------------------------------------

    def show_settings(self, mirror: bool, view: str | None, markers: tuple[str, ...] = ()) -> None:
        """Show the settings in force, without emitting the signals above."""
        self._view = view
        self.marker_line.set_expected(markers)
        with QSignalBlocker(self.mirror_check), QSignalBlocker(self.view_combo):
            self.mirror_check.setChecked(mirror)
            self.view_combo.setCurrentIndex(VIEWS.index(view))

    def choose_view(self, view: str | None) -> None:
        """Choose ``view`` as the user would (keys 1-5); emits :attr:`viewChosen`."""
        self.view_combo.setCurrentIndex(VIEWS.index(view))

    def show_profile(self, text: str, warn: bool) -> None:
        self.profile_label.setText(text)
        self.profile_label.setStyleSheet(WARNING_STYLE if warn else "")

    def set_snapshot_enabled(self, enabled: bool) -> None:
        self.snapshot_button.setEnabled(enabled)

    def retranslate(self, language: str) -> None:
        self._language = language
        with QSignalBlocker(self.view_combo), using_language(language):
            # From the settings, not the combo: the combo is empty on the first call.
            self.view_combo.clear()
            self.view_combo.addItems([wording.view_setting_name(v) for v in VIEWS])
            self.view_combo.setCurrentIndex(VIEWS.index(self._view))
            self.view_label.setText(_("View") + ":")
            self.mirror_check.setText(f"{_('Mirror')}  ({key_text('M')})")
            self.snapshot_button.setText(f"{_('Snapshot')}  ({key_text('Space')})")
            self.snapshot_button.setToolTip(
                _("Countdown, then an averaged capture; saves PNG + JSON")
            )
        self.metrics_panel.retranslate(language)
        self.quality_panel.retranslate(language)
        self.marker_line.retranslate(language)

    # -- live results ------------------------------------------------------------------

    def show_result(self, result: FrameResult) -> None:
        """The view warning, the metrics, the checklist and the markers for a new result."""
        self._show_view_warning(result.view)
        self.metrics_panel.update_result(result)
        self.quality_panel.update_result(result)
        self.marker_line.update_result(result)

    def clear(self) -> None:
        """No numbers: the stream they belong to is gone."""
        self.metrics_panel.clear()
        self.quality_panel.clear()
        self.marker_line.clear()
        self.detected_label.setText("")

    def _show_view_warning(self, view: ViewEstimate) -> None:
        contradicted = bool(view.forced and view.reason)
        if contradicted:
            with using_language(self._language):
                text = _(
                    "The view set by hand ({view}) does not match the body in the picture: "
                    "the measurements are not judged. Press 1 for automatic view detection, "
                    "or choose the view the patient really shows."
                ).format(view=wording.view_name(view.view))
            if self.view_warning.text() != text:
                self.view_warning.setText(text)
        if self.view_warning.isVisible() != contradicted:
            self.view_warning.setVisible(contradicted)

    def _on_view_index_changed(self, index: int) -> None:
        if index >= 0:
            self.viewChosen.emit(VIEWS[index])
