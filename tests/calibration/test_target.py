"""The printable target: layout geometry, and the PDF's true physical scale."""

from __future__ import annotations

import os
import shutil
import subprocess

import cv2
import numpy as np
import pytest

from posture_cam.calibration.board import (
    PAPER_BOARDS,
    SCALE_MARKER_ID,
    detect_charuco,
    detect_markers,
)
from posture_cam.calibration.target import CHECK_SQUARE_MM, PAPER_SIZES_MM, target_layout


@pytest.mark.parametrize("paper", ["A4", "A3"])
def test_layout_fits_the_page(paper):
    pages = target_layout(paper)
    assert len(pages) == 2
    pw, ph = PAPER_SIZES_MM[paper]
    for page in pages:
        for x, y, w, h in page.black_rects_mm:
            assert x >= 5 and y >= 5 and x + w <= pw - 5 and y + h <= ph - 5
    assert pages[0].check_square_mm[2:] == (CHECK_SQUARE_MM, CHECK_SQUARE_MM)
    assert any("50.0 mm" in t.text and "100 %" in t.text for t in pages[0].texts)


def test_unknown_paper():
    with pytest.raises(ValueError, match="A4"):
        target_layout("Letter")


def _pdftoppm():
    exe = shutil.which("pdftoppm")
    if exe is None:
        msg = "pdftoppm (poppler-utils) is not installed"
        if os.environ.get("CI"):
            pytest.fail(f"CI: {msg}; apt-get install poppler-utils")
        pytest.skip(msg)
    return exe


@pytest.mark.parametrize("paper", ["A4", "A3"])
def test_pdf_prints_at_true_scale(paper, tmp_path):
    from posture_cam.cli import main

    exe = _pdftoppm()
    pdf = tmp_path / "target.pdf"
    assert main(["calibration", "target", "--out", str(pdf), "--paper", paper]) == 0
    dpi = 150
    subprocess.run(
        [exe, "-r", str(dpi), "-gray", "-png", str(pdf), str(tmp_path / "p")], check=True
    )
    page1 = cv2.imread(str(tmp_path / "p-1.png"))
    page2 = cv2.imread(str(tmp_path / "p-2.png"))
    px_per_mm = dpi / 25.4
    pw, ph = PAPER_SIZES_MM[paper]
    assert page1.shape[1] == pytest.approx(pw * px_per_mm, abs=2)
    assert page1.shape[0] == pytest.approx(ph * px_per_mm, abs=2)

    # check square: the dark blob at its layout position, measured in pixels
    x, y, w, h = target_layout(paper)[0].check_square_mm
    roi = (
        page1[
            int((y - 3) * px_per_mm) : int((y + h + 3) * px_per_mm),
            int((x - 3) * px_per_mm) : int((x + w + 3) * px_per_mm),
            0,
        ]
        < 128
    )
    cols = np.flatnonzero(roi.any(axis=0))
    rows = np.flatnonzero(roi.any(axis=1))
    expected = CHECK_SQUARE_MM * px_per_mm
    assert cols[-1] - cols[0] + 1 == pytest.approx(expected, rel=0.01)
    assert rows[-1] - rows[0] + 1 == pytest.approx(expected, rel=0.01)

    # board squares: mean distance between neighbouring detected ChArUco corners
    det = detect_charuco(page1)
    spec = PAPER_BOARDS[paper]
    assert det is not None and det.num_corners == spec.num_corners
    pts = dict(zip(det.ids.tolist(), det.corners_px, strict=True))
    n = spec.corners_per_row
    steps = [np.linalg.norm(pts[i + 1] - pts[i]) for i in pts if i % n != n - 1 and i + 1 in pts]
    assert np.mean(steps) == pytest.approx(spec.square_mm * px_per_mm, rel=0.01)

    markers = detect_markers(page2)
    assert SCALE_MARKER_ID in markers
