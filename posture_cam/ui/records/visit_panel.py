"""The visit panel in the side column: patient, protocol steps, overview, report.

Widgets only: every action calls :class:`VisitController`, and the panel redraws from
the controller's state on ``changed`` (one way, no loop to guard).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QStringListModel, Qt, QTimer
from PySide6.QtWidgets import (
    QCompleter,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from posture_cam.i18n import _, ngettext
from posture_cam.records.ingest import CaptureData
from posture_cam.records.spread import plus_minus
from posture_cam.types import Metric, MetricStatus
from posture_cam.ui.records.visit_controller import SKIPPED, VisitController
from posture_cam.wording import (
    change_judgement,
    format_value,
    metric_label,
    plus_minus_text,
    value_in_words,
    view_name,
)

if TYPE_CHECKING:  # imported when first opened
    from posture_cam.ui.records.overview_dialog import OverviewDialog
    from posture_cam.ui.records.progress_charts import ProgressChartsDialog

#: The numbers shown in the overview per view (the rest are in the report).
KEY_METRICS = {
    "front": ("shoulder_tilt", "pelvic_tilt", "head_tilt", "trunk_lean"),
    "back": ("shoulder_tilt", "pelvic_tilt", "trunk_lean"),
    "left": ("cva", "head_forward_angle", "pelvic_tilt_sagittal", "trunk_inclination"),
    "right": ("cva", "head_forward_angle", "pelvic_tilt_sagittal", "trunk_inclination"),
}


class VisitPanel(QGroupBox):
    """Patient search/create, guided protocol, overview and report buttons."""

    def __init__(self, controller: VisitController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.search_edit = QLineEdit()
        self._found = QStringListModel()
        self.completer = QCompleter(self._found, self)
        self.search_edit.setCompleter(self.completer)
        self.open_button = QPushButton()
        self.patient_label = QLabel()
        self.new_visit_button = QPushButton()
        self.progress_button = QPushButton()
        self.steps_label = QLabel()
        self.capture_button = QPushButton()
        self.skip_button = QPushButton()
        self.redo_button = QPushButton()
        self.overview = QLabel()
        self.overview.setWordWrap(True)
        self.overview.setAlignment(Qt.AlignmentFlag.AlignTop)
        # The side column is full: the numbers scroll in a box of fixed height, so the
        # buttons below never move while a visit is taken (the Overview window shows all).
        self.overview_box = QScrollArea()
        self.overview_box.setWidget(self.overview)
        self.overview_box.setWidgetResizable(True)
        self.overview_box.setFrameShape(QFrame.Shape.NoFrame)
        self.overview_box.setFixedHeight(4 * self.fontMetrics().lineSpacing() + 8)
        self.overview_button = QPushButton()
        self.finish_button = QPushButton()
        self.report_button = QPushButton()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # indeterminate: "working"
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(8)
        self.busy.hide()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop)
        self._dialogs: dict[str, ProgressChartsDialog | OverviewDialog] = {}
        for button in (
            self.open_button,
            self.new_visit_button,
            self.progress_button,
            self.capture_button,
            self.skip_button,
            self.redo_button,
            self.overview_button,
            self.finish_button,
            self.report_button,
        ):
            button.setAutoDefault(False)
        self._layout()
        self.open_button.clicked.connect(self._on_open_clicked)
        self.search_edit.returnPressed.connect(self._on_open_clicked)
        self.search_edit.textEdited.connect(self._on_search_changed)
        # Choosing a suggestion opens that patient: with the list open, a click on
        # "Open / create" only closed the list (the first click did nothing).
        self.completer.activated.connect(self._on_suggestion_chosen)
        self.new_visit_button.clicked.connect(lambda: controller.new_visit())
        self.progress_button.clicked.connect(self.show_progress)
        self.capture_button.clicked.connect(controller.capture_step)
        self.skip_button.clicked.connect(controller.skip_step)
        self.redo_button.clicked.connect(self._on_redo_clicked)
        self.overview_button.clicked.connect(self.show_overview)
        self.finish_button.clicked.connect(self._on_finish_clicked)
        self.report_button.clicked.connect(lambda: controller.report.start())
        controller.changed.connect(self.refresh)
        controller.failed.connect(self._show_message)
        controller.report.written.connect(
            lambda path: self._show_message(_("Report written: {path}").format(path=path))
        )
        controller.report.busyChanged.connect(self._on_report_busy_changed)
        controller.snapshotAttached.connect(self._on_snapshot_attached)
        self.retranslate()

    def retranslate(self) -> None:
        """Set every text in the current language (also on a live language switch)."""
        self.setTitle(_("Patient visit"))
        self.search_edit.setPlaceholderText(_("Patient code or name"))
        self.open_button.setText(_("Open / create"))
        self.new_visit_button.setText(_("New visit"))
        self.progress_button.setText(_("Progress…"))
        self.skip_button.setText(_("Skip"))
        self.redo_button.setText(_("Redo last"))
        self.overview_button.setText(_("Overview…"))
        self.overview_button.setToolTip(
            _("The views of this visit next to the previous visit's, with the change")
        )
        self.finish_button.setText(_("Finish visit"))
        self.report_button.setText(_("Report (PDF)"))
        self.refresh()
        for dialog in self._dialogs.values():
            if dialog.isVisible():
                dialog.refresh()

    def _on_finish_clicked(self) -> None:
        patient = self.controller.patient
        if self.controller.finish_visit() is not None and patient is not None:
            # Say it is stored: the line still held the last snapshot's notice.
            self._show_message(
                _("Visit stored for patient {code}. Report (PDF) writes its report.").format(
                    code=patient["code"]
                )
            )

    def _show_message(self, text: str) -> None:
        self.message.setText(html.escape(text))
        self.message.setToolTip(html.escape(text))  # the whole line when it is longer

    def _on_report_busy_changed(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        if busy:
            self._show_message(_("Writing the report…"))
        self.refresh()

    def _on_snapshot_attached(self, view: str, fills_step: bool) -> None:
        if fills_step:
            text = _("Snapshot taken as the {view} step of this visit.")
        else:
            text = _("Snapshot added to this visit ({view}).")
        self._show_message(text.format(view=view_name(view)))

    def _show_dialog(self, kind: str) -> QWidget:
        """Open (once built, reuse) the non-modal ``progress`` or ``overview`` window."""
        dialog = self._dialogs.get(kind)
        if dialog is None:
            if kind == "progress":
                from posture_cam.ui.records.progress_charts import ProgressChartsDialog

                dialog = ProgressChartsDialog(self.controller, self.window())
            else:
                from posture_cam.ui.records.overview_dialog import OverviewDialog

                dialog = OverviewDialog(self.controller, self.window())
            self._dialogs[kind] = dialog
        dialog.refresh()
        dialog.show()
        dialog.raise_()
        return dialog

    def show_progress(self) -> QWidget:
        """The progress charts of the chosen patient."""
        return self._show_dialog("progress")

    def show_overview(self) -> QWidget:
        """The visit overview: each view next to the previous visit's."""
        return self._show_dialog("overview")

    def _layout(self) -> None:
        col = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(self.search_edit, 1)
        row.addWidget(self.open_button)
        col.addLayout(row)
        col.addWidget(self.patient_label)
        visit_row = QHBoxLayout()
        visit_row.addWidget(self.new_visit_button, 2)
        visit_row.addWidget(self.progress_button, 1)
        col.addLayout(visit_row)
        col.addWidget(self.steps_label)
        steps = QHBoxLayout()
        steps.addWidget(self.capture_button, 2)
        steps.addWidget(self.skip_button, 1)
        steps.addWidget(self.redo_button, 1)
        col.addLayout(steps)
        col.addWidget(self.overview_box)
        done = QHBoxLayout()
        done.addWidget(self.overview_button)
        done.addWidget(self.finish_button)
        done.addWidget(self.report_button)
        col.addLayout(done)
        col.addWidget(self.busy)
        col.addWidget(self.message)

    def _on_search_changed(self, text: str) -> None:
        found = self.controller.search(text)
        items = [p["code"] for p in found] + [p["name"] for p in found if p["name"]]
        self._found.setStringList(items)
        # After the completer has handled this edit (it shows its list then).
        QTimer.singleShot(0, self._close_list_when_typed_in_full)

    def _close_list_when_typed_in_full(self) -> None:
        """A code or name typed in full leaves one suggestion, itself: no list left to
        pick from, and none to swallow the next click (on "Open / create")."""
        popup = self.completer.popup()
        typed = self.search_edit.text().strip()
        if (
            popup is not None
            and self.completer.completionCount() == 1
            and self.completer.currentCompletion() == typed
        ):
            popup.hide()

    def _on_suggestion_chosen(self, text: str) -> None:
        self.search_edit.setText(text)
        self._on_open_clicked()

    def _on_open_clicked(self) -> None:
        text = self.search_edit.text().strip()
        if not text:
            return
        matches = [p for p in self.controller.search(text) if text in (p["code"], p["name"])]
        code = matches[0]["code"] if matches else text
        self.message.clear()
        self.controller.open_patient(code)

    def _on_redo_clicked(self) -> None:
        visit = self.controller.visit
        if visit is None:
            return
        done = [v for v in visit.protocol if v in visit.steps]
        if done:
            self.controller.redo_step(done[-1])

    def refresh(self) -> None:
        c = self.controller
        patient, visit = c.patient, c.visit
        if patient is None:
            self.patient_label.setText(_("No patient chosen."))
        else:
            n = int(patient["visits"] or 0)
            # stored visits, the one just finished included ("earlier" it was not)
            self.patient_label.setText(
                _("Patient {code}: no visits stored yet").format(code=patient["code"])
                if n == 0
                else ngettext(
                    "Patient {code}: {n} visit stored, the last on {last}",
                    "Patient {code}: {n} visits stored, the last on {last}",
                    n,
                ).format(code=patient["code"], n=n, last=patient["last_visit"] or "-")
            )
        active = visit is not None and visit.visit_id is None and not c.capturing
        has_step = active and visit is not None and visit.current_view is not None
        self.new_visit_button.setEnabled(patient is not None and not c.capturing)
        self.progress_button.setEnabled(patient is not None and bool(patient["visits"]))
        self.overview_button.setEnabled(visit is not None and bool(visit.all_captures))
        self.capture_button.setEnabled(has_step)
        self.skip_button.setEnabled(has_step)
        self.redo_button.setEnabled(active and visit is not None and bool(visit.steps))
        self.finish_button.setEnabled(active and visit is not None and bool(visit.all_captures))
        self.report_button.setEnabled(
            visit is not None and visit.visit_id is not None and not c.report.busy
        )
        if visit is None:
            self.steps_label.setText("")
            self.capture_button.setText(_("Capture"))
            self.overview.setText("")
            return
        marks = []
        for i, view in enumerate(visit.protocol):
            step = visit.steps.get(view)
            mark = "✓" if isinstance(step, CaptureData) else "–" if step == SKIPPED else "…"
            name = view_name(view)
            marks.append(f"<b>{name}</b> {mark}" if i == visit.index else f"{name} {mark}")
        self.steps_label.setText(" · ".join(marks))
        current = visit.current_view
        if current is None:
            self.capture_button.setText(_("All steps done"))
        elif c.capturing:
            self.capture_button.setText(_("Capturing {view}…").format(view=view_name(current)))
        else:
            self.capture_button.setText(_("Capture {view}").format(view=view_name(current)))
        self.overview.setText(self._overview_html())

    def _overview_html(self) -> str:
        visit = self.controller.visit
        assert visit is not None
        cells = []
        for comparison in self.controller.comparison():
            values = {m.metric_id: m for m in comparison.current.metrics}
            changes = {ch.metric_id: ch for ch in comparison.changes}
            rows = []
            for metric_id in KEY_METRICS.get(comparison.view, ()):
                m = values.get(metric_id)
                if m is None or m.median is None:
                    continue
                # ± is the uncertainty (spread and repeatability; a corrected capture's
                # hand placement); an older record has its frame SD only, marked "SD".
                # Value, ± and change as every table writes them: "2.1° ±0.8°".
                pm, unit = plus_minus(m), m.unit or ""
                # in words, as the live table, `visits` and the report: "12.4° backward"
                value = value_in_words(Metric(metric_id, m.median, unit, MetricStatus(m.status)))
                spread = plus_minus_text(pm.value, unit, frame_sd_only=pm.fallback)
                text = f"{metric_label(metric_id)}: {value} {spread}".rstrip()
                change = changes.get(metric_id)
                if change is not None and change.comparable:
                    shown = format_value(change.shown_change, unit)
                    text += f" ({shown}, {change_judgement(change)})"
                elif change is not None:
                    text += f" ({change_judgement(change)})"
                rows.append(html.escape(text))
            title = view_name(comparison.view)
            cells.append(f"<td valign='top'><b>{title}</b><br>{'<br>'.join(rows)}</td>")
        if visit.snapshots:
            n = len(visit.snapshots)
            cells.append(
                "<td valign='top'>"
                + html.escape(ngettext("{n} snapshot", "{n} snapshots", n).format(n=n))
                + "</td>"
            )
        if not cells:
            return ""
        # Two views side by side per row: the side column is narrow.
        rows = ["<tr>" + "".join(cells[i : i + 2]) + "</tr>" for i in range(0, len(cells), 2)]
        return "<table cellspacing='6'>" + "".join(rows) + "</table>"
