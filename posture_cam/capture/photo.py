"""One photo as a capture: the statistics and ± of its numbers (no Qt).

A photo is one frame, so it has no frame spread of its own. ``posture-cam visit add``
stores a photo as a capture averaged over that one frame
(:class:`~posture_cam.capture.averaging.AveragedCapture`, through
``records.ingest.build_capture``), and a frame corrected in the app with placed or moved
points as :meth:`~posture_cam.markers.uncertainty.EditedNumbers.summary` gives it.
:func:`photo_stats` runs a photo's result through the same two, so ``posture-cam
analyze`` shows each number of a photo with the ± the records would store for it (one
computation, not a second formula):

* a model value: the model's repeatability per capture (``metrics.mdc.REPEATABILITY``);
* a value from detected stickers: the stickers' centroid error carried through the
  metric (``markers.sticker_error``);
* with points given by hand (``--point``): every number as the points editor computes
  it, the placement estimate carried through the metric (``markers.uncertainty``);
* a value with none of these (a model value in cm: the repeatability has no fixed
  conversion there) has no ± (None), never a made-up ±0.

The quality gate does not change the ±: ``visit add`` stores a photo the gate refused
with the same numbers and ± (``build_capture`` falls back to the frames with a person),
and the photo's ``quality`` says it was refused.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from posture_cam.capture.averaging import AveragedCapture
from posture_cam.capture_summary import MetricStats
from posture_cam.markers.editor import PointEditor
from posture_cam.markers.uncertainty import EditedNumbers
from posture_cam.types import FrameResult, Pose


class PoseCorrection(Protocol):
    """A calibration as the pipeline holds it (``pipeline.PoseCorrector``)."""

    def correct_pose(self, pose: Pose) -> Pose: ...


class _AsInPipeline:
    """The calibration applied to hand-given points as the pipeline applies it: one
    without ``correct_points`` (no lens, no roll to map points by) leaves them as they
    are (``Pipeline._correct_points``)."""

    def __init__(self, calibration: PoseCorrection) -> None:
        self._calibration = calibration

    def correct_pose(self, pose: Pose) -> Pose:
        return self._calibration.correct_pose(pose)

    def correct_points(self, xy_px: np.ndarray, resolution_wh: tuple[int, int]) -> np.ndarray:
        correct = getattr(self._calibration, "correct_points", None)
        return xy_px if correct is None else correct(xy_px, resolution_wh)


def photo_stats(
    result: FrameResult, calibration: PoseCorrection | None = None
) -> dict[str, MetricStats]:
    """metric id -> the statistics of one photo's value, its ± in ``uncertainty``.

    Args:
        result: the photo's frame result from the pipeline (hand edits applied).
        calibration: the calibration that applied to the photo (the pipeline's
            ``applied_calibration``), or None.

    Returns:
        Every metric the frame reported ({} without a person); a metric that could not
        be measured is :meth:`MetricStats.not_measurable`.
    """
    # Every frame with a person counts: one frame, so this is what the records keep
    # whether or not the gate passed it (gated and ungated summaries are then the same).
    capture = AveragedCapture(require_quality=False)
    capture.add(result)
    stats = dict(capture.summary().metrics)
    edits = result.markers.edits if result.markers is not None else ()
    if not edits or result.pose_image is None:
        return stats
    # As the app stores a corrected frame (``ui.points.save.visit_capture``): the
    # editor's numbers replace the averaged ones wherever it measured them. The frozen
    # pose already holds the edits; giving them again at the same places leaves every
    # number as the pipeline computed it and tells the editor which points to perturb.
    editor = PointEditor(result, None if calibration is None else _AsInPipeline(calibration))
    for edit in edits:
        editor.set_point(edit.name, edit.xy_px)
    for metric_id, edited in EditedNumbers(editor).summary().metrics.items():
        if edited.measured:
            stats[metric_id] = edited
    return stats
