"""A picture that always fits its widget whole (no Qt outside ``posture_cam/ui``).

The result card's skeleton picture was scaled once to 560 px and shown in a label
narrower than that, which cut off its right side: the shoulder line's value label ("0.2°"
without its side) on every front check. This label keeps the full picture and scales it
to the space it has, whenever that changes.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class FittedPicture(QLabel):
    """Shows a pixmap scaled down (never up beyond ``max_side_px``) to fit, aspect kept."""

    def __init__(self, max_side_px: int = 560, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.max_side_px = max_side_px
        self._full: QPixmap | None = None
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)

    def set_picture(self, pixmap: QPixmap) -> None:
        self._full = pixmap
        self._fit()

    def sizeHint(self) -> QSize:
        if self._full is None:
            return super().sizeHint()
        return self._full.size().scaled(
            QSize(self.max_side_px, self.max_side_px), Qt.AspectRatioMode.KeepAspectRatio
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self._full is None or self._full.isNull():
            return
        side = self.max_side_px
        box = QSize(min(self.width(), side), min(self.height(), side))
        if box.width() <= 0 or box.height() <= 0:
            return
        self.setPixmap(
            self._full.scaled(
                box, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
        )
