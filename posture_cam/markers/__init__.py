"""Skin markers (SAPO protocol stickers) and therapist-placed points.

A marker or a placed point wins over the model landmark it stands for, and every
metric computed from one says so (``Metric.source``). See docs/metrics.md for the
protocol and ``posture_cam.markers.label`` for how stickers are named. Hand edits of a
frozen capture, recomputed through the metrics engine: ``posture_cam.markers.editor``.
"""

from __future__ import annotations

from posture_cam.markers.detect import Blob, MarkerColour, detect_blobs
from posture_cam.markers.label import MarkerLocator, MarkerResult, parse_names
from posture_cam.markers.points import (
    MARKER_NAMES,
    NamedPoint,
    PointEdit,
    PointEdits,
    parse_point,
)
from posture_cam.markers.stage import FramePoints, PointStage, measured_points

__all__ = [
    "MARKER_NAMES",
    "Blob",
    "FramePoints",
    "MarkerColour",
    "MarkerLocator",
    "MarkerResult",
    "NamedPoint",
    "PointEdit",
    "PointEdits",
    "PointStage",
    "detect_blobs",
    "measured_points",
    "parse_names",
    "parse_point",
]
