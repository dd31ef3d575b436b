"""A small spirit level: a bubble that drifts toward the higher side.

Shows a live tilt in degrees (positive = the patient's LEFT side higher, the metrics'
convention). In the mirror view the patient's left is on the screen's left, so the
bubble moves to the screen side that is higher on the person in front of it.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

#: Degrees at the end of the tube (larger tilts pin the bubble to the end).
FULL_SCALE_DEG = 8.0
#: Within this the bubble is green ("level"), within ``AMBER_DEG`` amber.
LEVEL_DEG = 1.0
AMBER_DEG = 3.0
_GREEN, _AMBER, _GREY = QColor("#3fae5a"), QColor("#e3a21a"), QColor("#9aa0a6")


class LevelBar(QWidget):
    """A horizontal spirit-level tube with a caption drawn on the left.

    Args:
        caption: the name shown beside the tube ("Head", "Shoulders").
        mirror: the view is mirrored (patient's left on the screen's left).
        parent: Qt parent.
    """

    def __init__(self, caption: str, *, mirror: bool = True, parent: QWidget | None = None):
        super().__init__(parent)
        self.caption = caption
        self.mirror = mirror
        self.tilt_deg: float | None = None
        self.setMinimumSize(260, 44)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_tilt(self, tilt_deg: float | None) -> None:
        """Show ``tilt_deg`` (None: no reading, the bubble greys out in the middle)."""
        self.tilt_deg = tilt_deg
        self.update()

    def bubble_fraction(self) -> float:
        """Bubble position along the tube, -1 (screen left) .. +1 (screen right)."""
        if self.tilt_deg is None:
            return 0.0
        frac = max(-1.0, min(1.0, self.tilt_deg / FULL_SCALE_DEG))
        # Bubble rises to the higher side: the patient's left; that is the screen's
        # left in the mirror view and the screen's right in the camera's view.
        return -frac if self.mirror else frac

    def colour(self) -> QColor:
        if self.tilt_deg is None:
            return _GREY
        size = abs(self.tilt_deg)
        return _GREEN if size <= LEVEL_DEG else _AMBER if size <= AMBER_DEG else _GREY

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        h = self.height()
        font = painter.font()
        font.setPointSizeF(max(11.0, h * 0.32))
        painter.setFont(font)
        caption_w = max(110, int(self.width() * 0.3))
        painter.setPen(QColor("#e8eaed"))
        painter.drawText(
            QRectF(0, 0, caption_w - 8, h),
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight),
            self.caption,
        )
        tube = QRectF(caption_w, h * 0.2, self.width() - caption_w - 4, h * 0.6)
        path = QPainterPath()
        path.addRoundedRect(tube, tube.height() / 2, tube.height() / 2)
        painter.fillPath(path, QColor("#2b2f33"))
        painter.setPen(QPen(QColor("#5f6368"), 1.5))
        painter.drawPath(path)
        cx = tube.center().x()
        painter.drawLine(int(cx), int(tube.top() + 3), int(cx), int(tube.bottom() - 3))
        radius = tube.height() * 0.42
        x = cx + self.bubble_fraction() * (tube.width() / 2 - radius - 2)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.colour())
        painter.drawEllipse(QRectF(x - radius, tube.center().y() - radius, 2 * radius, 2 * radius))
        painter.end()
