"""The catalogue's types: declared by keyword, so each entry reads as data."""

from __future__ import annotations

import dataclasses

import pytest

from posture_cam.metrics.norms import FRONTAL_VIEWS, Mdc, MetricSpec, NormBand
from posture_cam.types import MetricStatus


def test_catalogue_types_refuse_positional_lists() -> None:
    with pytest.raises(TypeError):
        NormBand((-1.0, 1.0), (-2.0, 2.0), "a source")  # type: ignore[misc]
    with pytest.raises(TypeError):
        Mdc(3.0, "a source", "literature")  # type: ignore[misc]
    band = NormBand(normal=(-1.0, 1.0), borderline=(-2.0, 2.0), source="a source")
    fields = {f.name: None for f in dataclasses.fields(MetricSpec)}
    with pytest.raises(TypeError):
        MetricSpec(*fields)  # type: ignore[misc]
    spec = MetricSpec(
        id="x_tilt",
        label="X tilt",
        unit_kind="angle",
        sign="positive = left higher",
        landmarks=(11, 12),
        norm=band,
        proxy=False,
        proxy_note="",
        views=FRONTAL_VIEWS,
        definition="A line vs the horizontal.",
    )
    assert spec.mdc is None and spec.repeatability is None
    statuses = [spec.norm.status(v) for v in (0.5, -1.0, -1.5, 2.0, 2.5)]
    assert statuses == [
        MetricStatus.NORMAL,
        MetricStatus.NORMAL,
        MetricStatus.BORDERLINE,
        MetricStatus.BORDERLINE,
        MetricStatus.OUTSIDE,
    ]
