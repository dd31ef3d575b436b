"""The visit overview's values carry their ± and say what it is: the stored uncertainty
unmarked, an older record's frame SD marked "SD" with a legend line saying so."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import cv2
import numpy as np
from PySide6.QtCore import QObject, Signal

from posture_cam import wording
from posture_cam.i18n import using_language
from posture_cam.records.compare import ViewComparison, compare_captures
from posture_cam.records.ingest import CaptureData, MetricData
from posture_cam.ui.records.overview_dialog import OverviewDialog


class _Controller(QObject):
    changed = Signal()

    def __init__(self, comparisons: list[ViewComparison], privacy: str = "full") -> None:
        super().__init__()
        self._comparisons = comparisons
        self.privacy = privacy

    def comparison(self) -> list[ViewComparison]:
        return self._comparisons

    def image_privacy(self, *, shown: bool) -> str:
        assert shown
        return self.privacy


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
    assert table.horizontalHeaderItem(0).text() == wording.measurement_heading()  # as all tables
    # The ± as every table writes it (was "2.0° ± 0.4 SD", "3.0° ± 0.9").
    assert table.item(0, 1).text() == "2.0° ±0.4° SD"
    assert table.item(0, 2).text() == "3.0° ±0.9°"
    assert dialog.legend is not None
    assert wording.report_text("pm_legend") in dialog.legend.text()
    assert wording.report_text("pm_legend_sd") in dialog.legend.text()

    # Both with a stored uncertainty: no SD mark, no fallback line.
    before.metrics[0].uncertainty = 0.8
    dialog.refresh()
    _, _, table = dialog.rows["front"]
    assert table.item(0, 1).text() == "2.0° ±0.8°"
    assert wording.report_text("pm_legend_sd") not in dialog.legend.text()

    with using_language("nl"):
        dialog.refresh()
        _, _, table = dialog.rows["front"]
        assert [table.item(0, c).text() for c in (1, 2)] == ["2,0° ±0,8°", "3,0° ±0,9°"]


def test_overview_prints_the_mdc_as_declared_and_judges_the_printed_change(qtbot) -> None:
    """The CVA's MDC from stickers (4.96°) is printed as declared, not as 5.0, and a
    change printed as +5.0 is beyond it, also when its hidden digits (54.99 - 50.04 =
    4.95) are not."""

    def capture(cva: float) -> CaptureData:
        metric = MetricData("cva", cva, 0.4, 0.5, 30, "deg", "normal", source="marker")
        return CaptureData("left", "x.jpg", "image", [metric], {}, None, None, None, None)

    for before, now in ((50.0, 54.97), (50.04, 54.99)):
        row = _change_row(qtbot, capture(before), capture(now))
        assert row == ["+5.0", "4.96", wording.change_verdict(True)], (before, now)


def _change_row(qtbot, previous: CaptureData, current: CaptureData) -> list[str]:
    """The overview's change, MDC and verdict cells of the first metric of ``current``
    against ``previous`` (one view, compared as the app does)."""
    visit = SimpleNamespace(date_time=dt.datetime(2026, 10, 1, 9, 0))
    changes = compare_captures(previous, current)
    comparison = ViewComparison(current.view, current, previous, visit, changes)
    dialog = OverviewDialog(_Controller([comparison]))  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.refresh()
    _, _, table = dialog.rows[current.view]
    return [table.item(0, c).text() for c in range(3, 6)]


def _png(bgr: tuple[int, int, int]) -> bytes:
    ok, png = cv2.imencode(".png", np.full((40, 30, 3), bgr, np.uint8))
    assert ok
    return png.tobytes()


def test_overview_shows_only_the_image_the_privacy_settings_allow(qtbot) -> None:
    before, now = _capture(2.0, 0.8), _capture(3.0, 0.9)
    for capture in (before, now):
        capture.images = {("full", "en"): _png((0, 0, 255)), ("skeleton", "en"): _png((40, 0, 0))}
    visit = SimpleNamespace(date_time=dt.datetime(2026, 10, 1, 9, 0))
    comparison = ViewComparison("front", now, before, visit, compare_captures(before, now))
    controller = _Controller([comparison], privacy="skeleton")
    dialog = OverviewDialog(controller)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)

    def colours() -> set[tuple[int, int, int]]:
        dialog.refresh()
        shown = set()
        for label in dialog.rows["front"][:2]:
            image = label.pixmap().toImage()
            c = image.pixelColor(image.width() // 2, image.height() // 2)
            shown.add((c.red(), c.green(), c.blue()))
        return shown

    assert colours() == {(0, 0, 40)}  # both visits: the skeleton image, no camera pixels
    controller.privacy = "full"
    assert colours() == {(255, 0, 0)}


def test_overview_does_not_judge_a_change_from_a_capture_that_failed_the_gate(qtbot) -> None:
    """As the report: a change from a capture that failed the quality gate (a front
    photo turned 31° from square) gets no MDC verdict, whatever its size."""

    def capture(tilt: float, ok: bool) -> CaptureData:
        metric = MetricData("shoulder_tilt", tilt, 0.4, 0.5, 1, "deg", "normal")
        quality = {"ok": ok, "checks": []}
        return CaptureData("front", "x.jpg", "image", [metric], quality, None, None, None, None)

    for before_ok, now_ok, verdict in (
        (True, True, wording.change_verdict(True)),
        (True, False, "not judged: capture failed the quality check"),
        (False, True, "not judged: capture failed the quality check"),
    ):
        row = _change_row(qtbot, capture(1.0, before_ok), capture(6.0, now_ok))
        assert row[2] == verdict, (before_ok, now_ok)
