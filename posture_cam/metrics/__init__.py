"""Posture metrics: catalogue, view classification, quality gate and engine.

Screening, not diagnosis. Definitions, formulas, norms and sources: docs/metrics.md.
"""

from __future__ import annotations

from posture_cam.metrics.catalogue import CATALOGUE, MetricSpec, NormBand, spec, specs_for
from posture_cam.metrics.engine import MetricsEngine
from posture_cam.metrics.quality import QualityGate
from posture_cam.metrics.view import classify_view

__all__ = [
    "CATALOGUE",
    "MetricSpec",
    "MetricsEngine",
    "NormBand",
    "QualityGate",
    "classify_view",
    "spec",
    "specs_for",
]
