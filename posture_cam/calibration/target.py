"""Printable calibration targets as a paper layout in millimetres (no drawing library).

:func:`target_layout` returns what to print, page by page: black rectangles and text
boxes with positions in millimetres from the page's top-left corner. The PDF writer
(``posture_cam.calibration.pdf_target``, matplotlib) only paints it, and tests check the
geometry here without rendering anything.

Page 1: the ChArUco board (level and lens calibration) and a 50 mm check square to
verify that the printer did not scale the page. Page 2: one large ArUco marker
(id :data:`~posture_cam.calibration.board.SCALE_MARKER_ID`) for the scale calibration.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from posture_cam.calibration.board import (
    DICTIONARY_NAME,
    PAPER_BOARDS,
    PAPER_SCALE_MARKER_MM,
    SCALE_MARKER_ID,
    BoardSpec,
    make_board,
    marker_bits,
)

#: Landscape page sizes (width, height), millimetres.
PAPER_SIZES_MM: dict[str, tuple[float, float]] = {"A4": (297.0, 210.0), "A3": (420.0, 297.0)}
CHECK_SQUARE_MM = 50.0

Rect = tuple[float, float, float, float]  # x, y, width, height in mm


@dataclass(frozen=True)
class TextBox:
    """Text wrapped inside a box.

    Attributes:
        rect_mm: (x, y, width, height) of the box, millimetres.
        size_pt: font size, points.
        text: the words.
        bold: heavier weight for headings.
    """

    rect_mm: Rect
    size_pt: float
    text: str
    bold: bool = False


@dataclass(frozen=True)
class TargetPage:
    """One landscape page.

    Attributes:
        size_mm: (width, height), millimetres.
        black_rects_mm: filled black rectangles (x, y, width, height), millimetres.
        texts: text boxes.
        check_square_mm: the check square's rect, if this page has one.
    """

    size_mm: tuple[float, float]
    black_rects_mm: list[Rect] = field(default_factory=list)
    texts: list[TextBox] = field(default_factory=list)
    check_square_mm: Rect | None = None


def _marker_rects(marker_id: int, x: float, y: float, side: float) -> list[Rect]:
    """Black cells of one marker (with its border) as rectangles; runs of cells in a row
    are merged so that renderers leave no hairline seams between neighbours."""
    bits = marker_bits(marker_id)
    cell = side / bits.shape[0]
    rects: list[Rect] = []
    for r, row in enumerate(bits):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                rects.append((x + start * cell, y + r * cell, (c - start) * cell, cell))
            else:
                c += 1
    return rects


def board_rects(spec: BoardSpec, x0: float, y0: float) -> list[Rect]:
    """Black squares and marker cells of the ChArUco board with its top-left at (x0, y0) mm.

    Marker positions come from OpenCV's own board definition (``getObjPoints``), so the
    print matches what ``CharucoDetector`` expects.
    """
    board = make_board(spec)
    obj = [np.asarray(p, dtype=np.float64).reshape(4, 3) for p in board.getObjPoints()]
    ids = np.asarray(board.getIds()).ravel()
    with_marker = {
        (int(p[:, 0].mean() // spec.square_mm), int(p[:, 1].mean() // spec.square_mm)) for p in obj
    }
    rects: list[Rect] = []
    for j in range(spec.squares_y):
        for i in range(spec.squares_x):
            if (i, j) not in with_marker:
                s = spec.square_mm
                rects.append((x0 + i * s, y0 + j * s, s, s))
    for marker_id, p in zip(ids, obj, strict=True):
        tl = p[:, :2].min(axis=0)
        rects += _marker_rects(int(marker_id), x0 + tl[0], y0 + tl[1], spec.marker_mm)
    return rects


def target_layout(paper: str = "A4") -> list[TargetPage]:
    """The printable target for ``paper`` (``A4`` or ``A3``, landscape), page by page.

    Raises:
        ValueError: unknown paper size.
    """
    if paper not in PAPER_SIZES_MM:
        raise ValueError(f"paper must be one of {', '.join(PAPER_SIZES_MM)}, not {paper!r}")
    spec = PAPER_BOARDS[paper]
    page_w, page_h = PAPER_SIZES_MM[paper]
    margin = 12.0 if paper == "A4" else 15.0
    board_w, board_h = spec.size_mm
    check = (margin + board_w + margin, margin, CHECK_SQUARE_MM, CHECK_SQUARE_MM)
    side_x = check[0]
    side_w = page_w - margin - side_x
    body_pt = 8.0 if paper == "A4" else 10.0
    page1 = TargetPage(
        size_mm=(page_w, page_h),
        black_rects_mm=[*board_rects(spec, margin, margin), check],
        check_square_mm=check,
        texts=[
            TextBox(
                (side_x, margin + CHECK_SQUARE_MM + 3.0, side_w, 40.0),
                body_pt,
                f"This square must measure {CHECK_SQUARE_MM:.1f} mm. If not, print again at "
                "100 % / actual size (no 'fit to page').",
                bold=True,
            ),
            TextBox(
                (margin, margin + board_h + 4.0, board_w, page_h - board_h - 2 * margin - 4.0),
                body_pt,
                f"posture_cam ChArUco board {spec.squares_x} x {spec.squares_y}, squares "
                f"{spec.square_mm:.1f} mm, markers {spec.marker_mm:.1f} mm, {DICTIONARY_NAME}, "
                f"paper {paper}. Level: mount flat on the wall at the patient's position with "
                "these lines of text horizontal (check with a spirit level), then "
                "'posture-cam calibrate level'. Lens: 10-20 photos with the board tilted and "
                "in every part of the frame, then 'posture-cam calibrate lens'. "
                "Keep the board flat: glue it on card or foam board.",
            ),
        ],
    )
    m_side = PAPER_SCALE_MARKER_MM[paper]
    mx, my = (page_w - m_side) / 2.0, margin + 8.0
    page2 = TargetPage(
        size_mm=(page_w, page_h),
        black_rects_mm=_marker_rects(SCALE_MARKER_ID, mx, my, m_side),
        texts=[
            TextBox(
                (margin, margin - 2.0, page_w - 2 * margin, 8.0),
                body_pt + 2.0,
                f"posture_cam scale marker (id {SCALE_MARKER_ID}, {DICTIONARY_NAME})",
                bold=True,
            ),
            TextBox(
                (margin, my + m_side + 3.0, page_w - 2 * margin, page_h - my - m_side - 3.0),
                body_pt,
                f"Black square side: {m_side:.1f} mm. Measure it; if it is not {m_side:.1f} mm "
                "print at 100 % / actual size or pass the measured size. Hang it flat, facing "
                "the camera, where the patient stands, then: posture-cam calibrate scale "
                f"--marker-cm {m_side / 10:g} --image PHOTO --profile NAME",
            ),
        ],
    )
    return [page1, page2]
