"""The one progress chart (report and app): medians over the visits, the normal band, the
MDC band around the first visit, clinic and home visits drawn differently."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np

from posture_cam.metrics import spec
from posture_cam.records import Store
from posture_cam.records.report.charts import chart_figure, series


def test_series_and_chart_from_stored_visits(backend, make_capture):
    with Store() as store:
        store.add_patient("G-1")
        for day, tilt, setting in ((1, 2.0, "clinic"), (15, 3.5, "home"), (29, 0.5, "clinic")):
            front = make_capture("front", shoulder_tilt=tilt)
            # A snapshot of the same view taken during the visit does not make a point.
            extra = dataclasses.replace(make_capture("front", 40.0), kind="snapshot")
            store.add_visit("G-1", [front, extra], date_time=dt.datetime(2026, 9, day),
                            setting=setting)  # fmt: skip
        with store.session() as s:
            _patient, visits = store.load_visits(s, "G-1")
    data = series(visits, ["front"])
    points = data[("front", "shoulder_tilt", "deg")]
    assert [(p[0].day, p[1], p[3]) for p in points] == [
        (1, 2.0, "clinic"), (15, 3.5, "home"), (29, 0.5, "clinic"),
    ]  # fmt: skip
    assert ("front", "pelvic_tilt", None) not in data  # never measured: no chart

    fig = chart_figure(points, ("front", "shoulder_tilt", "deg"), "nl")
    (ax,) = fig.axes
    # axhspan: rectangles spanning the axes' width, y in data units
    spans = {(round(p.get_y(), 6), round(p.get_y() + p.get_height(), 6)) for p in ax.patches}
    lo, hi = spec("shoulder_tilt").norm.normal
    mdc = spec("shoulder_tilt").mdc.value
    assert (round(lo, 6), round(hi, 6)) in spans  # the normal band
    assert (round(2.0 - mdc, 6), round(2.0 + mdc, 6)) in spans  # MDC around the first visit
    markers = {line.get_marker(): line for line in ax.lines if line.get_marker() in ("o", "D")}
    assert set(markers) == {"o", "D"}
    assert list(markers["o"].get_ydata()) == [2.0, 0.5]  # clinic: filled circles
    assert list(markers["D"].get_ydata()) == [3.5]  # home: open diamonds
    assert markers["D"].get_markerfacecolor() == "none"
    assert "Schouder" in ax.get_title() or "schouder" in ax.get_title()
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    rgba = np.asarray(canvas.buffer_rgba())
    assert rgba.shape[2] == 4 and (rgba[..., :3] < 200).any()


def test_values_from_stickers_are_green_and_not_joined_to_model_values():
    """A CVA from stickers between two from the model: no line to or from it (the
    difference is the method's), drawn in green; the two model visits stay joined
    only where they are neighbours."""
    days = [dt.datetime(2026, 9, d) for d in (1, 15, 29, 30)]
    points = [
        (days[0], 54.0, 2.5, "clinic", "model"),
        (days[1], 49.7, 0.6, "clinic", "points"),
        (days[2], 54.4, 2.5, "clinic", "model"),
        (days[3], 54.1, 2.5, "clinic", "model"),
    ]
    fig = chart_figure(points, ("right", "cva", "deg"), "en")
    (ax,) = fig.axes
    joins = [
        tuple(line.get_ydata())
        for line in ax.lines
        if line.get_marker() in ("None", "", None) and len(line.get_ydata()) == 2
    ]
    assert joins == [(54.4, 54.1)]
    dots = {tuple(line.get_ydata()): line for line in ax.lines if line.get_marker() == "o"}
    assert dots[(49.7,)].get_markeredgecolor() == "#2e7d32"
    assert dots[(54.0, 54.4, 54.1)].get_markeredgecolor() == "#1565c0"


def test_one_visit_spans_a_month_not_years():
    """A first visit's chart had an x axis from 2026 to 2028 (matplotlib's auto range
    for a single date)."""
    from matplotlib import dates as mdates

    points = [(dt.datetime(2026, 12, 1, 14, 5), 49.7, 0.6, "clinic", "points")]
    (ax,) = chart_figure(points, ("right", "cva", "deg"), "en").axes
    lo, hi = (mdates.num2date(v).replace(tzinfo=None) for v in ax.get_xlim())
    assert (hi - lo).days == 30 and lo < points[0][0] < hi


def test_dates_on_the_axis_are_numbers_in_every_language():
    """A Dutch report's charts read "Dec" and "2026-Dec" (strftime's C-locale month
    names); the axis now writes dates as the report does: 2026-10, 12-01."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    spans = (
        [dt.datetime(2026, 10, 1), dt.datetime(2026, 12, 1)],  # months
        [dt.datetime(2026, 12, 1, 9), dt.datetime(2026, 12, 1, 16)],  # one day: hours
        [dt.datetime(2026, 12, 1), dt.datetime(2026, 12, 9)],  # days
    )
    for days in spans:
        points = [(d, 2.0 + i, 0.8, "home", "model") for i, d in enumerate(days)]
        fig = chart_figure(points, ("front", "shoulder_tilt", "deg"), "nl")
        FigureCanvasAgg(fig).draw()
        (ax,) = fig.axes
        labels = [t.get_text() for t in ax.get_xticklabels()] + [
            ax.xaxis.get_offset_text().get_text()
        ]
        assert any(labels), days
        assert all(not any(c.isalpha() for c in text) for text in labels), labels


def _drawn(points, key=("front", "shoulder_tilt", "deg"), lang="en"):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = chart_figure(points, key, lang)
    FigureCanvasAgg(fig).draw()
    (ax,) = fig.axes
    return ax


def test_the_date_ticks_are_the_visits_dates():
    """Two visits three weeks apart had ticks "00:00" and "2026-11-01 00:00"; one visit
    "09-15 / 2026-10" and a large "2026", never the visit's own date."""
    two = [
        (dt.datetime(2026, 10, 11, 9, 30), 2.0, 0.8, "clinic", "model"),
        (dt.datetime(2026, 11, 1, 14, 0), 3.0, 0.8, "clinic", "model"),
    ]
    one = [(dt.datetime(2026, 9, 30, 10, 15), 2.0, 0.8, "clinic", "model")]
    for points, want in ((two, ["2026-10-11", "2026-11-01"]), (one, ["2026-09-30"])):
        ax = _drawn(points)
        assert [t.get_text() for t in ax.get_xticklabels()] == want
        assert ax.xaxis.get_offset_text().get_text() == ""
    # Many visits: thinned, the first and the last always shown, never two of a day.
    many = [dt.datetime(2026, 1, 1, 9) + dt.timedelta(days=7 * i) for i in range(20)]
    many.append(many[-1] + dt.timedelta(hours=5))  # a second visit on the last day
    ax = _drawn([(d, 2.0, 0.8, "home", "model") for d in many])
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0] == "2026-01-01" and labels[-1] == "2026-05-14", labels
    assert 2 <= len(labels) <= 4 and len(set(labels)) == len(labels), labels


def test_a_dutch_chart_writes_decimal_commas_and_a_signed_measure_names_its_sides():
    points = [
        (dt.datetime(2026, 10, 1), 1.5, 0.1, "clinic", "model"),
        (dt.datetime(2026, 10, 22), 2.0, 0.1, "clinic", "model"),
    ]
    # In cm: no normal or MDC band, so the axis spans 1.4 … 2.1 in steps of 0.1.
    cm = ("front", "shoulder_height_diff", "cm")
    nl = _drawn(points, cm, lang="nl")
    ticks = [t.get_text() for t in nl.get_yticklabels() if t.get_text()]
    assert "1,5" in ticks and "2,0" in ticks and not any("." in t for t in ticks), ticks
    en = _drawn(points, cm, lang="en")
    assert "1.5" in [t.get_text() for t in en.get_yticklabels()]
    assert _drawn(points, lang="nl").get_ylabel() == "+ L hoger / − R hoger"
    assert _drawn(points, lang="en").get_ylabel() == "+ L high / − R high"
    assert _drawn(points, ("right", "cva", "deg")).get_ylabel() == ""  # no side
