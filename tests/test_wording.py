"""One table of words and formats: labels, units, bands, status, side in words."""

from __future__ import annotations

import time

import pytest

from posture_cam import wording
from posture_cam.i18n import using_language
from posture_cam.metrics import CATALOGUE, spec
from posture_cam.types import Metric, MetricStatus, View

MINUS = "\u2212"


def _metric(metric_id: str, value: float | None, unit: str = "deg") -> Metric:
    status = MetricStatus.NORMAL if value is not None else MetricStatus.NOT_MEASURABLE
    return Metric(metric_id, value, unit, status)


@pytest.mark.parametrize(
    ("metric_id", "value", "unit", "en", "nl"),
    [
        ("shoulder_tilt", -2.14, "deg", "2.1° R high", "2,1° R hoger"),
        ("head_tilt", 1.0, "deg", "1.0° L high", "1,0° L hoger"),
        ("pelvic_tilt", -0.04, "deg", "0.0°", "0,0°"),  # no side and no "−0.0"
        ("head_shift", 1.25, "cm", "1.2\u00a0cm to L", "1,2\u00a0cm naar L"),
        ("knee_angle_left", -3.0, "deg", "3.0° varus", "3,0° varus"),
        ("ear_offset", 2.0, "%height", "2.0\u00a0% height forward", "2,0\u00a0% lengte naar voren"),
        ("cva", 48.26, "deg", "48.3°", "48,3°"),
    ],
)
def test_value_in_words(metric_id, value, unit, en, nl):
    metric = _metric(metric_id, value, unit)
    assert wording.value_in_words(metric) == en
    with using_language("nl"):
        assert wording.value_in_words(metric) == nl


def test_not_measurable_has_no_number():
    assert wording.value_in_words(_metric("cva", None)) == "—"
    assert wording.format_value(None, "deg") == "—"


def test_format_value_signs_and_units():
    assert wording.format_value(-1.04, "deg") == f"{MINUS}1.0°"
    assert wording.format_value(0.04, "cm") == "0.0\u00a0cm"
    assert wording.format_value(2.0, "%height", signed=False) == "2.0\u00a0% height"
    with using_language("nl"):
        assert wording.format_value(-1.04, "%") == f"{MINUS}1,0\u00a0% romp"


def test_bands_are_in_the_band_unit_with_the_languages_decimal_mark():
    assert wording.band_text("shoulder_tilt") == "±1.5°"
    assert wording.band_text("cva") == "48.5 … 90.0°"
    assert wording.band_text("head_forward_angle") == "\u221210.0 … +41.5°"
    assert wording.band_text("head_shift") == "±2.0\u00a0% height"
    assert wording.band_text("shoulder_protraction") == f"{MINUS}18.0 … +8.0\u00a0% trunk"
    with using_language("nl"):
        assert wording.norm_line("shoulder_tilt") == "norm ±1,5°, grensgebied ±3,0°"
    assert wording.norm_line("shoulder_tilt") == "norm ±1.5°, borderline ±3.0°"


def test_percent_height_is_explained():
    assert "body height" in wording.unit_explanation("%height")
    with using_language("nl"):
        assert "lichaamslengte" in wording.unit_explanation("%height")
    assert "% height" in wording.tooltip_html("head_shift")


def test_every_metric_has_a_label_definition_and_dutch_words():
    for entry in CATALOGUE:
        with using_language("nl"):
            label = wording.metric_label(entry.id)
            definition = wording.metric_definition(entry.id)
            tip = wording.tooltip_html(entry.id)
        assert label and label != entry.label, entry.id
        assert definition and definition != entry.definition, entry.id
        assert "Screening" not in tip, entry.id  # the disclaimer is Dutch too
    assert wording.metric_label("no_such_metric") == "no_such_metric"
    assert wording.metric_label("pelvic_tilt") == spec("pelvic_tilt").label


def test_status_words_and_one_colour_set():
    assert wording.status_text(MetricStatus.BORDERLINE) == "borderline"
    with using_language("nl"):
        assert wording.status_text(MetricStatus.NOT_MEASURABLE) == "niet meetbaar"
    assert wording.status_color_rgb(MetricStatus.NORMAL) == (0x2F, 0xA8, 0x4F)
    from posture_cam.overlay import style

    assert style.status_color(MetricStatus.NORMAL) == (0x4F, 0xA8, 0x2F)  # BGR


def test_view_and_check_names_come_from_the_enum():
    assert [wording.view_name(v) for v in View] == [
        "Front",
        "Back",
        "Left side",
        "Right side",
        "Three-quarter",
        "unknown",
    ]
    with using_language("nl"):
        assert wording.view_name(View.LEFT) == "Linkerzijaanzicht"
        assert wording.check_label("still") == "Stilstaan"


def test_column_headings_of_the_tables_of_measurements_in_both_languages():
    keys = ("value", "plus_minus", "band", "status", "n")
    assert [wording.column_heading(k) for k in keys] == ["Value", "±", "Normal", "Status", "n"]
    with using_language("nl"):
        assert wording.measurement_heading() == "Meting"
        assert [wording.column_heading(k) for k in keys] == [
            "Waarde",
            "±",
            "Normaal",
            "Status",
            "n",
        ]


def test_plus_minus_carries_the_unit_and_says_when_it_is_the_frame_sd_alone():
    assert wording.plus_minus_text(0.84, "deg") == "±0.8°"
    assert wording.plus_minus_text(0.2, "%height") == "±0.2\u00a0% height"
    assert wording.plus_minus_text(0.44, "deg", frame_sd_only=True) == "±0.4° SD"
    assert wording.plus_minus_text(0.2, "index") == "±0.2"
    assert wording.plus_minus_text(None, "deg") == ""
    with using_language("nl"):
        assert wording.plus_minus_text(0.2, "%height") == "±0,2\u00a0% lengte"


def test_a_moment_reads_in_local_time_to_the_minute(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Amsterdam")
    time.tzset()
    try:
        assert wording.date_time_text("2026-12-01T02:38:52+00:00") == "2026-12-01 03:38"
        assert wording.date_time_text("2026-06-01T12:00:00") == "2026-06-01 12:00"  # local
        assert wording.date_time_text("last Tuesday") == "last Tuesday"  # edited by hand
    finally:
        monkeypatch.undo()
        time.tzset()


def test_an_mdc_source_is_translated_around_its_citation():
    from posture_cam.metrics.mdc import MDC

    cva, bench = MDC["head_forward_angle"], MDC["shoulder_tilt"]
    with using_language("en"):
        assert wording.mdc_source_text(cva.kind, cva.source) == (
            "literature; Gallego-Izquierdo T et al., Int J Environ Res Public Health "
            "2020;17(18):6521 (smartphone app, intra-rater); same line as the CVA"
        )
    with using_language("nl"):
        assert wording.mdc_source_text(cva.kind, cva.source) == (
            "literatuur; Gallego-Izquierdo T et al., Int J Environ Res Public Health "
            "2020;17(18):6521 (smartphone-app, één beoordelaar); dezelfde lijn als bij de "
            "craniovertebrale hoek"
        )
        assert wording.mdc_source_text(bench.kind, bench.source) == (
            "eigen herhaalbaarheid; bench/repeatability.py (dit programma, één keer het "
            "model per opname)"
        )
    # The English text JSON and the docs carry is unchanged.
    assert bench.source == "bench/repeatability.py (this tool, one model pass per capture)"
