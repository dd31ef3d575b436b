"""A patient visit in the real window (real model, shared video, offscreen Qt): patient
created from the panel, a protocol step captured behind the quality gate, one skipped,
the visit stored, the report written; the stored numbers are in the PDF."""

from __future__ import annotations

import re
import shutil
import subprocess

import numpy as np
import pytest

from posture_cam.app_settings import AppSettings
from posture_cam.records import Store
from posture_cam.ui.records import VisitPanel

pytestmark = [pytest.mark.media, pytest.mark.slow, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def window(open_window):
    return open_window(AppSettings(hold_s=0.5))


def test_visit_from_the_panel_to_the_report(qtbot, window, tmp_path):
    panel = window.findChild(VisitPanel)
    qtbot.waitUntil(
        lambda: window.latest is not None and window.latest.result.person_found, timeout=120_000
    )
    panel.search_edit.setText("P-APP")
    panel.open_button.click()
    assert window.visit.patient["code"] == "P-APP"
    assert panel.patient_label.text() == "Patient P-APP: no visits stored yet"
    window.visit.new_visit(("front", "back"))
    assert panel.capture_button.text() == "Capture Front" and panel.capture_button.isEnabled()
    # Capture while he stands still: the gate refuses the frames with the dumbbells raised.
    qtbot.waitUntil(lambda: window.latest.result.quality.ok, timeout=60_000)
    panel.capture_button.click()
    assert window.visit.capturing
    qtbot.waitUntil(lambda: not window.visit.capturing, timeout=90_000)
    assert window.visit.visit.index == 1, panel.message.text()
    assert "Front ✓" in panel.steps_label.text()
    # The back step on a man facing the camera is refused, not stored as a back view.
    qtbot.waitUntil(lambda: window.latest.result.quality.ok, timeout=60_000)
    panel.capture_button.click()
    qtbot.waitUntil(lambda: not window.visit.capturing, timeout=90_000)
    assert window.visit.visit.index == 1 and "back" not in window.visit.visit.steps
    assert "sees the view Front, this step is Back" in panel.message.text()
    panel.skip_button.click()
    assert panel.capture_button.text() == "All steps done"
    panel.finish_button.click()
    visit_id = window.visit.visit.visit_id
    assert visit_id == 1
    # Said so (the line held the last step's notice), and counted as stored, not earlier.
    assert "Visit stored for patient P-APP" in panel.message.text()
    assert panel.patient_label.text().startswith("Patient P-APP: 1 visit stored, the last on")
    # The metric's name, its value in words and ± as every table writes them
    # ("2.1° R high ±0.8°"), not a bare signed number.
    assert re.search(r"Shoulder tilt: \d+\.\d°( [LR] high)? ±\d+\.\d°", panel.overview.text())
    out = tmp_path / "visit.pdf"
    assert window.visit.report.write(out) == out

    with Store() as store:
        doc = store.visits_json("P-APP")
    (visit,) = doc["visits"]
    (capture,) = visit["captures"]
    assert capture["view"] == "front"
    shoulder = capture["metrics"]["shoulder_tilt"]
    # The man stands square to the camera: a small but real shoulder tilt, averaged
    # over several frames of the 0.5 s hold.
    assert shoulder["value"] is not None and abs(shoulder["value"]) < 6.0
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed")
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert f"{shoulder['value']:.1f} ± {shoulder['uncertainty']:.1f}" in text

    # A second visit: the previous front skeleton is laid over the live patient.
    from posture_cam.ui.records import GhostLayer

    layer = next(o for o in window.video.overlays if isinstance(o, GhostLayer))
    panel.new_visit_button.click()
    assert "front" in window.visit.previous_landmarks
    qtbot.waitUntil(lambda: layer.last_points is not None, timeout=60_000)
    live = window.video.shown
    ghost = window.visit.ghost_for(live.result.pose_image.xy_px)
    current = live.result.pose_image.xy_px
    both = np.isfinite(ghost).all(axis=1) & np.isfinite(current).all(axis=1)
    both[13:23] = False  # he raises his arms in this clip: compare head, trunk and legs
    height = np.nanmax(current[:, 1]) - np.nanmin(current[:, 1])
    # The same man in the same place: the ghost lies on him within a fraction of his height.
    assert both.sum() > 15
    assert np.median(np.linalg.norm(ghost[both] - current[both], axis=1)) < 0.1 * height
