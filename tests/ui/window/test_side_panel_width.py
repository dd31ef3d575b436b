"""The side column is as wide as the metrics table needs in every language: no column
is cut and nothing scrolls sideways, and a language switch never changes the width."""

from __future__ import annotations

import pytest

from posture_cam.config import PipelineConfig
from posture_cam.pipeline import Pipeline
from posture_cam.testing import ScriptedEstimator, draw_pose, standing_pose
from posture_cam.types import Frame
from posture_cam.ui.window.side_panel import WIDTH_PX, SidePanel

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _result(view: str, **pose):
    figure = standing_pose((640, 480), view, **pose)
    pipeline = Pipeline(ScriptedEstimator([figure]), PipelineConfig())
    return pipeline.process(Frame(draw_pose(figure), 0, 0.0, "synthetic"))


def test_one_width_for_every_language(qtbot):
    widths = set()
    for language in ("en", "nl"):
        panel = SidePanel(language)
        qtbot.addWidget(panel)
        widths.add(panel.width())
        assert panel.width() >= panel.metrics_panel.content_width()
    assert len(widths) == 1 and widths.pop() >= WIDTH_PX


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("view", ["front", "left"])
def test_no_column_is_cut(qtbot, language, view):
    panel = SidePanel(language)
    qtbot.addWidget(panel)
    panel.retranslate(language)
    panel.show()
    # A tilt far outside the norm: the longest status word ("buiten de norm").
    panel.metrics_panel.update_result(_result(view, shoulder_tilt_deg=9.0), force=True)
    table = panel.metrics_panel.table
    header = table.horizontalHeader()
    assert table.horizontalScrollBar().maximum() == 0
    right = max(
        header.sectionViewportPosition(c) + header.sectionSize(c)
        for c in range(table.columnCount())
        if not table.isColumnHidden(c)
    )
    assert right <= table.viewport().width()
    statuses = {row.status for row in panel.metrics_panel.row_texts().values()}
    if view == "front":
        assert statuses & {"● outside the norm", "● buiten de norm"}, statuses
