"""A small spirit level: a bubble that drifts toward the higher side.

Shows a live tilt in degrees (positive = the patient's LEFT side higher, the metrics'
convention). In the mirror view the patient's left is on the screen's left, so the
bubble moves to the screen side that is higher on the person in front of it.

The bubble takes the traffic-light colour of the metric's catalogue band
(:func:`posture_cam.metrics.spec`: head tilt normal within 2°, borderline within 4°;
shoulder tilt 1.5° and 3°), the same colours as the overlay's measured lines; grey only
when there is no reading.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from posture_cam.metrics import spec
from posture_cam.types import MetricStatus
from posture_cam.wording import status_color_rgb

#: Degrees at the end of the tube (larger tilts pin the bubble to the end).
FULL_SCALE_DEG = 8.0


def status_colour(status: MetricStatus) -> QColor:
    """The traffic-light colour of ``status`` (the one set of UI and overlay)."""
    return QColor(*status_color_rgb(status))


class LevelBar(QWidget):
    """A horizontal spirit-level tube with a caption drawn on the left.

    Args:
        caption: the name shown beside the tube ("Head", "Shoulders").
        metric_id: the catalogue metric whose band colours the bubble (``head_tilt``,
            ``shoulder_tilt``).
        mirror: the view is mirrored (patient's left on the screen's left).
        parent: Qt parent.
    """

    def __init__(
        self,
        caption: str,
        metric_id: str,
        *,
        mirror: bool = True,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.caption = caption
        self.band = spec(metric_id).norm
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

    def status(self) -> MetricStatus:
        """The tilt's status against the metric's band (not measurable: no reading)."""
        if self.tilt_deg is None:
            return MetricStatus.NOT_MEASURABLE
        return self.band.status(self.tilt_deg)

    def colour(self) -> QColor:
        """Green / amber / red as the band says; grey only for no reading."""
        return status_colour(self.status())

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
