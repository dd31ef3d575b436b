"""How a number is written: units, a value with its sign and unit, its ±, a moment.

``+2.1°``, ``−1.0 cm``, ``2.0 % height`` (Dutch ``+2,1°``), ``±0.8°``, ``±0.4° SD``,
``2026-12-01 14:05``; what a unit means (``% height`` is explained here).
"""

from __future__ import annotations

import datetime as dt

from posture_cam.i18n import N_, _, format_number, format_signed
from posture_cam.metrics.norms import MetricSpec

#: unit id -> (symbol after the number, explanation for tooltips and reports)
_UNITS: dict[str, tuple[str, str]] = {
    "deg": ("°", N_("degrees")),
    "cm": (N_("cm"), N_("centimetres at the patient's position (calibrated scale)")),
    "%height": (
        N_("% height"),
        N_(
            "% height: percent of the patient's body height (top of the head to the "
            "ankles), used when no scale is calibrated; 1 % of 170 cm is 1.7 cm"
        ),
    ),
    "%": (
        N_("% trunk"),
        N_("% trunk: percent of the trunk length (hip to shoulder)"),
    ),
    "index": ("", N_("an index without unit")),
}
_UNITS["%trunk"] = _UNITS["%"]
_BAND_UNITS = {"angle": "deg", "length": "%height", "length_trunk": "%", "index": "index"}


def unit_text(unit: str) -> str:
    """Symbol shown after a value: ``°``, ``cm``, ``% height``, ``% trunk``, ``""``."""
    symbol = _UNITS.get(unit, (unit, ""))[0]
    return _(symbol) if symbol and symbol != "°" else symbol


def unit_explanation(unit: str) -> str:
    """What a unit means, in a sentence (``% height`` is explained here)."""
    explanation = _UNITS.get(unit, ("", ""))[1]
    return _(explanation) if explanation else ""


def band_unit(entry: MetricSpec) -> str:
    """Unit of a metric's norm band numbers (its scale-free unit)."""
    return _BAND_UNITS.get(entry.unit_kind, "")


def with_unit(number: str, unit: str) -> str:
    """A number already formatted, with its unit as every table shows it: ``2.0°``,
    ``2.0 % height`` (a no-break space before a word unit), ``2.0`` for an index."""
    symbol = unit_text(unit)
    if not symbol:
        return number
    return f"{number}{symbol}" if symbol == "°" else f"{number}\u00a0{symbol}"


def format_value(value: float | None, unit: str, *, signed: bool = True, decimals: int = 1) -> str:
    """``+2.1°``, ``−1.0 cm``, ``2.0 % height``; ``—`` for None."""
    if value is None:
        return "—"
    number = format_signed(value, decimals) if signed else format_number(value, decimals)
    return with_unit(number, unit)


def plus_minus_text(
    spread: float | None, unit: str, *, frame_sd_only: bool = False, decimals: int = 1
) -> str:
    """The ± of a value with its unit, as every table shows it: ``±0.8°``,
    ``±0.2 % height``; ``±0.4° SD`` where only the frame SD is known
    (``records.spread``); "" for None."""
    if spread is None:
        return ""
    text = "±" + format_value(spread, unit, signed=False, decimals=decimals)
    return f"{text} SD" if frame_sd_only else text


def date_time_text(when: dt.datetime | str) -> str:
    """A moment as the tables show it, in local time to the minute: ``2026-12-01 14:05``
    (an ISO text is parsed; one without a zone is taken as local already; a text that
    is no ISO moment, from a file edited by hand, is shown as it is)."""
    try:
        moment = dt.datetime.fromisoformat(when) if isinstance(when, str) else when
    except ValueError:
        return str(when)
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")
