"""The visit panel in the side column: patient, protocol steps, overview, report.

Widgets only: every action calls :class:`VisitController`, and the panel redraws from
the controller's state on ``changed`` (one way, no loop to guard).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QStringListModel
from PySide6.QtWidgets import (
    QCompleter,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from posture_cam.i18n import _, format_number, format_signed
from posture_cam.records.ingest import CaptureData
from posture_cam.ui.records.visit_controller import SKIPPED, VisitController

#: The numbers shown in the overview per view (the rest are in the report).
KEY_METRICS = {
    "front": ("shoulder_tilt", "pelvic_tilt", "head_tilt", "trunk_lean"),
    "back": ("shoulder_tilt", "pelvic_tilt", "trunk_lean"),
    "left": ("cva", "head_forward_angle", "trunk_inclination"),
    "right": ("cva", "head_forward_angle", "trunk_inclination"),
}


def view_name(view: str) -> str:
    names = {
        "front": _("Front"),
        "back": _("Back"),
        "left": _("Left side"),
        "right": _("Right side"),
    }
    return names.get(view, view)


class VisitPanel(QGroupBox):
    """Patient search/create, guided protocol, overview and report buttons."""

    def __init__(self, controller: VisitController, parent: QWidget | None = None) -> None:
        super().__init__(_("Patient visit"), parent)
        self.controller = controller
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(_("Patient code or name"))
        self._found = QStringListModel()
        self.completer = QCompleter(self._found, self)
        self.search_edit.setCompleter(self.completer)
        self.open_button = QPushButton(_("Open / create"))
        self.patient_label = QLabel()
        self.new_visit_button = QPushButton(_("New visit"))
        self.steps_label = QLabel()
        self.capture_button = QPushButton()
        self.skip_button = QPushButton(_("Skip"))
        self.redo_button = QPushButton(_("Redo last"))
        self.overview = QLabel()
        self.overview.setWordWrap(True)
        self.finish_button = QPushButton(_("Finish visit"))
        self.report_button = QPushButton(_("Report (PDF)"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        for button in (
            self.open_button,
            self.new_visit_button,
            self.capture_button,
            self.skip_button,
            self.redo_button,
            self.finish_button,
            self.report_button,
        ):
            button.setAutoDefault(False)
        self._layout()
        self.open_button.clicked.connect(self._on_open_clicked)
        self.search_edit.returnPressed.connect(self._on_open_clicked)
        self.search_edit.textEdited.connect(self._on_search_changed)
        self.new_visit_button.clicked.connect(lambda: controller.new_visit())
        self.capture_button.clicked.connect(controller.capture_step)
        self.skip_button.clicked.connect(controller.skip_step)
        self.redo_button.clicked.connect(self._on_redo_clicked)
        self.finish_button.clicked.connect(lambda: controller.finish_visit())
        self.report_button.clicked.connect(lambda: controller.write_report())
        controller.changed.connect(self.refresh)
        controller.failed.connect(lambda msg: self.message.setText(html.escape(msg)))
        controller.reportWritten.connect(
            lambda path: self.message.setText(_("Report written: {path}").format(path=path))
        )
        self.refresh()

    def _layout(self) -> None:
        col = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(self.search_edit, 1)
        row.addWidget(self.open_button)
        col.addLayout(row)
        col.addWidget(self.patient_label)
        col.addWidget(self.new_visit_button)
        col.addWidget(self.steps_label)
        steps = QHBoxLayout()
        steps.addWidget(self.capture_button, 2)
        steps.addWidget(self.skip_button, 1)
        steps.addWidget(self.redo_button, 1)
        col.addLayout(steps)
        col.addWidget(self.overview)
        done = QHBoxLayout()
        done.addWidget(self.finish_button)
        done.addWidget(self.report_button)
        col.addLayout(done)
        col.addWidget(self.message)

    def _on_search_changed(self, text: str) -> None:
        found = self.controller.search(text)
        items = [p["code"] for p in found] + [p["name"] for p in found if p["name"]]
        self._found.setStringList(items)

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
            self.patient_label.setText(
                _("Patient {code}: {n} earlier visit(s), last {last}").format(
                    code=patient["code"], n=patient["visits"], last=patient["last_visit"] or "-"
                )
            )
        active = visit is not None and visit.visit_id is None and not c.capturing
        has_step = active and visit is not None and visit.current_view is not None
        self.new_visit_button.setEnabled(patient is not None and not c.capturing)
        self.capture_button.setEnabled(has_step)
        self.skip_button.setEnabled(has_step)
        self.redo_button.setEnabled(active and visit is not None and bool(visit.steps))
        self.finish_button.setEnabled(active and visit is not None and bool(visit.captures))
        self.report_button.setEnabled(visit is not None and visit.visit_id is not None)
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
        changes = dict(self.controller.comparison()) if visit.visit_id is not None else {}
        cells = []
        for view in visit.protocol:
            step = visit.steps.get(view)
            if not isinstance(step, CaptureData):
                continue
            values = {m.metric_id: m for m in step.metrics}
            rows = []
            for metric_id in KEY_METRICS.get(view, ()):
                m = values.get(metric_id)
                if m is None or m.median is None:
                    continue
                value, sd = format_number(m.median), format_number(m.sd or 0.0)
                text = f"{metric_id}: {value} ± {sd} {m.unit}"
                change = next(
                    (ch for ch in changes.get(view, []) if ch.metric_id == metric_id), None
                )
                if change is not None:
                    verdict = (
                        _("beyond measurement error")
                        if change.beyond_error
                        else _("within measurement error")
                    )
                    text += f" ({format_signed(change.change)}, {verdict})"
                rows.append(html.escape(text))
            cells.append(f"<td valign='top'><b>{view_name(view)}</b><br>{'<br>'.join(rows)}</td>")
        if not cells:
            return ""
        # Two views side by side per row: the side column is narrow.
        rows = ["<tr>" + "".join(cells[i : i + 2]) + "</tr>" for i in range(0, len(cells), 2)]
        return "<table cellspacing='6'>" + "".join(rows) + "</table>"
