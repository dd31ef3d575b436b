"""Change of each metric since the previous visit, judged against its MDC.

A change is called *beyond measurement error* only when ``|change| > MDC`` of that
metric (``MetricSpec.mdc`` in the catalogue: literature where it exists, else this
tool's own repeatability). Changes are computed on the stored medians (full
precision) and compared only when both values share a unit; the MDC is in the metric's
scale-free unit, so values in cm are not judged (said so).
"""

from __future__ import annotations

from dataclasses import dataclass

from posture_cam.records.models import Capture, Visit

_SCALE_FREE = frozenset({"deg", "%height", "%", "index"})


@dataclass(frozen=True)
class Change:
    """One metric's change between two captures of the same view.

    Attributes:
        metric_id: catalogue id.
        previous, current: medians in ``unit``.
        change: ``current - previous``.
        mdc: the metric's MDC95 in ``unit``, or None when none applies.
        mdc_source: where the MDC comes from, or None.
        mdc_kind: ``literature`` or ``own repeatability``, or None.
        beyond_error: ``|change| > mdc``; None when no MDC applies.
    """

    metric_id: str
    unit: str
    previous: float
    current: float
    change: float
    mdc: float | None
    mdc_source: str | None
    mdc_kind: str | None
    beyond_error: bool | None


def metric_mdc(metric_id: str, unit: str | None) -> tuple[float | None, str | None, str | None]:
    """(MDC value, source, kind) of a metric in ``unit``, or Nones when none applies."""
    from posture_cam.metrics import spec

    try:
        mdc = getattr(spec(metric_id), "mdc", None)
    except KeyError:
        return None, None, None
    if mdc is None or unit not in _SCALE_FREE:
        return None, None, None
    return float(mdc.value), str(mdc.source), str(getattr(mdc, "kind", "") or "") or None


def compare_captures(previous: Capture, current: Capture) -> list[Change]:
    """Changes of the metrics measured in both captures, in ``current``'s order."""
    changes = []
    for m in current.metrics:
        before = previous.metric(m.metric_id)
        if (
            before is None
            or m.median is None
            or before.median is None
            or before.unit != m.unit
            or m.unit is None
        ):
            continue
        delta = m.median - before.median
        mdc, source, kind = metric_mdc(m.metric_id, m.unit)
        changes.append(
            Change(
                metric_id=m.metric_id,
                unit=m.unit,
                previous=before.median,
                current=m.median,
                change=delta,
                mdc=mdc,
                mdc_source=source,
                mdc_kind=kind,
                beyond_error=None if mdc is None else abs(delta) > mdc,
            )
        )
    return changes


def previous_capture(visits: list[Visit], visit: Visit, view: str) -> tuple[Visit, Capture] | None:
    """The latest (visit, capture) of ``view`` before ``visit`` (visits oldest first)."""
    earlier = [v for v in visits if (v.date_time, v.id) < (visit.date_time, visit.id)]
    for v in reversed(earlier):
        for c in v.captures:
            if c.view == view:
                return v, c
    return None
