"""Side panels: the metrics table and the live quality-gate checklist.

Both are fed every result but redraw at most ``REFRESH_HZ`` times per second: numbers
that change 30 times a second cannot be read, and the GUI thread's time is better
spent painting the video.
"""

from __future__ import annotations

import html
import time

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from posture_cam.types import FrameResult, Metric, QualityReport
from posture_cam.ui.i18n import tr
from posture_cam.ui.widgets import metric_text as mt

REFRESH_HZ = 8.0


class MetricsPanel(QWidget):
    """Table of metrics: label | value | normal band | traffic light + status.

    Args:
        language: ``en`` or ``nl``.
        parent: Qt parent.
    """

    COLUMNS = ("metric", "value", "normal_band", "status")

    def __init__(self, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._language = language
        self._ids: tuple[str, ...] = ()
        self._last_refresh = 0.0
        self._metrics: dict[str, Metric] = {}
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold; font-size: 14px;")
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        self.retranslate(language)

    def retranslate(self, language: str) -> None:
        self._language = language
        self.title.setText(tr("metrics", language))
        self.empty.setText(tr("no_metrics", language))
        self.table.setHorizontalHeaderLabels([tr(c, language) for c in self.COLUMNS])
        ids, self._ids = self._ids, ()
        self._rebuild(ids)
        self._fill()

    def update_result(self, result: FrameResult, force: bool = False) -> None:
        """Show ``result.metrics`` (throttled unless ``force``)."""
        now = time.perf_counter()
        if not force and now - self._last_refresh < 1.0 / REFRESH_HZ:
            return
        self._last_refresh = now
        self._metrics = dict(result.metrics)
        ids = tuple(self._metrics)
        if ids != self._ids:
            self._rebuild(ids)
        self._fill()

    def clear(self) -> None:
        """Show no numbers (the source failed: stale values must not stay on screen)."""
        self._metrics = {}
        self._rebuild(())

    def _rebuild(self, ids: tuple[str, ...]) -> None:
        self._ids = ids
        self.table.setRowCount(len(ids))
        for row, metric_id in enumerate(ids):
            name = QTableWidgetItem(mt.label(metric_id, self._language))
            name.setToolTip(mt.tooltip(metric_id, self._language))
            name.setData(Qt.ItemDataRole.UserRole, metric_id)
            self.table.setItem(row, 0, name)
            for col in range(1, len(self.COLUMNS)):
                item = QTableWidgetItem()
                item.setToolTip(name.toolTip())
                self.table.setItem(row, col, item)
            self.table.item(row, 2).setText(mt.norm_text(metric_id))
        self.empty.setVisible(not ids)
        self.table.setVisible(bool(ids))

    def _fill(self) -> None:
        for row, metric_id in enumerate(self._ids):
            metric = self._metrics.get(metric_id)
            if metric is None:
                continue
            self.table.item(row, 1).setText(mt.format_value(metric.value, metric.unit))
            status = self.table.item(row, 3)
            status.setText("● " + mt.metric_status_line(metric, self._language))
            status.setForeground(QBrush(QColor(mt.STATUS_COLORS[metric.status])))

    def row_texts(self) -> dict[str, tuple[str, str, str, str]]:
        """metric id -> the four cell texts (for tests and screen readers)."""
        out = {}
        for row, metric_id in enumerate(self._ids):
            out[metric_id] = tuple(self.table.item(row, c).text() for c in range(4))
        return out


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
        self.title.setText(tr("quality", language))
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
        lang = self._language
        report = self._report
        lines = []
        if not self._person:
            lines.append(f"<span style='color:#d33c2c'>✗ {tr('no_person', lang)}</span>")
        if report is None or not report.checks:
            lines.append(f"<i>{tr('quality_none', lang)}</i>")
        else:
            for check in report.checks:
                name = html.escape(check.id.replace("_", " "))
                if check.ok:
                    lines.append(f"<span style='color:#2e9d4a'>✓</span> {name}")
                else:
                    why = f": {html.escape(check.reason)}" if check.reason else ""
                    lines.append(f"<span style='color:#d33c2c'>✗ {name}</span>{why}")
            verdict = tr("quality_ok" if report.ok else "quality_not_ok", lang)
            color = "#2e9d4a" if report.ok else "#e0a000"
            lines.append(f"<b style='color:{color}'>{verdict}</b>")
        text = "<br>".join(lines)
        if text != self._last_html:
            self._last_html = text
            self.body.setText(text)
