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

from posture_cam.capture.averaging import AveragedCapture
from posture_cam.capture.hand_points import PoseCorrection, edited_numbers, has_hand_points
from posture_cam.capture_summary import MetricStats
from posture_cam.types import FrameResult


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
    if not has_hand_points(result):
        return stats
    # As the app stores a corrected frame (``ui.points.save.visit_capture``): the
    # editor's numbers replace the averaged ones wherever it measured them.
    for metric_id, edited in edited_numbers(result, calibration).summary().metrics.items():
        if edited.measured:
            stats[metric_id] = edited
    return stats
