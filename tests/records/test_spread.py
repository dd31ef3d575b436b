"""The ± a stored value is shown with (``posture_cam.records.spread``)."""

from __future__ import annotations

from posture_cam.records.ingest import MetricData
from posture_cam.records.report.numbers import value_cell
from posture_cam.records.spread import exported_uncertainty, plus_minus


def test_a_photo_value_without_a_plus_minus_shows_none() -> None:
    """One frame in cm: no ± (``capture.averaging``), and no SD of 0 passed off as one."""
    photo = MetricData("shoulder_height_diff", 1.23, 0.0, 0.0, 1, "cm", "normal")
    pm = plus_minus(photo)
    assert (pm.value, pm.fallback) == (None, False)
    assert exported_uncertainty(photo) is None
    assert value_cell(1.23, pm, "en") == "1.2"


def test_an_older_averaged_record_falls_back_to_its_sd() -> None:
    older = MetricData("shoulder_tilt", 2.0, 0.4, 0.5, 30, "deg", "normal")
    pm = plus_minus(older)
    assert (pm.value, pm.fallback) == (0.4, True)
    assert value_cell(2.0, pm, "nl") == "2,0 ± 0,4 SD"
    photo = MetricData("shoulder_tilt", 2.0, 0.0, 0.0, 1, "deg", "normal", uncertainty=0.78)
    assert plus_minus(photo).value == 0.78 and value_cell(2.0, plus_minus(photo), "en") == (
        "2.0 ± 0.8"
    )
