"""Paints the ghost of the previous visit's skeleton over the live image.

A :class:`VideoView` overlay: for each painted result it asks the
:class:`VisitController` for the previous skeleton of the current protocol step placed
on the live pose (``posture_cam.records.ghost``) and draws it as thin translucent
lines, mirrored with the display when the display is mirrored.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from posture_cam.landmarks import SKELETON_EDGES
from posture_cam.live import LiveResult
from posture_cam.ui.records.visit_controller import VisitController

GHOST_COLOR = QColor(255, 255, 255, 150)


class GhostLayer:
    """Callable overlay for ``VideoView.overlays``.

    Args:
        controller: gives the ghost points for the live pose.
        mirrored: returns True when the display is mirrored.
    """

    def __init__(self, controller: VisitController, mirrored: Callable[[], bool]) -> None:
        self.controller = controller
        self.mirrored = mirrored
        self.last_points: np.ndarray | None = None

    def __call__(self, painter: QPainter, target: QRectF, live: LiveResult) -> None:
        pose = live.result.pose_image
        self.last_points = None
        if pose is None:
            return
        ghost = self.controller.ghost_for(pose.xy_px)
        if ghost is None:
            return
        w, h = live.result.frame.resolution_wh
        x = ghost[:, 0] / w
        if self.mirrored():
            x = 1.0 - x
        px = target.x() + x * target.width()
        py = target.y() + ghost[:, 1] / h * target.height()
        self.last_points = np.stack([px, py], axis=1)
        pen = QPen(GHOST_COLOR, 3.0, Qt.PenStyle.DashLine)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(pen)
        for a, b in SKELETON_EDGES:
            if np.isfinite([px[a], py[a], px[b], py[b]]).all():
                painter.drawLine(QPointF(px[a], py[a]), QPointF(px[b], py[b]))
