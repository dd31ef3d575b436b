"""What one home check captured: the averaged head and shoulder metrics and their context.

Produced by :class:`posture_cam.home.session.HomeCheckSession` when its automatic
capture completes; written to disk by :mod:`posture_cam.home.check_file` and kept in the
home history by :mod:`posture_cam.home.history`.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from posture_cam.capture_summary import MetricStats
from posture_cam.metrics import spec
from posture_cam.reasons import parts_json
from posture_cam.types import FrameResult, View

#: What home mode measures per view: only what head and shoulders allow at a desk.
HOME_METRICS: dict[str, tuple[str, ...]] = {
    "front": ("head_tilt", "shoulder_tilt"),
    "back": ("head_tilt", "shoulder_tilt"),
    "left": ("cva",),
    "right": ("cva",),
}


@dataclass(frozen=True)
class HomeMeasurement:
    """One averaged metric of a home check.

    Attributes:
        metric_id: catalogue id (``head_tilt``, ``shoulder_tilt``, ``cva``).
        value: median over the capture window, in ``unit``; None when not measurable.
        sd: sample standard deviation over the window (same unit), or None.
        iqr: interquartile range over the window (same unit), or None.
        n: frames in which it was measured.
        unit: ``deg`` for every home metric.
        status: ``normal`` / ``borderline`` / ``outside`` / ``not_measurable``.
        source: ``model`` (MediaPipe landmarks; home checks use no markers).
        proxy: MediaPipe points stand in for clinical ones (see docs/metrics.md).
        reason: why it was not measurable, else None (a
            :class:`posture_cam.reasons.Reason`: the file keeps its codes too, so an
            imported check reads in the therapist's language).
        uncertainty: ± of the value: frame spread and model repeatability combined
            (``AveragedCapture``), or None.
        mdc: minimal detectable change of the metric (same unit), or None: a change
            between two checks is real only beyond it.
    """

    metric_id: str
    value: float | None
    sd: float | None
    iqr: float | None
    n: int
    unit: str | None
    status: str
    source: str = "model"
    proxy: bool = False
    reason: str | None = None
    uncertainty: float | None = None
    mdc: float | None = None

    @classmethod
    def from_summary(cls, metric_id: str, stats: MetricStats) -> HomeMeasurement:
        """From one metric of an averaged capture (``AveragedCapture.summary().metrics``)."""
        return cls(
            metric_id=metric_id,
            value=stats.median,
            sd=stats.sd,
            iqr=stats.iqr,
            n=stats.n_frames,
            unit=stats.unit,
            status=str(stats.status),
            source="model",
            proxy=bool(spec(metric_id).proxy),
            reason=stats.reason,
            uncertainty=stats.uncertainty,
            mdc=stats.mdc,
        )

    def to_json(self) -> dict[str, Any]:
        def r(v: float | None) -> float | None:
            return None if v is None else round(float(v), 3)

        return {
            "value": r(self.value),
            "sd": r(self.sd),
            "iqr": r(self.iqr),
            "n": self.n,
            "unit": self.unit,
            "status": self.status,
            "source": self.source,
            "proxy": self.proxy,
            "reason": None if self.reason is None else str(self.reason),
            "reasons": parts_json(self.reason),
            "uncertainty": r(self.uncertainty),
            "mdc": r(self.mdc),
        }


@dataclass(frozen=True, eq=False)
class HomeCapture:
    """A completed automatic capture.

    Attributes:
        check_id: 32 hex digits, unique per check (file and history share it).
        time: when the capture completed (local, timezone-aware).
        view: the dominant view of the window.
        framing: ``upper_body``, ``waist_up`` or ``full_body``.
        measurements: metric id -> averaged value (home metrics of the view only).
        quality_checks: per quality check over the window: ``id``, ``ok``,
            ``frames_failed``, ``reason`` (most frequent, or None).
        landmarks_xyv: (33, 3) float64 median x_px, y_px, visibility over the used
            frames; NaN rows where a point was never seen.
        resolution_wh: image size the landmarks refer to.
        frames_seen: frames fed from the start of the hold to the capture, pauses
            included.
        frames_used: frames that passed the gate (and were of the dominant view);
            only these are averaged.
        seconds: frame time the hold collected (pauses excluded).
        waited_s: frame time from the first frame of the check to the capture.
        paused_s: frame time the hold was paused (hands raised) before the capture.
        last_result: the last used frame's result (its pose draws the skeleton image;
            its camera pixels are never exported).
    """

    check_id: str
    time: _dt.datetime
    view: View
    framing: str
    measurements: dict[str, HomeMeasurement]
    quality_checks: tuple[dict[str, Any], ...]
    landmarks_xyv: np.ndarray
    resolution_wh: tuple[int, int]
    frames_seen: int
    frames_used: int
    seconds: float
    waited_s: float
    last_result: FrameResult
    paused_s: float = 0.0

    def values(self) -> dict[str, float]:
        """Metric id -> value for the measured metrics (what the history keeps)."""
        return {k: float(m.value) for k, m in self.measurements.items() if m.value is not None}
