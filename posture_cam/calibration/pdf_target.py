"""Write the printable calibration target as a true-scale vector PDF (matplotlib, no Qt).

The layout (what goes where, in millimetres) comes from
:func:`posture_cam.calibration.target.target_layout`; this module only paints it. Each
page is a figure exactly the paper's size with one axes filling it, whose data units are
millimetres from the top-left corner, so a 50 mm square in the layout is 50 mm on paper
(tests measure it with pdftoppm). The CLI and the app's calibration wizard both call
:func:`write_target_pdf`.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from posture_cam.atomic import write_bytes_atomic
from posture_cam.calibration.target import TargetPage, TextBox, target_layout

MM_PER_INCH = 25.4
MM_PER_PT = MM_PER_INCH / 72.0
#: Mean advance of a Helvetica/DejaVu Sans character as a fraction of the font size; used
#: to wrap text inside its box (matplotlib wraps only at the figure's edge).
_CHAR_WIDTH_EM = 0.55
_LINE_SPACING = 1.25


def _wrap(box: TextBox) -> str:
    width_chars = max(1, int(box.rect_mm[2] / (box.size_pt * MM_PER_PT * _CHAR_WIDTH_EM)))
    return textwrap.fill(box.text, width=width_chars)


def _draw_page(page: TargetPage) -> Figure:
    width_mm, height_mm = page.size_mm
    fig = Figure(figsize=(width_mm / MM_PER_INCH, height_mm / MM_PER_INCH))
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_xlim(0.0, width_mm)
    ax.set_ylim(height_mm, 0.0)  # y down, like the layout
    ax.set_axis_off()
    rects = [Rectangle((x, y), w, h) for x, y, w, h in page.black_rects_mm]
    # No edge and no antialiasing: neighbouring cells meet without seams or growth.
    ax.add_collection(
        PatchCollection(rects, facecolor="black", edgecolor="none", linewidth=0, antialiased=False)
    )
    for box in page.texts:
        x, y, _, _ = box.rect_mm
        ax.text(
            x,
            y,
            _wrap(box),
            fontsize=box.size_pt,
            fontweight="bold" if box.bold else "normal",
            family="sans-serif",
            ha="left",
            va="top",
            linespacing=_LINE_SPACING,
        )
    return fig


def render_target_pdf(paper: str = "A4") -> bytes:
    """The target as PDF bytes (landscape ``paper``: ``A4`` or ``A3``).

    Raises:
        ValueError: unknown paper size.
    """
    pages = target_layout(paper)
    buf = io.BytesIO()
    metadata = {"Title": f"posture_cam calibration target ({paper})", "Creator": "posture_cam"}
    with PdfPages(buf, metadata=metadata) as pdf:
        for page in pages:
            pdf.savefig(_draw_page(page))
    return buf.getvalue()


def write_target_pdf(path: str | Path, paper: str = "A4") -> Path:
    """Write the target PDF atomically to ``path``; returns the path."""
    return write_bytes_atomic(path, render_target_pdf(paper))
