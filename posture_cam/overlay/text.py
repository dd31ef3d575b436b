"""Overlay wording in English and Dutch, and metric labels / norm bands from the catalogue.

Labels, units and norm bands belong to the metrics catalogue
(``posture_cam.metrics.spec``). The overlay only reads them; where the catalogue does
not know a metric (or is not installed) it falls back to the metric id, so drawing
never fails because of a missing label.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from posture_cam.i18n import N_, _, using_language
from posture_cam.i18n import check_language as _check_language
from posture_cam.types import Metric, MetricStatus

_STRINGS: dict[str, str] = {
    "no_person": N_("No person detected"),
    "legend_left": N_("L = patient's left"),
    "legend_right": N_("R = patient's right"),
    "high": N_("high"),
    "view": N_("View"),
    "quality": N_("Quality"),
    "quality_ok": N_("OK"),
    "quality_none": N_("not checked"),
    "disclaimer": N_("Screening aid, not a diagnosis"),
    "not_measurable": N_("not measurable"),
    "norm": N_("norm"),
    "borderline": N_("borderline"),
    "to": N_("to"),
    "no_metrics": N_("No metrics for this view"),
    "trunk": N_("Trunk"),
    "front": N_("front"),
    "back": N_("back"),
    "left": N_("left side"),
    "right": N_("right side"),
    "three_quarter": N_("three-quarter"),
    "unknown": N_("unknown"),
}

_BAND_UNITS = {"angle": "deg", "length": "%height", "length_trunk": "%trunk", "index": "index"}
UNIT_TEXT = {"deg": "°", "%height": "% height", "%trunk": "% trunk", "index": ""}
UNIT_TEXT_NL = {"deg": "°", "%height": "% lengte", "%trunk": "% romp", "index": ""}


def check_language(language: str) -> str:
    """Validate a language code (one with a catalogue, see ``posture_cam.i18n``)."""
    return _check_language(language)


def tr(key: str, language: str) -> str:
    """One overlay string in the given language (from the message catalogue)."""
    with using_language(language):
        return _(_STRINGS[key])


def _spec_lookup() -> Callable[[str], Any] | None:
    try:
        from posture_cam.metrics import spec
    except ImportError:
        return None
    return spec


def metric_spec(metric_id: str) -> Any | None:
    """The catalogue entry of a metric, or None when the catalogue does not know it."""
    lookup = _spec_lookup()
    if lookup is None:
        return None
    try:
        return lookup(metric_id)
    except (KeyError, LookupError, ValueError):
        return None


def metric_label(metric_id: str, language: str) -> str:
    """Human label of a metric ("Shoulder tilt"), falling back to the id."""
    entry = metric_spec(metric_id)
    label = getattr(entry, f"label_{language}", None) or getattr(entry, "label_en", None)
    return str(label) if label else metric_id


def unit_text(unit: str, language: str) -> str:
    """Unit as shown after a value ("°", "cm", "% height")."""
    table = UNIT_TEXT_NL if language == "nl" else UNIT_TEXT
    return table.get(unit, unit)


def format_value(value: float, unit: str, language: str, digits: int = 1) -> str:
    """``12.3°``, ``1.4 cm``, ``2.0 % height``."""
    u = unit_text(unit, language)
    if not u:
        return f"{value:.{digits}f}"
    sep = "" if u == "°" else " "
    return f"{value:.{digits}f}{sep}{u}"


def _band(band: Any) -> tuple[float, float] | None:
    """A (low, high) pair from a band given as tuple, list, dict or object."""
    if band is None:
        return None
    if isinstance(band, dict):
        lo, hi = band.get("low", band.get("min")), band.get("high", band.get("max"))
    elif isinstance(band, (tuple, list)) and len(band) == 2:
        lo, hi = band
    else:
        lo, hi = getattr(band, "low", None), getattr(band, "high", None)
    if lo is None and hi is None:
        return None
    return (float("-inf") if lo is None else float(lo), float("inf") if hi is None else float(hi))


def _band_text(band: tuple[float, float], language: str) -> str:
    lo, hi = band
    if lo == float("-inf"):
        return f"<= {hi:g}"
    if hi == float("inf"):
        return f">= {lo:g}"
    if lo == -hi:
        return f"+/-{hi:g}"
    return f"{lo:g} {tr('to', language)} {hi:g}"


def norm_text(metric: Metric, language: str) -> str:
    """Norm band line for the panel ("norm +/-2°, borderline +/-4°"), or "" if unknown."""
    entry = metric_spec(metric.id)
    norm = getattr(entry, "norm", None)
    if isinstance(norm, dict):
        normal, borderline = norm.get("normal"), norm.get("borderline")
    else:
        normal, borderline = getattr(norm, "normal", None), getattr(norm, "borderline", None)
    normal_band, border_band = _band(normal), _band(borderline)
    if normal_band is None:
        return ""
    # Bands are in the catalogue's scale-free unit (cm values are judged as %height).
    kind = getattr(entry, "unit_kind", "")
    band_unit = _BAND_UNITS.get(kind, metric.unit)
    u = unit_text(band_unit, language)
    u = u if u in ("°", "") else f" {u}"
    text = f"{tr('norm', language)} {_band_text(normal_band, language)}{u}"
    if border_band is not None:
        text += f", {tr('borderline', language)} {_band_text(border_band, language)}{u}"
    return text


def status_text(metric: Metric, language: str) -> str:
    """Short value text for the panel, "--" when not measurable."""
    if metric.value is None or metric.status == MetricStatus.NOT_MEASURABLE:
        return "--"
    return format_value(metric.value, metric.unit, language)
