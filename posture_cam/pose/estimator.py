"""MediaPipe Tasks ``PoseLandmarker`` wrapper that returns :class:`~posture_cam.types.Pose`.

IMAGE mode for stills, VIDEO mode for streams (camera, video files). VIDEO mode needs
strictly increasing integer millisecond timestamps; the estimator enforces that even
when two frames share a rounded ``t_ms``.

Target person: with ``num_poses > 1`` MediaPipe may return several people. The target
is chosen by ``target``:

* ``largest`` (default): the person with the largest bounding box of visible
  landmarks; when two are within 10 % of each other, the one nearest the image centre.
* ``central``: the person whose bounding-box centre is nearest the image centre.

``PoseEstimate.num_people`` reports how many were found, so callers can flag a crowd.

Streams (VIDEO mode) track one person: asking MediaPipe for two makes it run its
person detector on every frame (here 27 ms instead of 17 ms a frame at 720p). Instead,
with ``num_poses > 1``, a second landmarker in IMAGE mode counts the people in one
frame every ``crowd_check_ms`` (default 2 s) and ``num_people`` reports that count
until the next check.

Stills (IMAGE mode) may get more passes, averaged: the photo mirrored, rotated by a few
degrees, or cropped around each person (:mod:`posture_cam.pose.still_passes`).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from posture_cam.errors import ModelError
from posture_cam.i18n import _
from posture_cam.landmarks import NUM_LANDMARKS
from posture_cam.pose.still_passes import StillPasses, crop_around, detect_rotated
from posture_cam.types import Frame, Pose, PoseEstimate

if TYPE_CHECKING:
    from posture_cam.pose.movenet import MoveNet

# ``crop_around`` lives with the still passes; importable from here as before.
__all__ = [
    "PoseEstimator",
    "choose_target",
    "crop_around",
    "crowd_check_due",
    "pose_from_landmarks",
    "quiet_native_stderr",
]


@contextlib.contextmanager
def quiet_native_stderr() -> Iterator[None]:
    """Silence C++ log lines (LiteRT/TFLite INFO and WARNING) written straight to fd 2.

    MediaPipe logs at model load and on the first inference; our CLI promises a single
    summary line on stderr, so those lines are muted around those calls only.
    """
    if os.environ.get("POSTURE_CAM_NATIVE_LOGS"):
        yield
        return
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def pose_from_landmarks(
    landmarks: Sequence[Any],
    resolution_wh: tuple[int, int],
    world_landmarks: Sequence[Any] | None = None,
    min_visibility: float = 0.5,
) -> Pose:
    """Convert one MediaPipe landmark list (normalised coordinates) into a :class:`Pose`.

    Args:
        landmarks: 33 ``NormalizedLandmark`` (x, y in [0, 1] of width / height).
        resolution_wh: (width, height) of the image in pixels.
        world_landmarks: optional 33 world ``Landmark`` in metres.
        min_visibility: points with a lower visibility become NaN, and so do points
            outside the image (the model extrapolates them; they were not seen).
    """
    if len(landmarks) != NUM_LANDMARKS:
        raise ValueError(f"expected {NUM_LANDMARKS} landmarks, got {len(landmarks)}")
    w, h = resolution_wh
    raw = np.array(
        [(lm.x, lm.y, lm.z, lm.visibility or 0.0, lm.presence or 0.0) for lm in landmarks],
        dtype=np.float64,
    )
    xy = raw[:, :2] * np.array([w, h], dtype=np.float64)
    z = raw[:, 2] * w
    visibility, presence = raw[:, 3], raw[:, 4]
    # A point the model places outside the image was not seen, only guessed: missing.
    outside = (xy < -0.5).any(axis=1) | (xy[:, 0] > w - 0.5) | (xy[:, 1] > h - 0.5)
    missing = (visibility < min_visibility) | ~np.isfinite(xy).all(axis=1) | outside
    xy[missing] = np.nan
    z[missing] = np.nan
    world = None
    if world_landmarks is not None and len(world_landmarks) == NUM_LANDMARKS:
        world = np.array([(p.x, p.y, p.z) for p in world_landmarks], dtype=np.float64)
        world[missing] = np.nan
    return Pose(xy, z, visibility, presence, (int(w), int(h)), world)


def choose_target(poses: Sequence[Pose], target: str = "largest") -> int | None:
    """Index of the target person in ``poses`` (see module docstring), or None."""
    scored = []
    for i, pose in enumerate(poses):
        box = pose.bbox_xyxy()
        if box is None:
            continue
        x0, y0, x1, y1 = box
        w, h = pose.resolution_wh
        area = (x1 - x0) * (y1 - y0)
        dist = float(np.hypot((x0 + x1) / 2 - w / 2, (y0 + y1) / 2 - h / 2))
        scored.append((i, area, dist))
    if not scored:
        return None
    if target == "central":
        return min(scored, key=lambda s: s[2])[0]
    biggest = max(s[1] for s in scored)
    close = [s for s in scored if s[1] >= 0.9 * biggest]
    return min(close, key=lambda s: s[2])[0]


class PoseEstimator:
    """Owns one MediaPipe ``PoseLandmarker``; create and close it in the same thread.

    Args:
        model_path: a ``pose_landmarker_*.task`` bundle.
        mode: ``image`` (independent stills) or ``video`` (a stream with timestamps).
        num_poses: how many people MediaPipe may return.
        min_visibility: landmarks below this visibility become NaN.
        target: ``largest`` or ``central`` (see module docstring).
        flip_average: in IMAGE mode, average with the model's result on the mirrored
            photo (``still_passes``). Ignored in VIDEO mode.
        rotations_deg: in IMAGE mode, also average over the photo rotated by these
            angles (counter-clockwise as displayed). Ignored in VIDEO mode.
        crowd_check_ms: VIDEO mode with ``num_poses > 1``: how often (stream time)
            to count the people in view (see module docstring).
        refine_crop_px: in IMAGE mode, run a second pass on a square crop around each
            person found by a plain first pass, resized to this many pixels a side
            (the flip / rotation averaging then runs on the crop); 0 = no second
            pass. Ignored in VIDEO mode.
        second_model_path: in IMAGE mode with the flip / rotation averaging, a second
            keypoint model (``movenet_thunder.npz``, :mod:`posture_cam.pose.movenet`)
            whose shoulders, hips, knees and ankles are weighed in; None = the pose
            model alone. Ignored in VIDEO mode.
    """

    def __init__(
        self,
        model_path: str | Path,
        *,
        mode: str = "image",
        num_poses: int = 2,
        min_visibility: float = 0.5,
        target: str = "largest",
        flip_average: bool = True,
        rotations_deg: tuple[float, ...] = (),
        crowd_check_ms: float = 2000.0,
        refine_crop_px: int = 0,
        second_model_path: str | Path | None = None,
    ) -> None:
        if mode not in ("image", "video"):
            raise ValueError(f"mode must be 'image' or 'video', got {mode!r}")
        self.model_path = Path(model_path)
        self.mode = mode
        self.num_poses = int(num_poses)
        self.min_visibility = float(min_visibility)
        self.target = target
        still = mode == "image"
        self.passes = StillPasses(
            flip_average=bool(flip_average) and still,
            rotations_deg=tuple(float(a) for a in rotations_deg) if still else (),
            refine_crop_px=int(refine_crop_px) if still else 0,
            min_visibility=self.min_visibility,
        )
        self._last_ts_ms = -1
        # MediaPipe logs at its first inference and at the first person it finds
        # ("Using NORM_RECT without IMAGE_DIMENSIONS", frame 37 of the walking clip).
        self._quiet_until_person = True
        # Streams track one person; extra people are counted by a periodic check.
        self._track_one = mode == "video" and self.num_poses > 1
        self.crowd_check_ms = float(crowd_check_ms)
        self._crowd: Any = None
        self._crowd_t_ms = -np.inf
        self._crowd_count = 0
        self._landmarker = self._create()
        self._second: MoveNet | None = None
        if still and second_model_path is not None and not self.passes.refine_crop_px:
            from posture_cam.pose.movenet import MoveNet

            self._second = MoveNet(second_model_path)

    @property
    def second_model_path(self) -> Path | None:
        """The second keypoint model weighed into still photos, or None."""
        return None if self._second is None else self._second.path

    def _create(self, mode: str | None = None, num_poses: int | None = None) -> Any:
        from posture_cam.runtime import no_telemetry

        no_telemetry.block()  # before any landmarker exists: MediaPipe must not phone home
        from posture_cam.pose.mp_tasks import (
            BaseOptions,
            PoseLandmarker,
            PoseLandmarkerOptions,
            RunningMode,
        )

        if not self.model_path.is_file():
            raise ModelError(
                _("{model_path}: model file not found (pass --model PATH)").format(
                    model_path=self.model_path
                )
            )
        mode = mode or self.mode
        if num_poses is None:
            num_poses = 1 if self._track_one else self.num_poses
        options = PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(self.model_path)),
            running_mode=RunningMode.VIDEO if mode == "video" else RunningMode.IMAGE,
            num_poses=num_poses,
        )
        try:
            with quiet_native_stderr():
                return PoseLandmarker.create_from_options(options)
        except (RuntimeError, ValueError) as exc:
            raise ModelError(
                _(
                    "{model_path}: not a usable pose model ({exc}); run `posture-cam models "
                    "fetch full` or pass another --model"
                ).format(model_path=self.model_path, exc=exc)
            ) from exc

    def __enter__(self) -> PoseEstimator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        return self._landmarker is None

    def close(self) -> None:
        """Release the landmarker; using the estimator afterwards raises."""
        with quiet_native_stderr():
            for landmarker in (self._landmarker, self._crowd):
                if landmarker is not None:
                    landmarker.close()
        self._landmarker = self._crowd = None
        self._second = None  # its 25 MB network and buffers go with the estimator

    def restart_stream(self) -> None:
        """Forget the tracking of a VIDEO-mode stream (a looped video starts over).

        MediaPipe's tracker keeps the previous frames' region of interest; after a jump
        back to the start of a clip it needs seconds to let go. The new landmarker has
        seen no time yet: the next frame's own time is used (a clip run after another
        gets the numbers it gets in a new estimator). No-op in IMAGE mode.
        """
        if self.mode != "video" or self._landmarker is None:
            return
        with quiet_native_stderr():
            self._landmarker.close()
        self._landmarker = self._create()
        self._last_ts_ms = -1
        self._quiet_until_person = True

    def estimate(self, frame: Frame) -> PoseEstimate:
        """Run the model on one frame (BGR, never mirrored)."""
        import cv2

        return self.estimate_rgb(cv2.cvtColor(frame.image_bgr, cv2.COLOR_BGR2RGB), frame)

    def estimate_rgb(self, rgb: np.ndarray, frame: Frame) -> PoseEstimate:
        """:meth:`estimate` for a frame already in the model's RGB order (the model's
        process gets its frames so: the app converts while it copies them over).
        ``frame`` gives the index, time and source; its pixels are not read."""
        if self._landmarker is None:
            # A closed landmarker silently reports "no person": fail loudly instead.
            raise RuntimeError("PoseEstimator.estimate() called after close()")
        start = time.perf_counter()
        if self._second is None:
            poses = self.passes.poses(self._detect, rgb, frame)
        else:
            poses = self._with_second_model(rgb, frame)
        counted = self._count_people(rgb, frame) if self._track_one else 0
        inference_ms = (time.perf_counter() - start) * 1000.0
        idx = choose_target(poses, self.target)
        if idx is None:
            return PoseEstimate(None, tuple(poses), inference_ms, counted)
        ordered = (poses[idx], *(p for i, p in enumerate(poses) if i != idx))
        return PoseEstimate(poses[idx], ordered, inference_ms, counted)

    def _with_second_model(self, rgb: np.ndarray, frame: Frame) -> list[Pose]:
        """The averaged people, each with the second model's points weighed in by how
        sure each model is of them (:func:`~posture_cam.pose.movenet.weigh_by_inverse_spread`)."""
        from posture_cam.pose.movenet import view_spread_px2, weigh_by_inverse_spread

        assert self._second is not None
        poses, views = self.passes.averaged_with_views(self._detect, rgb, frame)
        out = []
        for pose in poses:
            second = self._second.keypoints(rgb, pose)
            if second is None:
                out.append(pose)
            else:
                spread = view_spread_px2(pose, views)
                out.append(weigh_by_inverse_spread(pose, spread, second))
        return out

    def _count_people(self, rgb: np.ndarray, frame: Frame) -> int:
        """People in view, re-counted every ``crowd_check_ms`` of stream time."""
        if crowd_check_due(frame.t_ms, self._crowd_t_ms, self.crowd_check_ms):
            from posture_cam.pose.mp_tasks import Image, ImageFormat

            if self._crowd is None:
                self._crowd = self._create("image", self.num_poses)
            result = self._crowd.detect(Image(image_format=ImageFormat.SRGB, data=rgb))
            self._crowd_count = len(result.pose_landmarks or [])
            self._crowd_t_ms = frame.t_ms
        return self._crowd_count

    def detect_rotated(self, rgb: np.ndarray, frame: Frame, angle_deg: float) -> list[Pose]:
        """One pass of the model on a rotated view, mapped back to the frame.

        A single view of the averaged still passes (:mod:`posture_cam.pose.still_passes`),
        for a harness that compares views one by one (``bench/landmark_passes.py``).

        Args:
            rgb: the frame's image in RGB order (mirrored already for a mirrored view).
            frame: the frame ``rgb`` came from (its index, time and size).
            angle_deg: the rotation of the view; 0 is the frame as it is.

        Returns:
            The poses found, in ``rgb``'s pixel coordinates (a mirrored view's stay
            mirrored: ``merge.unflip`` maps them back).
        """
        # The module-level detect_rotated (still_passes): a method's name is not in scope.
        return detect_rotated(self._detect, rgb, frame, angle_deg)

    def _detect(
        self, rgb: np.ndarray, frame: Frame, resolution_wh: tuple[int, int] | None = None
    ) -> list[Pose]:
        from posture_cam.pose.mp_tasks import Image, ImageFormat

        image = Image(image_format=ImageFormat.SRGB, data=rgb)
        with quiet_native_stderr() if self._quiet_until_person else contextlib.nullcontext():
            if self.mode == "video":
                ts = max(round(frame.t_ms), self._last_ts_ms + 1)
                self._last_ts_ms = ts
                result = self._landmarker.detect_for_video(image, ts)
            else:
                self._last_ts_ms = 0
                result = self._landmarker.detect(image)
        if result.pose_landmarks:
            self._quiet_until_person = False
        worlds = list(result.pose_world_landmarks or [])
        return [
            pose_from_landmarks(
                lms,
                resolution_wh or frame.resolution_wh,
                worlds[i] if i < len(worlds) else None,
                self.min_visibility,
            )
            for i, lms in enumerate(result.pose_landmarks or [])
        ]


def crowd_check_due(t_ms: float, last_t_ms: float, every_ms: float) -> bool:
    """Whether the people in view are re-counted at stream time ``t_ms``: ``every_ms``
    after the last count at ``last_t_ms``, or at once when time went back (a new
    stream, a looped video)."""
    return t_ms - last_t_ms >= every_ms or t_ms < last_t_ms
