"""The point-correction dialog with Qt offscreen, on a real side photo and the real model:
a landmark dragged with the mouse (QTest press / move / release), a named point placed by
a click under zoom and nudged with the arrow keys; the recomputed numbers are those of
``analyze --point`` at the same pixels, and the audit says what moved and by how much."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest

from posture_cam.config import PipelineConfig
from posture_cam.i18n import format_number
from posture_cam.markers.editor import PointEditor
from posture_cam.pipeline import Pipeline
from posture_cam.sources import read_image
from posture_cam.types import Frame, FrameResult
from posture_cam.ui.points import PointsDialog

pytestmark = [pytest.mark.media, pytest.mark.qt_log_ignore("propagateSizeHints")]

PHOTO = "images/seated_side/seated_side_nvv_straight_upright_facing_right.jpg"  # faces right


def analyze(path, model_path, points=()) -> FrameResult:
    config = PipelineConfig(model_path=str(model_path), points=tuple(points))
    with Pipeline.open(config, mode="image") as pipeline:
        return pipeline.process(Frame(read_image(path), 0, 0.0, str(path)))


@pytest.fixture(scope="module")
def frozen(media, model_path):
    path = media(PHOTO)  # missing: a skip with the reason, a failure under CI
    return path, analyze(path, model_path)


@pytest.fixture
def dialog(qtbot, frozen):
    _path, result = frozen
    dlg = PointsDialog(PointEditor(result), "en", "test")
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def drag(canvas, start: QPoint, end: QPoint, steps: int = 4) -> None:
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for i in range(1, steps + 1):
        QTest.mouseMove(canvas, start + (end - start) * (i / steps))
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)


def test_drag_a_landmark_recomputes_the_numbers(dialog, frozen, model_path) -> None:
    path, result = frozen
    canvas, editor = dialog.canvas, dialog.editor
    cva_before = result.metrics["cva"].value
    ear = editor.model_xy("right_ear")
    start = canvas.to_widget(ear).toPoint()
    assert canvas.pick(QPointF(start)) == "right_ear"
    drag(canvas, start, start + QPoint(24, -6))

    (entry,) = editor.audit()
    assert entry["landmark"] == "right_ear" and entry["kind"] == "moved"
    assert entry["from_xy"] == pytest.approx(list(ear), abs=0.01)
    to_x, to_y = editor.xy("right_ear")
    # Where the mouse was released, in image pixels (the widget shows the photo scaled).
    grab = canvas.to_widget(ear) - QPointF(start)  # the point keeps its grab offset
    want = canvas.to_image(QPointF(start + QPoint(24, -6)) + grab)
    assert (to_x, to_y) == pytest.approx(want, abs=1e-6)
    moved = math.hypot(to_x - ear[0], to_y - ear[1])
    assert entry["moved_px"] == pytest.approx(moved, abs=0.01) and moved > 20
    assert entry["moved_fraction_of_height"] == pytest.approx(moved / editor.height_px, abs=1e-4)
    assert entry["steps"] == 1  # one drag, one undo step

    # The numbers are those of `analyze --point right_ear=X,Y` at the same pixels.
    expected = analyze(path, model_path, [f"right_ear={to_x!r},{to_y!r}"])
    cva = editor.result.metrics["cva"]
    assert cva.value == pytest.approx(expected.metrics["cva"].value, abs=1e-9)
    assert cva.source == expected.metrics["cva"].source == "point"
    # The ear went forward (the patient faces right): a more forward head, a smaller CVA.
    assert cva.value < cva_before - 3.0
    assert dialog.metrics.row_texts()["cva"][1].startswith(format_number(cva.value, 1))
    assert "right ear: moved" in dialog.changes.toPlainText()

    QTest.keyClick(dialog, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.audit() == [] and editor.result.metrics["cva"].value == cva_before


def test_place_a_named_point_under_zoom_and_nudge_it(dialog, frozen) -> None:
    _path, result = frozen
    canvas, editor = dialog.canvas, dialog.editor
    dialog.choose("c7")
    assert canvas.current == "c7" and editor.xy("c7") is None
    shoulder = editor.xy("right_shoulder")
    target = (shoulder[0] - 35.0, shoulder[1] - 45.0)
    canvas.zoom_on("c7", 4.0)
    scale = canvas._rect()[2] / result.frame.resolution_wh[0]
    assert canvas.zoom.zoom > 1.5  # zoomed in: one screen pixel is a fraction of an image pixel
    click = canvas.to_widget(target).toPoint()
    QTest.mouseClick(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, click)
    placed = editor.xy("c7")
    assert placed == pytest.approx(target, abs=1.0 / scale)
    for _ in range(3):
        QTest.keyClick(canvas, Qt.Key.Key_Right)
    QTest.keyClick(canvas, Qt.Key.Key_Up, Qt.KeyboardModifier.ShiftModifier)
    assert editor.xy("c7") == pytest.approx((placed[0] + 3, placed[1] - 10), abs=1e-9)
    (entry,) = editor.audit()
    assert entry["kind"] == "placed" and entry["steps"] == 2  # the click, then the nudges

    # With the tragus placed too, the CVA is the true one from the two hand points. It is
    # placed at whole-image zoom right beside the ear point, which must not move.
    canvas.fit()
    dialog.choose("tragus")
    ear = editor.xy("right_ear")
    beside = canvas.to_widget((ear[0] + 5, ear[1] + 3))
    assert canvas.pick(beside) == "right_ear"  # within reach of the ear point
    QTest.mouseClick(
        canvas,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        canvas.to_widget((ear[0] + 5, ear[1] + 3)).toPoint(),
    )
    assert editor.xy("right_ear") == ear and not editor.is_edited("right_ear")
    c7, tragus = editor.xy("c7"), editor.xy("tragus")
    assert tragus == pytest.approx((ear[0] + 5, ear[1] + 3), abs=1.5)
    want = math.degrees(math.atan2(c7[1] - tragus[1], tragus[0] - c7[0]))
    cva = editor.result.metrics["cva"]
    assert cva.value == pytest.approx(want, abs=1e-9) and cva.source == "point"
    # Reset one point: the other stays.
    dialog.reset_current()
    assert editor.xy("tragus") is None and editor.xy("c7") is not None


def grabbed_bgr(canvas) -> np.ndarray:
    """What the canvas paints, as an (H, W, 3) BGR array."""
    image = canvas.grab().toImage().convertToFormat(QImage.Format.Format_BGR888)
    h, w = image.height(), image.width()
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(h, image.bytesPerLine())
    return rows[:, : 3 * w].reshape(h, w, 3).copy()


def test_privacy_modes_show_the_photo_the_blurred_face_or_no_camera_pixels(qtbot, frozen) -> None:
    """``full`` paints the photo; ``blur`` the same photo with the face blurred as in
    blur-face exports (the face loses its detail, a corner away from it is the photo);
    ``skeleton`` the plain dark background of skeleton-only exports."""
    from posture_cam.overlay.privacy import face_box
    from posture_cam.overlay.style import BACKGROUND_COLOR

    _path, result = frozen
    photo = result.frame.image_bgr
    box = face_box(result, photo.shape[:2])
    assert box is not None
    corner, painted = {}, {}
    for privacy in ("full", "blur", "skeleton"):
        dlg = PointsDialog(PointEditor(result), "en", "privacy", privacy=privacy)
        qtbot.addWidget(dlg)
        dlg.show()
        qtbot.waitExposed(dlg)
        canvas = dlg.canvas
        painted[privacy] = grabbed_bgr(canvas).astype(int)
        x0, y0, w, h = canvas.fit_rect()
        # A corner of the picture, away from the body and its points.
        corner[privacy] = painted[privacy][round(y0 + 0.03 * h), round(x0 + 0.03 * w)]
        head_tl, head_br = canvas.to_widget(box[:2]), canvas.to_widget(box[2:])
        assert canvas.privacy == privacy
        assert ("hidden" in dlg.help.text()) is (privacy == "skeleton")
        assert ("blurred" in dlg.help.text()) is (privacy == "blur")
        dlg.close()
    assert tuple(corner["skeleton"]) == BACKGROUND_COLOR
    photo_corner = photo[round(0.03 * photo.shape[0]), round(0.03 * photo.shape[1])]
    for privacy in ("full", "blur"):
        seen = zip(corner[privacy], photo_corner, strict=True)
        assert max(abs(int(a) - int(b)) for a, b in seen) < 30
    # The points are drawn the same on both, so where they differ is the blur: over the
    # head, and not below it (the body the therapist corrects stays sharp).
    changed = np.abs(painted["blur"] - painted["full"]).mean(axis=2)
    head = changed[round(head_tl.y()) : round(head_br.y()), round(head_tl.x()) : round(head_br.x())]
    body = changed[round(head_br.y()) + 5 : round(y0 + h), round(x0) : round(x0 + w)]
    assert head.mean() > 8 and body.mean() < 1, (head.mean(), body.mean())
    with pytest.raises(ValueError, match="privacy"):
        PointsDialog(PointEditor(result), "en", "privacy", privacy="blur_face")
