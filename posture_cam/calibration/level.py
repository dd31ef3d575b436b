"""Camera roll from a gravity reference: a level board, a plumb line, or two points.

Convention (docs/architecture.md): ``roll_deg`` is the angle by which a true horizontal
appears rotated counter-clockwise *as displayed* (image y down). Rotating a level scene
counter-clockwise by θ on screen gives ``roll_deg = +θ``.

Why the board estimate uses its rows: a camera pitched up or down (the usual case when
it looks at a standing patient) keeps world horizontals parallel to the image x axis,
whereas world verticals converge towards a vanishing point, so a vertical away from the
image's centre column appears tilted. The printed rows are therefore the unbiased
reference; the board's columns are not used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from posture_cam.calibration.board import DEFAULT_BOARD, detect_charuco
from posture_cam.i18n import N_, Text

#: Optional point mapping applied before measuring (lens undistortion): (N,2) -> (N,2).
PointMap = Callable[[np.ndarray], np.ndarray]

#: The gravity reference in words ("a true vertical", "a vertical line").
_REFERENCE_WORDS = {"vertical": N_("vertical"), "horizontal": N_("horizontal")}


@dataclass(frozen=True)
class RollEstimate:
    """A camera roll measurement.

    Attributes:
        roll_deg: camera roll, degrees, positive = true horizontals appear rotated
            counter-clockwise on screen.
        residual_deg: uncertainty of ``roll_deg`` in degrees (standard error of the
            row fits for a board; the effect of a 1 px error for points / lines).
        method: ``board``, ``line`` or ``points``.
        support: what the estimate rests on (corners, segments, pixels of length).
        detail: human-readable summary for the one-line CLI output.
    """

    roll_deg: float
    residual_deg: float
    method: str
    support: int
    detail: str

    def to_json(self) -> dict[str, object]:
        return {
            "method": self.method,
            "roll_deg": round(self.roll_deg, 4),
            "residual_deg": round(self.residual_deg, 4),
            "support": self.support,
            "detail": self.detail,
        }


def screen_angle_deg(dx: float, dy: float) -> float:
    """Direction of an image vector counter-clockwise on screen from +x, in (-180, 180]."""
    return float(np.degrees(np.arctan2(-dy, dx)))


def fold_to_horizontal(angle_deg: float) -> float:
    """An undirected line angle as a tilt from the horizontal, in (-90, 90]."""
    a = (angle_deg + 90.0) % 180.0 - 90.0
    return 90.0 if a == -90.0 else a


def fold_quarter(angle_deg: float) -> float:
    """Tilt from the nearest of horizontal / vertical, in [-45, 45): the board may hang
    in landscape or portrait, so either of its axes is a true horizontal."""
    return (angle_deg + 45.0) % 90.0 - 45.0


def _line_direction(pts: np.ndarray) -> tuple[float, float]:
    """Total-least-squares direction (screen angle in degrees, folded to a tilt from
    horizontal) and RMS perpendicular residual in pixels."""
    vx, vy, _x0, _y0 = cv2.fitLine(pts.astype(np.float32), cv2.DIST_L2, 0, 0.01, 0.01).ravel()
    centred = pts - pts.mean(axis=0)
    resid = centred @ np.array([-vy, vx], dtype=np.float64)
    tilt_deg = fold_to_horizontal(screen_angle_deg(float(vx), float(vy)))
    return tilt_deg, float(np.sqrt(np.mean(resid**2)))


def roll_from_corners(
    corners_px: np.ndarray, ids: np.ndarray, corners_per_row: int = DEFAULT_BOARD.corners_per_row
) -> RollEstimate | None:
    """Roll from ChArUco corners of a board mounted with its rows level.

    Args:
        corners_px: (N, 2) corner positions, pixels (already undistorted if wanted).
        ids: (N,) ChArUco corner ids.
        corners_per_row: inner corners per printed row.

    Returns:
        The estimate, or None when no printed row has 3 or more corners.
    """
    rows = ids // corners_per_row
    tilts, weights = [], []
    for r in np.unique(rows):
        pts = corners_px[rows == r]
        if len(pts) < 3:
            continue
        tilt, _ = _line_direction(pts)
        tilts.append(fold_quarter(tilt))
        # Longer rows pin the angle down better; weight by the span squared (the
        # variance of a fitted slope falls with the square of the point spread).
        weights.append(float(np.ptp(pts[:, 0]) ** 2 + np.ptp(pts[:, 1]) ** 2))
    if not tilts:
        return None
    t = np.array(tilts)
    wts = np.array(weights)
    # Average around the first value so that rows near the ±45° fold stay together.
    t = t[0] + np.array([fold_quarter(v - t[0]) for v in t])
    roll = float(np.average(t, weights=wts))
    if len(t) > 1:
        var = float(np.average((t - roll) ** 2, weights=wts))
        residual = float(np.sqrt(var / (len(t) - 1)))
    else:
        residual = float("nan")
    n = len(ids)
    return RollEstimate(
        fold_quarter(roll),
        residual,
        "board",
        n,
        Text(
            "ChArUco board ({n} corners, {rows} rows, residual {residual:.2f}°)",
            n=n,
            rows=len(t),
            residual=residual,
        ),
    )


def estimate_roll_from_board(
    image_bgr: np.ndarray, undistort: PointMap | None = None
) -> RollEstimate | None:
    """Camera roll from the posture_cam ChArUco board hanging level in the image.

    Cheap enough for a live level indicator (one ArUco pass; ~10-25 ms at 1280x720 on
    one laptop core).

    Args:
        image_bgr: (H, W, 3) uint8 BGR frame (or (H, W) gray).
        undistort: optional lens undistortion of pixel points.

    Returns:
        The estimate, or None when no usable board is visible.
    """
    det = detect_charuco(image_bgr)
    if det is None:
        return None
    pts = undistort(det.corners_px) if undistort else det.corners_px
    return roll_from_corners(pts, det.ids)


def roll_from_points(
    x1: float, y1: float, x2: float, y2: float, reference: str = "auto"
) -> RollEstimate:
    """Roll from two points on a true vertical or horizontal.

    Args:
        x1, y1, x2, y2: the two points, pixels.
        reference: ``vertical``, ``horizontal`` or ``auto`` (the nearer of the two to the
            line's apparent direction).

    Raises:
        ValueError: the points coincide or ``reference`` is unknown.
    """
    dx, dy = x2 - x1, y2 - y1
    length = float(np.hypot(dx, dy))
    if length < 1.0:
        raise ValueError("the two points coincide")
    tilt = fold_to_horizontal(screen_angle_deg(dx, dy))
    if reference == "auto":
        reference = "horizontal" if abs(tilt) <= 45.0 else "vertical"
    if reference == "horizontal":
        roll = tilt
    elif reference == "vertical":
        roll = fold_to_horizontal(tilt - 90.0)
    else:
        raise ValueError(f"reference must be vertical, horizontal or auto, not {reference!r}")
    # One pixel of click error at each end, perpendicular to the line.
    residual = float(np.degrees(np.arctan(np.sqrt(2.0) / length)))
    return RollEstimate(
        roll,
        residual,
        "points",
        round(length),
        Text(
            "two points on a true {reference} ({length:.0f} px apart, ±{residual:.2f}° per px)",
            reference=Text(_REFERENCE_WORDS.get(reference, reference)),
            length=length,
            residual=residual,
        ),
    )


def roll_from_line(
    image_bgr: np.ndarray,
    roi_xywh: tuple[int, int, int, int],
    reference: str = "vertical",
    max_tilt_deg: float = 20.0,
    undistort: PointMap | None = None,
) -> RollEstimate | None:
    """Roll from the dominant near-vertical (or near-horizontal) straight line in a region:
    a plumb line, a door frame, a wall edge.

    OpenCV's LSD line segment detector finds segments; segments within ``max_tilt_deg``
    of the reference direction vote with their length. The dominant line is the
    length-weighted median angle; segments more than 1° from it are dropped and the rest
    averaged.

    Args:
        image_bgr: (H, W, 3) uint8 BGR image.
        roi_xywh: region (x, y, width, height) in pixels that contains the line.
        reference: ``vertical`` (plumb line) or ``horizontal``.
        max_tilt_deg: segments tilted more than this from the reference are ignored.
        undistort: optional lens undistortion of pixel points.

    Returns:
        The estimate, or None when no long enough line is found.

    Raises:
        ValueError: the region lies outside the image or ``reference`` is unknown.
    """
    if reference not in ("vertical", "horizontal"):
        raise ValueError(f"reference must be vertical or horizontal, not {reference!r}")
    h, w = image_bgr.shape[:2]
    x, y, rw, rh = roi_xywh
    x0, y0, x1, y1 = max(0, x), max(0, y), min(w, x + rw), min(h, y + rh)
    if x1 - x0 < 8 or y1 - y0 < 8:
        raise ValueError(f"region {roi_xywh} is outside the {w}x{h} image or too small")
    crop = image_bgr[y0:y1, x0:x1]
    gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop
    lines = cv2.createLineSegmentDetector().detect(gray)[0]
    if lines is None:
        return None
    seg = lines.reshape(-1, 2, 2).astype(np.float64) + np.array([x0, y0], dtype=np.float64)
    if undistort is not None:
        seg = undistort(seg.reshape(-1, 2)).reshape(-1, 2, 2)
    d = seg[:, 1] - seg[:, 0]
    lengths = np.hypot(d[:, 0], d[:, 1])
    tilts = np.array([fold_to_horizontal(screen_angle_deg(a, b)) for a, b in d])
    rolls = (
        tilts
        if reference == "horizontal"
        else np.array([fold_to_horizontal(t - 90.0) for t in tilts])
    )
    # A real reference line is long; short texture edges only add noise.
    min_len = 0.25 * ((y1 - y0) if reference == "vertical" else (x1 - x0))
    keep = (np.abs(rolls) <= max_tilt_deg) & (lengths >= min(min_len, 40.0))
    if not keep.any():
        return None
    rolls, lengths = rolls[keep], lengths[keep]
    order = np.argsort(rolls)
    cum = np.cumsum(lengths[order])
    median = float(rolls[order][np.searchsorted(cum, cum[-1] / 2.0)])
    near = np.abs(rolls - median) <= 1.0
    roll = float(np.average(rolls[near], weights=lengths[near]))
    total = float(lengths[near].sum())
    longest = float(lengths[near].max())
    residual = float(np.degrees(np.arctan(np.sqrt(2.0) / longest)))
    if near.sum() > 1:
        spread = float(np.sqrt(np.average((rolls[near] - roll) ** 2, weights=lengths[near])))
        residual = max(residual / np.sqrt(near.sum()), spread / np.sqrt(near.sum() - 1))
    return RollEstimate(
        roll,
        residual,
        "line",
        round(total),
        Text(
            "{reference} line in region {x},{y},{w},{h} "
            "({segments} segments, {total:.0f} px, residual {residual:.2f}°)",
            reference=Text(_REFERENCE_WORDS.get(reference, reference)),
            x=x0,
            y=y0,
            w=x1 - x0,
            h=y1 - y0,
            segments=int(near.sum()),
            total=total,
            residual=residual,
        ),
    )
