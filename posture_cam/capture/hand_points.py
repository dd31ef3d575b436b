"""Numbers that rest on points given by hand (``--point``): the points editor's view of
a frame, and the placement part of a video's averaged ± (no Qt).

A point given with ``--point`` is exact input to the geometry, but where the therapist
put it on the body is not: ``markers.uncertainty`` estimates that placement error and
carries it through each metric by perturbation. A photo takes every number from the
points editor (:func:`edited_numbers`, as the app stores a corrected frame:
``capture.photo``). A video gives the same points in every frame, so its frame spread
never shows their placement error; :func:`with_hand_points` completes the averaged ±
of each number from them with the parts the editor finds on one frame of the capture's
view (model, placement, sticker): ± = sqrt(frame spread² + those parts²).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Protocol

import numpy as np

from posture_cam.capture_summary import CaptureSummary, MetricStats
from posture_cam.markers.editor import PointEditor
from posture_cam.markers.uncertainty import EditedNumbers
from posture_cam.types import FrameResult, Pose, View


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


def has_hand_points(result: FrameResult) -> bool:
    """The frame has a person and points given or moved by hand."""
    marks = result.markers
    return bool(marks is not None and marks.edits and result.pose_image is not None)


def edited_numbers(result: FrameResult, calibration: PoseCorrection | None = None) -> EditedNumbers:
    """The points editor's numbers of a frame whose points were given by hand.

    The frame's pose already holds the edits; giving them again at the same places
    leaves every number as the pipeline computed it and tells the editor which points
    to perturb for their placement part.

    Args:
        result: a frame with :func:`has_hand_points`.
        calibration: the calibration that applied to it (``Pipeline.applied_calibration``).
    """
    editor = PointEditor(result, None if calibration is None else _AsInPipeline(calibration))
    assert result.markers is not None
    for edit in result.markers.edits:
        editor.set_point(edit.name, edit.xy_px)
    return EditedNumbers(editor)


def with_hand_points(
    summary: CaptureSummary,
    edited_frames: Mapping[View, FrameResult],
    calibration: PoseCorrection | None = None,
) -> CaptureSummary:
    """A video's averaged capture with the ± of every number from points given by hand
    completed as the points editor completes a corrected frame's.

    An averaged value whose source is ``point`` carries its frame spread alone
    (``capture.averaging``). Its other parts are those of the points editor on one frame
    of the capture's view (``markers.uncertainty.EditedNumbers``): the model's
    repeatability when it also uses a landmark nobody moved, the placement estimate of
    the points given by hand, the centroid error of a detected sticker it uses. They do
    not change from frame to frame (the points stay put), so they add in quadrature:
    ± = sqrt(frame spread² + model² + placement² + sticker²). For a photo (no frame
    spread) that is the editor's ± itself, as ``capture.photo`` gives it.

    Args:
        summary: the averaged capture (``AveragedCapture.summary()``).
        edited_frames: view -> the capture's latest used frame of that view with a
            value from hand-given points (``AveragedCapture.hand_point_frames``).
        calibration: the calibration that applied (``Pipeline.applied_calibration``).

    Returns:
        ``summary`` unchanged when no frame of its view has hand points; else with the
        ``uncertainty`` of each measured ``point`` value completed. Values, spreads and
        every other number stay as they are.
    """
    view = summary.capture.view
    frame = edited_frames.get(View(view)) if view is not None else None
    if frame is None or not has_hand_points(frame):
        return summary
    parts = edited_numbers(frame, calibration).uncertainty()
    metrics: dict[str, MetricStats] = {}
    for metric_id, stats in summary.metrics.items():
        part = parts.get(metric_id)
        if part is not None and stats.measured and stats.source == "point":
            total = math.hypot(stats.uncertainty or 0.0, part.total)
            stats = dataclasses.replace(stats, uncertainty=total)
        metrics[metric_id] = stats
    return CaptureSummary(summary.capture, metrics)
