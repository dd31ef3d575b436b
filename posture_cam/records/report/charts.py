"""Progress charts: one small chart per metric and view over all visits.

One chart function, :func:`draw_chart`, draws every chart: on the report's A4 pages
(:func:`progress_pages`) and in the app (:func:`chart_figure`, rendered with Agg and
shown as an image by ``posture_cam.ui.records.progress_charts``).

Each chart shows the medians (their ± as error bars) by visit date, the metric's normal
band (green) and an MDC band around the first visit's value (grey): a point outside the
grey band changed beyond measurement error. Clinic visits are filled circles, home
checks open diamonds.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import OrderedDict

from matplotlib import ticker

from posture_cam import wording
from posture_cam.i18n import format_number, using_language
from posture_cam.records.compare import main_captures, method, metric_mdc
from posture_cam.records.models import Visit
from posture_cam.records.report.layout import Page
from posture_cam.records.report.numbers import metric_label, say, t
from posture_cam.records.spread import plus_minus

_PER_PAGE = 9
_COLS = 3
#: At most this many visit dates on a chart's axis (each label is a whole date).
_MOST_TICKS = 4


def series(visits: list[Visit], views: list[str]) -> OrderedDict:
    """``{(view, metric_id, unit): [(date_time, median, ±, setting, method), ...]}``;
    method ``model`` or ``points`` (stickers or placed points: ``records.compare.method``)."""
    out: OrderedDict = OrderedDict()
    for view in dict.fromkeys(views):
        for visit in visits:
            capture = main_captures(visit.captures).get(view)
            if capture is not None:
                for m in capture.metrics:
                    if m.median is None:
                        continue
                    key = (view, m.metric_id, m.unit)
                    pm = plus_minus(m).value  # error bar: the value's ± (records.spread)
                    out.setdefault(key, []).append(
                        (visit.date_time, m.median, pm, visit.setting, method(m.source))
                    )
    return out


def progress_pages(visits: list[Visit], views: list[str], lang: str) -> list[Page]:

    data = series(visits, views)
    keys = list(data)
    # An error bar of a record stored before the uncertainty was kept is its SD: said so.
    fallback = any(
        plus_minus(m).fallback
        for visit in visits
        for capture in main_captures(visit.captures).values()
        if capture.view in views
        for m in capture.metrics
        if m.median is not None
    )
    pages = []
    for start in range(0, len(keys), _PER_PAGE):
        page = Page()
        page.line(t("progress", lang), size=13, bold=True)
        page.paragraph(t("progress_legend", lang), size=8)
        if fallback:
            page.paragraph(t("pm_legend_sd", lang), size=8)
        top = page.y_in + 0.1
        cell_w = page.width_in / _COLS
        cell_h = 2.85
        for i, key in enumerate(keys[start : start + _PER_PAGE]):
            row, col = divmod(i, _COLS)
            ax = page.axes(
                col * cell_w + 0.45, top + row * cell_h + 0.25, cell_w - 0.65, cell_h - 0.95
            )
            draw_chart(ax, data[key], key, lang)
        pages.append(page)
    return pages


def chart_figure(points: list, key: tuple[str, str, str], lang: str, size_in=(3.2, 2.4)):
    """One chart on its own matplotlib ``Figure`` (no pyplot: safe off the main thread)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=size_in, dpi=100)
    ax = fig.add_axes((0.16, 0.16, 0.8, 0.64))
    draw_chart(ax, points, key, lang)
    return fig


def visit_ticks(times: list[dt.datetime], most: int = _MOST_TICKS) -> list[dt.datetime]:
    """Where the date axis has its ticks: at the visits themselves, one per day (its
    first visit), at most ``most``: when there are more, thinned to ones at least a
    ``most``-th of the span apart, always keeping the first and the last."""
    firsts: dict[dt.date, dt.datetime] = {}
    for time in sorted(times):
        firsts.setdefault(time.date(), time)
    days = list(firsts.values())
    if len(days) <= most:
        return days
    gap = (days[-1] - days[0]) / most
    chosen = [days[0]]
    for time in days[1:-1]:
        if time - chosen[-1] >= gap and days[-1] - time >= gap:
            chosen.append(time)
    chosen.append(days[-1])
    return chosen


class _LocalNumbers(ticker.Formatter):
    """Tick labels as the project writes numbers (``posture_cam.i18n.format_number``) in
    the chart's language: a Dutch chart reads ``1,5``; as many decimals as the ticks'
    step needs."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.decimals = 1

    def set_locs(self, locs) -> None:
        super().set_locs(locs)
        steps = [abs(b - a) for a, b in itertools.pairwise(locs) if b != a]
        step = min(steps) if steps else 1.0
        self.decimals = max(0, min(3, -math.floor(math.log10(step) + 1e-9)))
        if self.decimals == 0 and any(abs(v - round(v)) > 1e-9 for v in locs):
            self.decimals = 1

    def __call__(self, x, pos=None) -> str:
        with using_language(self.lang):
            return format_number(float(x), self.decimals)


def draw_chart(ax, points: list, key: tuple[str, str, str], lang: str) -> None:
    """Draw one metric's progress on ``ax``.

    Args:
        ax: a matplotlib Axes.
        points: ``[(date_time, median, ±, setting, method), ...]`` oldest first
            (:func:`series`).
        key: ``(view, metric_id, unit)``.
        lang: language of the title and legend words.
    """
    from matplotlib import dates as mdates

    from posture_cam.metrics import spec

    view, metric_id, unit = key
    if unit != "cm":
        try:
            lo, hi = spec(metric_id).norm.normal
            ax.axhspan(lo, hi, color="#2e7d32", alpha=0.15, linewidth=0)
        except KeyError:
            pass
    # The band of the first visit's method (``records.compare.method``: model or points).
    mdc, _, _ = metric_mdc(metric_id, unit, points[0][4])
    if mdc is not None:
        base = points[0][1]
        ax.axhspan(base - mdc, base + mdc, color="0.5", alpha=0.2, linewidth=0)
    # The line joins visits measured the same way only: a value from stickers next to
    # one from the model differs by the method (``records.compare``), so it is broken
    # there, and values from stickers or placed points are drawn in green.
    for a, b in itertools.pairwise(points):
        if a[4] == b[4]:
            ax.plot([a[0], b[0]], [a[1], b[1]], color="0.35", linewidth=0.8)
    for setting, marker, face in (("clinic", "o", "#1565c0"), ("home", "D", "none")):
        for how, colour in (("model", "#1565c0"), ("points", "#2e7d32")):
            chosen = [p for p in points if p[3] == setting and p[4] == how]
            if chosen:
                ax.errorbar(
                    [p[0] for p in chosen],
                    [p[1] for p in chosen],
                    yerr=[p[2] or 0.0 for p in chosen],
                    fmt=marker,
                    markersize=4,
                    markerfacecolor=colour if face != "none" else face,
                    markeredgecolor=colour,
                    ecolor=colour,
                    elinewidth=0.6,
                    capsize=2,
                    label=t(setting, lang),
                )
    days = {p[0].date() for p in points}
    if len(days) == 1:
        # One visit: a month around it, not the years an auto-scaled axis spans.
        (day,) = days
        mid = dt.datetime.combine(day, dt.time(12))
        ax.set_xlim(mid - dt.timedelta(days=15), mid + dt.timedelta(days=15))
    else:
        ax.margins(x=0.15)
    # The ticks are the visits' own dates (2026-10-01, numbers only: strftime's month
    # names are the C locale's), not round dates between them ("00:00", "09-15").
    ticks = visit_ticks([p[0] for p in points])
    ax.xaxis.set_major_locator(ticker.FixedLocator(mdates.date2num(ticks)))
    ax.xaxis.set_minor_locator(ticker.NullLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
    ax.yaxis.set_major_formatter(_LocalNumbers(lang))
    ax.tick_params(labelsize=6)
    if len(ticks) > 2:
        for label in ax.get_xticklabels():
            label.set_rotation(25)
            label.set_horizontalalignment("right")
    # A signed measure's sides, as the tables name them ("+ L high / − R high").
    plus = say(lang, wording.direction_words, metric_id, 1.0)
    minus = say(lang, wording.direction_words, metric_id, -1.0)
    if plus and minus:
        ax.set_ylabel(f"+ {plus} / − {minus}", fontsize=6)
    ax.set_title(
        f"{metric_label(metric_id, lang)}\n({say(lang, wording.view_name, view)}, "
        f"{say(lang, wording.unit_text, unit) or '-'})",
        fontsize=7,
    )
