"""Overlay drawing with OpenCV and NumPy only (no Qt): skeleton, references, angles, skin
markers and placed points, panel.

Use :class:`OverlayRenderer` for a whole frame; the annotators draw one thing each and
can be combined freely (``annotate(scene, result) -> scene``, like supervision's).
"""

from posture_cam.overlay.annotators import NoPersonAnnotator, SideLabelAnnotator, SkeletonAnnotator
from posture_cam.overlay.panel import MetricsPanelAnnotator
from posture_cam.overlay.points import PointsAnnotator
from posture_cam.overlay.privacy import FaceBlurAnnotator, face_box
from posture_cam.overlay.references import (
    FrontalLinesAnnotator,
    PlumbLineAnnotator,
    SideViewAnnotator,
)
from posture_cam.overlay.renderer import OverlayRenderer, display_result
from posture_cam.overlay.style import OverlayStyle

__all__ = [
    "FaceBlurAnnotator",
    "FrontalLinesAnnotator",
    "MetricsPanelAnnotator",
    "NoPersonAnnotator",
    "OverlayRenderer",
    "OverlayStyle",
    "PlumbLineAnnotator",
    "PointsAnnotator",
    "SideLabelAnnotator",
    "SideViewAnnotator",
    "SkeletonAnnotator",
    "display_result",
    "face_box",
]
