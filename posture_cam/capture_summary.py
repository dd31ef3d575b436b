"""Typed results of an averaged capture: per-metric statistics and the capture itself.

:class:`~posture_cam.capture.averaging.AveragedCapture` produces a :class:`CaptureSummary`; the
CLI (``analyze --json``'s ``aggregate``), snapshots, home checks and the records read
its fields instead of string keys. ``to_json()`` returns JSON *data* (a dict, never a
string) and ``from_json`` reads it back; docs/schema/analyze.schema.json describes it.

It sits beside the :mod:`posture_cam.capture` package, not in it: ``markers`` (a layer
below) reads it too, while the capture package imports ``markers``
(:mod:`posture_cam.capture` says more).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from posture_cam import reasons
from posture_cam.types import Metric, MetricStatus

#: Decimals kept in JSON (values are floats of degrees, cm or %).
JSON_DECIMALS = 3


def _round(value: float | None, ndigits: int | None) -> float | None:
    if value is None or ndigits is None:
        return value
    return round(float(value), ndigits)


def frame_sd_only(source: str | None, sd: float | None, uncertainty: float | None) -> bool:
    """True when a stored ± of a sticker value is its frame SD alone.

    Since the stickers' centroid error joined the ± of a value from stickers
    (``posture_cam.markers.sticker_error``), that ± is always larger than the frame SD;
    a snapshot or record stored before keeps ± = SD, which must be shown as the SD it is
    (``posture_cam.records.spread``) and not taken to hold the stickers' share.
    """
    if source != "marker" or sd is None or uncertainty is None:
        return False
    return uncertainty <= sd


@dataclass(frozen=True)
class MetricStats:
    """Robust statistics of one metric over the used frames of a capture.

    Attributes:
        median: the reported value (median over the frames it was measured in), or None
            when it was never measurable.
        sd: sample standard deviation (0 for one frame), same unit.
        iqr: interquartile range, same unit.
        min: smallest value, same unit.
        max: largest value, same unit.
        n_frames: frames in which it was measured.
        unit: ``deg``, ``cm``, ``%height``, ``%`` or ``index``; None when never measured.
        status: the median against the catalogue's norm band.
        reason: why it was never measurable; for a measured value the notes that
            qualify it in most of its frames ("judged against a body height of 170
            cm", ``capture.averaging.majority_notes``); else None.
        source: where its points came from (``model`` / ``marker`` / ``point``; the
            majority), None when never measured.
        uncertainty: ± of the median, same unit: sqrt(sd² + model repeatability²), for
            a value from stickers sqrt(sd² + sticker error²) (``capture.averaging``;
            one frame adds no sd); None where no part is known (one frame in cm, a
            placed point's value of one frame).
        mdc: minimal detectable change in ``unit`` (None in cm or when unknown).
        mdc_source: where the MDC comes from (a citation or a bench).
        mdc_kind: how the MDC was obtained: ``literature`` or ``own repeatability``
            (``metrics.norms.Mdc.kind``).
    """

    median: float | None
    sd: float | None
    iqr: float | None
    min: float | None
    max: float | None
    n_frames: int
    unit: str | None
    status: MetricStatus
    reason: str | None = None
    source: str | None = None
    uncertainty: float | None = None
    mdc: float | None = None
    mdc_source: str | None = None
    mdc_kind: str | None = None

    @classmethod
    def not_measurable(cls, reason: str) -> MetricStats:
        """A metric that was reported in used frames but never had a value."""
        return cls(None, None, None, None, None, 0, None, MetricStatus.NOT_MEASURABLE, reason)

    @property
    def measured(self) -> bool:
        return self.median is not None

    def to_metric(self, metric_id: str, landmarks: tuple[int, ...] = ()) -> Metric:
        """The median as a :class:`Metric` (what the overlay and panel draw)."""
        return Metric(
            metric_id,
            self.median,
            self.unit or "",
            self.status,
            self.reason,
            landmarks,
            self.source or "model",
        )

    def to_json(self, ndigits: int | None = JSON_DECIMALS) -> dict[str, Any]:
        """JSON data; floats rounded to ``ndigits`` (None keeps full precision)."""
        return {
            "median": _round(self.median, ndigits),
            "sd": _round(self.sd, ndigits),
            "iqr": _round(self.iqr, ndigits),
            "min": _round(self.min, ndigits),
            "max": _round(self.max, ndigits),
            "n_frames": self.n_frames,
            "unit": self.unit,
            "status": str(self.status),
            "reason": self.reason,
            "reasons": reasons.parts_json(self.reason),
            "source": self.source,
            "uncertainty": _round(self.uncertainty, ndigits),
            "mdc": _round(self.mdc, ndigits),
            "mdc_source": self.mdc_source,
            "mdc_kind": self.mdc_kind,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> MetricStats:
        names = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in names}
        values["status"] = MetricStatus(data.get("status") or MetricStatus.NOT_MEASURABLE)
        values["n_frames"] = int(data.get("n_frames") or 0)
        values["reason"] = reasons.from_json(data.get("reason"), data.get("reasons"))
        return cls(**values)


@dataclass(frozen=True)
class CaptureInfo:
    """What the capture window held.

    Attributes:
        ok: at least one frame was used.
        reason: why no frame was used, else None.
        view: the dominant view of the used frames (``front``/``back``/``left``/``right``),
            or None.
        frames_seen: every frame added.
        frames_used: qualifying frames of the dominant view.
        frames_no_person: frames without a person.
        frames_quality_failed: frames whose quality gate failed.
        seconds: frame time covered.
        complete: the window (frames or seconds) was filled.
    """

    ok: bool
    reason: str | None
    view: str | None
    frames_seen: int
    frames_used: int
    frames_no_person: int
    frames_quality_failed: int
    seconds: float
    complete: bool

    def to_json(self, ndigits: int | None = JSON_DECIMALS) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["seconds"] = _round(self.seconds, ndigits)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CaptureInfo:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(frozen=True)
class CaptureSummary:
    """An averaged capture: the window and every metric's statistics.

    Attributes:
        capture: what the window held.
        metrics: statistics per metric id, in the order the pipeline reported them.
    """

    capture: CaptureInfo
    metrics: Mapping[str, MetricStats] = field(default_factory=dict)

    def as_metrics(self, frame_metrics: Mapping[str, Metric] | None = None) -> dict[str, Metric]:
        """The medians as frame metrics (landmark ids taken from ``frame_metrics``)."""
        base = frame_metrics or {}
        return {
            mid: stats.to_metric(mid, base[mid].landmarks if mid in base else ())
            for mid, stats in self.metrics.items()
        }

    def to_json(self, ndigits: int | None = JSON_DECIMALS) -> dict[str, Any]:
        """``{"capture": {...}, "metrics": {id: {...}}}`` as JSON data."""
        return {
            "capture": self.capture.to_json(ndigits),
            "metrics": {mid: s.to_json(ndigits) for mid, s in self.metrics.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CaptureSummary:
        return cls(
            CaptureInfo.from_json(data["capture"]),
            {mid: MetricStats.from_json(m) for mid, m in data.get("metrics", {}).items()},
        )
