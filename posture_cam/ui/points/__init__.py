"""Therapist-placed and corrected points in the app: freeze a capture, drag a landmark or
place a named point, and the numbers recompute at once (``posture_cam.markers.editor``).
"""

from __future__ import annotations

from posture_cam.ui.points.controller import PointsController
from posture_cam.ui.points.dialog import PointsDialog, point_label

__all__ = ["PointsController", "PointsDialog", "point_label"]
