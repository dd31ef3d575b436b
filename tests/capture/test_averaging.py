"""AveragedCapture on synthetic FrameResults (no model, no media)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from posture_cam.capture.averaging import AveragedCapture
from posture_cam.metrics import spec
from posture_cam.types import (
    Metric,
    MetricStatus,
    QualityReport,
    View,
)
from tests._helpers import FPS, bad, result


def test_statistics_of_each_metric():
    cap = AveragedCapture()
    tilt = [1.0, 2.0, 3.0, 4.0, 100.0]  # one outlier frame: the median ignores it
    for i, v in enumerate(tilt):
        cap.add(result(i, {"shoulder_tilt": v, "head_tilt": -0.5}))
    s = cap.summary()
    st = s.metrics["shoulder_tilt"]
    assert st.median == 3.0
    assert st.sd == pytest.approx(np.std(tilt, ddof=1))
    assert st.iqr == pytest.approx(2.0)  # 4.0 - 2.0 (linear percentiles)
    assert (st.min, st.max, st.n_frames, st.unit) == (1.0, 100.0, 5, "deg")
    assert s.metrics["head_tilt"].sd == 0.0
    assert list(s.metrics) == ["shoulder_tilt", "head_tilt"]
    assert s.capture.to_json(None) | {"seconds": None} == {
        "ok": True,
        "reason": None,
        "view": "front",
        "frames_seen": 5,
        "frames_used": 5,
        "frames_no_person": 0,
        "frames_quality_failed": 0,
        "seconds": None,
        "complete": False,
    }
    assert s.capture.seconds == pytest.approx(5 / FPS)


@pytest.mark.parametrize(
    ("tilts", "status"),
    [([0.0, 1.0, 1.4], "normal"), ([0.0, 2.0, 2.0], "borderline"), ([0.0, -3.5, -3.5], "outside")],
)
def test_status_is_that_of_the_median_in_the_catalogue_band(tilts, status):
    # shoulder_tilt catalogue band: normal |x| <= 1.5 deg, borderline |x| <= 3 deg.
    cap = AveragedCapture()
    for i, v in enumerate(tilts):
        cap.add(result(i, {"shoulder_tilt": v}))
    assert cap.summary().metrics["shoulder_tilt"].status == status


def test_cm_status_comes_from_the_frame_nearest_the_median():
    """cm values are judged in %height by the engine; the capture reuses that verdict."""
    cap = AveragedCapture()
    statuses = [MetricStatus.NORMAL, MetricStatus.OUTSIDE, MetricStatus.BORDERLINE]
    for i, (v, st) in enumerate(zip([0.1, 9.0, 2.0], statuses, strict=True)):
        cap.add(result(i, {"head_shift": v}, unit="cm", status=st))
    assert cap.summary().metrics["head_shift"].status == "borderline"


def test_failed_quality_frames_are_counted_but_excluded():
    cap = AveragedCapture(require_quality=True)
    cap.add(result(0, {"shoulder_tilt": 50.0}, quality=bad()))
    cap.add(result(1, {"shoulder_tilt": 1.0}))
    cap.add(result(2, {"shoulder_tilt": 2.0}))
    cap.add(result(3, {}, person=False))
    s = cap.summary()
    assert (cap.frames_seen, cap.frames_used) == (4, 2)
    assert s.capture.frames_quality_failed == 1
    assert s.capture.frames_no_person == 1
    assert s.metrics["shoulder_tilt"].median == 1.5
    lenient = AveragedCapture(require_quality=False)
    for r in (result(0, {"shoulder_tilt": 50.0}, quality=bad()), result(1, {"shoulder_tilt": 1.0})):
        lenient.add(r)
    assert lenient.summary().metrics["shoulder_tilt"].median == 25.5


def test_unmeasurable_metric_is_skipped_per_frame_and_reported_when_never_measured():
    cap = AveragedCapture()
    cap.add(result(0, {"head_tilt": None, "shoulder_tilt": 1.0, "cva": None}))
    cap.add(result(1, {"head_tilt": 4.0, "shoulder_tilt": 1.0, "cva": None}))
    m = cap.summary().metrics
    assert m["head_tilt"].n_frames == 1 and m["head_tilt"].median == 4.0
    assert m["cva"].median is None and m["cva"].n_frames == 0
    assert m["cva"].status == "not_measurable"
    assert m["cva"].reason == "ears not visible"


def test_only_frames_of_the_dominant_view_are_used():
    cap = AveragedCapture()
    for i in range(3):
        cap.add(result(i, {"shoulder_tilt": 1.0}, view=View.FRONT))
    cap.add(result(3, {"cva": 48.0}, view=View.LEFT))
    s = cap.summary()
    assert cap.dominant_view == View.FRONT and s.capture.view == "front"
    assert cap.frames_used == 3
    assert "cva" not in s.metrics


def test_no_qualifying_frame_says_why():
    cap = AveragedCapture(seconds=0.1)
    for i in range(4):
        cap.add(result(i, {"shoulder_tilt": 1.0}, quality=bad("patient moving")))
    s = cap.summary()
    assert cap.is_complete
    assert s.capture.ok is False and s.metrics == {}
    assert "quality gate failed in all 4 frames" in s.capture.reason
    assert "patient moving (4)" in s.capture.reason
    nobody = AveragedCapture()
    nobody.add(result(0, {}, person=False))
    assert nobody.summary().capture.reason == "no person found in any of the 1 frames"
    assert AveragedCapture().summary().capture.reason == "no frames were captured"
    # An empty report means nothing was checked: not clinical, and the reason says so.
    unchecked = AveragedCapture()
    unchecked.add(result(0, {"shoulder_tilt": 1.0}, quality=QualityReport(())))
    assert "no quality checks ran" in unchecked.summary().capture.reason


def test_completion_by_frames_and_by_seconds():
    by_frames = AveragedCapture(n_frames=3)
    by_frames.add(result(0, {"cva": 48.0}, quality=bad()))  # not used: does not count
    for i in range(1, 3):
        by_frames.add(result(i, {"cva": 48.0}))
        assert not by_frames.is_complete
    by_frames.add(result(3, {"cva": 48.0}))
    assert by_frames.is_complete

    by_time = AveragedCapture(seconds=1.0)
    n = 0
    while not by_time.is_complete:
        by_time.add(result(n, {"cva": 48.0}))
        n += 1
    assert n == 30  # 30 frames at 30 fps cover exactly one second
    assert not AveragedCapture().is_complete


def test_mixed_units_keep_the_majority_unit():
    cap = AveragedCapture()
    cap.add(result(0, {"head_shift": 2.0}, unit="cm"))
    cap.add(result(1, {"head_shift": 2.2}, unit="cm"))
    cap.add(result(2, {"head_shift": 40.0}, unit="%height"))
    m = cap.summary().metrics["head_shift"]
    assert m.unit == "cm" and m.n_frames == 2 and m.max == 2.2


def test_to_json_round_trips():
    cap = AveragedCapture(n_frames=2)
    cap.add(result(0, {"shoulder_tilt": 1.23456}))
    cap.add(result(1, {"shoulder_tilt": 2.0}))
    data = cap.to_json()
    assert data["capture"]["complete"] is True
    assert data["metrics"]["shoulder_tilt"]["median"] == pytest.approx(1.617, abs=1e-9)


@pytest.mark.parametrize("kwargs", [{"n_frames": 0}, {"seconds": 0.0}])
def test_invalid_window(kwargs):
    with pytest.raises(ValueError):
        AveragedCapture(**kwargs)


def test_one_frame_has_the_repeatability_and_no_made_up_spread():
    """A photo is one frame: its spread is unknown, not 0. A model value in a
    scale-free unit carries the model's repeatability; one in cm with no pose or scale to
    convert it with (metrics.repeatability)
    and a placed point's value (no part known here) carry no ± at all."""
    cap = AveragedCapture(require_quality=False)
    cap.add(result(0, {"shoulder_tilt": 2.0}))
    stats = cap.summary().metrics["shoulder_tilt"]
    assert (stats.n_frames, stats.sd) == (1, 0.0)
    assert stats.uncertainty == spec("shoulder_tilt").repeatability
    in_cm = AveragedCapture()
    in_cm.add(result(0, {"shoulder_height_diff": 1.2}, unit="cm"))
    assert in_cm.summary().metrics["shoulder_height_diff"].uncertainty is None
    placed = AveragedCapture()
    frame = result(0, {})
    frame.metrics["cva"] = Metric("cva", 51.0, "deg", MetricStatus.NORMAL, source="point")
    placed.add(frame)
    assert placed.summary().metrics["cva"].uncertainty is None


def test_two_frames_in_cm_carry_their_spread():
    cap = AveragedCapture()
    for i, v in enumerate((1.0, 1.6)):
        cap.add(result(i, {"shoulder_height_diff": v}, unit="cm"))
    stats = cap.summary().metrics["shoulder_height_diff"]
    assert stats.uncertainty == pytest.approx(float(np.std([1.0, 1.6], ddof=1)))


def test_points_that_never_move_have_no_made_up_plus_minus():
    """``analyze --point`` on a video: a value made only of points given by hand is the
    same in every frame; its spread of 0 is no ±, so it has none (not ±0.0)."""
    cap = AveragedCapture()
    for i in range(28):  # np.std of 28 equal 3.309336 is 4.5e-16, not 0
        frame = result(i, {"shoulder_tilt": 0.5 * (i % 2)})
        frame.metrics["cva"] = Metric("cva", 3.309336, "deg", MetricStatus.NORMAL, source="point")
        cap.add(frame)
    metrics = cap.summary().metrics
    assert metrics["cva"].sd == 0.0 and metrics["cva"].uncertainty is None
    sd = float(np.std([0.5 * (i % 2) for i in range(28)], ddof=1))
    assert metrics["shoulder_tilt"].uncertainty == pytest.approx(
        math.hypot(sd, spec("shoulder_tilt").repeatability)
    )
