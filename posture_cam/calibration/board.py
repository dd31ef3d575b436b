"""The ChArUco board and the scale marker that posture_cam prints and detects.

One board *layout* (7 x 5 squares, ArUco ``DICT_5X5_100``, markers 0-16) is printed on
every paper size; only the physical square size differs (:data:`PAPER_BOARDS`). The
level and lens calibrations need the layout, not the size (angles and intrinsics do
not depend on the board's scale), so one detector finds the board whatever paper it
was printed on. The separate scale marker (id :data:`SCALE_MARKER_ID`, same dictionary)
is measured in pixels for ``cm_per_px``.

Board coordinates are OpenCV's: x to the right along a printed row, y down the page,
in millimetres. ChArUco corner ``id = row * (squares_x - 1) + col``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import cv2
import numpy as np

DICTIONARY_ID = cv2.aruco.DICT_5X5_100
DICTIONARY_NAME = "DICT_5X5_100"
#: Id of the standalone marker printed for the scale calibration (not on the board).
SCALE_MARKER_ID = 99


@dataclass(frozen=True)
class BoardSpec:
    """A ChArUco board layout and its printed size.

    Attributes:
        squares_x: squares per row.
        squares_y: squares per column.
        square_mm: side of one chessboard square on paper, millimetres.
        marker_mm: side of one ArUco marker inside a white square, millimetres.
    """

    squares_x: int = 7
    squares_y: int = 5
    square_mm: float = 30.0
    marker_mm: float = 22.0

    @property
    def size_mm(self) -> tuple[float, float]:
        """(width, height) of the whole board in millimetres."""
        return self.squares_x * self.square_mm, self.squares_y * self.square_mm

    @property
    def corners_per_row(self) -> int:
        return self.squares_x - 1

    @property
    def num_corners(self) -> int:
        return (self.squares_x - 1) * (self.squares_y - 1)


#: Printed board per paper size (landscape). Same layout, so one detector for both.
PAPER_BOARDS: dict[str, BoardSpec] = {
    "A4": BoardSpec(7, 5, 30.0, 22.0),
    "A3": BoardSpec(7, 5, 45.0, 33.0),
}
#: Side of the standalone scale marker per paper size, millimetres.
PAPER_SCALE_MARKER_MM: dict[str, float] = {"A4": 150.0, "A3": 220.0}
DEFAULT_BOARD = PAPER_BOARDS["A4"]


def dictionary() -> cv2.aruco.Dictionary:
    return cv2.aruco.getPredefinedDictionary(DICTIONARY_ID)


def make_board(spec: BoardSpec = DEFAULT_BOARD) -> cv2.aruco.CharucoBoard:
    """OpenCV's board object for ``spec`` (units: millimetres)."""
    return cv2.aruco.CharucoBoard(
        (spec.squares_x, spec.squares_y), spec.square_mm, spec.marker_mm, dictionary()
    )


def marker_bits(marker_id: int) -> np.ndarray:
    """(7, 7) bool cells of one marker including its black border; True = black."""
    img = cv2.aruco.generateImageMarker(dictionary(), int(marker_id), 7)
    return img < 128


# OpenCV detector objects keep internal buffers; the live level indicator calls us from
# a worker thread while the CLI / tests may use the main thread, so one per thread.
_local = threading.local()


def _detectors() -> tuple[cv2.aruco.CharucoDetector, cv2.aruco.ArucoDetector]:
    if not hasattr(_local, "charuco"):
        params = cv2.aruco.DetectorParameters()
        params.cornerRefinementMethod = cv2.aruco.CORNER_REFINE_SUBPIX
        _local.charuco = cv2.aruco.CharucoDetector(
            make_board(), cv2.aruco.CharucoParameters(), params
        )
        _local.aruco = cv2.aruco.ArucoDetector(dictionary(), params)
    return _local.charuco, _local.aruco


@dataclass(frozen=True, eq=False)
class CharucoDetection:
    """ChArUco corners found in one image.

    Attributes:
        corners_px: (N, 2) float64 sub-pixel corner positions in image pixels.
        ids: (N,) int corner ids (``row * corners_per_row + col``).
        num_markers: ArUco markers of the board that were found.
    """

    corners_px: np.ndarray
    ids: np.ndarray
    num_markers: int

    @property
    def num_corners(self) -> int:
        return len(self.ids)


def _gray(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image


def detect_charuco(image: np.ndarray, min_corners: int = 4) -> CharucoDetection | None:
    """Find the posture_cam ChArUco board.

    Args:
        image: (H, W, 3) BGR or (H, W) gray uint8 image.
        min_corners: fewer interpolated corners than this counts as "no board".

    Returns:
        The detection, or None when no board (or too little of it) is visible.
    """
    charuco, _ = _detectors()
    corners, ids, _marker_corners, marker_ids = charuco.detectBoard(_gray(image))
    if ids is None or len(ids) < min_corners:
        return None
    return CharucoDetection(
        corners_px=np.asarray(corners, dtype=np.float64).reshape(-1, 2),
        ids=np.asarray(ids, dtype=np.int64).ravel(),
        num_markers=0 if marker_ids is None else len(marker_ids),
    )


def detect_markers(image: np.ndarray) -> dict[int, np.ndarray]:
    """All ArUco markers of our dictionary: id -> (4, 2) float64 corners in pixels
    (clockwise from the marker's top-left as printed)."""
    _, aruco = _detectors()
    corners, ids, _rejected = aruco.detectMarkers(_gray(image))
    if ids is None:
        return {}
    return {
        int(i): np.asarray(c, dtype=np.float64).reshape(4, 2)
        for i, c in zip(ids.ravel(), corners, strict=True)
    }


def render_board(
    spec: BoardSpec = DEFAULT_BOARD, px_per_square: int = 80, margin_px: int = 40
) -> np.ndarray:
    """The board as a gray uint8 image (synthetic tests, on-screen preview).

    Args:
        spec: board layout.
        px_per_square: pixels per chessboard square.
        margin_px: white border around the board, pixels (detection needs a quiet zone).
    """
    w = spec.squares_x * px_per_square + 2 * margin_px
    h = spec.squares_y * px_per_square + 2 * margin_px
    return make_board(spec).generateImage((w, h), marginSize=margin_px, borderBits=1)
