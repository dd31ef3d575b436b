"""How much a detected sticker's centroid error moves each metric of a frame (no Qt).

A sticker's centre is the centroid of its half-coverage outline
(``posture_cam.markers.detect``); where it lands on the palpated landmark is taken to be
uncertain by :data:`MARKER_SD_PX` per axis (one SD, an estimate: detection alone is
within 0.1-0.2 px on composited discs, but a real sticker's shading, curvature and
placement add more). The share of
that error in a metric is found by perturbation, as for points placed by hand
(``posture_cam.markers.uncertainty``): each detected sticker is moved by ± the SD along
x and along y in measurement pixels, the frame's metrics are recomputed by the same
engine, and the central differences add in quadrature. For a line between two stickers
L pixels apart that is sqrt(2)·SD/L radians.

An averaged capture (``posture_cam.capture.averaging``) adds this share to the frame spread of
every metric whose points came from stickers: the spread shows how much the detection
wobbled from frame to frame, not where the blob sits on the landmark, which stays the
same in every frame.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping

import numpy as np

from posture_cam.metrics.engine import MetricsEngine
from posture_cam.named_points import NamedPoint
from posture_cam.types import FrameResult, Metric

#: SD per axis (image pixels) of a detected sticker's centre on its landmark (an
#: estimate; see the module docstring).
MARKER_SD_PX = 1.0


def perturbation_spread(
    now: Mapping[str, Metric],
    names: Iterable[str],
    sd_px: float,
    metrics_with: Callable[[str, float, float], Mapping[str, Metric] | None],
) -> dict[str, float]:
    """metric id -> how much it moves when each of ``names`` is off by ``sd_px`` per axis.

    Args:
        now: the metrics as they are.
        names: the points to move.
        sd_px: the SD per axis.
        metrics_with: ``metrics_with(name, dx, dy)`` -> the metrics with ``name`` moved
            by (dx, dy) pixels, or None when ``name`` has no position.
    """
    squares: dict[str, float] = {}
    for name in names:
        for dx, dy in ((sd_px, 0.0), (0.0, sd_px)):
            plus = metrics_with(name, dx, dy)
            minus = metrics_with(name, -dx, -dy)
            if plus is None or minus is None:
                break
            for metric_id, metric in now.items():
                a, b = plus.get(metric_id), minus.get(metric_id)
                if metric.value is None or a is None or b is None:
                    continue
                if a.value is None or b.value is None:
                    # The metric is lost within one SD of the point: its one-sided
                    # change is the best we have.
                    ends = [m.value for m in (a, b) if m.value is not None]
                    half = max((abs(v - metric.value) for v in ends), default=0.0)
                else:
                    half = (a.value - b.value) / 2.0
                squares[metric_id] = squares.get(metric_id, 0.0) + half * half
    return {k: math.sqrt(v) for k, v in squares.items() if v > 0.0}


def sticker_spread(
    result: FrameResult, engine: MetricsEngine | None = None, sd_px: float = MARKER_SD_PX
) -> dict[str, float]:
    """metric id -> the detected stickers' share of its ± in this frame (metric unit).

    Only metrics whose source is ``marker`` get one; a point placed by hand over a
    sticker replaces it (its own error is the placement's, not the detector's).
    Needs the frame's measurement-pixel points (``FramePoints.measured``, set by the
    pipeline); without them, or without a detected sticker, it returns {}.
    """
    fp = result.markers
    measured = getattr(fp, "measured", None)
    pose = result.pose_measured
    if fp is None or not measured or pose is None or fp.markers is None:
        return {}
    stickers = [n for n, p in measured.items() if p.source == "marker" and n in fp.markers.points]
    from_stickers = {k: m for k, m in result.metrics.items() if m.source == "marker"}
    if not stickers or not from_stickers:
        return {}
    engine = engine or MetricsEngine()

    def metrics_with(name: str, dx: float, dy: float) -> dict[str, Metric]:
        p = measured[name]
        moved = dict(measured)
        moved[name] = NamedPoint(name, p.xy_px + np.array([dx, dy]), p.source, p.radius_px)
        return engine.compute(pose, result.view, result.cm_per_px, moved, fp.moved)

    return perturbation_spread(from_stickers, stickers, sd_px, metrics_with)
