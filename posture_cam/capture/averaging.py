"""Averaged capture: robust statistics of every metric over a window of frames.

A therapist presses "capture"; the app feeds each :class:`~posture_cam.types.FrameResult`
to :meth:`AveragedCapture.add` until :attr:`AveragedCapture.is_complete`, then shows
:meth:`AveragedCapture.summary` (a :class:`~posture_cam.capture_summary.CaptureSummary`). The
reported value of a metric is the *median* over the usable frames (robust to a few bad
landmark frames); ``sd`` and ``iqr`` tell how steady it was.

Which frames count:

* every added frame is *seen* (``frames_seen``);
* a frame is *qualifying* when a person was found and, with ``require_quality``, the
  quality gate passed (an empty report counts as failed: nothing was checked);
* of the qualifying frames only those of the *dominant view* (the most frequent one)
  are *used*: a patient turning mid-capture must not mix front and side numbers;
* a metric that is not measurable in a used frame is skipped for that frame only.

A metric's ``reason``: why it was never measurable (the most common reason of its
frames), or for a measured one the notes that qualify its value ("judged against a body
height of 170 cm", "body height estimated from the trunk", "measured on the left
points …"): each note part carried by more than half of the frames its median is taken
over is kept (in the order first seen), as the majority decides its ``source``; a note
of a few frames is left out. Before, every note was lost in the average while each
frame and a photo carried it.

Window: ``n_frames`` counts used frames; ``seconds`` is frame time (``t_ms``) since the
first frame seen, so a capture during which the gate never passes still ends and then
reports why. With both, whichever comes first completes it; with neither, the capture
is open-ended and the caller decides when to read the summary.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from posture_cam.capture_summary import CaptureInfo, CaptureSummary, MetricStats
from posture_cam.i18n import Text
from posture_cam.markers.sticker_error import sticker_spread
from posture_cam.metrics import MetricSpec, spec
from posture_cam.metrics.repeatability import repeatability_in_unit
from posture_cam.reasons import Reason, join, reason
from posture_cam.types import FrameResult, MetricStatus, View

#: Units in which the catalogue's norm bands are expressed (cm values are judged by the
#: engine after converting to %height, which the median in cm alone cannot redo).
_SCALE_FREE_UNITS = frozenset({"deg", "%height", "%", "index"})


def classify_status(metric_id: str, value: float) -> MetricStatus:
    """Status of ``value`` (in the metric's scale-free unit) against its catalogue band.

    Raises:
        KeyError: ``metric_id`` is not in the catalogue.
    """
    return spec(metric_id).norm.status(float(value))


@dataclass
class _Used:
    """What a qualifying frame contributes (kept small: no images)."""

    t_ms: float
    view: View
    values: dict[str, tuple[float, str, MetricStatus, str]]  # id -> (value, unit, status, source)
    reasons: dict[str, str]  # metric id -> why it was not measurable
    #: metric id -> the model's repeatability in cm in this frame (model values in cm)
    repeatability_cm: dict[str, float] = field(default_factory=dict)
    #: ids of the values from stickers that still rest on a model landmark too (a
    #: tragus sticker with C7 estimated from the trunk, an offset from the ankle)
    on_model: frozenset[str] = frozenset()
    #: metric id -> the note on a measured value (``nominal_height`` …)
    notes: dict[str, str] = field(default_factory=dict)


@dataclass
class _Tally:
    seen: int = 0
    no_person: int = 0
    quality_failed: int = 0
    failed_checks: Counter = field(default_factory=Counter)
    metric_order: dict[str, None] = field(default_factory=dict)  # first-seen order


class AveragedCapture:
    """Collects frame results and summarises each metric over the window.

    Args:
        n_frames: complete after this many used frames (>= 1), or None.
        seconds: complete after this much frame time (s, > 0) since the first frame, or None.
        require_quality: exclude frames whose quality gate failed (they are still counted
            in ``frames_seen``).
    """

    def __init__(
        self,
        n_frames: int | None = None,
        seconds: float | None = None,
        require_quality: bool = True,
    ) -> None:
        if n_frames is not None and n_frames < 1:
            raise ValueError("n_frames must be >= 1")
        if seconds is not None and seconds <= 0:
            raise ValueError("seconds must be > 0")
        self.n_frames = n_frames
        self.seconds = seconds
        self.require_quality = require_quality
        self._tally = _Tally()
        self._qualifying: list[_Used] = []
        self._t0_ms: float | None = None
        self._last_t_ms: float | None = None
        self._frame_dt_ms = 0.0
        self._sticker_frames: dict[View, FrameResult] = {}
        self._hand_point_frames: dict[View, FrameResult] = {}

    def add(self, result: FrameResult) -> None:
        """Account for one frame (call in frame order)."""
        tally = self._tally
        tally.seen += 1
        t_ms = float(result.frame.t_ms)
        if self._t0_ms is None:
            self._t0_ms = t_ms
        if self._last_t_ms is not None and t_ms > self._last_t_ms:
            self._frame_dt_ms = t_ms - self._last_t_ms
        self._last_t_ms = t_ms
        for metric_id in result.metrics:
            tally.metric_order.setdefault(metric_id, None)
        if not result.person_found:
            tally.no_person += 1
            return
        if self.require_quality and not result.quality.ok:
            tally.quality_failed += 1
            failed = result.quality.failed() or ()
            for check in failed:
                tally.failed_checks[check.reason or check.id] += 1
            if not result.quality.checks:
                tally.failed_checks[Text("no quality checks ran")] += 1
            return
        values, reasons, notes = {}, {}, {}
        for metric_id, m in result.metrics.items():
            if m.value is not None and np.isfinite(m.value):
                values[metric_id] = (float(m.value), m.unit, m.status, m.source)
                if m.reason:
                    notes[metric_id] = m.reason
            else:
                reasons[metric_id] = m.reason or reason("not_measured")
        on_model = frozenset(
            mid
            for mid, (_, _, _, source) in values.items()
            if source == "marker" and result.metrics[mid].landmarks
        )
        repeatability_cm = {}
        for metric_id, (_, unit, _, source) in values.items():
            if unit == "cm" and (source == "model" or metric_id in on_model):
                rep_cm = repeatability_in_unit(
                    metric_id, unit, result.pose_measured, result.cm_per_px
                )
                if rep_cm is not None:
                    repeatability_cm[metric_id] = rep_cm
        self._qualifying.append(
            _Used(t_ms, result.view.view, values, reasons, repeatability_cm, on_model, notes)
        )
        if any(v[3] == "marker" for v in values.values()):
            # The latest frame with stickers of each view: where the stickers sit on the
            # body, for their share of the ± (the same in every frame of a hold).
            self._sticker_frames[result.view.view] = result
        if any(v[3] == "point" for v in values.values()):
            # Likewise for points given by hand (``capture.hand_points`` completes their ±).
            self._hand_point_frames[result.view.view] = result

    @property
    def hand_point_frames(self) -> Mapping[View, FrameResult]:
        """View -> the latest used frame of that view with a value from points given by
        hand (``--point``), for :func:`~posture_cam.capture.hand_points.with_hand_points`."""
        return self._hand_point_frames

    @property
    def frames_seen(self) -> int:
        return self._tally.seen

    @property
    def dominant_view(self) -> View | None:
        """Most frequent view among qualifying frames (ties: first seen), or None."""
        if not self._qualifying:
            return None
        return Counter(u.view for u in self._qualifying).most_common(1)[0][0]

    def _used(self) -> list[_Used]:
        view = self.dominant_view
        return [u for u in self._qualifying if u.view == view]

    @property
    def frames_used(self) -> int:
        return len(self._used())

    @property
    def elapsed_s(self) -> float:
        """Frame time covered so far, in seconds.

        Each frame covers one frame interval (the latest time step), so 30 frames at
        30 fps cover exactly 1 s and a 1-second capture holds 30 frames, not 31.
        """
        if self._t0_ms is None or self._last_t_ms is None:
            return 0.0
        return (self._last_t_ms - self._t0_ms + self._frame_dt_ms) / 1000.0

    @property
    def is_complete(self) -> bool:
        if self.n_frames is not None and self.frames_used >= self.n_frames:
            return True
        # The tolerance absorbs float rounding of t_ms (33.333... ms steps).
        return self.seconds is not None and self.elapsed_s >= self.seconds - 1e-9

    def _no_frame_reason(self) -> Text:
        """Why no frame was used: English now, translated where shown (``localize``)."""
        t = self._tally
        if t.seen == 0:
            return Text("no frames were captured")
        if t.no_person == t.seen:
            return Text("no person found in any of the {n} frames", n=t.seen)
        n = t.seen - t.no_person
        common = [
            Text("{check} ({n})", check=r if isinstance(r, Text) else Text(r), n=k)
            for r, k in t.failed_checks.most_common(3)
        ]
        if not common:
            return Text("quality gate failed in all {n} frames with a person", n=n)
        return Text(
            "quality gate failed in all {n} frames with a person: {checks}", n=n, checks=common
        )

    def summary(self) -> CaptureSummary:
        """Statistics per metric plus a description of the capture.

        Returns:
            The window (:class:`~posture_cam.capture_summary.CaptureInfo`: used frames, view,
            why nothing was used) and, per metric in the order the pipeline reported
            them, :class:`~posture_cam.capture_summary.MetricStats` (median, sd, iqr, min, max,
            n_frames, unit, status of the median, source, ± and MDC) in full precision.
        """
        used = self._used()
        t = self._tally
        info = CaptureInfo(
            ok=bool(used),
            reason=None if used else self._no_frame_reason(),
            view=None if self.dominant_view is None else str(self.dominant_view),
            frames_seen=t.seen,
            frames_used=len(used),
            frames_no_person=t.no_person,
            frames_quality_failed=t.quality_failed,
            seconds=self.elapsed_s,
            complete=self.is_complete,
        )
        metrics: dict[str, MetricStats] = {}
        if used:
            sticker_frame = self._sticker_frames.get(used[0].view)
            stickers = sticker_spread(sticker_frame) if sticker_frame is not None else {}
            for metric_id in t.metric_order:
                stats = _metric_stats(metric_id, used, stickers.get(metric_id))
                if stats is not None:
                    metrics[metric_id] = stats
        return CaptureSummary(info, metrics)

    def to_json(self) -> dict[str, Any]:
        """The summary as JSON data (values rounded to 3 decimals)."""
        return self.summary().to_json()


def _metric_stats(
    metric_id: str, used: list[_Used], sticker_sd: float | None = None
) -> MetricStats | None:
    measured = [u.values[metric_id] for u in used if metric_id in u.values]
    if not measured:
        reasons = Counter(u.reasons[metric_id] for u in used if metric_id in u.reasons)
        if not reasons:
            return None  # reported only in frames that were not used (another view)
        return MetricStats.not_measurable(reasons.most_common(1)[0][0])
    # Units only change if calibration changed mid-capture; keep the majority unit so
    # cm and %height are never mixed in one statistic.
    unit = Counter(u for _, u, _, _ in measured).most_common(1)[0][0]
    kept = [(v, st) for v, u, st, _ in measured if u == unit]
    source = Counter(src for _, u, _, src in measured if u == unit).most_common(1)[0][0]
    x = np.array([v for v, _ in kept], dtype=np.float64)
    q25, median, q75 = np.percentile(x, [25.0, 50.0, 75.0])
    if unit in _SCALE_FREE_UNITS:
        status = classify_status(metric_id, float(median))
    else:
        # cm: the engine judged each frame in %height; take the status it gave the
        # frame closest to the median.
        status = kept[int(np.argmin(np.abs(x - median)))][1]
    # Equal values have no spread; np.std's rounding would give ~1e-15 (a made-up ±).
    sd = float(np.std(x, ddof=1)) if x.size > 1 and x.max() > x.min() else 0.0
    reps_cm = [u.repeatability_cm[metric_id] for u in used if metric_id in u.repeatability_cm]
    rep_cm = float(np.median(reps_cm)) if unit == "cm" and reps_cm else None
    # A sticker value that rests on a model landmark too (in most of its frames) keeps
    # the model's part of the ±, as a value from points placed by hand does.
    with_stickers = [
        u for u in used if metric_id in u.values and u.values[metric_id][3] == "marker"
    ]
    on_model = 2 * sum(metric_id in u.on_model for u in with_stickers) > len(with_stickers)
    s = spec(metric_id)
    notes = [u.notes.get(metric_id) for u in used if u.values.get(metric_id, ())[1:2] == (unit,)]
    return MetricStats(
        median=float(median),
        sd=sd,
        iqr=float(q75 - q25),
        min=float(x.min()),
        max=float(x.max()),
        n_frames=int(x.size),
        unit=unit,
        status=MetricStatus(status),
        reason=majority_notes(notes),
        source=source,
        uncertainty=_uncertainty(
            s, unit, sd if x.size > 1 else None, source, sticker_sd, rep_cm, on_model
        ),
        mdc=_in_unit(s.mdc.value, unit) if s.mdc else None,
        mdc_source=s.mdc.source if s.mdc else None,
        mdc_kind=s.mdc.kind if s.mdc else None,
    )


def majority_notes(notes: list[str | None]) -> str | None:
    """The note parts carried by more than half of ``notes`` (one per frame a value was
    measured in, None for a frame without one), joined in the order first seen; None
    when no part is in the majority.

    A note qualifies the value ("judged against a body height of 170 cm"): the
    averaged value keeps what qualifies most of the frames it comes from, as its
    ``source`` is the majority's. Parts are told apart by their words (code and data).
    """
    counts: Counter[str] = Counter()
    first: dict[str, str] = {}
    for note in notes:
        if not note:
            continue
        parts = note.parts if isinstance(note, Reason) and note.parts else (note,)
        for part in dict.fromkeys(parts):  # a part counts once per frame
            key = str(part)
            counts[key] += 1
            first.setdefault(key, part)
    kept = [first[key] for key, n in counts.items() if 2 * n > len(notes)]
    return join(kept)


def _in_unit(value: float, unit: str) -> float | None:
    """A scale-free catalogue number in ``unit`` (None for cm: it depends on the patient)."""
    return value if unit in _SCALE_FREE_UNITS else None


def _uncertainty(
    entry: MetricSpec,
    unit: str,
    sd: float | None,
    source: str,
    sticker_sd: float | None = None,
    rep_cm: float | None = None,
    on_model: bool = False,
) -> float | None:
    """± of an averaged value: sqrt(frame spread² + model repeatability²), or for a
    value from stickers sqrt(frame spread² + sticker error²), plus the model's
    repeatability² when it rests on a model landmark too (``on_model``).

    The model's repeatability (``MetricSpec.repeatability``, per capture, from
    bench/repeatability.py) applies to model landmarks only. A value from stickers
    adds the stickers' centroid error carried through the metric
    (``posture_cam.markers.sticker_error``; ``sticker_sd``, in the metric's unit); the
    frame spread alone shows only how the detection wobbled between frames. One that
    still uses a model landmark (a tragus sticker with C7 estimated from the trunk; a
    plumb offset measured from the ankle landmark) keeps the model's whole
    repeatability too: an upper bound, as for points placed by hand
    (``markers.uncertainty``). Before, such a CVA read 39.5 ± 1.6° where the model
    alone gives ± 2.5°. A value
    from points given by hand carries the frame spread alone here: its other parts
    (placement, and the model's for the landmarks it still uses) are added where the
    points are known (``posture_cam.capture.hand_points``, ``markers.uncertainty``).
    In cm the repeatability goes through the patient's body height (or trunk length)
    and the scale of each frame (``rep_cm``: the median over the frames of
    :func:`~posture_cam.metrics.repeatability.repeatability_in_unit`, as the corrected
    numbers take it); without a body height or scale it adds nothing.

    ``sd`` is None for a value measured in one frame (a photo): its spread is unknown,
    not zero, so it adds nothing. A value with no other part (a placed point, a model
    value in cm without a body height) and no spread (one frame, or points given by
    hand that never move) gets no ± (None) rather than a made-up ±0.
    """
    rep = entry.repeatability if source == "model" or (source == "marker" and on_model) else None
    if rep is not None:
        rep = rep_cm if unit == "cm" else _in_unit(rep, unit)
    marker = sticker_sd if source == "marker" else None
    parts = [p for p in (sd, rep, marker) if p is not None]
    if not any(parts):
        return None
    return float(np.hypot.reduce(np.array(parts, dtype=np.float64)))
