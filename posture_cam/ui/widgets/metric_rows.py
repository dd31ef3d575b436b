"""What the metrics table shows beyond one metric: rows out of view, bands in the value's unit.

No Qt here (tested as plain functions):

* :func:`not_in_view` — metrics that cannot be measured because body parts are outside
  the picture (an upper-body webcam framing: hips, knees, feet); the table collapses
  them into one line in plain words ("8 measurements need the hips, knees and feet:
  not in view — step back to measure them"), never landmark ids.
* :func:`band_in_value_unit` — the normal band in the unit of the value beside it. The
  catalogue's length bands are in % of body height (% of trunk length for
  ``shoulder_protraction``); with a calibrated scale the value is in cm, so the band
  is converted with this patient's body height (trunk length) in pixels and the
  profile's cm per pixel, and marked "≈" because the height is an estimate. A cm value
  is never shown against a %-height band.
"""

from __future__ import annotations

from collections.abc import Mapping

from posture_cam.i18n import N_, _, format_number, format_signed, ngettext
from posture_cam.metrics.body import body_height, trunk_length_px
from posture_cam.reasons import has_code
from posture_cam.types import Metric, MetricStatus, Pose

#: Body parts by landmark id, head to feet (the order they are named in).
BODY_PARTS: tuple[tuple[frozenset[int], str], ...] = (
    (frozenset(range(0, 11)), N_("head")),
    (frozenset({11, 12}), N_("shoulders")),
    (frozenset({13, 14, 15, 16, 17, 18, 19, 20, 21, 22}), N_("arms")),
    (frozenset({23, 24}), N_("hips")),
    (frozenset({25, 26}), N_("knees")),
    (frozenset({27, 28, 29, 30, 31, 32}), N_("feet")),
)


def not_in_view(metrics: Mapping[str, Metric], pose: Pose | None) -> tuple[list[str], list[str]]:
    """Metrics that body parts outside the picture keep from being measured.

    Args:
        metrics: the frame's metrics by id.
        pose: the measured pose (None: nobody in view, nothing is collapsed).

    Returns:
        (metric ids, body-part words in head-to-feet order, untranslated).
    """
    if pose is None:
        return [], []
    ids, missing_all = [], set()
    for metric_id, metric in metrics.items():
        if metric.status != MetricStatus.NOT_MEASURABLE or not metric.landmarks:
            continue
        missing = {i for i in metric.landmarks if not pose.has(i)}
        if has_code(metric.reason, "no_body_size_reference"):
            # Lengths need the body height, which needs the hips (metrics.body).
            missing |= {i for i in (23, 24) if not pose.has(i)}
        if missing:
            ids.append(metric_id)
            missing_all |= missing
    parts = [word for ids_, word in BODY_PARTS if ids_ & missing_all]
    return ids, parts


def not_in_view_text(n_metrics: int, parts: list[str]) -> str:
    """``"8 measurements need the hips, knees and feet: not in view — step back …"``."""
    words = [_(p) for p in parts]
    if len(words) > 1:
        joined = _("{first} and {last}").format(first=", ".join(words[:-1]), last=words[-1])
    else:
        joined = words[0] if words else _("whole body")
    template = ngettext(
        "{n} measurement needs the {parts}: not in view — step back to measure it",
        "{n} measurements need the {parts}: not in view — step back to measure them",
        n_metrics,
    )
    return template.format(n=n_metrics, parts=joined)


def band_in_value_unit(
    entry: object, unit: str, pose: Pose | None, cm_per_px: float | None
) -> str | None:
    """The normal band converted to cm for a cm value (``"≈ −1.9 … +1.9 cm"``).

    Args:
        entry: the metric's catalogue entry (``unit_kind``, ``norm.normal``).
        unit: the unit of the value shown beside the band.
        pose: the measured pose (its body height / trunk length in pixels).
        cm_per_px: the profile's scale.

    Returns:
        The converted band, or None when no conversion applies (the band is already
        in the value's unit) or is possible (then the caller shows no band at all).
    """
    kind = getattr(entry, "unit_kind", "")
    band = getattr(getattr(entry, "norm", None), "normal", None)
    if unit != "cm" or kind not in ("length", "length_trunk") or not band:
        return None
    if pose is None or not cm_per_px:
        return ""
    ref_px = body_height(pose).height_px if kind == "length" else trunk_length_px(pose)
    if not ref_px:
        return ""
    lo, hi = (v / 100.0 * ref_px * cm_per_px for v in band)
    low = format_signed(lo) if lo < 0 else format_number(lo)
    return f"≈ {low} … {format_signed(hi)} cm"
