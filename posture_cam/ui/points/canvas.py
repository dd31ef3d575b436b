"""The frozen image with its points: drag a landmark, place a named point, zoom, nudge.

A view only: it reads positions from the :class:`~posture_cam.markers.PointEditor` and
reports what the hand did through signals (``dragged``, ``nudged``, ``selected``); the
dialog applies the edit and calls :meth:`PointCanvas.update`.

Mouse: with a named point chosen that is not placed yet, a press places it there (and
keeps dragging it); otherwise press on a point (within ``PICK_RADIUS`` screen pixels)
and drag to move it (the grab offset is kept, so the point never jumps to the cursor);
elsewhere a drag pans a zoomed image. Wheel zooms around the cursor
(:class:`~posture_cam.ui.widgets.zoom.ZoomPan`, up to 8x). Keys: arrows nudge the chosen
point by one image pixel (Shift: ten), ``+`` / ``-`` zoom, ``0`` fits.

Drawing: model landmarks are small cyan dots on a grey skeleton; a moved landmark is
orange, with a thin line back to a hollow ring where the model had it; named points
(placed by hand) are magenta diamonds with their name, detected stickers green rings;
the chosen point has a white ring, and a named point not placed yet shows a dotted
cross where the labeller expects it. Names never print over each other
(:func:`place_labels`): a name whose box would meet an earlier one goes to another
side of its point, or below the names already there (ASIS and PSIS sit close together
on a side view).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygonF,
    QWheelEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from posture_cam.app_settings import RECORDS_IMAGE
from posture_cam.landmarks import LANDMARK_NAMES, SKELETON_EDGES
from posture_cam.markers import MARKER_NAMES
from posture_cam.markers.editor import PointEditor
from posture_cam.overlay.privacy import FaceBlurAnnotator, neutral_background
from posture_cam.ui.widgets.zoom import STEP, ZoomPan

#: How close (screen pixels) a press must be to take a point.
PICK_RADIUS = 12.0
MODEL_COLOUR = QColor(0, 200, 255)
MOVED_COLOUR = QColor(255, 150, 0)
PLACED_COLOUR = QColor(255, 0, 200)
MARKER_COLOUR = QColor(60, 255, 60)
SKELETON_COLOUR = QColor(170, 170, 170)
#: Distance (screen pixels) from a named point to the corner of its name's box.
LABEL_GAP = 9.0
#: Half the size (screen pixels) of a named point's mark, which no name may cover.
POINT_RADIUS = 8.0
#: Behind a name: the picture darkened, so magenta reads on a light wall too.
LABEL_BACKING = QColor(0, 0, 0, 110)


def place_labels(
    anchors: list[QPointF],
    sizes: list[QSizeF],
    gap: float = LABEL_GAP,
    keep_clear: float = POINT_RADIUS,
) -> list[QRectF]:
    """Boxes for the names of points at ``anchors`` (widget pixels): none over another
    name, none over a point (a square of ``keep_clear`` pixels around each anchor).

    Each name goes above right of its point where that box is free; else below right,
    above left, below left; else below right, moved down past what is in its way.
    Earlier names keep their place (the protocol's order: head to feet).
    """
    taken = [
        QRectF(p.x() - keep_clear, p.y() - keep_clear, 2 * keep_clear, 2 * keep_clear)
        for p in anchors
    ]
    placed: list[QRectF] = []
    for p, size in zip(anchors, sizes, strict=True):
        w, h = size.width(), size.height()
        candidates = [
            QRectF(p.x() + gap, p.y() - gap - h, w, h),
            QRectF(p.x() + gap, p.y() + gap, w, h),
            QRectF(p.x() - gap - w, p.y() - gap - h, w, h),
            QRectF(p.x() - gap - w, p.y() + gap, w, h),
        ]
        box = next((c for c in candidates if not _meets(c, taken)), None)
        if box is None:
            box = QRectF(candidates[1])
            while _meets(box, taken):  # at most once past each box in the way
                box.moveTop(max(r.bottom() for r in taken if r.intersects(box)) + 1.0)
        placed.append(box)
        taken.append(box)
    return placed


def _meets(box: QRectF, others: list[QRectF]) -> bool:
    return any(box.intersects(r) for r in others)


class PointCanvas(QWidget):
    """Shows the frozen frame and its points; reports drags, nudges and picks.

    Args:
        editor: the edits of the frozen capture (read here, changed by the dialog).
        label: name -> the text drawn beside a named point (translated).
        parent: Qt parent.
        privacy: the image shown, as the visit records store it: ``full``, ``blur`` (every
            face blurred as in blur-face snapshot exports) or ``skeleton`` (the points on
            the plain dark background of skeleton-only exports, no camera pixels).
    """

    #: name, x, y (image pixels), True for the first move of a drag (a new undo step).
    dragged = Signal(str, float, float, bool)
    #: name, dx, dy (image pixels).
    nudged = Signal(str, float, float)
    selected = Signal(str)
    dragFinished = Signal(str)

    def __init__(
        self,
        editor: PointEditor,
        label: Callable[[str], str] = str,
        parent: QWidget | None = None,
        *,
        privacy: str = "full",
    ) -> None:
        super().__init__(parent)
        if privacy not in RECORDS_IMAGE.values():
            raise ValueError(f"privacy must be full, blur or skeleton, got {privacy!r}")
        self.editor = editor
        self._label = label
        self.privacy = privacy
        frame = editor.frozen.frame.image_bgr
        if privacy == "skeleton":
            image = neutral_background(frame.shape)
        elif privacy == "blur":
            # The blur of blur-face exports, on a copy: the frozen frame stays untouched.
            image = FaceBlurAnnotator().annotate(frame.copy(), editor.frozen)
        else:
            image = np.ascontiguousarray(frame)
        h, w = image.shape[:2]
        self._image = QImage(image.data, w, h, image.strides[0], QImage.Format.Format_BGR888).copy()
        self._image_wh = (w, h)
        self._background_pixmap = QPixmap()
        self._background_key: tuple | None = None
        self.zoom = ZoomPan()
        self.current: str | None = None
        self._dragging: str | None = None
        self._grab_offset = QPointF(0.0, 0.0)  # point - press position (widget pixels)
        self._drag_moved = False
        self._pan_from: QPointF | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(False)
        self.setMinimumSize(480, 360)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    # -- coordinates ------------------------------------------------------------------

    def fit_rect(self) -> tuple[float, float, float, float]:
        """The letterboxed rectangle of the whole image (widget pixels)."""
        w, h = self._image_wh
        scale = min(self.width() / w, self.height() / h)
        tw, th = w * scale, h * scale
        return (self.width() - tw) / 2, (self.height() - th) / 2, tw, th

    def _rect(self) -> tuple[float, float, float, float]:
        return self.zoom.apply(self.fit_rect())

    def to_widget(self, xy: tuple[float, float]) -> QPointF:
        """Image pixels -> widget pixels (pixel centres: image x 0 is the first column)."""
        x, y, w, h = self._rect()
        sx, sy = w / self._image_wh[0], h / self._image_wh[1]
        return QPointF(x + (xy[0] + 0.5) * sx, y + (xy[1] + 0.5) * sy)

    def to_image(self, pos: QPointF) -> tuple[float, float]:
        """Widget pixels -> image pixels."""
        x, y, w, h = self._rect()
        sx, sy = w / self._image_wh[0], h / self._image_wh[1]
        return (pos.x() - x) / sx - 0.5, (pos.y() - y) / sy - 0.5

    def pick(self, pos: QPointF) -> str | None:
        """The point nearest ``pos`` within :data:`PICK_RADIUS`; the chosen one wins a tie,
        then named points over landmarks (they sit on top)."""
        best, best_d = None, PICK_RADIUS
        order = [*MARKER_NAMES, *LANDMARK_NAMES]
        if self.current:
            order.insert(0, self.current)
        for name in order:
            xy = self.editor.xy(name)
            if xy is None:
                continue
            p = self.to_widget(xy)
            d = float(np.hypot(p.x() - pos.x(), p.y() - pos.y()))
            if d < best_d - 1e-9:
                best, best_d = name, d
        return best

    # -- public -----------------------------------------------------------------------

    def choose(self, name: str | None) -> None:
        """Make ``name`` the chosen point (arrow keys move it; a click places it)."""
        self.current = name
        self.update()

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        at = anchor or QPointF(self.width() / 2, self.height() / 2)
        self.zoom.zoom_at(factor, (at.x(), at.y()), self.fit_rect())
        self.update()

    def zoom_on(self, name: str, factor: float = 4.0) -> None:
        """Zoom to ``factor`` centred on the point ``name`` (precise placement)."""
        xy = self.editor.xy(name) or self.editor.reference_xy(name)
        if xy is None:
            return
        w, h = self._image_wh
        span = 1.0 / factor
        box = (xy[0] / w - span / 2, xy[1] / h - span / 2, span, span)
        self.zoom.zoom_to_box(box, self.fit_rect(), margin=1.0)
        self.update()

    def fit(self) -> None:
        self.zoom.reset()
        self.update()

    # -- events -----------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        self.setFocus()
        pos = event.position()
        if self.current and self.editor.xy(self.current) is None:
            # Place the chosen named point here, even right beside a landmark (the
            # tragus sits next to the ear point): choosing it asked for a placement.
            self._start_drag(self.current, QPointF(0.0, 0.0))
            self._move_to(pos)
            return
        name = self.pick(pos)
        if name is not None:
            xy = self.editor.xy(name)
            assert xy is not None  # pick() returns placed points only
            # Keep the grab offset: a press a little off the point does not make it jump.
            self._start_drag(name, self.to_widget(xy) - pos)
            return
        self._pan_from = pos

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if self._dragging is not None:
            self._move_to(pos)
        elif self._pan_from is not None:
            delta = pos - self._pan_from
            self._pan_from = pos
            self.zoom.pan_by(delta.x(), delta.y(), self.fit_rect())
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._dragging is not None:
            if self._drag_moved:
                self._move_to(event.position())
            name, self._dragging = self._dragging, None
            self.unsetCursor()
            if self._drag_moved:
                self.dragFinished.emit(name)
        self._pan_from = None

    def wheelEvent(self, event: QWheelEvent) -> None:
        notches = event.angleDelta().y() / 120.0
        if notches:
            self.zoom_by(STEP**notches, event.position())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        steps: dict[Qt.Key, tuple[int, int]] = {
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, -1),
            Qt.Key.Key_Down: (0, 1),
        }
        if key in steps and self.current:
            big = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            dx, dy = steps[key]
            n = 10 if big else 1
            self.nudged.emit(self.current, float(dx * n), float(dy * n))
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(STEP)
        elif key == Qt.Key.Key_Minus:
            self.zoom_by(1 / STEP)
        elif key == Qt.Key.Key_0:
            self.fit()
        else:
            super().keyPressEvent(event)

    def _start_drag(self, name: str, grab_offset: QPointF) -> None:
        self._dragging, self._drag_moved = name, False
        self._grab_offset = grab_offset
        if name != self.current:
            self.current = name
            self.selected.emit(name)
        self.setCursor(Qt.CursorShape.ClosedHandCursor)
        self.update()

    def _move_to(self, pos: QPointF) -> None:
        name = self._dragging
        if name is None:
            return
        x, y = self.to_image(pos + self._grab_offset)
        w, h = self._image_wh
        x, y = min(max(x, 0.0), w - 1.0), min(max(y, 0.0), h - 1.0)
        first = not self._drag_moved
        self._drag_moved = True
        self.dragged.emit(name, x, y, first)

    # -- painting ---------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._background())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self._paint_skeleton(painter)
        self._paint_landmarks(painter)
        self._paint_named(painter)
        painter.end()

    def _background(self) -> QPixmap:
        """The scaled photo, drawn again only when zoom, pan or size change: scaling a
        full frame on every mouse move of a drag would cost more than the metrics."""
        rect = self._rect()
        key = (rect, self.width(), self.height())
        if self._background_key != key:
            pixmap = QPixmap(self.size())
            pixmap.fill(QColor(30, 30, 30))
            painter = QPainter(pixmap)
            # Smooth when shrunk; sharp pixels when zoomed in for precise placement.
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self.zoom.zoom < 2.5)
            painter.drawImage(QRectF(*rect), self._image)
            painter.end()
            self._background_pixmap, self._background_key = pixmap, key
        return self._background_pixmap

    def _paint_skeleton(self, painter: QPainter) -> None:
        painter.setPen(QPen(SKELETON_COLOUR, 1.5))
        for a, b in SKELETON_EDGES:
            pa, pb = self.editor.xy(LANDMARK_NAMES[a]), self.editor.xy(LANDMARK_NAMES[b])
            if pa is not None and pb is not None:
                painter.drawLine(self.to_widget(pa), self.to_widget(pb))

    def _paint_landmarks(self, painter: QPainter) -> None:
        for name in LANDMARK_NAMES:
            xy = self.editor.xy(name)
            if xy is None:
                continue
            p = self.to_widget(xy)
            if self.editor.is_edited(name):
                was = self.editor.model_xy(name)
                if was is not None:
                    q = self.to_widget(was)
                    painter.setPen(QPen(MOVED_COLOUR, 1, Qt.PenStyle.DashLine))
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawLine(q, p)
                    painter.drawEllipse(q, 4, 4)
                colour, radius = MOVED_COLOUR, 5.0
            else:
                colour, radius = MODEL_COLOUR, 3.5
            painter.setPen(QPen(Qt.GlobalColor.black, 1))
            painter.setBrush(colour)
            painter.drawEllipse(p, radius, radius)
            if name == self.current:
                self._ring(painter, p)

    def label_rects(self) -> dict[str, QRectF]:
        """name -> the box its name is drawn in (widget pixels), for every named point
        shown; no two boxes meet, and none covers a named point (:func:`place_labels`)."""
        metrics = QFontMetricsF(self.font())
        names, anchors, sizes = [], [], []
        for name in MARKER_NAMES:
            xy = self.editor.xy(name)
            if xy is None:
                continue
            text = self._label(name)
            names.append(name)
            anchors.append(self.to_widget(xy))
            sizes.append(QSizeF(metrics.horizontalAdvance(text) + 4.0, metrics.height()))
        return dict(zip(names, place_labels(anchors, sizes), strict=True))

    def _paint_named(self, painter: QPainter) -> None:
        painter.setFont(self.font())
        shown = []
        for name in MARKER_NAMES:
            xy = self.editor.xy(name)
            if xy is None:
                if name == self.current:
                    self._expected_hint(painter, name)
                continue
            p = self.to_widget(xy)
            edited = self.editor.is_edited(name)
            colour = PLACED_COLOUR if edited else MARKER_COLOUR
            shown.append((name, colour))
            painter.setPen(QPen(Qt.GlobalColor.black, 1))
            painter.setBrush(colour)
            if edited:
                d = 7.0
                diamond = QPolygonF(
                    [
                        QPointF(p.x(), p.y() - d),
                        QPointF(p.x() + d, p.y()),
                        QPointF(p.x(), p.y() + d),
                        QPointF(p.x() - d, p.y()),
                    ]
                )
                painter.drawPolygon(diamond)
            else:
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(QPen(colour, 2))
                painter.drawEllipse(p, 7, 7)
            if name == self.current:
                self._ring(painter, p)
        # The names after every mark, each in its own box (label_rects).
        boxes = self.label_rects()
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        for name, colour in shown:
            box = boxes[name]
            painter.fillRect(box, LABEL_BACKING)
            painter.setPen(QPen(colour, 1))
            painter.drawText(box.adjusted(2.0, 0.0, 0.0, 0.0), int(align), self._label(name))

    def _expected_hint(self, painter: QPainter, name: str) -> None:
        xy = self.editor.reference_xy(name)
        if xy is None:
            return
        p = self.to_widget(xy)
        painter.setPen(QPen(PLACED_COLOUR, 1, Qt.PenStyle.DotLine))
        painter.drawLine(p + QPointF(-10, 0), p + QPointF(10, 0))
        painter.drawLine(p + QPointF(0, -10), p + QPointF(0, 10))

    @staticmethod
    def _ring(painter: QPainter, p: QPointF) -> None:
        painter.setPen(QPen(Qt.GlobalColor.white, 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(p, 10, 10)
