"""One ``Pipeline`` for the CLI, the GUI and the tests.

Stages per frame (all plain Python, no Qt):

    Frame -> PoseEstimator -> Smoother -> PointStage.edit_pose (landmarks moved by hand)
          -> CalibrationProfile.correct_pose -> classify_view (or the forced view)
          -> PointStage.find (stickers, placed points) -> QualityGate -> MetricsEngine
          -> FrameResult

The pipeline owns per-stream state (smoothing, the sticker tracking, the quality
gate's motion window); ``reset()`` clears it between independent inputs, and on a
stream the pose model's tracking too (at the next ``process()``). It is not
thread-safe: the thread that creates it uses it and closes it.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from posture_cam.calibration import load_profile
from posture_cam.config import PipelineConfig
from posture_cam.errors import ModelError
from posture_cam.i18n import _
from posture_cam.markers.stage import FramePoints, PointStage, measured_points
from posture_cam.metrics import MetricsEngine, QualityGate, classify_view
from posture_cam.metrics.view import facing_score
from posture_cam.pose import PoseEstimator
from posture_cam.pose.model.store import resolve_model
from posture_cam.reasons import reason
from posture_cam.smoothing import make_smoother
from posture_cam.types import (
    Frame,
    FrameResult,
    Metric,
    Pose,
    PoseEstimate,
    View,
    ViewEstimate,
)


class Estimator(Protocol):
    """What the pipeline needs from a pose estimator (the real one or a test fake)."""

    def estimate(self, frame: Frame) -> PoseEstimate: ...

    def close(self) -> None: ...


class PoseCorrector(Protocol):
    """What the pipeline needs from a calibration profile."""

    @property
    def roll_deg(self) -> float: ...

    @property
    def cm_per_px(self) -> float | None: ...

    def correct_pose(self, pose: Pose) -> Pose: ...


class Pipeline:
    """Turns frames into :class:`FrameResult` objects.

    Args:
        estimator: a :class:`PoseEstimator` (or a fake with ``estimate``/``close``).
        config: the settings snapshot; build a new pipeline (it may share the
            estimator, ``owns_estimator=False``) to change them.
        calibration: an applied calibration profile, or None.
        owns_estimator: close the estimator when the pipeline closes.
        landmark_models: file names of the models that place the landmarks.
        stream: frames of one stream (``Pipeline.open`` with mode ``video``) rather
            than independent photos: the quality gate then refuses a person's first
            frames until it has watched them for a moment (``QualityGate``).
    """

    def __init__(
        self,
        estimator: Estimator,
        config: PipelineConfig | None = None,
        calibration: PoseCorrector | None = None,
        *,
        owns_estimator: bool = True,
        landmark_models: tuple[str, ...] = (),
        stream: bool = False,
    ) -> None:
        self.estimator = estimator
        #: The file names of the models that place the landmarks (the pose model, and
        #: on stills the second keypoint model when it is weighed in), for reports.
        self.landmark_models = landmark_models
        self.config = config or PipelineConfig()
        self.calibration = calibration
        self._per_resolution: dict[tuple[int, ...], PoseCorrector] = {}
        self._applied: PoseCorrector | None = None
        self._owns_estimator = owns_estimator
        self._smoother = make_smoother(self.config)
        #: Frames of one stream (video, camera), not independent photos: the quality
        #: gate then watches a person for a moment before a frame can pass.
        self.stream = stream
        self._gate = QualityGate(stream=stream)
        self._engine = MetricsEngine()
        self._points = PointStage(
            self.config.markers, self.config.marker_colour, self.config.points
        )
        self._forced_view = (
            ViewEstimate(View(self.config.view), 1.0, forced=True) if self.config.view else None
        )
        # reset() on a stream: restart the model's tracking before the next estimate.
        self._restart_model = False
        self._last_t_ms: float | None = None  # the last frame process() saw

    @classmethod
    def open(
        cls,
        config: PipelineConfig | None = None,
        mode: str = "video",
        calibration: PoseCorrector | None = None,
        *,
        allow_network: bool = True,
        estimator_type: Callable[..., Estimator] = PoseEstimator,
    ) -> Pipeline:
        """Resolve the model, load the calibration profile and build a ready pipeline.

        Args:
            config: settings (model path / variant, smoothing, view, profile ...).
            mode: ``image`` for independent stills, ``video`` for streams.
            calibration: an explicit profile; otherwise ``config.profile`` is loaded.
            allow_network: may the model manager download a missing model.
            estimator_type: ``PoseEstimator`` (in this process: the CLI, batch jobs)
                or ``ProcessEstimator`` (a process of its own: the live app); called
                as ``estimator_type(model_path, mode=..., **config.estimator_options())``.
        """
        config = config or PipelineConfig()
        first_use = not pose_model_present(config)
        model = resolve_model(config.model_path, config.model_variant, allow_network=allow_network)
        if calibration is None and config.profile:
            calibration = load_calibration(config.profile)
        options = config.estimator_options()
        models = [Path(model).name]
        if mode == "image":
            # On first use the models a photo needs are fetched together; once the pose
            # model is there, nothing is downloaded (`posture-cam models fetch movenet`).
            second = second_model_for(config, fetch=allow_network and first_use)
            options["second_model_path"] = second
            if second is not None:
                models.append(second.name)
        estimator = estimator_type(Path(model), mode=mode, **options)
        return cls(
            estimator, config, calibration, landmark_models=tuple(models), stream=mode != "image"
        )

    def __enter__(self) -> Pipeline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._owns_estimator:
            self.estimator.close()

    def reset(self) -> None:
        """Forget per-stream state (call between independent inputs).

        On a stream the pose model's tracking is per-stream state too: the next
        :meth:`process` restarts it (the estimator's ``restart_stream``) before its
        estimate, or a clip run after another started from the last one's person region
        (its first frame found nobody where a new pipeline found her). :meth:`complete`
        never does: its caller runs the model (the live loop restarts it itself).
        """
        self._smoother.reset()
        self._gate.reset()
        self._points.reset()
        self._restart_model = self.stream

    def process(self, frame: Frame) -> FrameResult:
        """Run every stage on one frame.

        On a stream, a frame whose time goes back (another clip fed without
        :meth:`reset`, a clip started over) is a new stream: it resets as :meth:`reset`
        does, the model's tracking included, as the quality gate already starts over.
        """
        if self.stream and self._last_t_ms is not None and frame.t_ms < self._last_t_ms:
            self.reset()
        self._last_t_ms = frame.t_ms
        if self._restart_model:
            self._restart_model = False
            restart = getattr(self.estimator, "restart_stream", None)
            if restart is not None:
                restart()
        t0 = time.perf_counter()
        estimate = self.estimator.estimate(frame)
        return self.complete(frame, estimate, (time.perf_counter() - t0) * 1000.0)

    def complete(self, frame: Frame, estimate: PoseEstimate, inference_ms: float) -> FrameResult:
        """Run the stages after the pose model on ``estimate`` of ``frame``.

        The live loop runs the model on a thread of its own and calls this for each of
        its estimates, in frame order (smoothing and the quality window are per stream).

        Args:
            frame: the frame the estimate was made on.
            estimate: the pose model's output for it.
            inference_ms: how long the model took (reported in ``timings_ms``).
        """
        t1 = time.perf_counter()
        if self._points.active:
            self._points.check_inside(frame.resolution_wh, frame.source_id)
        pose_image = pose_measured = None
        metrics: dict[str, Any] = {}
        moved: frozenset[int] = frozenset()
        edits: tuple = ()
        self._applied = self._calibration_for(frame.resolution_wh)
        if estimate.pose is not None:
            pose_image = self._smoother.smooth(estimate.pose, frame.t_ms)
            if self._points.active:
                pose_image, moved, edits = self._points.edit_pose(pose_image)
            pose_measured = self._applied.correct_pose(pose_image) if self._applied else pose_image
            view = classify_view(pose_measured)
            if self._forced_view is not None:
                view = forced_view_check(self._forced_view, view, pose_measured)
        else:
            # Nobody in view: a later person is a new stream for the filter.
            self._smoother.reset()
            view = self._forced_view or ViewEstimate(View.UNKNOWN, 0.0)
        points: FramePoints | None = None
        if self._points.active:
            points = self._points.find(
                frame.image_bgr, pose_image, view.view, frame.t_ms, moved, edits
            )
        quality = self._gate.check(pose_measured, view, frame.t_ms)
        if pose_measured is not None:
            size_wh = pose_measured.resolution_wh
            named = (
                measured_points(points, lambda xy: self._correct_points(xy, size_wh))
                if points
                else None
            )
            metrics = self._engine.compute(pose_measured, view, self.cm_per_px, named, moved)
            if view.forced and view.reason:
                metrics = not_judged(metrics, view.reason)
            if points is not None and named:
                points = dataclasses.replace(points, measured=named)  # for the stickers' ±
        t2 = time.perf_counter()
        return FrameResult(
            frame=frame,
            estimate=estimate,
            pose_image=pose_image,
            pose_measured=pose_measured,
            view=view,
            quality=quality,
            metrics=metrics,
            roll_deg=self.roll_deg,
            cm_per_px=self.cm_per_px,
            timings_ms={
                "inference": inference_ms,
                "post": (t2 - t1) * 1000.0,
                "total": inference_ms + (t2 - t1) * 1000.0,
            },
            markers=points,
        )

    def _correct_points(self, xy_px: Any, size_wh: tuple[int, int]) -> Any:
        """Marker / placed points through the same calibration as the landmarks."""
        applied = self._applied
        correct = getattr(applied, "correct_points", None)  # not every PoseCorrector has it
        if applied is None or correct is None:
            return xy_px
        if applied.roll_deg == 0.0 and not getattr(applied, "has_lens", True):
            return xy_px  # neither roll nor lens: nothing to correct
        return correct(xy_px, size_wh)

    def _calibration_for(self, resolution_wh: tuple[int, int]) -> PoseCorrector | None:
        """The profile as it applies at this resolution (rescaled, or CalibrationError
        when it cannot apply); cached per resolution."""
        if self.calibration is None:
            return None
        key = tuple(resolution_wh)
        if key not in self._per_resolution:
            adapt = getattr(self.calibration, "for_resolution", None)
            self._per_resolution[key] = adapt(key) if adapt else self.calibration
        return self._per_resolution[key]

    @property
    def applied_calibration(self) -> PoseCorrector | None:
        """The calibration as it applied to the last frame (at its resolution), or None:
        what a hand correction of that frame must go through too."""
        return self._applied

    @property
    def roll_deg(self) -> float:
        active = self._applied or self.calibration
        return float(active.roll_deg) if active else 0.0

    @property
    def cm_per_px(self) -> float | None:
        active = self._applied or self.calibration
        return active.cm_per_px if active else None


#: Confidence above which the classifier's own view overrules a view set by hand.
CONTRADICTION_CONFIDENCE = 0.6
#: The same for the opposite side (left forced on a patient facing right): both cues,
#: side-on and which way the nose (and toes) point, must be clear.
OPPOSITE_SIDE_CONFIDENCE = 0.9
#: How clearly a three-quarter body must face one way (``facing_score``: nose ahead of
#: the ears, toes ahead of the heels, per reference length; a side view's facing is
#: clear from 0.15) for the other side forced on it to be a contradiction.
OPPOSITE_FACING = 0.15
VIEW_CONTRADICTS_BODY = reason("view_contradicts_body")


def forced_view_check(
    forced: ViewEstimate, detected: ViewEstimate, pose: Pose | None = None
) -> ViewEstimate:
    """The forced view, with a reason when the body clearly shows another one.

    A side view forced on a person who clearly faces the camera (or a front / back
    view forced on one clearly side-on), or the opposite side forced on a person
    clearly side-on (left on one facing image-right: the CVA read 103° on the upright
    sitter), judged by the classifier's own view and confidence, is kept as chosen but
    marked (``reason``), so nothing is flagged red or amber from measurements taken in
    the wrong plane or mirrored along it.

    Front forced on a back view (or back on a front one) is not questioned: that
    cue is the model's depth guess, which read the shared back photo of a child as
    front with confidence 0.88, so a therapist must be able to overrule it.

    A body turned three-quarters (``pose`` given) that clearly faces one way (nose and
    toes, ``facing_score`` beyond ``OPPOSITE_FACING``) contradicts the other side forced
    on it: the stooped walker turned 57° to image-right, forced "left", read a CVA of
    156° "outside the norm".
    """
    clash = (forced.view.is_side and detected.view.is_frontal) or (
        forced.view.is_frontal and detected.view.is_side
    )
    opposite_side = forced.view.is_side and detected.view.is_side and forced.view != detected.view
    turned_away = False
    if forced.view.is_side and detected.view is View.THREE_QUARTER and pose is not None:
        facing = facing_score(pose)
        turned_away = abs(facing) >= OPPOSITE_FACING and (facing > 0) != (forced.view is View.RIGHT)
    contradicts = (
        turned_away
        or (clash and detected.confidence >= CONTRADICTION_CONFIDENCE)
        or (opposite_side and detected.confidence >= OPPOSITE_SIDE_CONFIDENCE)
    )
    why = VIEW_CONTRADICTS_BODY if contradicts else None
    return ViewEstimate(forced.view, forced.confidence, True, detected.yaw_deg, why)


def not_judged(metrics: dict[str, Any], reason: str) -> dict[str, Any]:
    """Every metric as not measurable with ``reason`` (no value, no traffic light)."""
    return {
        metric_id: Metric.not_measurable(metric_id, m.unit, reason, m.landmarks)
        for metric_id, m in metrics.items()
    }


def pose_model_present(config: PipelineConfig) -> bool:
    """Whether the pose model is given or installed (no download needed). Never
    touches the network."""
    from posture_cam.pose.model import store

    if config.model_path is not None or os.environ.get(store.MODEL_ENV):
        return True
    return store.find_cached(config.model_variant) is not None


def second_model_for(config: PipelineConfig, *, fetch: bool = False) -> Path | None:
    """The second keypoint model stills weigh in (``PipelineConfig.second_model``): the
    configured file, else the installed one; None when off or not installed.

    Args:
        config: the settings.
        fetch: download and build it when it is not installed (first use: the pose
            model was just downloaded too). A failure is one line on stderr, and the
            photo is measured with the pose model alone.
    """
    if not config.second_model:
        return None
    if config.second_model_path:
        return Path(config.second_model_path)
    from posture_cam.pose.model import movenet_build, store

    found = movenet_build.find_cached()
    if found is not None or not fetch:
        return found
    try:
        return movenet_build.build_movenet(progress=store.stderr_progress("movenet"))
    except ModelError as exc:
        print(
            _("posture-cam: {error}; photos are measured with the pose model alone").format(
                error=exc
            ),
            file=sys.stderr,
        )
        return None


def load_calibration(name: str) -> PoseCorrector:
    """Load a named calibration profile (see ``posture_cam.calibration``)."""
    return load_profile(name)


def still_pose_finder(
    model_path: str | None = None,
) -> Callable[[np.ndarray, str, PoseCorrector | None], Pose | None]:
    """A ``find_pose`` for the calibration steps: one photo through a fresh pipeline.

    Args:
        model_path: the pose model (default: resolved by the model manager).

    Returns:
        ``find_pose(image_bgr, source_id, profile)`` giving the person's pose corrected by
        ``profile`` (undistorted, levelled), or None when nobody is found.
    """

    def find_pose(
        image_bgr: np.ndarray, source_id: str, profile: PoseCorrector | None
    ) -> Pose | None:
        config = PipelineConfig(model_path=model_path, num_poses=1, smoothing="none")
        with Pipeline.open(config, mode="image", calibration=profile) as pipeline:
            return pipeline.process(Frame(image_bgr, 0, 0.0, source_id)).pose_measured

    return find_pose
