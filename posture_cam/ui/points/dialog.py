"""The point-correction dialog: the frozen capture, its points, and its numbers at once.

Left the :class:`~posture_cam.ui.points.canvas.PointCanvas`; right the list of points
(the eight named points of the marker protocol first, then the 33 model landmarks),
the buttons (undo, reset point, reset all, zoom), the metrics table (the window's own
:class:`~posture_cam.ui.widgets.panels.MetricsPanel`, refreshed on every move), what
changed, each number's ± (:class:`~posture_cam.markers.uncertainty.EditedNumbers`), and
the actions: save as a snapshot, use in the open visit. Every edit goes through
:class:`~posture_cam.markers.PointEditor`, the Qt-free core.

A corrected snapshot shows the snapshot's own averaged values wherever the edit left a
number unchanged; a changed number is recomputed from the snapshot's median pose, and
the dialog says so above the changes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from posture_cam.capture_summary import CaptureSummary
from posture_cam.i18n import _, format_number, ngettext
from posture_cam.landmarks import LANDMARK_NAMES, LANDMARK_WORDS
from posture_cam.markers import MARKER_NAMES
from posture_cam.markers.editor import PointEditor
from posture_cam.markers.points import MARKER_WORDS
from posture_cam.markers.uncertainty import EditedNumbers
from posture_cam.types import Metric, MetricStatus
from posture_cam.ui.points.canvas import MOVED_COLOUR, PLACED_COLOUR, PointCanvas
from posture_cam.ui.widgets.panels import MetricsPanel
from posture_cam.ui.widgets.zoom import STEP
from posture_cam.wording import metric_label, plus_minus_text, value_in_words

#: The ± (four metric computations per edited point) waits until a drag pauses.
UNCERTAINTY_DELAY_MS = 150
#: The narrowest the right-hand column gets (px); wider when the metrics table needs it.
SIDE_WIDTH_PX = 640


def point_label(name: str) -> str:
    """A point's name in the UI language (marker name or landmark name)."""
    if name in MARKER_WORDS:
        return _(MARKER_WORDS[name])
    return _(LANDMARK_WORDS[LANDMARK_NAMES.index(name)])


class PointsDialog(QDialog):
    """Correct or place points on a frozen capture.

    Args:
        editor: the frozen capture's editor.
        language: the UI language (metrics table).
        title: what was frozen, for the window title.
        save: called with the numbers (:class:`EditedNumbers`, its ``editor``) when the
            therapist saves (returns a message), or None.
        use_in_visit: called with the numbers to store them in the open visit, or None
            when no visit is open.
        parent: Qt parent.
        snapshot: the frozen snapshot's averaged summary (Shift+P), or None (a frame).
        privacy: the image shown (``AppSettings.records_image``): ``full``, ``blur``
            (faces blurred as in blur-face exports) or ``skeleton`` (no camera pixels: the
            points on a plain background).
    """

    edited = Signal()

    def __init__(
        self,
        editor: PointEditor,
        language: str = "en",
        title: str = "",
        save: Callable[[EditedNumbers], str] | None = None,
        use_in_visit: Callable[[EditedNumbers], str] | None = None,
        parent: QWidget | None = None,
        snapshot: CaptureSummary | None = None,
        privacy: str = "full",
    ) -> None:
        super().__init__(parent)
        self.editor = editor
        self.numbers = EditedNumbers(editor, snapshot)
        self._uncertainty_timer = QTimer(self)
        self._uncertainty_timer.setSingleShot(True)
        self._uncertainty_timer.setInterval(UNCERTAINTY_DELAY_MS)
        self._uncertainty_timer.timeout.connect(self._show_uncertainty)
        self._save, self._use_in_visit = save, use_in_visit
        self._nudging: str | None = None  # arrow-key runs on one point merge into one step
        self.setWindowTitle(_("Correct points") + (f" — {title}" if title else ""))
        self.canvas = PointCanvas(editor, point_label, privacy=privacy)
        self.points = QListWidget()
        self.points.setMinimumWidth(260)
        help_text = _(
            "Drag a point to move it. Choose a named point and click where it belongs. "
            "Arrow keys move the chosen point by one pixel (Shift: ten); the wheel zooms."
        )
        if privacy == "skeleton":
            help_text += " " + _("The camera image is hidden (privacy: skeleton only).")
        elif privacy == "blur":
            help_text += " " + _("The face is blurred (privacy: blur face).")
        self.help = QLabel(help_text)
        self.help.setWordWrap(True)
        self.undo_button = QPushButton(_("Undo"))
        self.reset_button = QPushButton(_("Reset point"))
        self.reset_all_button = QPushButton(_("Reset all"))
        self.zoom_button = QPushButton(_("Zoom on point"))
        self.fit_button = QPushButton(_("Whole image"))
        self.metrics = MetricsPanel(language)
        self.changes = QPlainTextEdit()
        self.changes.setReadOnly(True)
        self.changes.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.changes.setMaximumHeight(130)
        self.uncertainty = QPlainTextEdit()
        self.uncertainty.setReadOnly(True)
        self.uncertainty.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.uncertainty.setMaximumHeight(130)
        self.save_button = QPushButton(_("Save as snapshot"))
        self.visit_button = QPushButton(_("Use in visit"))
        self.close_button = QPushButton(_("Close"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self._build_layout()
        self._fill_points()
        self._connect()
        self.resize(1400, 860)
        self._refresh()
        self.canvas.setFocus()

    # -- layout -----------------------------------------------------------------------

    def _build_layout(self) -> None:
        tools = QHBoxLayout()
        for b in (self.undo_button, self.reset_button, self.reset_all_button):
            tools.addWidget(b)
        zoom = QHBoxLayout()
        zoom.addWidget(self.zoom_button)
        zoom.addWidget(self.fit_button)
        actions = QHBoxLayout()
        actions.addWidget(self.save_button)
        actions.addWidget(self.visit_button)
        actions.addStretch(1)
        actions.addWidget(self.close_button)
        side = QVBoxLayout()
        side.addWidget(self.help)
        side.addWidget(self.points, 1)
        side.addLayout(tools)
        side.addLayout(zoom)
        side.addWidget(self.metrics, 3)
        side.addWidget(self.changes)
        side.addWidget(self.uncertainty)
        side.addWidget(self.status)
        side.addLayout(actions)
        right = QWidget()
        right.setLayout(side)
        # As wide as the metrics table needs to show every column whole in every
        # language (its own measure, as the main window's side column), never narrower
        # than SIDE_WIDTH_PX: a fixed width cut Dutch "buiten de norm" and scrolled.
        margins = side.contentsMargins()
        table_px = self.metrics.content_width() + margins.left() + margins.right()
        right.setFixedWidth(max(SIDE_WIDTH_PX, table_px))
        row = QHBoxLayout(self)
        row.addWidget(self.canvas, 1)
        row.addWidget(right)
        self.save_button.setEnabled(self._save is not None)
        self.visit_button.setEnabled(self._use_in_visit is not None)
        if self._use_in_visit is None:
            self.visit_button.setToolTip(_("Open a visit first (patient panel)."))
        for b in (self.save_button, self.visit_button, self.close_button):
            b.setAutoDefault(False)

    def _fill_points(self) -> None:
        for name in (*MARKER_NAMES, *LANDMARK_NAMES):
            item = QListWidgetItem(point_label(name))
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.points.addItem(item)

    def _connect(self) -> None:
        self.canvas.dragged.connect(self._on_dragged)
        self.canvas.nudged.connect(self._on_nudged)
        self.canvas.selected.connect(self._on_canvas_selected)
        self.points.currentItemChanged.connect(self._on_list_selected)
        self.undo_button.clicked.connect(self.undo)
        self.reset_button.clicked.connect(self.reset_current)
        self.reset_all_button.clicked.connect(self.reset_all)
        self.zoom_button.clicked.connect(self._zoom_on_current)
        self.fit_button.clicked.connect(self.canvas.fit)
        self.save_button.clicked.connect(self.save)
        self.visit_button.clicked.connect(self.use_in_visit)
        self.close_button.clicked.connect(self.accept)
        for keys, slot in (
            (QKeySequence(QKeySequence.StandardKey.Undo), self.undo),
            (QKeySequence("Delete"), self.reset_current),
            (QKeySequence("Z"), self._zoom_on_current),
            (QKeySequence(QKeySequence.StandardKey.Save), self.save),
        ):
            QShortcut(keys, self).activated.connect(slot)

    # -- edits ------------------------------------------------------------------------

    def _on_dragged(self, name: str, x: float, y: float, first: bool) -> None:
        self._nudging = None
        self.editor.set_point(name, (x, y), new_step=first)
        self._refresh()

    def _on_nudged(self, name: str, dx: float, dy: float) -> None:
        self.editor.nudge(name, dx, dy, new_step=self._nudging != name)
        self._nudging = name
        self._refresh()

    def undo(self) -> None:
        self._nudging = None
        self.editor.undo()
        self._refresh()

    def reset_current(self) -> None:
        if self.canvas.current:
            self._nudging = None
            self.editor.reset(self.canvas.current)
            self._refresh()

    def reset_all(self) -> None:
        self._nudging = None
        self.editor.reset_all()
        self._refresh()

    def choose(self, name: str) -> None:
        """Choose ``name`` (as a click in the list would)."""
        for row in range(self.points.count()):
            item = self.points.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == name:
                self.points.setCurrentItem(item)
                return

    def _on_canvas_selected(self, name: str) -> None:
        self._nudging = None
        self.choose(name)

    def _on_list_selected(self, item: QListWidgetItem | None, _previous: object) -> None:
        name = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if name != self.canvas.current:
            self._nudging = None
        self.canvas.choose(name)

    def _zoom_on_current(self) -> None:
        if self.canvas.current:
            self.canvas.zoom_on(self.canvas.current)
        else:
            self.canvas.zoom_by(STEP)

    # -- output -----------------------------------------------------------------------

    def save(self) -> None:
        if self._save is not None:
            self.status.setText(self._save(self.numbers))

    def use_in_visit(self) -> None:
        if self._use_in_visit is not None:
            self.status.setText(self._use_in_visit(self.numbers))

    # -- refresh ----------------------------------------------------------------------

    def _refresh(self) -> None:
        shown = dataclasses.replace(self.editor.result, metrics=self.numbers.shown_metrics())
        self.metrics.update_result(shown, force=True)
        self.changes.setPlainText(self.changes_text())
        self._uncertainty_timer.start()  # restarted by every move of a drag
        self.undo_button.setEnabled(self.editor.can_undo)
        self.reset_all_button.setEnabled(bool(self.editor.edited_names))
        for row in range(self.points.count()):
            item = self.points.item(row)
            name = item.data(Qt.ItemDataRole.UserRole)
            edited = self.editor.is_edited(name)
            colour = PLACED_COLOUR if name in MARKER_WORDS else MOVED_COLOUR
            item.setForeground(QBrush(colour) if edited else QBrush())
            font = item.font()
            font.setBold(edited)
            item.setFont(font)
        self.canvas.update()
        self.edited.emit()

    def _show_uncertainty(self) -> None:
        self.uncertainty.setPlainText(self.uncertainty_text())

    def basis_text(self) -> str | None:
        """Which values the dialog shows, for a corrected snapshot (None for a frame)."""
        snapshot = self.numbers.snapshot
        if snapshot is None:
            return None
        n = snapshot.capture.frames_used
        return ngettext(
            "Values: the snapshot's averages over {n} frame; a value the correction "
            "changes is recomputed from the snapshot's median pose.",
            "Values: the snapshot's averages over {n} frames; a value the correction "
            "changes is recomputed from the snapshot's median pose.",
            n,
        ).format(n=n)

    def uncertainty_text(self) -> str:
        """Every number with its ± and what the ± is made of."""
        lines = [
            _("± of each value (hand-placed points: {px} px per axis, an estimate):").format(
                px=format_number(self.numbers.sd_px, 1)
            )
        ]
        shown = self.numbers.shown_metrics()
        for metric_id, u in self.numbers.uncertainty().items():
            metric = shown[metric_id]
            # The value in the table's words ("11.6° backward", not "−11.6°") and each ±
            # as every table writes it, with its unit: "11.6° backward ±0.8°".
            unit = metric.unit
            value = value_in_words(metric)
            text = f"{metric_label(metric_id)}: {value} {plus_minus_text(u.total, unit)}"
            if u.placement is not None:
                text += " · " + _("placement {hand}, model {model}").format(
                    hand=plus_minus_text(u.placement, unit),
                    model=plus_minus_text(u.model or 0.0, unit),
                )
            elif u.basis == "snapshot":
                text += " · " + _("the snapshot's own ±")
            if u.marker is not None:
                text += " · " + _("stickers {marker}").format(
                    marker=plus_minus_text(u.marker, unit)
                )
            lines.append(text)
        return "\n".join(lines)

    def changes_text(self) -> str:
        """What the edits changed: the points (with distances), then the numbers."""
        basis = self.basis_text()
        lines = [basis] if basis else []
        for entry in self.editor.audit():
            name = point_label(entry["landmark"])
            if entry["moved_px"] is None:
                lines.append(_("{point}: placed").format(point=name))
                continue
            pct = entry["moved_fraction_of_height"]
            if entry["reference"] == "expected":
                template = _("{point}: placed {px} px from its estimated position")
            else:
                template = _("{point}: moved {px} px")
            text = template.format(point=name, px=format_number(entry["moved_px"], 1))
            if pct is not None:
                text += " " + _("({pct} % of body height)").format(pct=format_number(100 * pct, 1))
            lines.append(text)
        for metric_id, (before, after) in self.editor.changed_metrics().items():
            metric = self.editor.result.metrics[metric_id]
            text = _("{metric}: {before} → {after}").format(
                metric=metric_label(metric_id),
                before=_in_words(metric, before),  # "11.6° backward", "—" for none
                after=_in_words(metric, after),
            )
            if metric.source == "point":
                text += " · " + _("from points placed by hand")
            stats = self.numbers.snapshot_stats(metric_id)
            if stats is not None:
                text += " · " + _("before: from the median pose (snapshot average {value})").format(
                    value=_in_words(metric, stats.median)
                )
            lines.append(text)
        if len(lines) == (1 if basis else 0):
            lines.append(_("No point moved or placed yet."))
        return "\n".join(lines)


def _in_words(metric: Metric, value: float | None) -> str:
    """``value`` of ``metric`` as the table writes it (``11.6° backward``; ``—`` for none)."""
    if value is None:
        return "—"
    return value_in_words(dataclasses.replace(metric, value=value, status=MetricStatus.NORMAL))
