"""Point correction from the real main window (real model, a shared side photo, offscreen):
the P shortcut freezes the frame, a drag moves a landmark, the saved snapshot's JSON holds
the recomputed number and the audit, and with a visit open the edited capture becomes the
visit's capture with its audit stored in the record (``captures.points_audit``)."""

from __future__ import annotations

import json
import re

import cv2
import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from posture_cam.app_settings import AppSettings
from posture_cam.config import PipelineConfig
from posture_cam.metrics.mdc import REPEATABILITY
from posture_cam.records import Store
from posture_cam.records.files import resolve as files_resolve
from posture_cam.ui.points.save import PLACED_BGR
from posture_cam.ui.records import VisitPanel
from posture_cam.ui.window.main_window import MainWindow
from posture_cam.wording import plus_minus_text

pytestmark = [pytest.mark.media, pytest.mark.slow, pytest.mark.qt_log_ignore("propagateSizeHints")]

PHOTO = "images/seated_side/seated_side_nvv_straight_upright_facing_right.jpg"


@pytest.fixture
def window(qtbot, media, model_path):
    win = MainWindow(
        str(media(PHOTO)),
        AppSettings(hold_s=0.5, countdown_s=0.0),
        PipelineConfig(model_path=str(model_path)),
        persist=False,
    )
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(
        lambda: win.latest is not None and win.latest.result.person_found, timeout=120_000
    )
    yield win
    worker = win.session.worker
    win.close()
    if worker is not None:
        assert worker.wait(2000)


def stamp_pixels(png) -> int:
    """Pixels of the hand-correction colour in the bottom-left band of a snapshot."""
    image = cv2.imread(str(png))
    band = image[-40:, :600].astype(int)
    return int((np.abs(band - PLACED_BGR).sum(axis=2) < 40).sum())


def drag_ear(dialog) -> None:
    canvas = dialog.canvas
    start = canvas.to_widget(dialog.editor.model_xy("right_ear")).toPoint()
    end = start + QPoint(20, 0)
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(canvas, start + QPoint(10, 0))
    QTest.mouseMove(canvas, end)
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)


def test_freeze_drag_save_and_store_in_the_visit(qtbot, window, tmp_path) -> None:
    window.store.update(data_folder=str(tmp_path))
    live_cva = window.latest.result.metrics["cva"].value
    QTest.keyClick(window, Qt.Key.Key_P)
    dialog = window.points.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.editor.before.metrics["cva"].value == pytest.approx(live_cva, abs=1e-9)
    assert not dialog.visit_button.isEnabled()  # no visit open
    drag_ear(dialog)
    edited = dialog.editor.result.metrics["cva"]
    assert edited.source == "point" and edited.value < live_cva - 2.0

    dialog.save_button.click()
    files = window.points.last_saved
    assert files is not None and files.png.exists(), dialog.status.text()
    assert files.png.name.endswith("_right_points.png")
    record = json.loads(files.sidecar.read_text())
    assert record["metrics"]["cva"]["median"] == pytest.approx(edited.value, abs=1e-9)
    assert record["metrics"]["cva"]["source"] == "point"
    (entry,) = record["points"]["edits"]
    assert entry["landmark"] == "right_ear" and entry["kind"] == "moved"
    assert entry["moved_px"] == pytest.approx(dialog.editor.audit()[0]["moved_px"], abs=1e-9)
    assert 0 < entry["moved_fraction_of_height"] < 0.1
    assert record["points"]["frozen"] == "frame"
    assert record["points"]["changed_metrics"]["cva"]["after"] == pytest.approx(
        edited.value, abs=1e-4
    )
    # Every number says how uncertain it is: the CVA from the dragged ear carries the
    # model's repeatability and the hand placement; trunk inclination the model's alone.
    ranges = dialog.numbers.uncertainty()
    assert record["metrics"]["cva"]["uncertainty"] == pytest.approx(ranges["cva"].total)
    assert ranges["cva"].total > REPEATABILITY["cva"]
    assert record["points"]["uncertainty"]["metrics"]["cva"]["placement"] > 0.3
    trunk = record["metrics"]["trunk_inclination"]["uncertainty"]
    assert trunk == pytest.approx(REPEATABILITY["trunk_inclination"])
    qtbot.waitUntil(lambda: "±" in dialog.uncertainty.toPlainText(), timeout=5_000)
    # (The text box shows a no-break space as a plain one.)
    assert dialog.uncertainty.toPlainText() == dialog.uncertainty_text().replace("\u00a0", " ")
    # Each ± with its unit, as every table writes it: "… ±3.1° · placement ±1.9°, model …".
    cva_line = next(ln for ln in dialog.uncertainty_text().splitlines() if ln.startswith("Cran"))
    assert f" {plus_minus_text(ranges['cva'].total, 'deg')} · placement ±" in cva_line, cva_line
    assert re.search(r"placement ±\d+\.\d°, model ±\d+\.\d°", cva_line), cva_line
    dialog.close()
    qtbot.waitUntil(lambda: window.points.dialog is None)
    window.activateWindow()  # the shortcut is the main window's
    qtbot.waitUntil(window.isActiveWindow)

    # With a visit open, the edited capture becomes the visit's capture of its view.
    assert window.visit.open_patient("P-PTS")
    window.visit.new_visit(("right", "front"))
    QTest.keyClick(window, Qt.Key.Key_P)
    dialog = window.points.dialog
    assert dialog.visit_button.isEnabled()
    drag_ear(dialog)
    dialog.visit_button.click()
    assert "Right" in dialog.status.text() or "right" in dialog.status.text()
    assert window.visit.visit.index == 1  # on to the front step
    # The visit panel shows the corrected CVA with its ±, not the one frame's zero spread.
    total = dialog.numbers.uncertainty()["cva"].total
    panel = window.findChild(VisitPanel)
    assert f" {plus_minus_text(total, 'deg')}" in panel.overview.text(), panel.overview.text()
    visit_id = window.visit.finish_visit()
    assert visit_id is not None
    with Store() as store, store.session() as s:
        _patient, visits = store.load_visits(s, "P-PTS")
        (capture,) = visits[0].captures
        assert capture.view == "right"
        (audit,) = capture.points_audit
        assert audit["landmark"] == "right_ear" and audit["moved_px"] > 10
        # Its images name the points corrected by hand, in each language.
        for language in ("en", "nl"):
            image = capture.image("full", language)
            assert image is not None and image.language == language
            assert stamp_pixels(files_resolve(image.path)) > 50
        stored = capture.metric("cva")
        assert stored.source == "point"
        assert stored.median == pytest.approx(dialog.editor.result.metrics["cva"].value, abs=1e-6)
        total = dialog.numbers.uncertainty()["cva"].total
        assert stored.uncertainty == pytest.approx(total) and total > REPEATABILITY["cva"]
    dialog.close()


def test_save_as_snapshot_during_a_visit_belongs_to_it(qtbot, window, tmp_path) -> None:
    """Saved while a visit is open, the corrected capture goes the way of a Space
    snapshot (``VisitController.attach_snapshot``): stored with the visit."""
    window.store.update(data_folder=str(tmp_path))
    assert window.visit.open_patient("P-SNAP")
    window.visit.new_visit(("front", "right"))  # current step: front, the photo is a side
    attached = []
    window.visit.snapshotAttached.connect(lambda view, step: attached.append((view, step)))
    QTest.keyClick(window, Qt.Key.Key_P)
    dialog = window.points.dialog
    drag_ear(dialog)
    dialog.save_button.click()
    assert window.points.last_saved is not None
    assert attached == [("right", False)], dialog.status.text()
    assert "visit" in dialog.status.text()
    (extra,) = window.visit.visit.snapshots
    assert extra.kind == "snapshot" and extra.points_audit[0]["landmark"] == "right_ear"
    dialog.close()
    assert window.visit.finish_visit() is not None
    with Store() as store, store.session() as s:
        _patient, visits = store.load_visits(s, "P-SNAP")
        (capture,) = visits[0].captures
        assert capture.kind == "snapshot" and capture.points_audit
        stored = capture.metric("cva")
        assert stored.source == "point" and stored.uncertainty > REPEATABILITY["cva"]


def test_correct_the_last_snapshot(qtbot, window, tmp_path) -> None:
    window.store.update(data_folder=str(tmp_path))
    # P typed into a text field is a letter, not the shortcut.
    search = window.findChild(VisitPanel).search_edit
    QTest.keyClicks(search, "P-7")
    assert search.text() == "P-7" and window.points.dialog is None
    window.video.setFocus()
    QTest.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ShiftModifier)
    assert window.points.dialog is None  # no snapshot yet: a notice says so
    assert window.notice.isVisible()
    window.take_snapshot()
    qtbot.waitUntil(lambda: window.snapshots.last_files is not None, timeout=30_000)
    original = window.snapshots.last_files
    QTest.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ShiftModifier)
    dialog = window.points.dialog
    assert dialog is not None
    # The snapshot's median pose (a photo: its one frame) is what gets corrected.
    shown = window.snapshots.last_shown
    assert dialog.editor.frozen is shown
    drag_ear(dialog)
    dialog.save_button.click()
    files = window.points.last_saved
    assert files is not None and files.png.name == original.png.stem + "_points.png"
    record = json.loads(files.sidecar.read_text())
    assert record["points"]["frozen"] == "snapshot"
    assert record["points"]["edited_from"] == original.png.name
    assert record["points"]["edits"][0]["landmark"] == "right_ear"
    # Unchanged numbers are the snapshot's own averages with their own ±; the dialog
    # says which values it shows.
    assert "snapshot's averages" in dialog.changes.toPlainText()
    before = json.loads(original.sidecar.read_text())["metrics"]["trunk_inclination"]
    trunk = record["points"]["uncertainty"]["metrics"]["trunk_inclination"]
    assert trunk["basis"] == "snapshot" and trunk["total"] == pytest.approx(before["uncertainty"])
    assert record["metrics"]["trunk_inclination"]["median"] == pytest.approx(before["median"])
    assert record["points"]["uncertainty"]["metrics"]["cva"]["basis"] == "recomputed"
    # The original snapshot is left as it was.
    assert "points" not in json.loads(original.sidecar.read_text())
    # The corrected image says along its bottom that points were corrected by hand.
    assert stamp_pixels(files.png) > 50 and stamp_pixels(original.png) == 0
    dialog.close()


def test_the_dialog_shows_the_image_the_privacy_setting_allows(qtbot, window) -> None:
    """P opens the frozen frame on the plain background while the live view shows the
    skeleton only, with the face blurred under the blur-face snapshot privacy, and on the
    full photo once neither is set."""
    window.store.update(display_skeleton_only=True)
    dialog = window.points.correct_frame()
    assert dialog is not None and dialog.canvas.privacy == "skeleton"
    dialog.close()
    window.store.update(display_skeleton_only=False, export_privacy="blur_face")
    dialog = window.points.correct_frame()
    assert dialog is not None and dialog.canvas.privacy == "blur"
    dialog.close()
    window.store.update(export_privacy="none")
    dialog = window.points.correct_frame()
    assert dialog is not None and dialog.canvas.privacy == "full"
    dialog.close()
