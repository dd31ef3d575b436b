"""A metric in words: its label and definition (from its spec in the catalogue), the
side or direction of its sign (``2.1° R high``, ``1.2 cm to L``, ``3.0° valgus``), its
normal band (``±1.5°``, ``8.0 … 18.0°``) and that band in the unit of the value beside
it (``≈ −1.9 … +1.9 cm``), the snapshot panel's norm line and the tooltip that explains
it.
"""

from __future__ import annotations

import html

from posture_cam.i18n import N_, _, format_number, format_signed, localize
from posture_cam.metrics import spec
from posture_cam.metrics.body import body_height, trunk_length_px
from posture_cam.metrics.norms import MetricSpec
from posture_cam.types import Metric, MetricStatus, Pose
from posture_cam.wording.formats import band_unit, format_value, unit_explanation, with_unit
from posture_cam.wording.report import screening_note


def metric_spec(metric_id: str) -> MetricSpec | None:
    """The catalogue entry, or None for an id the catalogue does not know."""
    try:
        return spec(metric_id)
    except KeyError:
        return None


def metric_label(metric_id: str) -> str:
    """Label of a metric (``Shoulder tilt`` / ``Schouderscheefstand``); the id if unknown."""
    entry = metric_spec(metric_id)
    return _(entry.label) if entry else metric_id


def metric_definition(metric_id: str) -> str:
    """One-sentence definition of a metric (tooltips, reports); "" if unknown."""
    entry = metric_spec(metric_id)
    return _(entry.definition) if entry else ""


#: metric id -> (words for a positive value, words for a negative value)
_DIRECTIONS: dict[str, tuple[str, str]] = {
    **dict.fromkeys(
        ("head_tilt", "shoulder_tilt", "pelvic_tilt", "shoulder_height_diff"),
        (N_("L high"), N_("R high")),
    ),
    **dict.fromkeys(
        ("head_shift", "shoulder_shift", "pelvis_shift", "trunk_lean"),
        (N_("to L"), N_("to R")),
    ),
    **dict.fromkeys(("knee_angle_left", "knee_angle_right"), (N_("valgus"), N_("varus"))),
    **dict.fromkeys(
        (
            "head_forward_angle",
            "shoulder_protraction",
            "trunk_inclination",
            "ear_offset",
            "shoulder_offset",
            "hip_offset",
            "knee_offset",
        ),
        (N_("forward"), N_("backward")),
    ),
    "pelvic_tilt_sagittal": (N_("anterior"), N_("posterior")),
}


def direction_words(metric_id: str, value: float) -> str:
    """Side or direction of a signed value in words ("R high"), "" when it has none."""
    pair = _DIRECTIONS.get(metric_id)
    if pair is None or round(value, 1) == 0:
        return ""
    return _(pair[0] if value > 0 else pair[1])


def value_in_words(metric: Metric, decimals: int = 1) -> str:
    """``2.1° R high`` / ``2,1° R hoger``; a signed value where the sign has no side."""
    if metric.value is None or metric.status == MetricStatus.NOT_MEASURABLE:
        return "—"
    words = direction_words(metric.id, metric.value)
    if not words:
        signed = metric.id in _DIRECTIONS
        return format_value(metric.value, metric.unit, signed=signed, decimals=decimals)
    magnitude = format_value(abs(metric.value), metric.unit, signed=False, decimals=decimals)
    return f"{magnitude} {words}"


def band_text(metric_id: str, which: str = "normal") -> str:
    """The ``normal`` (or ``borderline``) band in the band's unit: ``±1.5°`` when it is
    symmetric, else ``8.0 … 18.0°`` / ``−1.0 … +3.0 % height``; "" for an unknown id."""
    entry = metric_spec(metric_id)
    band = getattr(entry.norm, which, None) if entry else None
    if entry is None or not band:
        return ""
    unit = band_unit(entry)
    lo, hi = band
    if lo == -hi:
        return with_unit("±" + format_number(hi), unit)
    number = format_signed if lo < 0 else format_number  # "+" only where signs differ
    return with_unit(f"{number(lo)} … {number(hi)}", unit)


def band_in_value_unit(
    entry: object, unit: str, pose: Pose | None, cm_per_px: float | None, which: str = "normal"
) -> str | None:
    """The ``normal`` (or ``borderline``) band converted to cm for a cm value
    (``"≈ −1.9 … +1.9 cm"``).

    The catalogue's length bands are in % of body height (% of trunk length for
    ``shoulder_protraction``); with a calibrated scale the value is in cm, so the band
    is converted with this patient's body height (trunk length) in pixels and the
    profile's cm per pixel, and marked "≈" because the height is an estimate. A cm
    value is never shown against a %-height band: without the pose or the scale it was
    measured with (a stored visit, ``analyze``'s table) there is no band at all ("").

    Args:
        entry: the metric's catalogue entry (``unit_kind``, ``norm.normal``).
        unit: the unit of the value shown beside the band.
        pose: the measured pose (its body height / trunk length in pixels), or None.
        cm_per_px: the profile's scale, or None.
        which: ``normal`` or ``borderline``.

    Returns:
        The converted band, or None when no conversion applies (the band is already
        in the value's unit), or "" when it is not possible (then the caller shows no
        band at all).
    """
    kind = getattr(entry, "unit_kind", "")
    band = getattr(getattr(entry, "norm", None), which, None)
    if unit != "cm" or kind not in ("length", "length_trunk") or not band:
        return None
    if pose is None or not cm_per_px:
        return ""
    ref_px = body_height(pose).height_px if kind == "length" else trunk_length_px(pose)
    if not ref_px:
        return ""
    lo, hi = (v / 100.0 * ref_px * cm_per_px for v in band)
    return cm_band_text(lo, hi)


def cm_band_text(lo: float, hi: float) -> str:
    """A band converted to cm, marked as an estimate: ``≈ −1.9 … +1.9 cm``."""
    low = format_signed(lo) if lo < 0 else format_number(lo)
    return f"≈ {low} … {format_signed(hi)} cm"


#: Said under a table whose cm values have no band beside them (:func:`band_for_value`
#: without the pose or the scale: ``analyze``'s table, ``visits``, the report).
NO_CM_BAND = N_(
    "values in cm have no normal band here: their bands are set in % of body height "
    "(or trunk length), which this table does not know in cm"
)


def no_cm_band_note() -> str:
    """:data:`NO_CM_BAND` in the current language."""
    return _(NO_CM_BAND)


def band_for_value(
    metric_id: str,
    unit: str,
    pose: Pose | None = None,
    cm_per_px: float | None = None,
    which: str = "normal",
) -> str:
    """The band a table shows beside a value in ``unit``: :func:`band_text` where the
    band is in the value's unit, converted to cm for a cm value
    (:func:`band_in_value_unit`), "" where it cannot be converted (no pose or scale)."""
    converted = band_in_value_unit(metric_spec(metric_id), unit, pose, cm_per_px, which)
    return band_text(metric_id, which) if converted is None else converted


def band_left_out(metric_id: str, unit: str) -> bool:
    """True where a table without the pose and the scale leaves a measured value's band
    empty: a cm value whose band is set in % of body height (:func:`band_for_value`
    gives "" where :func:`band_text` has one); such a table says
    :func:`no_cm_band_note` under it."""
    return not band_for_value(metric_id, unit) and bool(band_text(metric_id))


def norm_line(
    metric_id: str,
    unit: str | None = None,
    pose: Pose | None = None,
    cm_per_px: float | None = None,
) -> str:
    """One line for the snapshot panel: ``norm ±2.0°, borderline ±4.0°``; for a value in
    ``unit`` cm the bands in cm (``norm ≈ −3.4 … +3.4 cm, …``, :func:`band_for_value`
    with the frame's ``pose`` and ``cm_per_px``), "" when they cannot be converted."""
    if unit is None:
        normal, borderline = band_text(metric_id), band_text(metric_id, "borderline")
    else:
        normal = band_for_value(metric_id, unit, pose, cm_per_px)
        borderline = band_for_value(metric_id, unit, pose, cm_per_px, "borderline")
    if not normal:
        return ""
    if not borderline:
        return _("norm {normal}").format(normal=normal)
    return _("norm {normal}, borderline {borderline}").format(normal=normal, borderline=borderline)


def tooltip_html(metric_id: str) -> str:
    """Rich-text help for a metric: definition, sign, norm + source, unit, proxy note."""
    entry = metric_spec(metric_id)
    esc = html.escape
    if entry is None:
        return esc(metric_id)
    parts = [
        f"<b>{esc(metric_label(metric_id))}</b> <i>({esc(metric_id)})</i>",
        esc(_(entry.definition)),
    ]
    if entry.sign:
        parts.append(esc(_(entry.sign)))
    band = band_text(metric_id)
    if band:
        source = localize(entry.norm.source)
        parts.append(f"<b>{esc(_('Norm'))}:</b> {esc(band)} — {esc(source)}")
        if entry.norm.note:
            parts.append(f"<small>{esc(localize(entry.norm.note))}</small>")
    explanation = unit_explanation(band_unit(entry))
    if explanation and band_unit(entry) != "deg":
        parts.append(f"<small>{esc(explanation)}</small>")
    if entry.proxy:
        parts.append(f"<b>{esc(_('Proxy'))}:</b> {esc(localize(entry.proxy_note))}")
    parts.append(f"<small>{esc(screening_note())}</small>")
    return "<br>".join(parts)
