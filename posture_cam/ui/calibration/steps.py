"""What the calibration wizard saves, through the CLI's own calibration steps (no Qt).

The wizard measures on live frames; the CLI measures on photo files. To keep one code
path (and one profile update that keeps the other fields), each live frame the user
accepts is written as a PNG under ``profiles_dir()/captures/NAME/`` and handed to the
same :mod:`posture_cam.calibration.workflow` function the CLI runs. The profile's
``source`` then names a file that still exists, so a calibration can be checked later.

The one exception is the scale from the patient's height: the CLI runs the pose model
on a photo, while the app already has the patient's pose in the latest result (and a
photo of the patient is not kept). :func:`save_scale_from_pose` applies the same
correction and profile update to that pose.
"""

from __future__ import annotations

import datetime as _dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from posture_cam import paths
from posture_cam.atomic import write_bytes_atomic
from posture_cam.calibration import workflow
from posture_cam.calibration.level import RollEstimate
from posture_cam.calibration.profile import (
    CalibrationProfile,
    check_image_size,
    check_name,
    load_or_new,
    load_profile,
    now_iso,
    profile_path,
    save_profile,
)
from posture_cam.calibration.scale import ScaleProblem, scale_from_height
from posture_cam.errors import CalibrationError
from posture_cam.i18n import N_, _, fmt, using_language
from posture_cam.types import Pose

#: A camera roll within this many degrees counts as level.
LEVEL_TOLERANCE_DEG = 0.5


def captures_dir(profile_name: str) -> Path:
    """Folder that keeps the frames the wizard calibrated ``profile_name`` from."""
    return paths.profiles_dir() / "captures" / check_name(profile_name)


def _stamp() -> str:
    return _dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def _free_path(folder: Path, stem: str, suffix: str = "") -> Path:
    for i in itertools.count():
        path = folder / (f"{stem}{suffix}" if i == 0 else f"{stem}-{i}{suffix}")
        if not path.exists():
            return path
    raise AssertionError("unreachable")


def write_png(path: Path, image_bgr: np.ndarray) -> Path:
    """Write a lossless PNG atomically (the measurement on it stays reproducible)."""
    ok, data = cv2.imencode(".png", image_bgr)
    if not ok:
        raise CalibrationError(_("{path}: cannot encode the camera frame as PNG").format(path=path))
    return write_bytes_atomic(path, data.tobytes())


def save_capture(profile_name: str, kind: str, image_bgr: np.ndarray) -> Path:
    """Keep one live frame as ``captures/NAME/KIND-DATE-TIME.png``; returns its path."""
    folder = captures_dir(profile_name)
    return write_png(_free_path(folder, f"{kind}-{_stamp()}", ".png"), image_bgr)


def save_level_from_board(
    image_bgr: np.ndarray, profile_name: str, camera_id: str | None = None
) -> workflow.StepResult:
    """Roll from the ChArUco board in the frame, saved like ``calibrate level --image``."""
    path = save_capture(profile_name, "level", image_bgr)
    return workflow.calibrate_level(path, profile_name, camera_id=camera_id)


def save_level_from_points(
    image_bgr: np.ndarray,
    points: tuple[float, float, float, float],
    profile_name: str,
    camera_id: str | None = None,
) -> workflow.StepResult:
    """Roll from two points on a true vertical, saved like ``calibrate level --points``."""
    path = save_capture(profile_name, "level", image_bgr)
    return workflow.calibrate_level(
        path, profile_name, points=points, reference="vertical", camera_id=camera_id
    )


def save_scale_from_marker(
    image_bgr: np.ndarray, marker_cm: float, profile_name: str, camera_id: str | None = None
) -> workflow.StepResult:
    """Scale from the ArUco marker in the frame, saved like ``calibrate scale --marker-cm``."""
    path = save_capture(profile_name, "scale", image_bgr)
    return workflow.calibrate_scale(path, profile_name, marker_cm=marker_cm, camera_id=camera_id)


def save_scale_from_pose(
    pose_image: Pose,
    height_cm: float,
    profile_name: str,
    camera_id: str | None = None,
    source: str = "live",
) -> workflow.StepResult:
    """Scale from the patient's pose in image pixels, saved like ``calibrate scale
    --height-cm`` (which runs the model on a photo; here the live pose is reused).

    Raises:
        CalibrationError: eyes or feet not visible, implausible height, other resolution.
    """
    profile = load_or_new(profile_name, camera_id)
    size = pose_image.resolution_wh
    check_image_size(profile, size, source)
    try:
        est = scale_from_height(profile.correct_pose(pose_image), height_cm)
    except ScaleProblem as exc:
        raise CalibrationError(_("{source}: {exc}").format(source=source, exc=exc)) from None
    scale = {**est.to_json(), "date": now_iso(), "source": source}
    profile = profile.updated_with(cm_per_px=est.cm_per_px, scale=scale, image_size_wh=size)
    save_profile(profile)
    return workflow.StepResult(
        profile, workflow.saved_message(workflow.scale_message(est), profile_name)
    )


def save_lens_views(
    views: Sequence[np.ndarray], profile_name: str, camera_id: str | None = None
) -> workflow.StepResult:
    """Lens calibration from captured frames, saved like ``calibrate lens --images``.

    Slow (seconds): call it from a worker thread.
    """
    folder = _free_path(captures_dir(profile_name), f"lens-{_stamp()}")
    for i, image in enumerate(views):
        write_png(folder / f"view_{i:02d}.png", image)
    return workflow.calibrate_lens_folder(folder, profile_name, camera_id=camera_id)


@dataclass(frozen=True)
class ProfileSummary:
    """What a saved profile holds, for display.

    Attributes:
        name: profile name.
        exists: False when no profile of that name is saved yet.
        roll_deg: camera roll, or None when not levelled.
        cm_per_px: scale, or None.
        lens_rms_px: lens reprojection error, or None without a lens calibration.
        image_size_wh: the calibrated resolution, or None.
    """

    name: str
    exists: bool
    roll_deg: float | None = None
    cm_per_px: float | None = None
    lens_rms_px: float | None = None
    image_size_wh: tuple[int, int] | None = None


def summarize(profile_name: str) -> ProfileSummary:
    """Read a profile for display (a missing or invalid one reads as empty)."""
    try:
        if not profile_path(profile_name).is_file():
            return ProfileSummary(profile_name, False)
        profile: CalibrationProfile = load_profile(profile_name)
    except CalibrationError:
        return ProfileSummary(profile_name, False)
    return ProfileSummary(
        profile_name,
        True,
        profile.roll_deg if profile.level else None,
        profile.cm_per_px,
        float(profile.lens["rms_px"]) if profile.lens and "rms_px" in profile.lens else None,
        profile.image_size_wh,
    )


def level_state(estimate: RollEstimate | None, corrected_roll_deg: float = 0.0) -> str:
    """Classify a live roll reading for the level indicator.

    Args:
        estimate: the board reading, or None when no board is in view.
        corrected_roll_deg: the roll the active profile already corrects.

    Returns:
        ``none`` (no board), ``level`` (camera level), ``corrected`` (tilted, but the
        active profile corrects it) or ``tilted`` (needs a level calibration).
    """
    if estimate is None:
        return "none"
    if abs(estimate.roll_deg) <= LEVEL_TOLERANCE_DEG:
        return "level"
    if corrected_roll_deg and abs(estimate.roll_deg - corrected_roll_deg) <= LEVEL_TOLERANCE_DEG:
        return "corrected"
    return "tilted"


def level_text(estimate: RollEstimate | None, corrected_roll_deg: float, language: str) -> str:
    """The status bar's level indicator; empty when no board is in view."""
    state = level_state(estimate, corrected_roll_deg)
    if estimate is None or state == "none":
        return ""
    with using_language(language):
        text = _LEVEL_WORDS[state]
        return fmt(_(text), roll=estimate.roll_deg)


_LEVEL_WORDS = {
    "level": N_("camera level: {roll:+.1f}° ✓"),
    "corrected": N_("camera tilted {roll:+.1f}° (corrected by the profile) ✓"),
    "tilted": N_("camera tilted {roll:+.1f}°: calibrate level"),
}
