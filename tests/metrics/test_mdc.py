"""MDC and source fields: every metric has an MDC with a source, every value a source,
and averaged values carry ± = sqrt(spread² + model repeatability²)."""

from __future__ import annotations

import math

import numpy as np

from posture_cam.capture.averaging import AveragedCapture
from posture_cam.metrics import CATALOGUE, spec
from posture_cam.types import Metric, MetricStatus
from tests._helpers import result


def test_every_metric_has_an_mdc_with_source_and_kind() -> None:
    for s in CATALOGUE:
        if s.id == "forward_shoulder_angle":
            # Marker-only, no published MDC found: documented, measured by `retest`.
            assert s.mdc is None
            continue
        assert s.mdc is not None, s.id
        assert s.mdc.value > 0 and s.mdc.source, s.id
        assert s.mdc.kind in ("literature", "own repeatability"), s.id
        if s.mdc.kind == "own repeatability":
            # MDC95 = 1.96 * sqrt(2) * SEM
            assert math.isclose(s.mdc.value, 2.772 * s.mdc.sem, abs_tol=0.02), s.id


def test_cva_mdc_is_the_published_one() -> None:
    assert spec("cva").mdc.value == 4.96
    assert spec("cva").mdc.kind == "literature"
    assert "Gallego-Izquierdo" in spec("cva").mdc.source


def test_metric_json_names_its_source() -> None:
    assert Metric("cva", 50.0, "deg", MetricStatus.NORMAL).to_json()["source"] == "model"
    m = Metric("cva", 50.0, "deg", MetricStatus.NORMAL, source="marker")
    assert m.to_json()["source"] == "marker"


def test_capture_uncertainty_combines_spread_and_repeatability() -> None:
    cap = AveragedCapture()
    values = [1.0, 2.0, 3.0, 2.5]
    for i, v in enumerate(values):
        cap.add(result(i, {"shoulder_tilt": v}))
    entry = cap.summary().metrics["shoulder_tilt"]
    sd = float(np.std(values, ddof=1))
    rep = spec("shoulder_tilt").repeatability
    assert rep is not None and rep > 0
    assert math.isclose(entry.uncertainty, math.hypot(sd, rep), rel_tol=1e-9)
    assert entry.source == "model"
    assert entry.mdc == spec("shoulder_tilt").mdc.value
    assert entry.mdc_kind == "own repeatability"
