"""The metrics panel burned into snapshots says what the window's table says: each value
in the table's words with its ± and where it came from (``model (proxy)``, ``marker``,
``point``), the numbers written as the window writes them (the real minus, "±"), every
measured entry whole at a small snapshot's size."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from posture_cam.i18n import using_language
from posture_cam.metrics.catalogue import is_proxy
from posture_cam.overlay import panel as panel_module
from posture_cam.overlay import style as st
from posture_cam.overlay.panel import MetricsPanelAnnotator
from posture_cam.testing.demo import demo_result
from posture_cam.types import MetricStatus, View
from posture_cam.wording import plus_minus_text, source_text, value_in_words


def _side(**sources: str):
    result = demo_result(View.LEFT, (480, 360))
    metrics = dict(result.metrics)
    for metric_id, source in sources.items():
        metrics[metric_id] = dataclasses.replace(metrics[metric_id], source=source)
    return dataclasses.replace(result, metrics=metrics)


def _spreads(result) -> dict[str, float | None]:
    return {mid: 0.8 + 0.1 * i for i, mid in enumerate(result.metrics)}


@pytest.mark.parametrize("language", ["en", "nl"])
def test_each_entry_has_its_plus_minus_and_source(language) -> None:
    result = _side(cva="point", trunk_inclination="marker")
    spreads = _spreads(result)
    with using_language(language):
        rows = panel_module.panel_rows(result, spreads)
        assert [r.metric_id for r in rows] == list(result.metrics)
        for row in rows:
            metric = result.metrics[row.metric_id]
            assert row.value == value_in_words(metric)  # the table's words
            if metric.value is None or metric.status == MetricStatus.NOT_MEASURABLE:
                assert (row.plus_minus, row.source) == ("", "")
                continue
            assert row.plus_minus == plus_minus_text(spreads[row.metric_id], metric.unit)
            assert row.plus_minus.startswith("±")
            proxy = is_proxy(metric.id, metric.source)
            assert row.source == source_text(metric.source, proxy)
        by_id = {r.metric_id: r for r in rows}
        assert by_id["cva"].source == source_text("point")
        assert by_id["trunk_inclination"].source == source_text("marker")
        assert any(r.source == source_text("model", True) for r in rows)  # "model (proxy)"


def test_without_plus_minus_the_values_stand_alone() -> None:
    rows = panel_module.panel_rows(_side())
    assert rows and all(r.plus_minus == "" for r in rows)


def test_measure_text_counts_the_real_signs_as_drawn() -> None:
    # A real minus and "±" are one sign each, as wide as the font's "+", not "-" / "+/-".
    plus = st.measure_text("+", 0.6, 1)[0]
    assert panel_module.measure_text("−", 0.6, 1)[0] == plus
    assert panel_module.measure_text("±", 0.6, 1)[0] == plus
    minus_w = panel_module.measure_text("−10.0", 0.6, 1)[0]
    assert abs(minus_w - st.measure_text("+10.0", 0.6, 1)[0]) <= 1  # runs round each end


def _ink(text: str) -> np.ndarray:
    img = np.zeros((60, 160, 3), np.uint8)
    panel_module.put_text(img, text, (10, 40), 0.9, (255, 255, 255), 1)
    return img[..., 0] > 96


def test_the_minus_is_the_plus_without_its_upright_and_the_plus_minus_has_a_bar() -> None:
    minus, plus, hyphen = _ink("−"), _ink("+"), _ink("-")
    rows = np.nonzero(minus.any(axis=1))[0]
    assert len(rows) <= 3  # one horizontal stroke
    cols = np.nonzero(minus.any(axis=0))[0]
    plus_cols = np.nonzero(plus.any(axis=0))[0]
    assert abs(len(cols) - len(plus_cols)) <= 1  # as wide as "+"
    assert len(cols) > len(np.nonzero(hyphen.any(axis=0))[0])  # wider than "-"
    # Where "+" has its crossbar.
    assert abs(rows.mean() - np.argmax(plus.sum(axis=1))) <= 1
    pm = _ink("±")
    strokes = np.nonzero(pm.sum(axis=1) >= len(plus_cols) - 2)[0]
    assert strokes.max() - strokes.min() > 4  # two bars: the plus's and the one below
    pm_cols = np.nonzero(pm.any(axis=0))[0]
    assert len(pm_cols) <= len(plus_cols) + 1  # one sign wide, not "+/-"


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_small_snapshot_draws_every_measured_entry_whole(language, monkeypatch) -> None:
    result = _side(cva="point")
    spreads = _spreads(result)
    drawn: list[str] = []
    real = panel_module.put_text

    def spy(img, text, *args, **kwargs):
        drawn.append(text)
        return real(img, text, *args, **kwargs)

    monkeypatch.setattr(panel_module, "put_text", spy)
    scene = np.zeros((360, 480, 3), np.uint8)
    out = MetricsPanelAnnotator(language).compose(scene, result, spreads)
    assert out.shape[0] == 360 and out.shape[1] >= 480 + MetricsPanelAnnotator().width_for(360)
    with using_language(language):
        rows = panel_module.panel_rows(result, spreads)
    for row in rows:
        if row.source:
            for text in (row.label, row.value, f" {row.plus_minus}", row.note, row.source):
                assert text in drawn, (language, row.metric_id, text)
    assert not any("+/-" in t for t in drawn)
