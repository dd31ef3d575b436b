"""Synthetic calibration scenes for the tests: the board rendered through a known camera,
an ArUco scale marker of known size."""

from __future__ import annotations

import cv2
import numpy as np

from posture_cam.calibration.board import DEFAULT_BOARD, SCALE_MARKER_ID, dictionary, render_board

PX_PER_SQUARE = 120
MARGIN_PX = 60


def board_image_gray() -> np.ndarray:
    return render_board(DEFAULT_BOARD, PX_PER_SQUARE, MARGIN_PX)


def render_view(
    k: np.ndarray,
    dist: np.ndarray,
    rvec: np.ndarray,
    tvec: np.ndarray,
    size_wh: tuple[int, int],
) -> np.ndarray:
    """The board (mm coordinates, z = 0) seen by a camera with K, dist at pose rvec, tvec.

    Backward mapping: every output pixel is undistorted to a ray, intersected with the
    board plane (homography [r1 r2 t]) and looked up in the flat board image.
    """
    w, h = size_wh
    flat = board_image_gray()
    ppmm = PX_PER_SQUARE / DEFAULT_BOARD.square_mm
    u, v = np.meshgrid(np.arange(w, dtype=np.float64), np.arange(h, dtype=np.float64))
    pix = np.stack([u.ravel(), v.ravel()], axis=1).reshape(-1, 1, 2)
    crit = (cv2.TERM_CRITERIA_COUNT | cv2.TERM_CRITERIA_EPS, 50, 1e-10)
    rays = cv2.undistortPoints(pix, k, dist, criteria=crit).reshape(-1, 2)
    r, _ = cv2.Rodrigues(rvec)
    hom = np.column_stack([r[:, 0], r[:, 1], np.ravel(tvec)])
    b = np.linalg.solve(hom, np.column_stack([rays, np.ones(len(rays))]).T)
    bx, by = b[0] / b[2], b[1] / b[2]
    # Board pixel (i, j) covers [i, i+1): a board point maps to pixel-centre coordinates.
    map_x = (MARGIN_PX + bx * ppmm - 0.5).reshape(h, w).astype(np.float32)
    map_y = (MARGIN_PX + by * ppmm - 0.5).reshape(h, w).astype(np.float32)
    out = cv2.remap(flat, map_x, map_y, cv2.INTER_LINEAR, borderValue=255)
    return cv2.cvtColor(out, cv2.COLOR_GRAY2BGR)


def level_scene(size_wh=(1280, 720), roll_deg=0.0, at=(100, 100)) -> np.ndarray:
    """A grey frame with the flat board pasted at ``at`` then the whole frame rotated
    counter-clockwise on screen by ``roll_deg`` (cv2 convention)."""
    w, h = size_wh
    canvas = np.full((h, w, 3), 190, np.uint8)
    b = render_board(DEFAULT_BOARD, 50, 25)
    x, y = at
    canvas[y : y + b.shape[0], x : x + b.shape[1]] = b[..., None]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), roll_deg, 1.0)
    return cv2.warpAffine(canvas, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(190, 190, 190))


def lens_views(
    k: np.ndarray, dist: np.ndarray, size_wh: tuple[int, int] = (960, 540), n: int = 9
) -> list[tuple[str, np.ndarray]]:
    """``n`` views of the board tilted by up to ~25° with its centre on a 3x3 grid of image
    positions (corners and edges included, as the README asks of a real calibration)."""
    w, h = size_wh
    f = k[0, 0]
    rng = np.random.default_rng(7)
    centre_mm = np.array([DEFAULT_BOARD.size_mm[0] / 2, DEFAULT_BOARD.size_mm[1] / 2, 0.0])
    views = []
    for i in range(n):
        u = w * (0.25 + 0.25 * (i % 3))
        v = h * (0.27 + 0.23 * ((i // 3) % 3))
        z = 520.0 + 60.0 * rng.uniform(-1, 1)
        rvec = np.array(
            [rng.uniform(-0.45, 0.45), rng.uniform(-0.45, 0.45), rng.uniform(-0.3, 0.3)]
        )
        r, _ = cv2.Rodrigues(rvec)
        centre_cam = np.array([(u - k[0, 2]) / f * z, (v - k[1, 2]) / f * z, z])
        tvec = centre_cam - r @ centre_mm
        views.append((f"view_{i:02d}.png", render_view(k, dist, rvec, tvec, size_wh)))
    return views


# A camera with clear barrel distortion, for the lens tests.
K_TRUE = np.array([[700.0, 0, 485], [0, 700, 265], [0, 0, 1]])
DIST_TRUE = np.array([-0.28, 0.09, 0.0, 0.0, 0.0])


def marker_scene(side_px: int, angle_deg: float = 0.0, marker_id: int = SCALE_MARKER_ID):
    """A grey 1280x720 scene with one ArUco marker ``side_px`` wide, rotated by ``angle_deg``."""
    img = np.full((720, 1280, 3), 200, np.uint8)
    m = cv2.aruco.generateImageMarker(dictionary(), marker_id, side_px)
    img[200 : 200 + side_px, 500 : 500 + side_px] = m[..., None]
    rot = cv2.getRotationMatrix2D((640, 360), angle_deg, 1.0)
    return cv2.warpAffine(img, rot, (1280, 720), flags=cv2.INTER_LINEAR, borderValue=(200,) * 3)
