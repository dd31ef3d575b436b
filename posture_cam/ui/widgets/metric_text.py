"""Words for metrics in the UI: labels, units, norm bands, tooltips (no Qt here).

Everything comes from the metrics catalogue (``posture_cam.metrics.spec``); a metric
id the catalogue does not know is shown by its id, never hidden.
"""

from __future__ import annotations

import html
from typing import Any

from posture_cam.i18n import N_, _, format_number, format_signed
from posture_cam.types import Metric, MetricStatus
from posture_cam.ui.i18n import tr

UNIT_TEXT = {"deg": "°", "cm": " cm", "%height": " % height", "%": " % trunk", "index": ""}
STATUS_COLORS = {
    MetricStatus.NORMAL: "#2e9d4a",
    MetricStatus.BORDERLINE: "#e0a000",
    MetricStatus.OUTSIDE: "#d33c2c",
    MetricStatus.NOT_MEASURABLE: "#8a8a8a",
}


def metric_spec(metric_id: str) -> Any | None:
    """The catalogue entry of ``metric_id``, or None when unknown."""
    try:
        from posture_cam.metrics import spec
    except ImportError:
        return None
    try:
        return spec(metric_id)
    except KeyError:
        return None


def label(metric_id: str, language: str) -> str:
    entry = metric_spec(metric_id)
    if entry is None:
        return metric_id
    return getattr(entry, f"label_{language}", None) or entry.label_en


def format_value(value: float | None, unit: str) -> str:
    """``1.234, "deg"`` -> ``"1.2°"``; None -> ``"—"``."""
    if value is None:
        return "—"
    # Current language's decimal mark and a real minus; never "−0.0".
    return f"{format_signed(value)}{UNIT_TEXT.get(unit, ' ' + unit)}"


#: metric id -> (words for a positive value, for a negative one): the side in words, as
#: the overlay says it ("2.1° R high"); sign conventions in the metrics catalogue.
DIRECTIONS: dict[str, tuple[str, str]] = {
    **dict.fromkeys(
        ("head_tilt", "shoulder_tilt", "pelvic_tilt", "shoulder_height_diff"),
        (N_("L high"), N_("R high")),
    ),
    **dict.fromkeys(
        ("head_shift", "shoulder_shift", "pelvis_shift", "trunk_lean"), (N_("to L"), N_("to R"))
    ),
    **dict.fromkeys(("knee_angle_left", "knee_angle_right"), (N_("valgus"), N_("varus"))),
    "pelvic_tilt_sagittal": (N_("anterior"), N_("posterior")),
}


def value_in_words(metric: Metric) -> str:
    """``2.1° R high`` where the sign has a side, else the signed value; ``—`` if none."""
    if metric.value is None:
        return "—"
    pair = DIRECTIONS.get(metric.id)
    if pair is None or round(metric.value, 1) == 0:
        return format_value(metric.value, metric.unit)
    unit = UNIT_TEXT.get(metric.unit, " " + metric.unit)
    words = _(pair[0] if metric.value > 0 else pair[1])
    return f"{format_number(abs(metric.value))}{unit} {words}"


def norm_unit(entry: Any) -> str:
    """Unit of the norm band numbers (the catalogue's scale-free unit)."""
    kind = getattr(entry, "unit_kind", "")
    return {"angle": "deg", "length": "%height", "length_trunk": "%", "index": "index"}.get(
        kind, ""
    )


def norm_text(metric_id: str) -> str:
    """The normal band, e.g. ``"−1.5 … +1.5°"``; empty when unknown."""
    entry = metric_spec(metric_id)
    band = getattr(getattr(entry, "norm", None), "normal", None)
    if not band:
        return ""
    unit = UNIT_TEXT.get(norm_unit(entry), "")
    return f"{format_signed(band[0])} … {format_signed(band[1])}{unit}"


def status_text(status: MetricStatus, language: str) -> str:
    return tr(f"status_{status}", language)


def metric_status_line(metric: Metric, language: str) -> str:
    """Status column text: ``normal`` or ``not measurable: <why>``."""
    text = status_text(metric.status, language)
    if metric.status == MetricStatus.NOT_MEASURABLE and metric.reason:
        return f"{text}: {metric.reason}"
    return text


def tooltip(metric_id: str, language: str) -> str:
    """Rich-text tooltip: definition, sign, norm + source, proxy note."""
    entry = metric_spec(metric_id)
    if entry is None:
        return html.escape(metric_id)
    esc = html.escape
    definition = getattr(entry, f"definition_{language}", None) or entry.definition_en
    parts = [f"<b>{esc(label(metric_id, language))}</b> <i>({esc(metric_id)})</i>", esc(definition)]
    if getattr(entry, "sign", ""):
        parts.append(esc(entry.sign))
    norm = getattr(entry, "norm", None)
    if norm is not None:
        band = norm_text(metric_id)
        parts.append(f"<b>{tr('norm_source', language)}:</b> {esc(band)} — {esc(norm.source)}")
        if getattr(norm, "note", ""):
            parts.append(f"<small>{esc(norm.note)}</small>")
    if getattr(entry, "proxy", False):
        parts.append(f"<b>{tr('proxy', language)}:</b> {esc(entry.proxy_note)}")
    parts.append(f"<small>{tr('screening', language)}</small>")
    return "<br>".join(parts)
