"""A4 pages of searchable text, tables and images on matplotlib figures.

Every string is drawn with ``Figure.text`` in DejaVu Sans embedded as TrueType
(``pdf.fonttype`` 42), so ``pdftotext`` reads the numbers back and Dutch diacritics
render. Positions are in inches from the top-left corner of the page.

Pages are bare :class:`~matplotlib.figure.Figure` objects, never pyplot's: pyplot keeps
global state and is not safe off the main thread, and the app writes the report on a
worker thread.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import matplotlib
import matplotlib.lines
import numpy as np
from matplotlib.figure import Figure

A4_WH_IN = (8.27, 11.69)
MARGIN_IN = 0.6
FONT = "DejaVu Sans"

matplotlib.rcParams["pdf.fonttype"] = 42
matplotlib.rcParams["font.family"] = FONT


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
        """Header plus rows; ``widths`` are fractions of the text width."""
        xs = np.concatenate([[0.0], np.cumsum(widths)[:-1]]) * self.width_in
        row_in = size / 72.0 * 1.6
        for x, cell in zip(xs, header, strict=True):
            self.text(cell, size=size, bold=True, x_in=float(x))
        self.y_in += row_in
        self._rule()
        for row in rows:
            for x, cell in zip(xs, row, strict=True):
                self.text(cell, size=size, x_in=float(x))
            self.y_in += row_in
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
