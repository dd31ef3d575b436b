"""The visit overview's values carry their ± and say what it is: the stored uncertainty
unmarked, an older record's frame SD marked "SD" with a legend line saying so."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from PySide6.QtCore import QObject, Signal

from posture_cam import wording
from posture_cam.records.compare import ViewComparison, compare_captures
from posture_cam.records.ingest import CaptureData, MetricData
from posture_cam.ui.records.overview_dialog import OverviewDialog


class _Controller(QObject):
    changed = Signal()

    def __init__(self, comparisons: list[ViewComparison]) -> None:
        super().__init__()
        self._comparisons = comparisons

    def comparison(self) -> list[ViewComparison]:
        return self._comparisons


def _capture(tilt: float, uncertainty: float | None) -> CaptureData:
    metric = MetricData("shoulder_tilt", tilt, 0.4, 0.5, 30, "deg", "borderline")
    metric.uncertainty = uncertainty
    return CaptureData("front", "x.jpg", "image", [metric], {}, None, None, None, None)


def test_overview_shows_the_uncertainty_and_marks_an_sd_fallback(qtbot) -> None:
    before, now = _capture(2.0, None), _capture(3.0, 0.9)  # before: stored before 0004
    visit = SimpleNamespace(date_time=dt.datetime(2026, 10, 1, 9, 0))
    comparison = ViewComparison("front", now, before, visit, compare_captures(before, now))
    dialog = OverviewDialog(_Controller([comparison]))  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.refresh()
    _, _, table = dialog.rows["front"]
    assert table.item(0, 1).text() == "2.0° ± 0.4 SD"
    assert table.item(0, 2).text() == "3.0° ± 0.9"
    assert dialog.legend is not None
    assert wording.report_text("pm_legend") in dialog.legend.text()
    assert wording.report_text("pm_legend_sd") in dialog.legend.text()

    # Both with a stored uncertainty: no SD mark, no fallback line.
    before.metrics[0].uncertainty = 0.8
    dialog.refresh()
    _, _, table = dialog.rows["front"]
    assert table.item(0, 1).text() == "2.0° ± 0.8"
    assert wording.report_text("pm_legend_sd") not in dialog.legend.text()
