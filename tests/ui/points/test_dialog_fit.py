"""The point-correction dialog shows its numbers whole and once: every column of its
metrics table is as wide as its longest cell (English and Dutch, at the dialog's default
size, no sideways scrolling), the ± box writes each value in the table's words, and the
names of points placed close together never print over each other."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QPointF, QRectF, QSizeF

from posture_cam.config import PipelineConfig
from posture_cam.i18n import using_language
from posture_cam.markers.editor import PointEditor
from posture_cam.pipeline import Pipeline
from posture_cam.sources import read_image
from posture_cam.types import Frame, FrameResult
from posture_cam.ui.points import PointsDialog
from posture_cam.ui.points import canvas as canvas_module
from posture_cam.wording import metric_label, plus_minus_text, value_in_words

PHOTO = "images/seated_side/seated_side_nvv_straight_upright_facing_right.jpg"

media = pytest.mark.media


@pytest.fixture(scope="module")
def frozen(media, model_path) -> FrameResult:
    path = media(PHOTO)  # missing: a skip with the reason, a failure under CI
    config = PipelineConfig(model_path=str(model_path))
    with Pipeline.open(config, mode="image") as pipeline:
        return pipeline.process(Frame(read_image(path), 0, 0.0, str(path)))


def _dialog(qtbot, result: FrameResult, language: str) -> PointsDialog:
    with using_language(language):
        dialog = PointsDialog(PointEditor(result), language, "test")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


@media
@pytest.mark.qt_log_ignore("propagateSizeHints")
@pytest.mark.parametrize("language", ["en", "nl"])
def test_every_column_shows_its_longest_cell_whole(qtbot, frozen, language) -> None:
    dialog = _dialog(qtbot, frozen, language)
    table = dialog.metrics.table
    texts = {row.status for row in dialog.metrics.row_texts().values()}
    # The photo's rows hold the longest status words ("buiten de norm", "niet meetbaar").
    assert any("norm" in t for t in texts) and len(texts) > 1, texts
    shown = [c for c in range(table.columnCount()) if not table.isColumnHidden(c)]
    for col in shown:
        need = max(table.sizeHintForColumn(col), table.horizontalHeader().sectionSizeHint(col))
        assert table.columnWidth(col) >= need, (language, col)
    used = sum(table.columnWidth(c) for c in shown)
    assert used <= table.viewport().width(), (language, used, table.viewport().width())
    assert table.horizontalScrollBar().maximum() == 0, language


@media
@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_the_plus_minus_box_writes_each_value_as_the_table_does(qtbot, frozen) -> None:
    dialog = _dialog(qtbot, frozen, "en")
    lines = dialog.uncertainty_text().splitlines()[1:]
    shown = dialog.numbers.shown_metrics()
    table = dialog.metrics.row_texts()
    ranges = dialog.numbers.uncertainty()
    assert len(lines) == len(ranges) >= 3
    for line, (metric_id, u) in zip(lines, ranges.items(), strict=True):
        metric = shown[metric_id]
        value = value_in_words(metric)
        assert value == table[metric_id].value  # the very words of the table's cell
        want = f"{metric_label(metric_id)}: {value} {plus_minus_text(u.total, metric.unit)}"
        assert line.startswith(want), line
    # A trunk leaning back reads "… backward" in both, never as a bare "−11.6°".
    trunk = next(ln for ln in lines if ln.startswith("Trunk inclination"))
    assert "backward" in trunk and "−" not in trunk.split("±")[0], trunk


@media
@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_names_of_points_placed_close_together_do_not_overlap(qtbot, frozen) -> None:
    dialog = _dialog(qtbot, frozen, "en")
    editor, canvas = dialog.editor, dialog.canvas
    hip = editor.model_xy("right_hip")
    assert hip is not None
    # PSIS and ASIS a few pixels apart, as on the seated side photo of the audit.
    editor.set_point("psis", (hip[0] - 40.0, hip[1] - 20.0))
    editor.set_point("asis", (hip[0] + 10.0, hip[1] - 15.0))
    editor.set_point("trochanter", (hip[0], hip[1]))
    dialog._refresh()
    rects = canvas.label_rects()
    assert {"psis", "asis", "trochanter"} <= set(rects)
    for (a, ra), (b, rb) in itertools.combinations(rects.items(), 2):
        assert not ra.intersects(rb), (a, b, ra, rb)
    # Nor does a name cover a point's mark.
    r = canvas_module.POINT_RADIUS
    for name in rects:
        p = canvas.to_widget(editor.xy(name))
        mark = QRectF(p.x() - r, p.y() - r, 2 * r, 2 * r)
        assert not any(box.intersects(mark) for box in rects.values()), name
    canvas.grab()  # paints with them


def test_place_labels_moves_a_name_that_would_cover_an_earlier_one() -> None:
    size = QSizeF(120.0, 16.0)
    # Five names at one point: every one needs a box of its own.
    anchors = [QPointF(100.0, 100.0)] * 5 + [QPointF(300.0, 300.0)]
    boxes = canvas_module.place_labels(anchors, [size] * len(anchors))
    for a, b in itertools.combinations(boxes, 2):
        assert not a.intersects(b), (a, b)
    assert not any(b.contains(QPointF(100.0, 100.0)) for b in boxes)
    # A name with room keeps the usual place, above right of its point.
    assert boxes[0].left() > 100.0 and boxes[0].bottom() < 100.0
    assert boxes[-1].left() > 300.0 and boxes[-1].bottom() < 300.0
