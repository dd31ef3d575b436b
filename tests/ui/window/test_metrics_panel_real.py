"""The side panel's measurements in a real window on a seated side photo (real model):
the plumb-line offsets keep their own reason (not "step back"), every column is whole in
Dutch at the default and a larger window size, and each ± is the one ``posture-cam
analyze`` prints for the photo."""

from __future__ import annotations

import json
import re

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QLabel, QStyle

from posture_cam import cli, wording
from posture_cam.app_settings import AppSettings
from posture_cam.config import PipelineConfig
from posture_cam.i18n import set_language
from posture_cam.testing import PassThroughRenderer
from posture_cam.ui.window.main_window import MainWindow

pytestmark = [pytest.mark.media, pytest.mark.slow, pytest.mark.qt_log_ignore("propagateSizeHints")]

SEATED = "images/seated_side/seated_side_nvv_straight_upright_facing_right.jpg"
PLUMB = ("ear_offset", "shoulder_offset", "hip_offset", "knee_offset")


@pytest.fixture
def open_photo(qtbot, media, model_path):
    """A real window on the seated photo in a language, once its rows are filled."""
    windows: list[MainWindow] = []

    def open_(language: str) -> MainWindow:
        win = MainWindow(
            str(media(SEATED)),
            AppSettings(language=language),
            PipelineConfig(model_path=str(model_path), second_model=False),
            renderer_factory=PassThroughRenderer,
            export_renderer_factory=PassThroughRenderer,
            persist=False,
        )
        qtbot.addWidget(win)
        win.show()
        windows.append(win)
        qtbot.waitUntil(lambda: "cva" in win.side.metrics_panel.row_texts(), timeout=60_000)
        return win

    yield open_
    for win in windows:
        worker = win.session.worker
        win.close()
        if worker is not None:
            assert worker.wait(1000)
    set_language("en")


def _panel_texts(win: MainWindow) -> list[str]:
    panel = win.side.metrics_panel
    labels = [w.text() for w in panel.findChildren(QLabel) if w.isVisible()]
    return labels + [" ".join(row) for row in panel.row_texts().values()]


def test_seated_photo_says_why_the_plumb_offsets_are_not_measured(open_photo):
    win = open_photo("en")
    panel = win.side.metrics_panel
    rows = panel.row_texts()
    for metric_id in PLUMB:
        assert rows[metric_id].status == "● not measurable", rows[metric_id]
        assert rows[metric_id].value == "—" and panel.plus_minus_texts()[metric_id] == ""
    assert panel.out_of_view.isHidden()
    assert re.search(
        r"Ear plumb offset, Shoulder plumb offset, Hip plumb offset, Knee plumb offset: "
        r"not measurable: plumb-line offsets need a standing posture \(knee angle \d+°\)",
        panel.reasons.text(),
    ), panel.reasons.text()
    assert not any("step back" in text for text in _panel_texts(win))
    # The status cell's tooltip gives the reason too (the definition after it).
    row = list(rows).index("ear_offset")
    tooltip = panel.table.item(row, 3).toolTip()
    assert tooltip.index("standing posture") < tooltip.index("Norm")


def test_photo_plus_minus_is_what_analyze_prints(open_photo, media, model_path, capsys):
    win = open_photo("en")
    panel = win.side.metrics_panel
    argv = ["analyze", "--json", "--no-second-model", "--model", str(model_path)]
    assert cli.main([*argv, str(media(SEATED))]) == 0
    frame = json.loads(capsys.readouterr().out)["inputs"][0]["frames"][0]
    texts, shown = panel.plus_minus_texts(), panel.plus_minus()
    measured = 0
    for metric_id, entry in frame["metrics"].items():
        if entry["value"] is None:
            assert texts[metric_id] == ""
            continue
        measured += 1
        assert entry["uncertainty"] is not None
        assert shown[metric_id] == pytest.approx(entry["uncertainty"], abs=1e-3), metric_id
        text = wording.plus_minus_text(entry["uncertainty"], entry["unit"])
        assert texts[metric_id] == text, (metric_id, text)
    assert measured >= 4
    assert texts["cva"] == "±2.5°"
    assert panel.row_texts()["cva"].value == "53.5°"  # the same number as analyze's
    # Shown beside the value (as analyze's table has it), headed "±".
    header = panel.table.horizontalHeader()
    assert header.visualIndex(4) == 2 and panel.table.horizontalHeaderItem(4).text() == "±"
    # Model values: the source is said in the tooltip ("model (proxy)"), not on each row.
    assert "model (proxy)" in panel.table.item(0, 4).toolTip()
    assert panel.sources.isHidden()


def _assert_every_column_whole(win: MainWindow) -> None:
    table = win.side.metrics_panel.table
    header = table.horizontalHeader()
    margin = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
    fm, header_fm = table.fontMetrics(), header.fontMetrics()
    assert table.horizontalScrollBar().maximum() == 0  # nothing off to the side
    right = table.mapTo(win, QPoint(table.width(), 0)).x()
    assert right <= win.width(), (right, win.width())
    for col in range(table.columnCount()):
        if table.isColumnHidden(col):
            continue
        x, width = header.sectionViewportPosition(col), header.sectionSize(col)
        assert x >= 0 and x + width <= table.viewport().width(), (col, x, width)
        heading = table.horizontalHeaderItem(col).text()
        assert header_fm.horizontalAdvance(heading) + margin <= width, (heading, width)
        for row in range(table.rowCount()):
            text = table.item(row, col).text()
            assert fm.horizontalAdvance(text) + margin <= width, (text, width)


def test_dutch_status_column_is_whole_at_both_window_sizes(open_photo, qtbot):
    win = open_photo("nl")
    panel = win.side.metrics_panel
    statuses = [row.status for row in panel.row_texts().values()]
    assert "● buiten de norm" in statuses and "● normaal" in statuses
    assert "● niet meetbaar" in statuses
    assert panel.table.horizontalHeaderItem(3).text() == "Status"
    for size in ((1400, 820), (1600, 1000)):
        win.resize(*size)
        qtbot.waitUntil(lambda size=size: (win.width(), win.height()) == size, timeout=3000)
        _assert_every_column_whole(win)
    # The column is wide enough for the longest Dutch status word whatever rows show.
    width = panel.table.horizontalHeader().sectionSize(3)
    assert panel.table.fontMetrics().horizontalAdvance("● buiten de norm") < width
    assert "loodlijnafwijkingen vereisen een staande houding" in panel.reasons.text()
    assert not any("stap achteruit" in text for text in _panel_texts(win))
