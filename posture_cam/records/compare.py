"""Change of each metric since the previous visit, judged against its MDC.

A change is called *beyond measurement error* only when ``|shown change| > MDC`` of
that metric (``MetricSpec.mdc`` in the catalogue: literature where it exists, else this
tool's own repeatability). The shown change is the one every table prints: the
difference of the two values as shown (each rounded to ``records.store.DECIMALS``,
0.1), and the MDC is printed as declared (``metrics.mdc.MDC_DECIMALS``, 0.01), so a
reader comparing the printed numbers reaches the printed verdict ("+5.0, MDC 4.96:
beyond"; never "+5.0, MDC 5.0: beyond"). Values are compared only when both share a
unit; the MDC is in the metric's scale-free unit, so values in cm are not judged (said
so). Nor are two values measured two ways: one from the pose model (a proxy for most
sagittal angles) and one from stickers or points placed on the clinical landmarks
(``Change.comparable`` False): a CVA of 49.7° from stickers and 54.4° from the model's
ear and estimated C7 differ by the method, not by the patient, and a literature MDC
says nothing about that difference. Nor are a clinic visit and a home check: each is
compared with the latest earlier visit of its own setting (``previous_capture``), since
a laptop webcam at home frames and lights the patient differently from the clinic's
camera (docs/metrics.md, "Keep the framing between visits"); before, a clinic visit
after a home check was judged against the home check's CVA.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from posture_cam.records.models import Capture, Visit
from posture_cam.records.store import DECIMALS

_SCALE_FREE = frozenset({"deg", "%height", "%", "index"})


@dataclass(frozen=True)
class Change:
    """One metric's change between two captures of the same view.

    Attributes:
        metric_id: catalogue id.
        previous, current: medians in ``unit``.
        change: ``current - previous`` (full precision).
        shown_change: the change as printed: the difference of the shown (rounded)
            values, so it adds up with them.
        mdc: the metric's MDC95 in ``unit``, or None when none applies.
        mdc_source: where the MDC comes from, or None.
        mdc_kind: ``literature`` or ``own repeatability``, or None.
        beyond_error: ``|shown_change| > mdc``; None when no MDC applies or the two
            values were measured two ways.
        sources: (previous, current) source of the values: ``model``, ``marker`` or
            ``point``.
        gate_failed: the previous or the current capture did not pass the quality
            gate: its MDC verdict is no reliable one (``wording.change_judgement`` says
            "not judged"), whatever ``beyond_error`` says.
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
    sources: tuple[str, str] = ("model", "model")
    gate_failed: bool = False

    @property
    def shown_change(self) -> float:
        return shown_difference(self.previous, self.current)

    @property
    def comparable(self) -> bool:
        """Both values measured the same way: both from the pose model, or both from
        stickers or placed points (see the module docstring)."""
        return method(self.sources[0]) == method(self.sources[1])


def method(source: str | None) -> str:
    """How a value was measured: ``model`` (the pose model's landmarks) or ``points``
    (stickers or points placed on the clinical landmarks: the same points either way)."""
    return "model" if (source or "model") == "model" else "points"


def metric_mdc(
    metric_id: str, unit: str | None, source: str | None
) -> tuple[float | None, str | None, str | None]:
    """(MDC value, source, kind) of a metric in ``unit`` measured from ``source``
    (``model``, ``marker`` or ``point``; ``posture_cam.metrics.mdc.mdc_for``), or Nones
    when none applies."""
    from posture_cam.metrics.mdc import mdc_for

    mdc = mdc_for(metric_id, method(source))
    if mdc is None or unit not in _SCALE_FREE:
        return None, None, None
    # The source as declared (a ``Text``, translated where shown), the kind an id.
    return float(mdc.value), mdc.source, str(getattr(mdc, "kind", "") or "") or None


def passed_gate(capture: Any) -> bool:
    """The capture passed the quality gate (a record without a gate result counts as
    passed: it cannot say otherwise)."""
    return bool((getattr(capture, "quality", None) or {}).get("ok", True))


def shown_difference(previous: float, current: float) -> float:
    """The change of the two values as shown (each rounded like every table shows it),
    rounded again so float noise (``55.3 - 50.3 = 4.99999…``) cannot tip a verdict."""
    shown = round(round(current, DECIMALS) - round(previous, DECIMALS), DECIMALS)
    return 0.0 if shown == 0 else shown  # never -0.0


def compare_captures(previous: Any, current: Any) -> list[Change]:
    """Changes of the metrics measured in both captures, in ``current``'s order.

    Args:
        previous, current: a stored :class:`Capture` or a capture not stored yet
            (``records.ingest.CaptureData``, the app's open visit): anything with
            ``metrics`` carrying ``metric_id``, ``median`` and ``unit``.
    """
    before_by_id = {m.metric_id: m for m in previous.metrics}
    gate_failed = not (passed_gate(previous) and passed_gate(current))
    changes = []
    for m in current.metrics:
        before = before_by_id.get(m.metric_id)
        if (
            before is None
            or m.median is None
            or before.median is None
            or before.unit != m.unit
            or m.unit is None
        ):
            continue
        delta = m.median - before.median
        shown = shown_difference(before.median, m.median)
        sources = (
            str(getattr(before, "source", None) or "model"),
            str(getattr(m, "source", None) or "model"),
        )
        mdc, source, kind = metric_mdc(m.metric_id, m.unit, sources[1])
        same_way = method(sources[0]) == method(sources[1])
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
                beyond_error=None if mdc is None or not same_way else abs(shown) > mdc,
                sources=sources,
                gate_failed=gate_failed,
            )
        )
    return changes


def main_captures(captures: Iterable[Any]) -> dict[str, Any]:
    """The capture that stands for each view of a visit: its first one of that view.

    A visit's protocol captures are stored before the snapshots taken during it, so a
    snapshot counts for comparison and progress only when its view has no protocol
    capture.
    """
    found: dict[str, Any] = {}
    for capture in captures:
        found.setdefault(capture.view, capture)
    return found


def previous_capture(
    visits: list[Visit], visit: Visit | None, view: str, setting: str = "clinic"
) -> tuple[Visit, Capture] | None:
    """The latest (visit, capture) of ``view`` before ``visit`` (visits oldest first)
    among the visits of its setting: a clinic visit is compared with clinic visits, a
    home check with home checks (a laptop at home is not the clinic's camera: see the
    module docstring). ``visit`` None: before a visit not stored yet (the latest of
    all), of ``setting``."""
    if visit is None:
        earlier = list(visits)
    else:
        setting = visit.setting
        earlier = [v for v in visits if (v.date_time, v.id) < (visit.date_time, visit.id)]
    earlier = [v for v in earlier if (v.setting or "clinic") == setting]
    for v in reversed(earlier):
        capture = main_captures(v.captures).get(view)
        if capture is not None:
            return v, capture
    return None


@dataclass(frozen=True)
class ViewComparison:
    """One view of a visit next to the same view of the previous visit.

    Attributes:
        view: ``front``, ``back``, ``left`` or ``right``.
        current: the visit's capture of that view (stored or not yet stored).
        previous: the latest earlier visit's capture of that view, or None.
        previous_visit: the visit ``previous`` belongs to, or None.
        changes: per metric measured in both: the change and its MDC judgement.
    """

    view: str
    current: Any
    previous: Capture | None
    previous_visit: Visit | None
    changes: list[Change]


def compare_visit(
    visits: list[Visit], visit: Visit | None, captures: Iterable[Any], setting: str = "clinic"
) -> list[ViewComparison]:
    """Each view of a visit compared with the previous visit of the same setting.

    Args:
        visits: the patient's stored visits, oldest first.
        visit: the stored visit, or None for one still being taken (compared with the
            latest stored visit of ``setting``).
        captures: the visit's captures (the first of each view stands for it).
        setting: the setting of a visit not stored yet (the app takes clinic visits).
    """
    out = []
    for view, capture in main_captures(captures).items():
        found = previous_capture(visits, visit, view, setting)
        if found is None:
            out.append(ViewComparison(view, capture, None, None, []))
        else:
            out.append(
                ViewComparison(
                    view, capture, found[1], found[0], compare_captures(found[1], capture)
                )
            )
    return out
