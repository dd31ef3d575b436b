"""Calibration steps as the CLI and the app run them: read input, measure, update a profile.

Each ``calibrate_*`` function loads (or creates) the named profile, measures from the
given file(s), stores the result next to the profile's other fields and saves it
atomically. Problems the user can fix become :class:`~posture_cam.errors.InputError`
(unreadable file) or :class:`~posture_cam.errors.CalibrationError` (nothing to measure),
each one line naming the file and what to do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from posture_cam.calibration.lens import LensCalibration, LensProblem, calibrate_lens
from posture_cam.calibration.level import (
    RollEstimate,
    estimate_roll_from_board,
    roll_from_line,
    roll_from_points,
)
from posture_cam.calibration.profile import (
    CalibrationProfile,
    check_image_size,
    load_or_new,
    now_iso,
    save_profile,
)
from posture_cam.calibration.scale import (
    ScaleEstimate,
    ScaleProblem,
    scale_from_height,
    scale_from_marker,
)
from posture_cam.errors import CalibrationError, InputError
from posture_cam.i18n import Text, _
from posture_cam.sources import IMAGE_SUFFIXES, read_image
from posture_cam.types import Pose

#: ``find_pose(image_bgr, source_id, profile) -> corrected pose or None`` (no person).
FindPose = Callable[[np.ndarray, str, CalibrationProfile], Pose | None]


@dataclass(frozen=True)
class StepResult:
    """What a calibration step produced.

    Attributes:
        profile: the saved profile.
        message: the one-line summary the CLI prints and the wizard shows: a ``Text``
            (English as a string; ``localize()`` shows it in the current language).
    """

    profile: CalibrationProfile
    message: str


def _saved(profile: CalibrationProfile, text: Text) -> StepResult:
    save_profile(profile)
    return StepResult(profile, saved_message(text, profile.name))


def saved_message(text: Text, profile_name: str) -> Text:
    """``<what was measured> saved to profile '<name>'``, translatable."""
    return Text("{what} saved to profile '{name}'", what=text, name=profile_name)


def calibrate_level(
    image_path: str | Path,
    profile_name: str,
    *,
    points: tuple[float, float, float, float] | None = None,
    roi_xywh: tuple[int, int, int, int] | None = None,
    reference: str = "auto",
    camera_id: str | None = None,
) -> StepResult:
    """Measure the camera roll and store it.

    Args:
        image_path: photo from the camera being calibrated.
        profile_name: profile to create or update.
        points: two points (x1, y1, x2, y2) in pixels on a true vertical / horizontal.
        roi_xywh: region with a plumb line or true vertical edge.
        reference: ``vertical``, ``horizontal`` or ``auto`` (points and lines).
        camera_id: optional camera identifier to record.

    Without ``points`` or ``roi_xywh`` the ChArUco board must be in the photo.
    """
    profile = load_or_new(profile_name, camera_id)
    image = read_image(image_path)
    h, w = image.shape[:2]
    undistort = (lambda xy: profile.undistort_points(xy, (w, h))) if profile.has_lens else None
    est: RollEstimate | None
    if points is not None:
        try:
            x1, y1, x2, y2 = points
            if undistort is not None:
                (x1, y1), (x2, y2) = undistort(np.array([[x1, y1], [x2, y2]], dtype=np.float64))
            est = roll_from_points(x1, y1, x2, y2, reference)
        except ValueError as exc:
            raise CalibrationError(
                _("{image_path}: {exc}; give two distinct points").format(
                    image_path=image_path, exc=exc
                )
            ) from None
    elif roi_xywh is not None:
        ref = "vertical" if reference == "auto" else reference
        try:
            est = roll_from_line(image, roi_xywh, ref, undistort=undistort)
        except ValueError as exc:
            raise CalibrationError(
                _("{image_path}: {exc}; give --roi x,y,w,h inside it").format(
                    image_path=image_path, exc=exc
                )
            ) from None
        if est is None:
            raise CalibrationError(
                (
                    _(
                        "{image_path}: no straight vertical line in region {roi_xywh}; draw "
                        "the region tightly around a plumb line or door edge, or use --points"
                    )
                    if ref == "vertical"
                    else _(
                        "{image_path}: no straight horizontal line in region {roi_xywh}; draw "
                        "the region tightly around a level edge, or use --points"
                    )
                ).format(image_path=image_path, roi_xywh=roi_xywh)
            )
    else:
        est = estimate_roll_from_board(image, undistort)
        if est is None:
            raise CalibrationError(
                _(
                    "{image_path}: no ChArUco board found; hang the printed board level and "
                    "fully visible, or use --points / --roi"
                ).format(image_path=image_path)
            )
    level = {**est.to_json(), "date": now_iso(), "source": str(image_path), "image_size_wh": [w, h]}
    profile = profile.updated_with(roll_deg=est.roll_deg, level=level)
    return _saved(
        profile, Text("roll {roll:+.2f}° from {detail}", roll=est.roll_deg, detail=est.detail)
    )


def calibrate_scale(
    image_path: str | Path,
    profile_name: str,
    *,
    marker_cm: float | None = None,
    height_cm: float | None = None,
    find_pose: FindPose | None = None,
    camera_id: str | None = None,
) -> StepResult:
    """Measure cm per pixel at the patient's plane and store it.

    Args:
        image_path: photo with the marker / the standing patient at the patient's plane.
        profile_name: profile to create or update.
        marker_cm: side of the ArUco marker, centimetres.
        height_cm: patient's stature, centimetres (runs the pose model).
        find_pose: for ``height_cm``: runs the pose model on the photo and returns the
            corrected pose (``posture_cam.pipeline.still_pose_finder``); passed in because
            calibration sits below the pipeline and must not import it.
        camera_id: optional camera identifier to record.
    """
    if (marker_cm is None) == (height_cm is None):
        raise CalibrationError(_("give exactly one of --marker-cm or --height-cm"))
    profile = load_or_new(profile_name, camera_id)
    image = read_image(image_path)
    size = (image.shape[1], image.shape[0])
    check_image_size(profile, size, str(image_path))
    try:
        if marker_cm is not None:
            est = scale_from_marker(image, marker_cm, lambda xy: profile.undistort_points(xy, size))
        else:
            assert height_cm is not None  # exactly one of the two, checked above
            est = _scale_from_height_image(image, str(image_path), height_cm, find_pose, profile)
    except ScaleProblem as exc:
        raise CalibrationError(
            _("{image_path}: {exc}").format(image_path=image_path, exc=exc)
        ) from None
    scale = {**est.to_json(), "date": now_iso(), "source": str(image_path)}
    profile = profile.updated_with(cm_per_px=est.cm_per_px, scale=scale, image_size_wh=size)
    return _saved(profile, scale_message(est))


def scale_message(est: ScaleEstimate) -> Text:
    """``scale <cm/px> from <how>``, translatable."""
    return Text(
        "scale {cm_per_px:.4f} cm/px from {detail}", cm_per_px=est.cm_per_px, detail=est.detail
    )


def _scale_from_height_image(
    image: np.ndarray,
    source: str,
    height_cm: float,
    find_pose: FindPose | None,
    profile: CalibrationProfile,
) -> ScaleEstimate:
    if find_pose is None:
        raise CalibrationError(_("scale from the patient's height needs the pose model"))
    pose = find_pose(image, source, profile)
    if pose is None:
        raise ScaleProblem(_("no person found; the patient must stand fully in view"))
    return scale_from_height(pose, height_cm)


def list_images(folder: str | Path) -> list[Path]:
    """Image files in a folder, sorted by name."""
    d = Path(folder)
    if not d.is_dir():
        raise InputError(d, _("is not a folder"), _("give the folder that holds the board photos"))
    files = sorted(p for p in d.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
    if not files:
        raise InputError(
            d,
            _("contains no images"),
            _("expected {suffixes} files").format(suffixes=", ".join(sorted(IMAGE_SUFFIXES))),
        )
    return files


def calibrate_lens_folder(
    folder: str | Path, profile_name: str, *, camera_id: str | None = None
) -> StepResult:
    """Calibrate the lens from the board photos in ``folder`` and store K and distortion."""
    profile = load_or_new(profile_name, camera_id)
    views = [(p.name, read_image(p)) for p in list_images(folder)]
    try:
        cal: LensCalibration = calibrate_lens(views)
    except LensProblem as exc:
        raise CalibrationError(_("{folder}: {exc}").format(folder=folder, exc=exc)) from None
    check_image_size(profile, cal.image_size_wh, str(folder))
    lens = {**cal.to_json(), "date": now_iso(), "source": str(folder)}
    profile = profile.updated_with(
        camera_matrix=cal.camera_matrix,
        dist_coeffs=cal.dist_coeffs,
        image_size_wh=cal.image_size_wh,
        lens=lens,
    )
    k, d = cal.camera_matrix, cal.dist_coeffs
    return _saved(
        profile,
        Text(
            "lens fx {fx:.1f} fy {fy:.1f} px, k1 {k1:+.4f} k2 {k2:+.4f}, RMS {rms:.3f} px "
            "from {used} of {views} images ({corners} corners)",
            fx=float(k[0, 0]),
            fy=float(k[1, 1]),
            k1=float(d[0]),
            k2=float(d[1]),
            rms=cal.rms_px,
            used=cal.num_views,
            views=len(views),
            corners=cal.num_corners,
        ),
    )
