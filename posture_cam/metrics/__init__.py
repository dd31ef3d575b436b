"""Posture metrics: catalogue, view classification, quality gate and engine.

Screening, not diagnosis. Definitions, formulas, norms and sources: docs/metrics.md.

* the catalogue as data: ``catalogue`` (:func:`spec`, :data:`CATALOGUE`), its entries
  in ``specs_frontal`` and ``specs_side``, their types and norm bands in ``norms``, the
  minimal detectable changes and the model's repeatability in ``mdc``, that
  repeatability in a value's own unit (cm through the body height) in ``repeatability``;
* ``view`` — which way the patient faces; ``quality`` (:class:`QualityGate`) and
  ``occlusion`` — whether a frame is good enough to measure;
* ``engine`` (:class:`MetricsEngine`) — the metrics of one pose, with ``geometry``
  (angles and offsets), ``body`` (lengths without a scale) and ``proxies`` (stand-ins
  for points MediaPipe lacks);
* ``retest`` — ICC, SEM and MDC95 from repeated captures (``posture-cam retest``).
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
