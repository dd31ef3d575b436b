"""Plain data that flows through the pipeline: Frame -> Pose -> FrameResult.

Conventions:
    * Image coordinates are pixels, x to the right, y down, origin at the top-left
      corner of the (un-mirrored) frame.
    * A missing or low-visibility landmark is NaN, never (0, 0).
    * ``t_ms`` is a monotonic time in milliseconds, strictly increasing within a source.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np

from posture_cam.landmarks import NUM_LANDMARKS
from posture_cam.reasons import parts_json


@dataclass(frozen=True, eq=False)
class Frame:
    """One image from a source.

    Attributes:
        image_bgr: (H, W, 3) uint8 BGR image, never mirrored.
        index: 0-based position of the frame in its source.
        t_ms: monotonic timestamp in milliseconds (video time for files).
        source_id: identifies the source (file path, ``camera:0`` ...).
    """

    image_bgr: np.ndarray
    index: int
    t_ms: float
    source_id: str

    def __post_init__(self) -> None:
        img = self.image_bgr
        if not isinstance(img, np.ndarray) or img.dtype != np.uint8:
            raise ValueError("Frame.image_bgr must be a uint8 numpy array")
        if img.ndim != 3 or img.shape[2] != 3:
            raise ValueError(f"Frame.image_bgr must be (H, W, 3) BGR, got shape {img.shape}")
        if img.shape[0] == 0 or img.shape[1] == 0:
            raise ValueError(f"Frame.image_bgr is empty (shape {img.shape})")
        if not math.isfinite(self.t_ms):
            raise ValueError(f"Frame.t_ms must be a finite number of milliseconds, got {self.t_ms}")

    @property
    def resolution_wh(self) -> tuple[int, int]:
        """(width, height) in pixels."""
        return int(self.image_bgr.shape[1]), int(self.image_bgr.shape[0])


@dataclass(frozen=True, eq=False)
class Pose:
    """33 BlazePose landmarks of one person in one frame.

    Attributes:
        xy_px: (33, 2) float64 pixel coordinates; NaN where a point is missing or
            its visibility is below the estimator's threshold.
        z_px: (33,) float64 relative depth in the same pixel scale as x (MediaPipe's
            normalised z times the image width); smaller = nearer the camera; NaN
            where missing.
        visibility: (33,) float64 in [0, 1] as reported by the model (kept even where
            ``xy_px`` is NaN so a quality gate can say *how* invisible a point was).
        presence: (33,) float64 in [0, 1].
        resolution_wh: (width, height) of the image the pixels refer to.
        world_xyz_m: optional (33, 3) float64 metric world coordinates (hip-centred).
    """

    xy_px: np.ndarray
    z_px: np.ndarray
    visibility: np.ndarray
    presence: np.ndarray
    resolution_wh: tuple[int, int]
    world_xyz_m: np.ndarray | None = None

    def __post_init__(self) -> None:
        n = NUM_LANDMARKS
        shapes = {
            "xy_px": (self.xy_px, (n, 2)),
            "z_px": (self.z_px, (n,)),
            "visibility": (self.visibility, (n,)),
            "presence": (self.presence, (n,)),
        }
        if self.world_xyz_m is not None:
            shapes["world_xyz_m"] = (self.world_xyz_m, (n, 3))
        for name, (arr, shape) in shapes.items():
            if not isinstance(arr, np.ndarray) or arr.shape != shape:
                got = getattr(arr, "shape", type(arr).__name__)
                raise ValueError(f"Pose.{name} must have shape {shape}, got {got}")
        w, h = self.resolution_wh
        if w <= 0 or h <= 0:
            raise ValueError(f"Pose.resolution_wh must be positive, got {self.resolution_wh}")

    @classmethod
    def empty(cls, resolution_wh: tuple[int, int]) -> Pose:
        """A pose with every landmark missing."""
        n = NUM_LANDMARKS
        return cls(
            xy_px=np.full((n, 2), np.nan),
            z_px=np.full(n, np.nan),
            visibility=np.zeros(n),
            presence=np.zeros(n),
            resolution_wh=resolution_wh,
        )

    @classmethod
    def from_arrays(
        cls,
        xy_px: Any,
        resolution_wh: tuple[int, int],
        visibility: Any = None,
        z_px: Any = None,
        presence: Any = None,
        world_xyz_m: Any = None,
    ) -> Pose:
        """Build a pose from array-likes (tests, fakes, JSON). Missing parts default to
        fully visible / zero depth; NaN in ``xy_px`` marks a missing point."""
        n = NUM_LANDMARKS
        xy = np.array(xy_px, dtype=np.float64).reshape(n, 2)
        vis = np.ones(n) if visibility is None else np.array(visibility, dtype=np.float64)
        vis = np.where(np.isnan(xy).any(axis=1), np.minimum(vis, 0.0), vis)
        return cls(
            xy_px=xy,
            z_px=np.zeros(n) if z_px is None else np.array(z_px, dtype=np.float64),
            visibility=vis,
            presence=vis.copy() if presence is None else np.array(presence, dtype=np.float64),
            resolution_wh=(int(resolution_wh[0]), int(resolution_wh[1])),
            world_xyz_m=None if world_xyz_m is None else np.array(world_xyz_m, dtype=np.float64),
        )

    def with_xy(self, xy_px: np.ndarray) -> Pose:
        """A copy with new pixel coordinates (smoothing, calibration)."""
        return dataclasses.replace(self, xy_px=np.asarray(xy_px, dtype=np.float64))

    @property
    def is_empty(self) -> bool:
        return bool(np.isnan(self.xy_px).all())

    def point(self, landmark_id: int) -> np.ndarray:
        """(2,) pixel position of one landmark (NaN if missing)."""
        return self.xy_px[int(landmark_id)]

    def has(self, *landmark_ids: int) -> bool:
        """True when every given landmark is present."""
        return bool(np.isfinite(self.xy_px[list(landmark_ids)]).all())

    def bbox_xyxy(self) -> tuple[float, float, float, float] | None:
        """Bounding box ``(x0, y0, x1, y1)`` of the present landmarks in pixels, or None
        when the pose is empty."""
        ok = np.isfinite(self.xy_px).all(axis=1)
        if not ok.any():
            return None
        pts = self.xy_px[ok]
        return (
            float(pts[:, 0].min()),
            float(pts[:, 1].min()),
            float(pts[:, 0].max()),
            float(pts[:, 1].max()),
        )

    def mirrored(self) -> Pose:
        """The pose as seen in a horizontally flipped image (for mirror tests).

        Landmarks keep their anatomical identity: the patient's left shoulder is still
        index 11, it only moves to ``W - 1 - x``.
        """
        w = self.resolution_wh[0]
        xy = self.xy_px.copy()
        xy[:, 0] = (w - 1) - xy[:, 0]  # cv2.flip maps pixel column x to W - 1 - x
        return dataclasses.replace(self, xy_px=xy)


@dataclass(frozen=True, eq=False)
class PoseEstimate:
    """What the estimator found in one frame.

    Attributes:
        pose: the target person (see ``posture_cam.pose.choose_target``), or None.
        all_poses: every person detected in this frame, target first.
        inference_ms: time spent in the model for this frame.
        people_counted: people found by the last crowd check of a stream (see
            ``posture_cam.pose``), when that is more than ``all_poses`` holds.
    """

    pose: Pose | None
    all_poses: tuple[Pose, ...] = ()
    inference_ms: float = 0.0
    people_counted: int = 0

    @property
    def num_people(self) -> int:
        """How many people are in view (for the "more than one person" flag)."""
        return max(len(self.all_poses), self.people_counted)


class MetricStatus(StrEnum):
    """Where a value falls against its norm band (``metrics.norms.NormBand.status``);
    ``not_measurable`` when there is no value. Words and colours: ``wording``."""

    NORMAL = "normal"
    BORDERLINE = "borderline"
    OUTSIDE = "outside"
    NOT_MEASURABLE = "not_measurable"


@dataclass(frozen=True)
class Metric:
    """One measured value.

    Attributes:
        id: metric id from the catalogue (a contract: ``cva``, ``shoulder_tilt`` ...).
        value: the number, or None when not measurable.
        unit: ``deg``, ``cm``, ``%height`` (percent of body height), ``%`` or ``index``.
        status: where the value falls against the catalogue's norm band.
        reason: why it is not measurable (or a note), else None: a
            :class:`~posture_cam.reasons.Reason` (a code, its data and the words) from
            the engine; JSON writes its words (``reason``) and codes (``reasons``).
        landmarks: landmark ids the value was computed from.
        source: where the points came from: ``model`` (pose landmarks), ``marker``
            (detected skin markers) or ``point`` (placed or corrected by hand); a
            metric that mixes them names the strongest (point > marker > model).
    """

    id: str
    value: float | None
    unit: str
    status: MetricStatus
    reason: str | None = None
    landmarks: tuple[int, ...] = ()
    source: str = "model"

    @classmethod
    def not_measurable(
        cls, metric_id: str, unit: str, reason: str, landmarks: tuple[int, ...] = ()
    ) -> Metric:
        return cls(metric_id, None, unit, MetricStatus.NOT_MEASURABLE, reason, landmarks)

    def to_json(self) -> dict[str, Any]:
        return {
            "value": None if self.value is None else round(float(self.value), 6),
            "unit": self.unit,
            "status": str(self.status),
            "reason": self.reason,
            "reasons": parts_json(self.reason),
            "source": self.source,
        }


class View(StrEnum):
    """Which side of the patient faces the camera (``metrics.view.classify_view``); the
    catalogue measures front / back and left / right views only."""

    FRONT = "front"
    BACK = "back"
    LEFT = "left"  # the patient's left side faces the camera
    RIGHT = "right"  # the patient's right side faces the camera
    THREE_QUARTER = "three_quarter"  # turned ~35-65°: neither front nor side, not measured
    UNKNOWN = "unknown"

    @property
    def is_frontal(self) -> bool:
        return self in (View.FRONT, View.BACK)

    @property
    def is_side(self) -> bool:
        return self in (View.LEFT, View.RIGHT)


@dataclass(frozen=True)
class ViewEstimate:
    """The view of one frame.

    Attributes:
        view: detected or forced view.
        confidence: 0..1.
        forced: set by the user instead of detected.
        yaw_deg: how far the body is turned from square to the camera, 0 (front or
            back) .. 90 (side-on), or None when unknown (live display, 3/4 reason).
        reason: why the view is ``three_quarter`` / ``unknown``, else None.
    """

    view: View
    confidence: float
    forced: bool = False
    yaw_deg: float | None = None
    reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "view": str(self.view),
            "confidence": round(self.confidence, 3),
            "forced": self.forced,
            "yaw_deg": None if self.yaw_deg is None else round(self.yaw_deg, 1),
            "reason": self.reason,
            "reasons": parts_json(self.reason),
        }


@dataclass(frozen=True)
class QualityCheck:
    """One check of the quality gate (``metrics.quality.QualityGate``).

    Attributes:
        id: which check (``person``, ``view_known``, ``landmarks_visible``,
            ``in_frame``, ``orientation`` ...; named in words by ``wording.check_label``).
        ok: the check passed.
        reason: why it failed (a ``reasons.Reason``), else None.
    """

    id: str
    ok: bool
    reason: str | None = None


@dataclass(frozen=True)
class QualityReport:
    """The quality gate's checks of one frame; ``ok`` only when there are checks and
    all passed (an empty report checked nothing)."""

    checks: tuple[QualityCheck, ...] = ()

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    def failed(self) -> tuple[QualityCheck, ...]:
        return tuple(c for c in self.checks if not c.ok)

    def to_json(self) -> dict[str, Any]:
        """``{"ok", "checks": [{"id", "ok", "reason", "reasons"}]}``: ``reason`` in English
        words, ``reasons`` its codes and data (``posture_cam.reasons``), shown in any
        language through ``reasons.from_json``."""
        return {
            "ok": self.ok,
            "checks": [
                {"id": c.id, "ok": c.ok, "reason": c.reason, "reasons": parts_json(c.reason)}
                for c in self.checks
            ],
        }


@dataclass(frozen=True, eq=False)
class FrameResult:
    """Everything the pipeline knows about one frame.

    Attributes:
        frame: the input frame (un-mirrored).
        estimate: raw estimator output (all people, timing).
        pose_image: the target pose after smoothing, in *image* pixels (draw this).
        pose_measured: the same pose after calibration (undistorted, levelled): the
            coordinates the metrics were computed from. Equals ``pose_image`` when no
            calibration is active.
        view: detected or forced view.
        quality: quality-gate report.
        metrics: metric id -> Metric, in catalogue order; only metrics of the view.
        roll_deg: camera roll that calibration corrected (0 without calibration);
            overlays use it to draw the true horizontal / vertical.
        cm_per_px: scale at the patient's plane, or None when not calibrated.
        timings_ms: named timings of the pipeline stages for this frame.
        markers: skin markers and placed points of this frame
            (``posture_cam.markers.FramePoints``, image pixels), or None when none were
            asked for.
    """

    frame: Frame
    estimate: PoseEstimate
    pose_image: Pose | None
    pose_measured: Pose | None
    view: ViewEstimate
    quality: QualityReport
    metrics: dict[str, Metric] = field(default_factory=dict)
    roll_deg: float = 0.0
    cm_per_px: float | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)
    markers: Any = None

    @property
    def person_found(self) -> bool:
        return self.pose_image is not None

    @property
    def num_people(self) -> int:
        return self.estimate.num_people
