"""A4 pages of searchable text, tables and images on matplotlib figures.

Every string is drawn with ``Figure.text`` in DejaVu Sans embedded as TrueType
(``pdf.fonttype`` 42), so ``pdftotext`` reads the numbers back and Dutch diacritics
render. Positions are in inches from the top-left corner of the page.

Pages are bare :class:`~matplotlib.figure.Figure` objects, never pyplot's: pyplot keeps
global state and is not safe off the main thread, and the app writes the report on a
worker thread.
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Sequence

import matplotlib
import matplotlib.lines
import numpy as np
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

A4_WH_IN = (8.27, 11.69)
MARGIN_IN = 0.6
FONT = "DejaVu Sans"

#: Space between two table columns, inches.
COLUMN_GAP_IN = 0.12
#: A table's font may shrink by this much (points) so that its cells need not wrap.
TABLE_SHRINK_PT = 1.0

matplotlib.rcParams["pdf.fonttype"] = 42
matplotlib.rcParams["font.family"] = FONT


@functools.lru_cache(maxsize=4096)
def text_width_in(text: str, size: float, bold: bool = False) -> float:
    """Width of one line of ``text`` as drawn on a page (inches), from the font's
    advances (the same font files the PDF embeds)."""
    prop = FontProperties(family=FONT, size=size, weight="bold" if bold else "normal")
    width_pt, _, _ = TextToPath().get_text_width_height_descent(text, prop, ismath=False)
    return float(width_pt) / 72.0


def wrap_to_width(text: str, width_in: float, size: float, bold: bool = False) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width_in`` (a single word
    wider than that keeps its own line)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and text_width_in(f"{lines[-1]} {word}", size, bold) <= width_in:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _widest_cells_in(
    header: Sequence[str], rows: Sequence[Sequence[str]], size: float
) -> list[float]:
    """Per column, the width of its widest cell on one line (the header in bold)."""
    return [
        max([text_width_in(head, size, bold=True)] + [text_width_in(r[c], size) for r in rows])
        for c, head in enumerate(header)
    ]


def column_widths_in(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    shares: Sequence[float],
    width_in: float,
    size: float,
) -> list[float]:
    """Column widths (inches) for a table ``width_in`` wide at font ``size``.

    Each column is as wide as its widest cell plus ``COLUMN_GAP_IN`` (the last one needs
    no gap), and what is left is shared out by ``shares``. When that does not fit, the
    columns wider than their share of the width give up the overflow in proportion to
    how far over it they are (their cells then wrap); the others keep their width.
    """
    widest = _widest_cells_in(header, rows, size)
    needed = [w + COLUMN_GAP_IN for w in widest[:-1]] + [widest[-1]]
    total = float(sum(shares))
    spare = width_in - sum(needed)
    if spare >= 0:
        return [w + spare * f / total for w, f in zip(needed, shares, strict=True)]
    excess = [max(0.0, w - width_in * f / total) for w, f in zip(needed, shares, strict=True)]
    cut = -spare / sum(excess)  # <= 1: the columns within their share fit as they are
    return [w - e * cut for w, e in zip(needed, excess, strict=True)]


def table_font_size(
    header: Sequence[str], rows: Sequence[Sequence[str]], width_in: float, size: float
) -> float:
    """``size``, or up to ``TABLE_SHRINK_PT`` smaller where that lets every cell keep
    one line (in steps of half a point)."""
    for step in range(int(TABLE_SHRINK_PT / 0.5) + 1):
        trial = size - 0.5 * step
        widest = _widest_cells_in(header, rows, trial)
        if sum(widest) + COLUMN_GAP_IN * (len(header) - 1) <= width_in:
            return trial
    return size - TABLE_SHRINK_PT


class Page:
    """One A4 page with a writing cursor ``y_in`` (inches from the top)."""

    def __init__(self) -> None:
        self.fig = Figure(figsize=A4_WH_IN)
        self.y_in = MARGIN_IN
        self.width_in = A4_WH_IN[0] - 2 * MARGIN_IN

    def _xy(self, x_in: float, y_in: float) -> tuple[float, float]:
        return x_in / A4_WH_IN[0], 1.0 - y_in / A4_WH_IN[1]

    def text(
        self,
        text: str,
        *,
        size: float = 9,
        bold: bool = False,
        x_in: float = 0.0,
        y_in: float | None = None,
        color: str = "black",
        ha: str = "left",
    ) -> None:
        """Draw one line at the cursor (or ``y_in``) without moving the cursor."""
        y = self.y_in if y_in is None else y_in
        self.fig.text(
            *self._xy(MARGIN_IN + x_in, y),
            text,
            fontsize=size,
            fontweight="bold" if bold else "normal",
            va="top",
            ha=ha,
            color=color,
        )

    def line(self, text: str, *, size: float = 9, bold: bool = False, gap_in: float = 0.05) -> None:
        self.text(text, size=size, bold=bold)
        self.y_in += size / 72.0 * 1.35 + gap_in

    def title(self, text: str, detail: str, *, size: float = 13) -> None:
        """A bold title followed by a detail in brackets (a file name), on one line when
        both fit the page, else the detail on a smaller line of its own."""
        whole = f"{text}  ({detail})"
        if text_width_in(whole, size, bold=True) <= self.width_in:
            self.line(whole, size=size, bold=True)
            return
        self.line(text, size=size, bold=True, gap_in=0.0)
        for row in wrap_to_width(f"({detail})", self.width_in, 9):
            self.line(row, size=9, gap_in=0.0)
        self.y_in += 0.05

    def paragraph(self, text: str, *, size: float = 8.5, width_chars: int = 110) -> None:
        for row in textwrap.wrap(text, width_chars):
            self.line(row, size=size, gap_in=0.0)
        self.y_in += 0.06

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        *,
        size: float = 7.5,
    ) -> None:
        """Header plus rows; ``widths`` are the columns' shares of the text width (see
        :func:`column_widths_in`): no cell runs into the next column or past the margin,
        a table a little too wide for its cells' one line is set up to a point smaller
        (:func:`table_font_size`), and a cell still too wide for its column wraps."""
        size = table_font_size(header, rows, self.width_in, size)
        col_in = column_widths_in(header, rows, widths, self.width_in, size)
        xs = np.concatenate([[0.0], np.cumsum(col_in)[:-1]])
        line_in = size / 72.0 * 1.25
        row_in = size / 72.0 * 1.6
        text_in = [w - COLUMN_GAP_IN for w in col_in[:-1]] + [col_in[-1]]  # no gap at the end
        for is_header, row in [(True, header), *((False, r) for r in rows)]:
            cells = [
                wrap_to_width(cell, w, size, is_header)
                for cell, w in zip(row, text_in, strict=True)
            ]
            for x, lines in zip(xs, cells, strict=True):
                for k, text in enumerate(lines):
                    self.text(
                        text, size=size, bold=is_header, x_in=float(x), y_in=self.y_in + k * line_in
                    )
            self.y_in += row_in + (max(len(lines) for lines in cells) - 1) * line_in
            if is_header:
                self._rule()
        self.y_in += 0.1

    def _rule(self) -> None:
        x0, y = self._xy(MARGIN_IN, self.y_in - 0.03)
        x1, _ = self._xy(MARGIN_IN + self.width_in, self.y_in)
        self.fig.add_artist(matplotlib.lines.Line2D([x0, x1], [y, y], color="0.6", linewidth=0.5))

    def image(self, rgb: np.ndarray, *, height_in: float) -> None:
        """Draw an RGB image centred, ``height_in`` tall at most, and move the cursor."""
        h, w = rgb.shape[:2]
        draw_h = height_in
        draw_w = draw_h * w / h
        if draw_w > self.width_in:
            draw_w = self.width_in
            draw_h = draw_w * h / w
        x_in = MARGIN_IN + (self.width_in - draw_w) / 2
        left, top = self._xy(x_in, self.y_in)
        ax = self.fig.add_axes(
            (left, top - draw_h / A4_WH_IN[1], draw_w / A4_WH_IN[0], draw_h / A4_WH_IN[1])
        )
        ax.imshow(rgb, interpolation="antialiased")
        ax.set_axis_off()
        self.y_in += draw_h + 0.15

    def axes(self, x_in: float, y_in: float, w_in: float, h_in: float):
        left, top = self._xy(MARGIN_IN + x_in, y_in)
        return self.fig.add_axes(
            (left, top - h_in / A4_WH_IN[1], w_in / A4_WH_IN[0], h_in / A4_WH_IN[1])
        )

    def footer(self, text: str, page_text: str) -> None:
        y = A4_WH_IN[1] - MARGIN_IN - 0.3
        self.text(text, size=7, y_in=y, color="0.25")
        self.text(page_text, size=7, y_in=y + 0.16, x_in=self.width_in, ha="right", color="0.25")
