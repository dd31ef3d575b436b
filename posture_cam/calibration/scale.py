"""Scale (centimetres per pixel at the patient's plane) from a marker or the patient's height.

Both estimates hold only in the plane where the marker / patient stands, facing the
camera; a patient a step nearer or farther changes the scale by roughly the step over
the camera distance (10 cm at 3 m = 3 %).

Marker: an ArUco marker of known side hangs flat at the patient's position, facing the
camera. ``cm_per_px = side_cm / mean side length in (undistorted) pixels``.

Height: landmarks reach neither the top of the head nor the soles. We measure from the
eyes (mean of the eye landmarks) to the floor contact (the lower of heel and toe tip of
each foot, averaged over the visible feet) and divide by :data:`EYE_HEIGHT_FRACTION`,
the eye height as a fraction of stature (0.936, Drillis & Contini 1966 segment-length
table, also used by Winter's *Biomechanics*). Between adults that fraction varies by
about ±1 % (1 SD); with landmark jitter (a few px), heel landmarks sitting slightly
above the sole, and posture (a slumped patient is shorter than their stated height)
we quote ±3 % (:data:`HEIGHT_METHOD_UNCERTAINTY`). Prefer a marker when distances in
cm matter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from posture_cam.calibration.board import SCALE_MARKER_ID, detect_markers
from posture_cam.i18n import Text, _
from posture_cam.landmarks import LM
from posture_cam.types import Pose

#: Eye height / stature (Drillis & Contini 1966).
EYE_HEIGHT_FRACTION = 0.936
#: Relative uncertainty we quote for the height method (see module docstring).
HEIGHT_METHOD_UNCERTAINTY = 0.03
#: Markers smaller than this (pixels per side) are too coarse for a 1 % scale.
MIN_MARKER_SIDE_PX = 40.0
#: Opposite sides differing by more than this mean the marker is not facing the camera.
MAX_MARKER_SKEW = 0.05


class ScaleProblem(ValueError):
    """The image cannot give a scale; the message says what to change."""


@dataclass(frozen=True)
class ScaleEstimate:
    """A scale measurement.

    Attributes:
        cm_per_px: centimetres per pixel at the patient's plane.
        uncertainty_pct: estimated relative uncertainty, percent.
        method: ``marker`` or ``height``.
        detail: human-readable summary for the one-line CLI output.
        extra: numbers kept in the profile (marker id, side px, eye-to-floor px ...).
    """

    cm_per_px: float
    uncertainty_pct: float
    method: str
    detail: str
    extra: dict[str, float | int]

    def to_json(self) -> dict[str, object]:
        return {
            "method": self.method,
            "cm_per_px": self.cm_per_px,
            "uncertainty_pct": round(self.uncertainty_pct, 3),
            "detail": self.detail,
            **self.extra,
        }


def marker_side_px(corners_px: np.ndarray) -> tuple[float, float]:
    """Mean side length (px) of a (4, 2) marker quad and the relative spread of its sides."""
    sides = np.linalg.norm(np.roll(corners_px, -1, axis=0) - corners_px, axis=1)
    mean = float(sides.mean())
    return mean, float((sides.max() - sides.min()) / mean)


def scale_from_marker(
    image_bgr: np.ndarray,
    marker_cm: float,
    undistort: Callable[[np.ndarray], np.ndarray] | None = None,
    marker_id: int | None = None,
) -> ScaleEstimate:
    """Scale from an ArUco marker (posture_cam dictionary) of known side.

    Args:
        image_bgr: (H, W, 3) uint8 BGR image with the marker at the patient's plane.
        marker_cm: printed side of the marker's black square, centimetres.
        undistort: optional lens undistortion of pixel points.
        marker_id: which marker to use; default the scale marker (id 99) if visible,
            else the largest marker found.

    Raises:
        ScaleProblem: no marker, marker too small or seen at an angle.
    """
    if not marker_cm > 0:
        raise ScaleProblem(
            _("marker size must be positive, got {marker_cm} cm").format(marker_cm=marker_cm)
        )
    markers = detect_markers(image_bgr)
    if not markers:
        raise ScaleProblem(
            _(
                "no ArUco marker found; hang the printed scale marker (it is on the printable "
                "target) flat and fully visible at the patient's position"
            )
        )
    if undistort is not None:
        markers = {i: undistort(c) for i, c in markers.items()}
    if marker_id is not None:
        if marker_id not in markers:
            raise ScaleProblem(
                _("marker id {marker_id} not found (found ids {markers})").format(
                    marker_id=marker_id, markers=sorted(markers)
                )
            )
        chosen = marker_id
    elif SCALE_MARKER_ID in markers:
        chosen = SCALE_MARKER_ID
    else:
        chosen = max(markers, key=lambda i: marker_side_px(markers[i])[0])
    side, skew = marker_side_px(markers[chosen])
    if side < MIN_MARKER_SIDE_PX:
        raise ScaleProblem(
            _(
                "marker {chosen} is only {side:.0f} px wide (need >= "
                "{need_px:.0f}); use a bigger marker or bring the camera "
                "closer"
            ).format(chosen=chosen, side=side, need_px=MIN_MARKER_SIDE_PX)
        )
    if skew > MAX_MARKER_SKEW:
        raise ScaleProblem(
            _(
                "marker {chosen} sides differ by {skew_pct:.0f} %: it is not facing the "
                "camera; hang it flat and parallel to the camera's sensor"
            ).format(chosen=chosen, skew_pct=100 * skew)
        )
    cm_per_px = marker_cm / side
    # Corner localisation (~0.2 px per corner) plus the perspective spread of the sides.
    uncertainty = 100.0 * max(0.3 / side, skew / 2.0)
    return ScaleEstimate(
        cm_per_px,
        uncertainty,
        "marker",
        Text(
            "{marker_cm:g} cm ArUco marker id {chosen} ({side:.1f} px side, ±{uncertainty:.1f} %)",
            marker_cm=marker_cm,
            chosen=chosen,
            side=side,
            uncertainty=uncertainty,
        ),
        {"marker_id": chosen, "marker_cm": float(marker_cm), "side_px": round(side, 3)},
    )


def eye_to_floor_px(pose: Pose) -> float:
    """Distance (px) from the eyes to the floor contact of the feet (see module docstring).

    Raises:
        ScaleProblem: eyes or feet are not visible.
    """
    eyes = pose.xy_px[[LM.LEFT_EYE, LM.RIGHT_EYE]]
    eyes = eyes[np.isfinite(eyes).all(axis=1)]
    if len(eyes) == 0:
        raise ScaleProblem(_("the patient's eyes are not visible; face the camera"))
    floor = []
    for heel, toe in ((LM.LEFT_HEEL, LM.LEFT_FOOT_INDEX), (LM.RIGHT_HEEL, LM.RIGHT_FOOT_INDEX)):
        pts = pose.xy_px[[heel, toe]]
        pts = pts[np.isfinite(pts).all(axis=1)]
        if len(pts):
            # The lower of heel / toe tip is nearest the sole (image y down).
            floor.append(pts[np.argmax(pts[:, 1])])
    if not floor:
        raise ScaleProblem(
            _("the patient's feet are not visible; show the whole body down to the floor")
        )
    return float(np.linalg.norm(np.mean(floor, axis=0) - eyes.mean(axis=0)))


def scale_from_height(pose: Pose, height_cm: float) -> ScaleEstimate:
    """Scale from a standing patient of known height.

    Args:
        pose: the patient's pose, already corrected (undistorted, levelled).
        height_cm: the patient's stature, centimetres (barefoot).

    Raises:
        ScaleProblem: eyes or feet not visible, or an implausible height.
    """
    if not 50.0 <= height_cm <= 250.0:
        raise ScaleProblem(
            _("height {height_cm:g} cm is implausible; give it in centimetres").format(
                height_cm=height_cm
            )
        )
    px = eye_to_floor_px(pose)
    if px < 50.0:
        raise ScaleProblem(
            _("the patient is only {px:.0f} px tall in the image; come closer").format(px=px)
        )
    stature_px = px / EYE_HEIGHT_FRACTION
    pct = 100.0 * HEIGHT_METHOD_UNCERTAINTY
    return ScaleEstimate(
        height_cm / stature_px,
        pct,
        "height",
        Text(
            "patient height {height_cm:g} cm "
            "(eye-to-floor {px:.0f} px / {fraction:.3f}, ±{pct:.0f} %)",
            height_cm=height_cm,
            px=px,
            fraction=EYE_HEIGHT_FRACTION,
            pct=pct,
        ),
        {"height_cm": float(height_cm), "eye_to_floor_px": round(px, 2)},
    )
