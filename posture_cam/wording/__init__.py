"""One place for every word and format shown about a measurement (no Qt here).

The overlay, the snapshot panel, the UI tables, the CLI and the patient report (with
the app's visit overview) read their labels, units, bands, status words and colours,
view names, quality-check names, side-in-words, the one heading of every table's
measurement column (:func:`measurement_heading`) and of the columns after it
(:func:`column_heading`) and report headings from here,
translated into the current language (``posture_cam.i18n``; use
``with using_language(code):`` to render another one).

The other words, each kept in one place: a metric's label, definition and sign in its
spec (``metrics/specs_frontal.py``, ``metrics/specs_side.py``; shown through
:func:`metric_label` here), norm and MDC sources in ``metrics/norms.py`` and
``metrics/mdc.py``; why a value is missing in :mod:`posture_cam.reasons`; landmark
names in :mod:`posture_cam.landmarks`; what home mode tells the patient in
:mod:`posture_cam.home.patient_sentences`; errors, CLI help and menus beside the code
that raises or shows them.

Value formats:
    * :func:`format_value` — ``+2.1°``, ``−1.0 cm``, ``2.0 % height`` (Dutch: ``+2,1°``);
      a value that rounds to zero has no sign ("0.0°", never "−0.0°").
    * :func:`value_in_words` — the side or direction in words where the sign has one:
      ``2.1° R high`` / ``2,1° R hoger``, ``1.2 cm to L``, ``3.0° valgus``.
    * :func:`band_text` — the normal band in the band's unit: ``±1.5°`` when it is
      symmetric, else ``8.0 … 18.0°`` (signs only where the ends differ: ``−1.0 … +3.0``).
    * :func:`band_for_value` — the band as every table shows it beside a value: in the
      value's unit, so a cm value gets its %-height band converted to cm with the
      patient's body height and the scale (``≈ −1.9 … +1.9 cm``,
      :func:`band_in_value_unit`), or no band ("") where those are not known; never a
      cm value beside a %-height band.
    * :func:`plus_minus_text` — the ± of a value: ``±0.8°``, ``±0.4° SD`` (frame SD only).
    * :func:`date_time_text` — a moment in local time to the minute: ``2026-12-01 14:05``;
      a date alone is ISO everywhere (``2026-12-01``).

The modules, by job (import from the package: ``from posture_cam.wording import X``):
    * :mod:`~posture_cam.wording.formats` — how a number is written: units, a value with
      its sign and unit, its ±, a moment.
    * :mod:`~posture_cam.wording.names` — the names of fixed things: status words and
      colours, views, quality checks, model variants, number sources, column headings.
    * :mod:`~posture_cam.wording.metric` — a metric in words: label, definition, side or
      direction, normal band, norm line, tooltip.
    * :mod:`~posture_cam.wording.report` — the patient report's words, MDC sources and
      verdicts, the screening disclaimer.

Sign conventions (``posture_cam.metrics.catalogue``): frontal plane positive = the
patient's LEFT side higher / toward the patient's left; sagittal positive = anterior.
"""

from posture_cam.wording.formats import (
    band_unit,
    date_time_text,
    format_value,
    plus_minus_text,
    unit_explanation,
    unit_text,
    with_unit,
)
from posture_cam.wording.metric import (
    band_for_value,
    band_in_value_unit,
    band_left_out,
    band_text,
    cm_band_text,
    direction_words,
    metric_definition,
    metric_label,
    metric_spec,
    no_cm_band_note,
    norm_line,
    tooltip_html,
    value_in_words,
)
from posture_cam.wording.names import (
    STATUS_COLORS,
    check_label,
    column_heading,
    measurement_heading,
    metric_status_line,
    model_file_name,
    model_variant_name,
    source_text,
    status_color_rgb,
    status_text,
    view_name,
    view_setting_name,
)
from posture_cam.wording.report import (
    change_judgement,
    change_verdict,
    mdc_source_text,
    report_text,
    screening_note,
)

__all__ = [
    "STATUS_COLORS",
    "band_for_value",
    "band_in_value_unit",
    "band_left_out",
    "band_text",
    "band_unit",
    "change_judgement",
    "change_verdict",
    "check_label",
    "cm_band_text",
    "column_heading",
    "date_time_text",
    "direction_words",
    "format_value",
    "mdc_source_text",
    "measurement_heading",
    "metric_definition",
    "metric_label",
    "metric_spec",
    "metric_status_line",
    "model_file_name",
    "model_variant_name",
    "no_cm_band_note",
    "norm_line",
    "plus_minus_text",
    "report_text",
    "screening_note",
    "source_text",
    "status_color_rgb",
    "status_text",
    "tooltip_html",
    "unit_explanation",
    "unit_text",
    "value_in_words",
    "view_name",
    "view_setting_name",
    "with_unit",
]
