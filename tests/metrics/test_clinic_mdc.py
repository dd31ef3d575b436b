"""This clinic's own MDC95s (``posture-cam retest --save``, ``metrics.clinic_mdc``): kept
privately, used for changes of values measured from the pose model, ignored when the file
is unusable."""

from __future__ import annotations

import datetime as dt
import stat

from posture_cam.metrics.clinic_mdc import clinic_mdc_path, load_clinic_mdc, save_clinic_mdc
from posture_cam.metrics.mdc import mdc_for
from posture_cam.records.compare import compare_captures
from posture_cam.records.ingest import CaptureData, MetricData
from posture_cam.wording import mdc_source_text


def _capture(cva: float, source: str) -> CaptureData:
    metric = MetricData("cva", cva, 0.4, 0.5, 30, "deg", "normal", source=source)
    return CaptureData("left", "x.jpg", "image", [metric], {"ok": True}, None, None, None, None)


def test_a_saved_clinic_mdc_judges_changes_from_the_model() -> None:
    assert mdc_for("cva", "model").value == 6.82  # nothing saved: the tool's own
    path = save_clinic_mdc(
        {"cva": (5.2, 1.876, "deg")},
        subjects=10,
        captures=3,
        view="left",
        saved=dt.datetime(2026, 12, 1, 10, 0),
    )
    assert path == clinic_mdc_path() and stat.S_IMODE(path.stat().st_mode) == 0o600
    clinic = mdc_for("cva", "model")
    assert (clinic.value, clinic.kind, clinic.sem) == (5.2, "clinic retest", 1.876)
    assert mdc_source_text(clinic.kind, clinic.source) == (
        "this clinic's retest; posture-cam retest of 2026-12-01: 10 subjects × 3 captures"
    )
    # Stickers and placed points keep the published MDC; other metrics their own.
    assert mdc_for("cva", "points").value == 4.96
    assert mdc_for("shoulder_tilt", "model").kind == "own repeatability"
    # A +5.5° markerless change: beyond this clinic's 5.2° (within the tool's 6.82°).
    (change,) = compare_captures(_capture(50.0, "model"), _capture(55.5, "model"))
    assert change.mdc == 5.2 and change.mdc_kind == "clinic retest" and change.beyond_error


def test_an_unusable_file_is_ignored() -> None:
    path = clinic_mdc_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    for text in ("{not json", '{"format": "other/1"}', '{"format": "posture_cam.clinic_mdc/1"}'):
        path.write_text(text)
        assert load_clinic_mdc() == {}
        assert mdc_for("cva", "model").value == 6.82
