"""Zoom and pan of the live image (display only: the analysis never sees it).

The state is a zoom factor (1 = the whole image fits the view) and a pan offset of the
image centre from the view centre, in widget pixels. Zooming keeps the image point
under the cursor where it is (like any photo viewer); the pan is clamped so the image
can never be pushed out of the view. Plain arithmetic on ``(x, y)`` tuples, so it is
tested without a window.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_ZOOM = 1.0
MAX_ZOOM = 8.0
STEP = 1.25  # one wheel notch or one +/- key press

Rect = tuple[float, float, float, float]  # x, y, width, height


@dataclass
class ZoomPan:
    """Zoom factor and pan offset of the displayed image."""

    zoom: float = 1.0
    pan_x: float = 0.0
    pan_y: float = 0.0

    @property
    def is_fit(self) -> bool:
        return self.zoom == 1.0 and self.pan_x == 0.0 and self.pan_y == 0.0

    def reset(self) -> None:
        """Back to "fit": the whole image in view."""
        self.zoom, self.pan_x, self.pan_y = 1.0, 0.0, 0.0

    def apply(self, fit: Rect) -> Rect:
        """The on-screen rectangle of the image, given its letterboxed "fit" rectangle."""
        x, y, w, h = fit
        cx, cy = x + w / 2 + self.pan_x, y + h / 2 + self.pan_y
        zw, zh = w * self.zoom, h * self.zoom
        return cx - zw / 2, cy - zh / 2, zw, zh

    def zoom_at(self, factor: float, anchor_xy: tuple[float, float], fit: Rect) -> None:
        """Multiply the zoom by ``factor`` keeping the image point under ``anchor_xy``."""
        new_zoom = min(MAX_ZOOM, max(MIN_ZOOM, self.zoom * factor))
        x, y, w, h = self.apply(fit)
        # Where the anchor sits in the image, 0..1 across; it must stay under the anchor.
        u = (anchor_xy[0] - x) / w if w else 0.5
        v = (anchor_xy[1] - y) / h if h else 0.5
        fx, fy, fw, fh = fit
        new_w, new_h = fw * new_zoom, fh * new_zoom
        cx = anchor_xy[0] - u * new_w + new_w / 2
        cy = anchor_xy[1] - v * new_h + new_h / 2
        self.zoom = new_zoom
        self.pan_x, self.pan_y = cx - (fx + fw / 2), cy - (fy + fh / 2)
        self._clamp(fit)

    def pan_by(self, dx: float, dy: float, fit: Rect) -> None:
        """Move the image by (dx, dy) widget pixels (a mouse drag)."""
        self.pan_x += dx
        self.pan_y += dy
        self._clamp(fit)

    def zoom_to_box(self, box01: Rect, fit: Rect, margin: float = 1.15) -> None:
        """Zoom so the box (x, y, w, h as fractions of the image) fills the view.

        Args:
            box01: the region to show (e.g. the person's bounding box), 0..1.
            fit: the letterboxed "fit" rectangle of the image.
            margin: room around the box (1.15 = 15 %).
        """
        bx, by, bw, bh = box01
        if bw <= 0 or bh <= 0:
            return
        self.zoom = min(MAX_ZOOM, max(MIN_ZOOM, 1.0 / (max(bw, bh) * margin)))
        _fx, _fy, fw, fh = fit
        # Box centre relative to the image centre, in zoomed pixels; shift it to the centre.
        self.pan_x = -((bx + bw / 2) - 0.5) * fw * self.zoom
        self.pan_y = -((by + bh / 2) - 0.5) * fh * self.zoom
        self._clamp(fit)

    def _clamp(self, fit: Rect) -> None:
        """Keep the image in view: larger than the view, it covers it; smaller, it fits."""
        _, _, w, h = fit
        view_w, view_h = _view_size(fit)
        limit_x = abs(w * self.zoom - view_w) / 2
        limit_y = abs(h * self.zoom - view_h) / 2
        self.pan_x = min(limit_x, max(-limit_x, self.pan_x))
        self.pan_y = min(limit_y, max(-limit_y, self.pan_y))


def _view_size(fit: Rect) -> tuple[float, float]:
    """The view's size: the fit rectangle is centred in it."""
    x, y, w, h = fit
    return 2 * x + w, 2 * y + h
