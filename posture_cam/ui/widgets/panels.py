"""Side panels: the metrics table and the live quality-gate checklist.

Both are fed every result but redraw at most ``REFRESH_HZ`` times per second: numbers
that change 30 times a second cannot be read, and the GUI thread's time is better
spent painting the video.

The metrics table never cuts a word: every column is as wide as its contents, and
:meth:`MetricsPanel.content_width` says how wide the table must be for the widest text
each column can hold in any language (the side column takes that width, measured with
the table's own font, so a language switch never moves the layout).
"""

from __future__ import annotations

import html
import time
from typing import NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from posture_cam import wording
from posture_cam.i18n import N_, _, available_languages, localize, using_language
from posture_cam.types import FrameResult, Metric, MetricStatus, QualityReport, View
from posture_cam.ui.widgets import metric_rows as rows

#: What the units under the table mean (also the band column's tooltip).
LEGEND_HEIGHT = N_(
    "% height = percent of the patient's body height (no scale calibrated); "
    "% trunk = percent of the trunk length."
)
LEGEND_CM = N_(
    "cm at the patient's position (calibrated scale). The normal bands, set in % of "
    "body height, are converted with this patient's height (≈)."
)

REFRESH_HZ = 8.0


class RowTexts(NamedTuple):
    """The texts of a row's name, value, band and status cells (its ±:
    :meth:`MetricsPanel.plus_minus_texts`)."""

    name: str
    value: str
    band: str
    status: str


class MetricsPanel(QWidget):
    """Table of metrics: label | value | ± | normal band | traffic light + status, with
    the reasons of the rows without a number and the sources of the numbers under it.

    Args:
        language: ``en`` or ``nl``.
        parent: Qt parent.
        plus_minus: show each value's ± (:class:`~posture_cam.ui.widgets.metric_rows.PlusMinus`:
            a photo's as ``analyze`` prints it, live the ± a snapshot would store).
            The points dialog shows its own ± and leaves it off.
    """

    #: The columns after the first (``wording.measurement_heading``, as every table of
    #: measurements heads it), headed with ``wording.column_heading`` as ``analyze``'s
    #: and ``visits``' tables are. The ± comes last in the model (logical column 4,
    #: so the first four stay those of the panel without it) and is shown beside the
    #: value, where ``analyze``'s table has it.
    COLUMNS = ("value", "band", "status", "plus_minus")
    _PLUS_MINUS = 4

    def __init__(
        self, language: str = "en", parent: QWidget | None = None, *, plus_minus: bool = False
    ) -> None:
        super().__init__(parent)
        self._language = language
        self._ids: tuple[str, ...] = ()
        self._last_refresh = 0.0
        self._metrics: dict[str, Metric] = {}
        self._plus_minus = rows.PlusMinus() if plus_minus else None
        self._spreads: dict[str, float | None] = {}
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold; font-size: 14px;")
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.table = QTableWidget(0, 1 + len(self.COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().setVisible(False)
        # One line per row, each column as wide as its widest text: a column squeezed
        # to fit cut "buiten de norm" to "…" (the side column is made wide enough, and
        # a text wider than planned for scrolls rather than being cut).
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        header.moveSection(self._PLUS_MINUS, 2)
        self.table.setColumnHidden(self._PLUS_MINUS, not plus_minus)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        # Rows the framing cannot measure, collapsed into one plain-words line.
        self.out_of_view = QLabel()
        self.out_of_view.setWordWrap(True)
        self.out_of_view.setStyleSheet("color: #9a9a9a;")
        self.out_of_view.hide()
        self._out_of_view: tuple[list[str], list[str]] = ([], [])
        # Why the rows without a number have none (as analyze prints it), and which
        # numbers come from skin markers or placed points.
        self.reasons = QLabel()
        self.reasons.setWordWrap(True)
        self.reasons.hide()
        self.sources = QLabel()
        self.sources.setWordWrap(True)
        self.sources.hide()
        self._result: FrameResult | None = None
        # What "% height" means and how a cm value meets its band.
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setStyleSheet("color: #9a9a9a; font-size: 11px;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.out_of_view)
        layout.addWidget(self.reasons)
        layout.addWidget(self.sources)
        layout.addWidget(self.legend)
        self.retranslate(language)

    def retranslate(self, language: str) -> None:
        self._language = language
        with using_language(language):
            self.title.setText(_("Measurements"))
            self.empty.setText(self._empty_text())
            headers = [wording.measurement_heading(), *map(wording.column_heading, self.COLUMNS)]
            self.table.setHorizontalHeaderLabels(headers)
            band_header = self.table.horizontalHeaderItem(2)
            if band_header is not None:  # set by setHorizontalHeaderLabels just above
                band_header.setToolTip(_(LEGEND_HEIGHT))
            plus_minus_header = self.table.horizontalHeaderItem(self._PLUS_MINUS)
            if plus_minus_header is not None:
                plus_minus_header.setToolTip(rows.plus_minus_help())
        ids, self._ids = self._ids, ()
        self._rebuild(ids)
        self._fill()

    def content_width(self) -> int:
        """Width (px) the table needs to show every column whole in every language: the
        widest text each column can hold (``metric_rows.widest_texts``) in the table's
        font, with the table's frame and its vertical scroll bar."""
        keys = ("name", *self.COLUMNS)
        shown = [c for c in range(len(keys)) if not self.table.isColumnHidden(c)]
        columns = 0
        for language in available_languages():
            with using_language(language):
                texts = rows.widest_texts(keys)
            probe = QTableWidget(max(map(len, texts.values())), len(keys))
            probe.setFont(self.table.font())
            probe.horizontalHeader().setFont(self.table.horizontalHeader().font())
            for col, key in enumerate(keys):
                *cells, heading = texts[key]
                probe.setHorizontalHeaderItem(col, QTableWidgetItem(heading))
                for row, text in enumerate(cells):
                    probe.setItem(row, col, QTableWidgetItem(text))
            probe.resizeColumnsToContents()
            columns = max(columns, sum(probe.columnWidth(c) for c in shown))
        scrollbar = self.table.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        return columns + 2 * self.table.frameWidth() + scrollbar

    def update_result(self, result: FrameResult, force: bool = False) -> None:
        """Show ``result.metrics`` (throttled unless ``force``)."""
        if self._plus_minus is not None:
            self._plus_minus.add(result)  # every frame: the ± spans all of them
        now = time.perf_counter()
        if not force and now - self._last_refresh < 1.0 / REFRESH_HZ:
            return
        self._last_refresh = now
        self._result = result
        self._metrics = dict(result.metrics)
        self._spreads = self._plus_minus.values(result) if self._plus_minus else {}
        self._out_of_view = rows.not_in_view(self._metrics, result.pose_measured)
        hidden = set(self._out_of_view[0])
        ids = tuple(i for i in self._metrics if i not in hidden)
        if ids != self._ids:
            self._rebuild(ids)
        self._fill()

    def clear(self) -> None:
        """Show no numbers (the source failed: stale values must not stay on screen)."""
        self._metrics = {}
        self._spreads = {}
        self._result = None
        self._out_of_view = ([], [])
        if self._plus_minus is not None:
            self._plus_minus.clear()
        self._rebuild(())
        self._fill()

    def _rebuild(self, ids: tuple[str, ...]) -> None:
        with using_language(self._language):
            self._rebuild_rows(ids)

    def _rebuild_rows(self, ids: tuple[str, ...]) -> None:
        self._ids = ids
        self.table.setRowCount(len(ids))
        for row, metric_id in enumerate(ids):
            name = QTableWidgetItem(wording.metric_label(metric_id))
            name.setToolTip(wording.tooltip_html(metric_id))
            name.setData(Qt.ItemDataRole.UserRole, metric_id)
            self.table.setItem(row, 0, name)
            for col in range(1, 1 + len(self.COLUMNS)):
                item = QTableWidgetItem()
                item.setToolTip(name.toolTip())
                self.table.setItem(row, col, item)
            self._cell(row, 2).setText(wording.band_text(metric_id))
        self.empty.setVisible(not ids and not self._out_of_view[0])
        self.table.setVisible(bool(ids))

    def _fill(self) -> None:
        with using_language(self._language):
            self._fill_extras()
            self._fill_rows()

    def _fill_rows(self) -> None:
        result = self._result
        for row, metric_id in enumerate(self._ids):
            metric = self._metrics.get(metric_id)
            if metric is None:
                continue
            band = wording.band_in_value_unit(
                wording.metric_spec(metric_id),
                metric.unit,
                result.pose_measured if result else None,
                result.cm_per_px if result else None,
            )
            if band is not None:
                _set_text(self._cell(row, 2), band)
            spread = None if rows.not_measurable(metric) else self._spreads.get(metric_id)
            _set_text(self._cell(row, 1), wording.value_in_words(metric))
            _set_text(self._cell(row, 4), wording.plus_minus_text(spread, metric.unit))
            status = self._cell(row, 3)
            if _set_text(status, rows.status_cell(metric.status)):
                status.setForeground(QBrush(QColor(wording.STATUS_COLORS[metric.status])))
            self._set_tooltips(row, metric)

    def _set_tooltips(self, row: int, metric: Metric) -> None:
        tips = rows.cell_tooltips(metric, self._cell(row, 0).toolTip())
        for col, tip in zip((1, 3, 4), tips, strict=True):
            item = self._cell(row, col)
            if item.toolTip() != tip:
                item.setToolTip(tip)

    def _empty_text(self) -> str:
        """What the panel says with no row: a body turned three-quarters says so and
        how far (as ``analyze`` does); before, a still photo of one read "No
        measurements yet: stand fully in view", which was neither true nor the reason."""
        view = self._result.view if self._result is not None else None
        if view is not None and view.view is View.THREE_QUARTER and view.reason:
            text = _("nothing measurable in this picture: {reason}").format(
                reason=localize(view.reason)
            )
            return text[:1].upper() + text[1:]
        return _("No measurements yet: stand fully in view, facing the camera or side-on.")

    def _fill_extras(self) -> None:
        """The collapsed out-of-view line, the reasons, the sources and the unit legend."""
        if not self._ids:
            text = self._empty_text()
            if self.empty.text() != text:
                self.empty.setText(text)
        ids, parts = self._out_of_view
        if ids:
            self.out_of_view.setText(rows.not_in_view_text(len(ids), parts))
            self.out_of_view.setToolTip(", ".join(wording.metric_label(i) for i in ids))
        self.out_of_view.setVisible(bool(ids))
        for label, lines in (
            (self.reasons, rows.reason_lines(self._metrics, self._ids)),
            (self.sources, rows.source_lines(self._metrics, self._ids)),
        ):
            text = "\n".join(lines)
            if label.text() != text:
                label.setText(text)
            label.setVisible(bool(lines))
        units = {m.unit for m in self._metrics.values() if m.value is not None}
        if "cm" in units:
            self.legend.setText(_(LEGEND_CM))
        elif units & {"%height", "%"}:
            self.legend.setText(_(LEGEND_HEIGHT))
        else:
            self.legend.setText("")
        self.legend.setVisible(bool(self.legend.text()))

    def plus_minus(self) -> dict[str, float | None]:
        """metric id -> the ± shown beside its value, in its unit (None: none known)."""
        return dict(self._spreads)

    def plus_minus_texts(self) -> dict[str, str]:
        """metric id -> the ± cell's text ("" without a ±, or with the column off)."""
        return {mid: self._cell(row, self._PLUS_MINUS).text() for row, mid in enumerate(self._ids)}

    def row_texts(self) -> dict[str, RowTexts]:
        """metric id -> the texts of the name, value, band and status cells (for tests
        and screen readers)."""
        out = {}
        for row, metric_id in enumerate(self._ids):
            out[metric_id] = RowTexts(*(self._cell(row, c).text() for c in range(4)))
        return out

    def _cell(self, row: int, col: int) -> QTableWidgetItem:
        """The item :meth:`_rebuild` put at (row, col)."""
        item = self.table.item(row, col)
        assert item is not None, f"metrics table has no item at {row}, {col}"
        return item


def _set_text(item: QTableWidgetItem, text: str) -> bool:
    """Set ``item``'s text when it differs; True when it changed.

    Every ``setText`` makes the table re-measure and repaint the cell, even with the
    same text: on a busy live view most values read the same as 1/8 s before.
    """
    if item.text() == text:
        return False
    item.setText(text)
    return True


class QualityPanel(QWidget):
    """The quality gate's checks as a live checklist (✓ ok / ✗ reason).

    Args:
        language: ``en`` or ``nl``.
        parent: Qt parent.
    """

    def __init__(self, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._language = language
        self._last_refresh = 0.0
        self._last_html = ""
        self._report: QualityReport | None = None
        self._person = True
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold; font-size: 14px;")
        self.body = QLabel()
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setWordWrap(True)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        self.retranslate(language)

    def retranslate(self, language: str) -> None:
        self._language = language
        with using_language(language):
            self.title.setText(_("Quality checks"))
        self._render()

    def update_result(self, result: FrameResult, force: bool = False) -> None:
        now = time.perf_counter()
        if not force and now - self._last_refresh < 1.0 / REFRESH_HZ:
            return
        self._last_refresh = now
        self._report = result.quality
        self._person = result.person_found
        self._render()

    def clear(self) -> None:
        """Show no checks (the source failed)."""
        self._report, self._person = None, True
        self._render()

    def _render(self) -> None:
        with using_language(self._language):
            text = self._html()
        if text != self._last_html:
            self._last_html = text
            self.body.setText(text)

    def _html(self) -> str:
        report = self._report
        ok_color = wording.STATUS_COLORS[MetricStatus.NORMAL]
        bad_color = wording.STATUS_COLORS[MetricStatus.OUTSIDE]
        lines = []
        if not self._person and not (report and report.checks):
            # Only when no check says so already: one "no person" line, never two.
            lines.append(f"<span style='color:{bad_color}'>✗ {_('No person found')}</span>")
        if report is None or not report.checks:
            lines.append(f"<i>{_('No checks yet')}</i>")
        else:
            for check in report.checks:
                name = html.escape(wording.check_label(check.id))
                if check.ok:
                    lines.append(f"<span style='color:{ok_color}'>✓</span> {name}")
                else:
                    why = f": {html.escape(localize(check.reason))}" if check.reason else ""
                    lines.append(f"<span style='color:{bad_color}'>✗ {name}</span>{why}")
            verdict = _("ready for a clinical capture") if report.ok else _("not ready")
            color = wording.STATUS_COLORS[
                MetricStatus.NORMAL if report.ok else MetricStatus.BORDERLINE
            ]
            lines.append(f"<b style='color:{color}'>{verdict}</b>")
        return "<br>".join(lines)
