"""The live image: paints the worker's finished overlay image, newest result wins.

The worker already drew the overlay, at the view's size, and laid it out as Qt's
``Format_RGB32`` (``LiveResult.display_bgrx``); here it is wrapped in a ``QImage``
without copying (over the array's buffer, which the :class:`LiveResult` keeps alive)
and blitted at whole pixels, which costs the GUI thread a tenth of converting a BGR
image on every paint. Results that arrive while an
earlier one is still waiting to be painted replace it (counted in
``DisplayStats.superseded``), so a busy GUI thread never builds a backlog.

Zoom and pan (display only, :mod:`posture_cam.ui.widgets.zoom`): the mouse wheel zooms
around the cursor, a drag pans, :meth:`VideoView.zoom_by` / :meth:`VideoView.fit` /
:meth:`VideoView.zoom_to_person` serve the keys.

Latency = the moment the frame is painted − the frame's capture time (both
``time.perf_counter()``), recorded once per painted result.
"""

from __future__ import annotations

import sys
import time
from collections import deque
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from posture_cam.live import LiveResult
from posture_cam.types import Pose
from posture_cam.ui.widgets.zoom import STEP, ZoomPan

#: Zoom to the patient: room above the topmost landmark for the top of the head, as a
#: fraction of the landmarks' height (the crown is ~6 % of the body above the eyes).
HEAD_TOP_OF_BOX = 0.08


def person_box01(pose: Pose) -> tuple[float, float, float, float] | None:
    """The patient's box (x, y, w, h as fractions of the frame) for *Zoom to the
    patient*: the landmarks' box, reaching up to the top of the head (the landmarks stop
    at the eyes and ears; the crown is about half a head higher); None without two
    landmarks."""
    xy = pose.xy_px[np.isfinite(pose.xy_px).all(axis=1)]
    if len(xy) < 2:
        return None
    fw, fh = pose.resolution_wh
    (x0, y0), (x1, y1) = xy.min(axis=0), xy.max(axis=0)
    y0 = max(0.0, y0 - HEAD_TOP_OF_BOX * (y1 - y0))
    return (max(0.0, x0 / fw), y0 / fh, (x1 - x0) / fw, (y1 - y0) / fh)


@dataclass(frozen=True)
class PaintRecord:
    """When one result was painted, and where its time went (for benchmarks).

    Attributes:
        paint_s: ``time.perf_counter()`` at the end of the paint.
        capture_s: when the frame was captured / due.
        emitted_s: when the live loop finished its overlay.
        work_ms: inference + post-processing + overlay drawing of this frame.
        dropped: source frames skipped before it.
    """

    paint_s: float
    capture_s: float
    emitted_s: float
    work_ms: float
    dropped: int

    @property
    def latency_ms(self) -> float:
        return (self.paint_s - self.capture_s) * 1000.0

    @property
    def waited_ms(self) -> float:
        """Time the frame spent waiting (in a slot, a queue, for the paint), not worked on."""
        return self.latency_ms - self.work_ms


@dataclass
class DisplayStats:
    """Rolling display statistics (GUI thread only).

    Attributes:
        window: how many recent paints the fps and latency figures cover.
        record_all: keep a :class:`PaintRecord` of every paint in ``records``.
    """

    window: int = 120
    paint_times: deque[float] = field(default_factory=deque)
    latencies_ms: deque[float] = field(default_factory=deque)
    painted: int = 0
    superseded: int = 0
    source_dropped: int = 0
    record_all: bool = False
    records: list[PaintRecord] = field(default_factory=list)

    def add_paint(self, now_s: float, live: LiveResult) -> None:
        latency_ms = (now_s - live.capture_s) * 1000.0
        self.painted += 1
        self.paint_times.append(now_s)
        self.latencies_ms.append(latency_ms)
        if self.record_all:
            timings = live.result.timings_ms
            work_ms = timings.get("inference", 0.0) + timings.get("post", 0.0) + live.render_ms
            self.records.append(
                PaintRecord(now_s, live.capture_s, live.emitted_s, work_ms, live.dropped)
            )
        while len(self.paint_times) > self.window:
            self.paint_times.popleft()
            self.latencies_ms.popleft()

    @property
    def fps(self) -> float:
        """Paints per second over the window (like supervision's FPSMonitor)."""
        if len(self.paint_times) < 2:
            return 0.0
        span = self.paint_times[-1] - self.paint_times[0]
        return (len(self.paint_times) - 1) / span if span > 0 else 0.0

    @property
    def latency_ms(self) -> float:
        return float(np.median(self.latencies_ms)) if self.latencies_ms else 0.0


class VideoView(QWidget):
    """Draws the newest :class:`LiveResult` image, letterboxed, plus a big banner text.

    Signals:
        displaySizeChanged: (width, height) in device pixels, after a resize.

    Args:
        parent: Qt parent.
    """

    displaySizeChanged = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 240)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        # Clicking the picture takes the keyboard back from any text field, so the
        # one-key shortcuts (Space, M, Z, 0-5, +/-) work again.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.stats = DisplayStats()
        self._pending: LiveResult | None = None
        self._shown: LiveResult | None = None
        self._banner = ""
        self.zoom = ZoomPan()
        self._drag_from: QPointF | None = None
        self._image_wh = (0, 0)
        #: Extra layers painted over the image: ``fn(painter, target_rect, live)``
        #: (e.g. the ghost of the previous visit's skeleton).
        self.overlays: list = []

    def show_result(self, live: LiveResult) -> None:
        """Paint ``live`` now (a hidden view paints it when shown, unless a newer one
        replaced it first).

        At once, not at the next pass of the event loop (``update()``): the same pass
        then refreshes the side panel's table and checklist (8 times a second), and a
        queued paint waited behind that for 8-21 ms in ``bench/app_latency.py``'s
        records, every panel refresh, one frame in five.
        """
        if self._pending is not None:
            self.stats.superseded += 1
        self.stats.source_dropped += live.dropped
        self._pending = live
        self.repaint()

    def set_banner(self, text: str) -> None:
        """Large centred text over the image (countdown); empty to hide."""
        if text != self._banner:
            self._banner = text
            self.update()

    @property
    def shown(self) -> LiveResult | None:
        """The result painted last (None before the first paint)."""
        return self._shown

    def clear(self) -> None:
        self._pending = self._shown = None
        self.update()

    def device_size(self) -> tuple[int, int]:
        ratio = self.devicePixelRatioF()
        return round(self.width() * ratio), round(self.height() * ratio)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.displaySizeChanged.emit(*self.device_size())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(20, 20, 20))
        fresh = self._pending
        if fresh is not None:
            self._pending = None
            self._shown = fresh
        live = self._shown
        if live is not None:
            qimage = _qimage(live)
            ratio = self.devicePixelRatioF()
            qimage.setDevicePixelRatio(ratio)
            w, h = qimage.width(), qimage.height()
            self._image_wh = (w, h)
            scale = min(self.width() * ratio / w, self.height() * ratio / h)
            target = QRectF(*self.zoom.apply(self.fit_rect()))
            one_to_one = abs(scale - 1.0) <= 0.01 and self.zoom.is_fit
            if one_to_one:
                # The worker drew at the view's size: a blit, at whole pixels (a
                # fractional offset would send Qt down its transforming path).
                target = QRectF(round(target.x()), round(target.y()), w / ratio, h / ratio)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, not one_to_one)
            painter.drawImage(target, qimage)
            for overlay in self.overlays:
                overlay(painter, target, live)
        if self._banner:
            self._paint_banner(painter)
        painter.end()
        if fresh is not None:
            now = time.perf_counter()
            self.stats.add_paint(now, fresh)

    # -- zoom and pan ---------------------------------------------------------------

    def fit_rect(self) -> tuple[float, float, float, float]:
        """The letterboxed rectangle of the whole image (widget pixels)."""
        w, h = self._image_wh
        if not w or not h:
            return 0.0, 0.0, float(self.width()), float(self.height())
        scale = min(self.width() / w, self.height() / h)
        tw, th = w * scale, h * scale
        return (self.width() - tw) / 2, (self.height() - th) / 2, tw, th

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom by ``factor`` around ``anchor`` (default: the view centre)."""
        at = anchor or QPointF(self.width() / 2, self.height() / 2)
        self.zoom.zoom_at(factor, (at.x(), at.y()), self.fit_rect())
        self.update()

    def fit(self) -> None:
        """Show the whole image again."""
        self.zoom.reset()
        self.update()

    def zoom_to_person(self) -> bool:
        """Zoom onto the person's bounding box in the shown result; False without one."""
        live = self._shown
        pose = live.result.pose_image if live is not None else None
        if pose is None:
            return False
        box = person_box01(pose)
        if box is None:
            return False
        self.zoom.zoom_to_box(box, self.fit_rect())
        self.update()
        return True

    def wheelEvent(self, event: QWheelEvent) -> None:
        notches = event.angleDelta().y() / 120.0
        if notches:
            self.zoom_by(STEP**notches, event.position())
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and not self.zoom.is_fit:
            self._drag_from = event.position()
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is not None:
            delta = event.position() - self._drag_from
            self._drag_from = event.position()
            self.zoom.pan_by(delta.x(), delta.y(), self.fit_rect())
            self.update()
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._drag_from = None
        self.unsetCursor()
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.fit()
        super().mouseDoubleClickEvent(event)

    def banner_font(self) -> QFont:
        """The banner's font: big for a countdown digit, shrunk until a long text (a
        file name, "Momentopname over 2…") fits 92 % of the view's width."""
        font = QFont(self.font())
        font.setBold(True)
        size = max(18.0, self.height() / 14)
        font.setPointSizeF(size)
        room = 0.92 * self.width()
        width = QFontMetricsF(font).horizontalAdvance(self._banner)
        if width > room:
            font.setPointSizeF(max(10.0, size * room / width))
        # Text does not scale exactly with the point size (hinting): shrink on until it
        # fits, so "Snapshot in 2…" is not cut to "Snapsh… in 2…" in a narrow view.
        while (
            QFontMetricsF(font).horizontalAdvance(self._banner) > room and font.pointSizeF() > 10.0
        ):
            font.setPointSizeF(max(10.0, font.pointSizeF() * 0.95))
        return font

    def _paint_banner(self, painter: QPainter) -> None:
        font = self.banner_font()
        room = 0.92 * self.width()
        text = QFontMetricsF(font).elidedText(self._banner, Qt.TextElideMode.ElideMiddle, room)
        painter.setFont(font)
        box = QRectF(0, self.height() * 0.4, self.width(), self.height() * 0.2)
        painter.fillRect(box, QColor(0, 0, 0, 150))
        painter.setPen(QColor(255, 255, 255))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)


def _qimage(live: LiveResult) -> QImage:
    """``live``'s picture as a QImage over its own buffer (no copy).

    ``display_bgrx`` (B, G, R, 255 bytes) is ``Format_RGB32`` on little-endian machines,
    the format of Qt's raster backing store; otherwise the BGR image is converted.
    """
    bgrx = live.display_bgrx
    if bgrx is not None and sys.byteorder == "little":
        h, w = bgrx.shape[:2]
        return QImage(bgrx.data, w, h, bgrx.strides[0], QImage.Format.Format_RGB32)
    img = live.image_bgr
    h, w = img.shape[:2]
    return QImage(img.data, w, h, img.strides[0], QImage.Format.Format_BGR888)
