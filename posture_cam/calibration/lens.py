"""Lens intrinsics and distortion from several views of the ChArUco board.

OpenCV does the work: ``cv2.aruco.CharucoDetector`` finds the corners,
``CharucoBoard.matchImagePoints`` pairs them with board coordinates and
``cv2.calibrateCameraExtended`` fits K and (k1, k2, p1, p2, k3). k3 is held at 0: with
the handful of views a clinic takes, a free k3 trades off against k2 and extrapolates
badly at the image corners, while webcam lenses are described well by k1, k2.

Only landmark points are undistorted later (``cv2.undistortPoints(..., P=K)``), never
whole frames, so a lens profile costs microseconds per frame.

A calibration is refused (:class:`LensProblem`) when it cannot be trusted: too few
usable views, the board only ever seen in a small part of the image, or an RMS
reprojection error above :data:`MAX_RMS_PX`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np

from posture_cam.calibration.board import DEFAULT_BOARD, detect_charuco, make_board
from posture_cam.i18n import _, fmt

MIN_VIEWS = 5
MIN_CORNERS_PER_VIEW = 8
MAX_RMS_PX = 1.0
#: The board's corners, over all views, must span this fraction of the image area.
MIN_COVERAGE = 0.25
CALIB_FLAGS = cv2.CALIB_FIX_K3


class LensProblem(ValueError):
    """The views cannot give a trustworthy lens calibration; the message says why."""


@dataclass(frozen=True, eq=False)
class LensCalibration:
    """Result of a lens calibration.

    Attributes:
        camera_matrix: (3, 3) float64 K, pixels.
        dist_coeffs: (5,) float64 (k1, k2, p1, p2, k3).
        image_size_wh: (width, height) of the views, pixels.
        rms_px: overall RMS reprojection error, pixels.
        per_view_rms_px: view name -> RMS reprojection error, pixels.
        num_corners: corners used over all views.
        coverage: fraction of the image area covered by the convex hull of all corners.
        skipped: view name -> why it was not used.
    """

    camera_matrix: np.ndarray
    dist_coeffs: np.ndarray
    image_size_wh: tuple[int, int]
    rms_px: float
    per_view_rms_px: dict[str, float]
    num_corners: int
    coverage: float
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def num_views(self) -> int:
        return len(self.per_view_rms_px)

    def to_json(self) -> dict[str, object]:
        worst = max(self.per_view_rms_px, key=self.per_view_rms_px.__getitem__)
        return {
            "rms_px": round(self.rms_px, 4),
            "num_views": self.num_views,
            "num_corners": self.num_corners,
            "coverage": round(self.coverage, 3),
            "worst_view": worst,
            "worst_view_rms_px": round(self.per_view_rms_px[worst], 4),
            "skipped": self.skipped,
            "flags": "CALIB_FIX_K3",
        }


def calibrate_lens(views: Sequence[tuple[str, np.ndarray]]) -> LensCalibration:
    """Calibrate from named images of the ChArUco board.

    Args:
        views: (name, (H, W, 3) uint8 BGR image) pairs, all from the same camera mode.

    Returns:
        The calibration.

    Raises:
        LensProblem: sizes differ, too few usable views, poor coverage or high RMS.
    """
    sizes = {name: (img.shape[1], img.shape[0]) for name, img in views}
    if len(set(sizes.values())) > 1:
        raise LensProblem(
            _(
                "the images have different sizes ({sizes}); take every view with the "
                "same camera resolution"
            ).format(sizes=", ".join(sorted({f"{w}x{h}" for w, h in sizes.values()})))
        )
    board = make_board(DEFAULT_BOARD)
    obj_pts, img_pts, names, skipped = [], [], [], {}
    for name, img in views:
        det = detect_charuco(img, min_corners=1)
        if det is None or det.num_corners < MIN_CORNERS_PER_VIEW:
            n = 0 if det is None else det.num_corners
            skipped[name] = f"{n} board corners (need {MIN_CORNERS_PER_VIEW})"
            continue
        ids = det.ids.reshape(-1, 1).astype(np.int32)
        corners = det.corners_px.reshape(-1, 1, 2).astype(np.float32)
        if board.checkCharucoCornersCollinear(ids):
            skipped[name] = "board corners on one line"
            continue
        obj, imgp = board.matchImagePoints(list(corners), ids)
        obj_pts.append(obj.astype(np.float32))
        img_pts.append(imgp.astype(np.float32))
        names.append(name)
    if len(names) < MIN_VIEWS:
        raise LensProblem(
            _(
                "the board was usable in only {usable} of {total} images (need "
                "{needed}); take 10-20 sharp views with the whole board visible, "
                "tilted and at different places in the frame"
            ).format(usable=len(names), total=len(views), needed=MIN_VIEWS)
        )
    w, h = next(iter(sizes.values()))
    all_img = np.concatenate([p.reshape(-1, 2) for p in img_pts])
    hull = cv2.convexHull(all_img.astype(np.float32))
    coverage = float(cv2.contourArea(hull) / (w * h))
    if coverage < MIN_COVERAGE:
        raise LensProblem(
            _(
                "the board covered only {coverage_pct:.0f} % of the image over all views (need "
                "{needed_pct:.0f} %); also hold it near the corners and edges"
            ).format(coverage_pct=100 * coverage, needed_pct=100 * MIN_COVERAGE)
        )
    rms, k, dist, _rvecs, _tvecs, _si, _se, per_view = cv2.calibrateCameraExtended(
        obj_pts,
        img_pts,
        (w, h),
        None,
        None,
        flags=CALIB_FLAGS,  # type: ignore[call-overload]
    )
    per_view_rms = {n: float(e) for n, e in zip(names, np.ravel(per_view), strict=True)}
    if not np.isfinite(rms) or rms > MAX_RMS_PX:
        worst = max(per_view_rms, key=per_view_rms.__getitem__)
        raise LensProblem(
            fmt(
                _(
                    "reprojection error {rms:.2f} px is above {max_px:.1f} px (worst "
                    "view {worst}: {worst_px:.2f} px); retake blurred or bent-board views"
                ),
                rms=rms,
                max_px=MAX_RMS_PX,
                worst=worst,
                worst_px=per_view_rms[worst],
            )
        )
    return LensCalibration(
        camera_matrix=np.asarray(k, dtype=np.float64),
        dist_coeffs=np.asarray(dist, dtype=np.float64).ravel()[:5],
        image_size_wh=(int(w), int(h)),
        rms_px=float(rms),
        per_view_rms_px=per_view_rms,
        num_corners=len(all_img),
        coverage=coverage,
        skipped=skipped,
    )
