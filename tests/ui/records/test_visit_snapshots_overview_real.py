"""A visit in the real window (real model, shared video, offscreen Qt) after a visit
from a photo: Space takes the current protocol step and a second snapshot is kept with
the visit; the overview shows both visits' images side by side with the change; the
progress charts show the stored numbers; the report is written on a worker thread; the
panel follows a live language switch."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import threading

import pytest

from posture_cam.app_settings import AppSettings
from posture_cam.i18n import _, format_number, using_language
from posture_cam.records import Store
from posture_cam.records.compare import passed_gate
from posture_cam.records.ingest import analyse_files
from posture_cam.ui.records import VisitPanel
from posture_cam.wording import format_value, plus_minus_text

pytestmark = [
    pytest.mark.media,
    pytest.mark.slow,
    pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise"),
]

PHOTO = "images/standing_frontal/frontal_shapy_img18_woman_studio_neutral.jpg"


@pytest.fixture
def window(open_window, media, model_path, monkeypatch):
    monkeypatch.setenv("POSTURE_CAM_MODEL", str(model_path))
    with Store() as store:
        store.add_patient("P-SNAP")
        store.add_visit(
            "P-SNAP", analyse_files([media(PHOTO)]), date_time=dt.datetime(2026, 10, 1, 9, 0)
        )
    return open_window(AppSettings(hold_s=0.5, countdown_s=0.0))


def _snapshot(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.latest.result.quality.ok, timeout=60_000)
    with qtbot.waitSignal(window.snapshots.saved, timeout=90_000):
        window.take_snapshot()


def test_snapshots_overview_progress_and_report_worker(qtbot, window, tmp_path, monkeypatch):
    panel = window.findChild(VisitPanel)
    qtbot.waitUntil(
        lambda: window.latest is not None and window.latest.result.person_found, timeout=120_000
    )
    panel.search_edit.setText("P-SNAP")
    panel.open_button.click()
    assert panel.progress_button.isEnabled()  # one stored visit
    window.visit.new_visit(("front", "back"))

    # Space on the front step: the snapshot takes the step, with the file's numbers.
    _snapshot(qtbot, window)
    visit = window.visit.visit
    step = visit.steps["front"]
    assert step.kind == "snapshot" and visit.current_view == "back"
    assert "Front" in panel.message.text()
    sidecar = json.loads(window.snapshots.last_files.sidecar.read_text())
    tilt = next(m for m in step.metrics if m.metric_id == "shoulder_tilt")
    assert tilt.median == pytest.approx(sidecar["metrics"]["shoulder_tilt"]["median"], abs=0.05)
    assert {p for p, _lang in step.images} == {"full", "blur", "skeleton"}

    # A second snapshot (front again, while the step is "back") is kept with the visit.
    _snapshot(qtbot, window)
    assert len(visit.snapshots) == 1 and visit.snapshots[0].view == "front"
    assert visit.current_view == "back"
    panel.skip_button.click()

    # The overview before storing: both visits' front images side by side, the change.
    dialog = panel.show_overview()
    before, now, table = dialog.rows["front"]
    assert before.pixmap() is not None and not before.pixmap().isNull()
    assert now.pixmap() is not None and not now.pixmap().isNull()
    with Store() as store:
        first = store.visits_json("P-SNAP")["visits"][0]["captures"][0]["metrics"]
    rows = {table.item(r, 0).data(256): r for r in range(table.rowCount())}
    r = rows["shoulder_tilt"]
    previous = first["shoulder_tilt"]["value"]
    # Each value with its ± (frame spread ⊕ model repeatability), not the bare SD.
    previous_pm = plus_minus_text(first["shoulder_tilt"]["uncertainty"], "deg")  # "±0.8°"
    assert table.item(r, 1).text() == (
        f"{format_value(previous, 'deg', signed=False)} {previous_pm}"
    )
    assert table.item(r, 2).text().startswith(format_number(tilt.median))
    assert table.item(r, 2).text().endswith(f"° {plus_minus_text(tilt.uncertainty, 'deg')}")
    assert tilt.uncertainty > (tilt.sd or 0.0)
    assert dialog.legend is not None and "√(SD² + SEM²)" in dialog.legend.text()
    assert "frame spread (SD) only" not in dialog.legend.text()
    # A capture that failed the quality gate gets no MDC verdict (as in the report).
    with Store() as store, store.session() as s:
        _patient, stored_visits = store.load_visits(s, "P-SNAP")
        failed = not (passed_gate(stored_visits[0].captures[0]) and passed_gate(step))
    judged = ("beyond measurement error", "within measurement error")
    verdicts = ("not judged: capture failed the quality check",) if failed else judged
    assert table.item(r, 5).text() in verdicts, failed

    panel.finish_button.click()
    visit_id = visit.visit_id
    assert visit_id == 2
    with Store() as store:
        doc = store.visits_json("P-SNAP")
    stored = doc["visits"][1]["captures"]
    assert [c["view"] for c in stored] == ["front", "front"]  # the step, then the snapshot
    assert stored[0]["metrics"]["shoulder_tilt"]["value"] == round(tilt.median, 1) + 0.0

    # Progress: one chart per view and metric, the stored numbers as points.
    progress = panel.show_progress()  # drawn on a worker thread
    qtbot.waitUntil(lambda: len(progress.images) == len(progress.series), timeout=120_000)
    points = progress.series[("front", "shoulder_tilt", "deg")]
    assert [round(p[1], 1) for p in points] == [
        first["shoulder_tilt"]["value"],
        stored[0]["metrics"]["shoulder_tilt"]["value"],
    ]
    assert [p[3] for p in points] == ["clinic", "clinic"]
    assert len(progress.images) == len(progress.series) > 3
    progress.close()

    # The report on a worker thread, with the busy indicator, then the stored number in it.
    import posture_cam.records.report as report_module

    threads = []
    original = report_module.write_report

    def recording(*args, **kwargs):
        threads.append(threading.get_ident())
        return original(*args, **kwargs)

    monkeypatch.setattr(report_module, "write_report", recording)
    out = tmp_path / "visit.pdf"
    with qtbot.waitSignal(window.visit.report.written, timeout=120_000) as written:
        assert window.visit.report.start(out)
        assert panel.busy.isVisibleTo(panel) and not panel.report_button.isEnabled()
    assert written.args == [str(out)]
    assert threads and threads[0] != threading.get_ident()
    assert not panel.busy.isVisibleTo(panel) and panel.report_button.isEnabled()
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed")
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    value = stored[0]["metrics"]["shoulder_tilt"]
    assert f"{value['value']:.1f} ± {value['uncertainty']:.1f}" in text

    # A report that cannot be written says so in the panel; the app goes on.
    with qtbot.waitSignal(window.visit.failed, timeout=120_000) as failed:
        assert window.visit.report.start(tmp_path)  # a folder is in the way
    assert failed.args[0].startswith("Report not written:")
    assert "Report not written" in panel.message.text()
    assert not window.visit.report.busy

    # A live language switch: the panel and the open dialogs follow.
    window._on_language_changed("nl")
    with using_language("nl"):
        assert panel.finish_button.text() == _("Finish visit") != "Finish visit"
        assert panel.title() == _("Patient visit")
        assert dialog.windowTitle() == _("Visit overview")
    window._on_language_changed("en")
    assert panel.finish_button.text() == "Finish visit"
