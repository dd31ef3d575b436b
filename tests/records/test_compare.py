"""Comparison with the previous visit: the change per metric judged against the MDC, for a
stored visit and for one still being taken, with a visit's protocol capture (not a
snapshot taken during it) standing for its view."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from posture_cam.metrics import spec
from posture_cam.records import Store
from posture_cam.records.compare import compare_captures, compare_visit, main_captures


def _with_tilt(make_capture, view, tilt, kind="image"):
    return dataclasses.replace(make_capture(view, shoulder_tilt=tilt), kind=kind)


def test_open_visit_is_compared_with_the_steps_of_the_latest_stored_visit(backend, make_capture):
    mdc = spec("shoulder_tilt").mdc.value
    with Store() as store:
        store.add_patient("C-1")
        store.add_visit("C-1", [_with_tilt(make_capture, "front", 1.0)],
                        date_time=dt.datetime(2026, 9, 1))  # fmt: skip
        # The latest visit: its front step, then a snapshot of the front taken during it.
        step = _with_tilt(make_capture, "front", 2.0, kind="live")
        snap = _with_tilt(make_capture, "front", 9.0, kind="snapshot")
        store.add_visit("C-1", [step, snap], date_time=dt.datetime(2026, 10, 1))
        with store.session() as s:
            _patient, visits = store.load_visits(s, "C-1")
        # The visit still being taken: a front beyond the MDC, a back never taken before.
        now = [
            _with_tilt(make_capture, "front", 2.0 + mdc + 0.5),
            _with_tilt(make_capture, "back", 0.0),
        ]
        front, back = compare_visit(visits, None, now)
        (change,) = front.changes  # pelvic_tilt is not measurable in either
        assert front.previous_visit.date_time == dt.datetime(2026, 10, 1)
        assert front.previous.kind == "live"
        assert change.previous == 2.0 and change.change == pytest.approx(mdc + 0.5)
        assert change.beyond_error is True and change.mdc == mdc
        assert back.previous is None and back.changes == []

        # The stored second visit against the first: 2.0 - 1.0 is within the MDC.
        (stored,) = compare_visit(visits, visits[1], visits[1].captures)
        assert stored.current.kind == "live"
        assert [(c.previous, c.current, c.beyond_error) for c in stored.changes] == [
            (1.0, 2.0, abs(1.0) > mdc)
        ]


def test_main_capture_is_the_first_of_its_view(make_capture):
    a, b, c = (_with_tilt(make_capture, v, t) for v, t in (("front", 1), ("front", 2), ("left", 3)))
    assert main_captures([a, b, c]) == {"front": a, "left": c}


@pytest.mark.parametrize(
    ("previous", "current", "shown", "beyond"),
    [
        (50.0, 54.97, 5.0, True),  # 4.97 > 4.96, and shown +5.0 > 4.96
        (50.04, 54.99, 5.0, True),  # 4.95 at full precision, but the tables show 50.0 -> 55.0
        (50.0, 54.94, 4.9, False),  # 4.94, shown +4.9
        (54.99, 50.04, -5.0, True),  # the same change the other way
    ],
)
def test_a_change_is_judged_as_printed(previous, current, shown, beyond) -> None:
    """The CVA's MDC from stickers is 4.96°: a change the tables print as +5.0 (the
    difference of the shown values) is beyond it and one printed as +4.9 is within,
    whatever the hidden digits, so the printed change, the printed MDC (4.96) and the
    verdict never disagree."""
    from posture_cam.records.ingest import CaptureData, MetricData

    def capture(cva: float) -> CaptureData:
        metric = MetricData("cva", cva, 0.4, 0.5, 30, "deg", "normal", source="marker")
        return CaptureData("left", "x.jpg", "image", [metric], {}, None, None, None, None)

    assert spec("cva").mdc.value == 4.96
    (change,) = compare_captures(capture(previous), capture(current))
    assert change.change == pytest.approx(current - previous)
    assert change.shown_change == shown
    assert change.mdc == 4.96 and change.beyond_error is beyond


@pytest.mark.parametrize(
    ("before", "now", "comparable"),
    [
        ("marker", "model", False),  # stickers last time, none today
        ("model", "point", False),
        ("marker", "point", True),  # both on the clinical points
        ("model", "model", True),
    ],
)
def test_values_measured_two_ways_are_not_compared(before, now, comparable) -> None:
    """A CVA of 49.7° from stickers and 54.4° from the model's ear and estimated C7
    (the shared side video with and without stickers) differ by 4.7° because of the
    method: before, that read "+4.7°, within measurement error" against a literature
    MDC of marker-based CVAs."""
    from posture_cam.records.ingest import CaptureData, MetricData
    from posture_cam.wording import change_judgement

    def capture(cva: float, source: str) -> CaptureData:
        metric = MetricData("cva", cva, 0.4, 0.5, 30, "deg", "normal", source=source)
        return CaptureData("right", "x.mp4", "snapshot", [metric], {}, None, None, None, None)

    (change,) = compare_captures(capture(49.7, before), capture(54.4, now))
    assert change.sources == (before, now)
    assert change.comparable is comparable
    if comparable:
        assert change.beyond_error is False  # +4.7 < 4.96
        assert change_judgement(change) == "within measurement error"
    else:
        assert change.beyond_error is None
        words = {"marker": "marker", "model": "model", "point": "point"}
        assert change_judgement(change) == (f"not compared: {words[before]} → {words[now]}")


@pytest.mark.parametrize(("source", "mdc", "kind"), [("model", 6.82, "own repeatability"),
                                                    ("marker", 4.96, "literature"),
                                                    ("point", 4.96, "literature")])  # fmt: skip
def test_a_markerless_cva_change_is_judged_against_the_tools_own_mdc(source, mdc, kind) -> None:
    """From the model the CVA varies by an MDC95 of 6.82° (bench/repeatability.py), more
    than the 4.96° published for a smartphone app on the clinical points: a +5.5° change
    of a markerless CVA is within this tool's error, the same change from stickers or
    placed points is beyond the published one. Metrics without a published MDC keep
    their own (shoulder tilt); the sagittal pelvic tilt, never from the model, its
    published one."""
    from posture_cam.metrics.mdc import mdc_for
    from posture_cam.records.ingest import CaptureData, MetricData

    def capture(cva: float) -> CaptureData:
        metric = MetricData("cva", cva, 0.4, 0.5, 30, "deg", "normal", source=source)
        return CaptureData("left", "x.jpg", "image", [metric], {}, None, None, None, None)

    (change,) = compare_captures(capture(50.0), capture(55.5))
    assert change.mdc == mdc and change.mdc_kind == kind
    assert change.beyond_error is (mdc < 5.5)
    assert mdc_for("head_forward_angle", "model").value == 6.82
    assert mdc_for("shoulder_tilt", "model") == mdc_for("shoulder_tilt", "points")
    assert mdc_for("pelvic_tilt_sagittal", "model").value == 3.05


def test_a_clinic_visit_is_compared_with_clinic_visits_and_a_home_check_with_home_checks(
    backend, make_capture
):
    """A home check between two clinic visits is not the clinic visit's "previous
    visit": a laptop at home frames the patient differently (the audit's clinic CVA
    54.2 was judged +10.2, beyond error, against a home check's 44.0)."""
    with Store() as store:
        store.add_patient("C-2")
        for day, tilt, setting in ((1, 1.0, "clinic"), (10, 9.0, "home"), (20, 1.5, "clinic")):
            store.add_visit("C-2", [_with_tilt(make_capture, "front", tilt)],
                            date_time=dt.datetime(2026, 9, day), setting=setting)  # fmt: skip
        store.add_visit("C-2", [_with_tilt(make_capture, "front", 3.0)],
                        date_time=dt.datetime(2026, 9, 25), setting="home")  # fmt: skip
        with store.session() as s:
            _patient, visits = store.load_visits(s, "C-2")
        clinic, home = visits[2], visits[3]
        (front,) = compare_visit(visits, clinic, clinic.captures)
        assert front.previous_visit.date_time == dt.datetime(2026, 9, 1)
        assert [(c.previous, c.current) for c in front.changes] == [(1.0, 1.5)]
        (front,) = compare_visit(visits, home, home.captures)
        assert front.previous_visit.date_time == dt.datetime(2026, 9, 10)
        # A visit still being taken in the app is a clinic visit: the latest clinic one.
        (front,) = compare_visit(visits, None, [_with_tilt(make_capture, "front", 2.0)])
        assert front.previous_visit.date_time == dt.datetime(2026, 9, 20)
        (front,) = compare_visit(
            visits, None, [_with_tilt(make_capture, "front", 2.0)], setting="home"
        )
        assert front.previous_visit.date_time == dt.datetime(2026, 9, 25)
