"""The numbers of a capture corrected by hand, each with its ± (no Qt).

A corrected capture is one frame (``P``) or a snapshot's median pose (``Shift+P``), so
the frame spread that gives an averaged value its ± is missing (one frame) or belongs to
the snapshot. Every number of a corrected capture therefore carries (same unit, one
standard deviation, like the ± of an averaged capture):

* a **model part**, when the number still rests on model landmarks (its source is
  ``model``, or a ``point`` metric that also uses landmarks nobody moved): the snapshot's
  own ± (frame spread and repeatability) when the capture is a snapshot, else the model's
  repeatability per capture (``posture_cam.metrics.mdc.REPEATABILITY``);
* a **placement part**, when the number depends on a point placed or moved by hand:
  each such point is taken to lie within :func:`placement_sd_px` pixels (one SD per
  axis) of where the therapist meant it. This is an *estimate*, not a measurement
  (docs/metrics.md, "Points placed by hand"). It is carried through the metric by
  perturbation: every edited point is moved by ± that SD along x and along y, the metric
  is recomputed by the same engine, and the central differences add in quadrature;
* a **marker part**, when the number uses a detected sticker nobody moved: the same
  perturbation with :data:`MARKER_SD_PX` (the centroid of a detected blob; an estimate).

The parts add in quadrature. Where a snapshot was corrected, a number the edit did
not change keeps the snapshot's own averaged statistics (median over its frames, SD, ±),
not the value recomputed from its median pose; a changed number is recomputed from the
median pose, and :attr:`EditedNumbers.basis` says so. Both stand for the snapshot's
frames: a recomputed number keeps the snapshot's frame count and spread for that metric
(its ± holds that spread already), so n and ± never disagree.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

from posture_cam.capture_summary import CaptureInfo, CaptureSummary, MetricStats, frame_sd_only
from posture_cam.landmarks import LANDMARK_NAMES
from posture_cam.markers.editor import PointEditor
from posture_cam.markers.sticker_error import MARKER_SD_PX, perturbation_spread
from posture_cam.metrics import spec
from posture_cam.metrics.repeatability import repeatability_in_unit
from posture_cam.reasons import reason
from posture_cam.types import Metric

#: Smallest placement SD per axis (image pixels): a click on the dialog's fitted photo
#: lands within about one screen pixel, 2–3 image pixels of a full-HD photo.
PLACEMENT_SD_MIN_PX = 3.0
#: Placement SD per axis as a fraction of the body height: finding a palpated landmark
#: (tragus, C7, ASIS) on a photo, about 4 mm of a 170 cm person (an estimate).
PLACEMENT_SD_FRACTION_OF_HEIGHT = 0.0025


def placement_sd_px(height_px: float | None) -> float:
    """The SD per axis (image pixels) assumed for a point placed or moved by hand."""
    scaled = PLACEMENT_SD_FRACTION_OF_HEIGHT * height_px if height_px else 0.0
    return max(PLACEMENT_SD_MIN_PX, scaled)


@dataclass(frozen=True)
class NumberUncertainty:
    """The ± of one number of a corrected capture and what it is made of.

    Attributes:
        total: sqrt(model² + placement² + marker²), in the metric's unit.
        model: the model part (repeatability, or the snapshot's ±), or None (none left).
        placement: the hand-placement part, or None (the number uses no edited point).
        marker: the detected stickers' part, or None (it uses no sticker).
        basis: ``snapshot`` (the snapshot's averaged value, unchanged by the edit),
            ``recomputed`` (computed from the frozen pose with the edits).
    """

    total: float
    model: float | None
    placement: float | None
    basis: str
    marker: float | None = None

    def to_json(self) -> dict[str, Any]:
        def r(v: float | None) -> float | None:
            return None if v is None else round(float(v), 4)

        return {
            "total": r(self.total),
            "model": r(self.model),
            "placement": r(self.placement),
            "marker": r(self.marker),
            "basis": self.basis,
        }


class EditedNumbers:
    """The numbers of an editor's capture as a capture summary, with their ±.

    Args:
        editor: the hand edits.
        snapshot: the averaged summary of the snapshot that was frozen (its sidecar's
            ``capture`` and ``metrics``), or None for a frozen frame.
    """

    def __init__(self, editor: PointEditor, snapshot: CaptureSummary | None = None) -> None:
        self.editor = editor
        self.snapshot = snapshot
        self.sd_px = placement_sd_px(editor.height_px)
        self._cache: tuple[Any, dict[str, NumberUncertainty]] | None = None

    # -- which value stands ----------------------------------------------------------

    def unchanged(self, metric_id: str) -> bool:
        """The edit changed neither the value nor the source of ``metric_id``."""
        now = self.editor.result.metrics.get(metric_id)
        was = self.editor.before.metrics.get(metric_id)
        return (
            now is not None
            and was is not None
            and now.value == was.value
            and now.source == was.source
        )

    def snapshot_stats(self, metric_id: str) -> MetricStats | None:
        """The snapshot's own averaged statistics of ``metric_id`` (None: no snapshot,
        not measured in it, or in another unit than now)."""
        if self.snapshot is None:
            return None
        stats = self.snapshot.metrics.get(metric_id)
        now = self.editor.result.metrics.get(metric_id)
        if stats is None or not stats.measured or now is None or stats.unit != now.unit:
            return None
        return stats

    def basis(self, metric_id: str) -> str:
        """``snapshot`` when the snapshot's averaged value stands, else ``recomputed``."""
        if self.unchanged(metric_id) and self.snapshot_stats(metric_id) is not None:
            return "snapshot"
        return "recomputed"

    def shown_metrics(self) -> dict[str, Metric]:
        """The numbers to show now (cheap: no perturbation): the recomputed metrics, with
        the snapshot's averaged value wherever the edit left a metric unchanged."""
        out = {}
        for metric_id, metric in self.editor.result.metrics.items():
            stats = self.snapshot_stats(metric_id)
            if stats is not None and self.basis(metric_id) == "snapshot":
                metric = stats.to_metric(metric_id, metric.landmarks)
            out[metric_id] = metric
        return out

    # -- uncertainty -----------------------------------------------------------------

    def uncertainty(self) -> dict[str, NumberUncertainty]:
        """metric id -> its ± for every measured metric (recomputed after each edit:
        four metric computations per edited point or detected sticker)."""
        key = self.editor.point_edits()
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1]
        editor = self.editor
        placement = self._perturbed(editor.edited_names, self.sd_px)
        found = editor.frozen.markers.markers if editor.frozen.markers is not None else None
        stickers = [n for n in (found.points if found else ()) if not editor.is_edited(n)]
        from_stickers = self._perturbed(tuple(stickers), MARKER_SD_PX)
        out = {}
        for metric_id, metric in self.editor.result.metrics.items():
            if metric.value is None or not math.isfinite(metric.value):
                continue
            basis = self.basis(metric_id)
            stats = self.snapshot_stats(metric_id)
            sticker = from_stickers.get(metric_id)
            # The snapshot's ± of a sticker value holds the stickers' share already
            # (``posture_cam.capture.averaging``): not counted twice where that ± is
            # used. A snapshot saved before that change keeps ± = frame SD, so its share
            # is added here.
            holds_sticker = (
                stats is not None
                and stats.source == "marker"
                and stats.uncertainty is not None
                and not frame_sd_only(stats.source, stats.sd, stats.uncertainty)
            )
            if basis == "snapshot" and stats is not None and stats.uncertainty is not None:
                own = stats.uncertainty
                sticker = None if holds_sticker else sticker
                total = math.hypot(own, sticker or 0.0)
                out[metric_id] = NumberUncertainty(total, own, None, basis, sticker)
                continue
            model = self._model_part(metric_id, metric, stats)
            if holds_sticker and model is not None:
                # The model part is the snapshot's ± (``_model_part``), with the share in
                # it. Recomputed from points alone (a sticker moved by hand, the other
                # still detected), there is no such part and the unmoved sticker's
                # share stays: it was lost before (a CVA read ±1.34 where ±1.41 is due).
                sticker = None
            hand = placement.get(metric_id)
            total = math.hypot(model or 0.0, hand or 0.0, sticker or 0.0)
            out[metric_id] = NumberUncertainty(total, model, hand, basis, sticker)
        self._cache = (key, out)
        return out

    def _model_part(
        self, metric_id: str, metric: Metric, stats: MetricStats | None
    ) -> float | None:
        """The model's share of the ± (None when the number uses no model landmark)."""
        names = self.editor.edited_names
        edited_ids = {LANDMARK_NAMES.index(n) for n in names if n in LANDMARK_NAMES}
        if metric.source == "point" and set(metric.landmarks) <= edited_ids:
            return None  # every point it uses was placed by hand (or is a named point)
        if stats is not None and stats.uncertainty is not None:
            # The snapshot's own ± (its frame spread with the repeatability, or with the
            # stickers' share for a sticker value): the frames it was averaged over.
            return float(stats.uncertainty)
        if metric.source == "marker" and not metric.landmarks:
            return None  # stickers only: no model landmark in it
        result = self.editor.result
        return repeatability_in_unit(metric_id, metric.unit, result.pose_measured, result.cm_per_px)

    def _perturbed(self, names: tuple[str, ...] | list[str], sd_px: float) -> dict[str, float]:
        """metric id -> how much it moves when each of ``names`` is off by ``sd_px`` per
        axis (see module docstring)."""
        editor = self.editor

        def moved(name: str, dx: float, dy: float) -> dict[str, Metric] | None:
            xy = editor.xy(name)
            return None if xy is None else editor.metrics_with(name, (xy[0] + dx, xy[1] + dy))

        return perturbation_spread(editor.result.metrics, names, sd_px, moved)

    # -- output ----------------------------------------------------------------------

    def summary(self) -> CaptureSummary:
        """The corrected capture as a capture summary: one frame recomputed (or the
        snapshot's window), each metric with its ± in ``uncertainty``."""
        result = self.editor.result
        ranges = self.uncertainty()
        metrics = {}
        for metric_id, metric in result.metrics.items():
            snap = self.snapshot_stats(metric_id)
            if snap is not None and self.basis(metric_id) == "snapshot":
                metrics[metric_id] = snap
            elif metric_id in ranges and self.snapshot is not None:
                metrics[metric_id] = _median_pose(
                    metric, ranges[metric_id].total, snap, self.snapshot.capture.frames_used
                )
            elif metric_id in ranges:
                metrics[metric_id] = _one_pose(metric, ranges[metric_id].total)
            else:
                metrics[metric_id] = MetricStats.not_measurable(
                    metric.reason or reason("not_measured")
                )
        if self.snapshot is not None:
            return CaptureSummary(self.snapshot.capture, metrics)
        info = CaptureInfo(
            ok=True,
            reason=None,
            view=str(result.view.view),
            frames_seen=1,
            frames_used=1,
            frames_no_person=0,
            frames_quality_failed=0,
            seconds=0.0,
            complete=True,
        )
        return CaptureSummary(info, metrics)

    def to_json(self) -> dict[str, Any]:
        """The ``uncertainty`` block of the sidecar's ``points``: how each ± was made."""
        return {
            "placement_sd_px": round(self.sd_px, 3),
            "marker_sd_px": MARKER_SD_PX,
            "method": (
                "model part: model repeatability (or the snapshot's own ±); placement "
                "part: each edited point moved by ± placement_sd_px along x and y, the "
                "metric recomputed, central differences added in quadrature; marker part: "
                "the same for each detected sticker with marker_sd_px (estimates)"
            ),
            "metrics": {k: u.to_json() for k, u in self.uncertainty().items()},
        }


def _one_pose(metric: Metric, uncertainty: float) -> MetricStats:
    """The statistics of a value measured on one pose (median = value, no spread)."""
    assert metric.value is not None, "only measured metrics have statistics"
    value = float(metric.value)
    mdc = spec(metric.id).mdc
    scale_free = metric.unit != "cm"  # catalogue MDCs are scale-free (none for cm)
    return MetricStats(
        median=value,
        sd=0.0,
        iqr=0.0,
        min=value,
        max=value,
        n_frames=1,
        unit=metric.unit,
        status=metric.status,
        reason=metric.reason,  # a note on the value ("judged against … 170 cm")
        source=metric.source,
        uncertainty=uncertainty,
        mdc=mdc.value if mdc and scale_free else None,
        mdc_source=mdc.source if mdc else None,
        mdc_kind=mdc.kind if mdc else None,
    )


def _median_pose(
    metric: Metric, uncertainty: float, snap: MetricStats | None, frames_used: int
) -> MetricStats:
    """A value recomputed from a snapshot's median pose, in the snapshot's frame count.

    The median pose stands for the snapshot's ``frames_used`` frames, and the number's
    ± already holds the snapshot's frame spread (its model part), so the statistics say
    the same: ``n_frames`` is the snapshot's count for this metric, ``sd`` and ``iqr``
    its frame spread there, ``min``/``max`` that range moved with the correction (the
    edit moves the point alike in every frame). A metric the snapshot did not measure
    (e.g. the sagittal pelvic tilt from placed ASIS and PSIS) has no frame spread of its
    own: ``sd`` 0 over the snapshot's frames; its ± is the placement (and model) part.
    """
    one = _one_pose(metric, uncertainty)
    if snap is None or snap.median is None or one.median is None:
        return dataclasses.replace(one, n_frames=max(1, frames_used))
    shift = one.median - snap.median
    return dataclasses.replace(
        one,
        sd=snap.sd,
        iqr=snap.iqr,
        min=None if snap.min is None else snap.min + shift,
        max=None if snap.max is None else snap.max + shift,
        n_frames=snap.n_frames,
    )
