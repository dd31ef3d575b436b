"""What the metrics table shows beyond one metric: rows out of view, the reasons and
sources in words, each number's ±, bands in the value's unit, the widest texts.

No Qt here (tested as plain functions):

* :func:`not_in_view` — metrics that cannot be measured *only* because body points are
  outside the picture (an upper-body webcam framing: hips, knees, feet); the table
  collapses them into one line in plain words ("8 measurements need the hips, knees and
  feet: not in view — step back to measure them"), never landmark ids. Only the reason
  codes ``landmarks_not_visible`` and ``no_body_size_reference`` with the hips missing
  are collapsed: any other reason (``not_standing`` on a seated patient, markers
  needed …) has nothing to do with the framing, and its row keeps its own words.
* :func:`reason_lines` — why the other rows are not measurable, grouped by reason as
  ``posture-cam analyze`` prints them under its table.
* :func:`source_lines` — which numbers come from skin markers or points placed by hand.
* :class:`PlusMinus` — the ± of every number on screen (what a snapshot would store).
* :func:`cell_tooltips` — where a number came from (``model (proxy)``, ``marker``,
  ``point``) and what its ± holds, said in the tooltips rather than on every row; the
  status cell's tooltip starts with the reason of a row without a number.
* :func:`widest_texts` — per column, the widest texts it can hold in the current
  language: the panel takes the width they need (no column is ever elided).
"""

from __future__ import annotations

import html
from collections import deque
from collections.abc import Collection, Mapping

import numpy as np

from posture_cam import wording
from posture_cam.app_settings import AppSettings
from posture_cam.capture.photo import photo_stats
from posture_cam.i18n import N_, _, format_number, localize, ngettext
from posture_cam.landmarks import LANDMARK_NAMES
from posture_cam.metrics import CATALOGUE
from posture_cam.metrics.catalogue import is_proxy
from posture_cam.reasons import Reason
from posture_cam.types import FrameResult, Metric, MetricStatus, Pose, View

#: Body parts by landmark id, head to feet (the order they are named in).
BODY_PARTS: tuple[tuple[frozenset[int], str], ...] = (
    (frozenset(range(0, 11)), N_("head")),
    (frozenset({11, 12}), N_("shoulders")),
    (frozenset({13, 14, 15, 16, 17, 18, 19, 20, 21, 22}), N_("arms")),
    (frozenset({23, 24}), N_("hips")),
    (frozenset({25, 26}), N_("knees")),
    (frozenset({27, 28, 29, 30, 31, 32}), N_("feet")),
)
#: Reason codes that say "a body point is not in the picture" (the only ones collapsed).
_FRAMING_CODES = frozenset({"landmarks_not_visible", "no_body_size_reference"})
_HIPS = (23, 24)


def not_measurable(metric: Metric) -> bool:
    """A row without a number (as ``posture-cam analyze`` sorts them out of its table)."""
    return metric.value is None or metric.status == MetricStatus.NOT_MEASURABLE


def _missing_points(metric: Metric, pose: Pose) -> set[int]:
    """Landmark ids whose absence is the whole reason ``metric`` is not measurable;
    empty when any part of its reason is something else."""
    parts = metric.reason.parts if isinstance(metric.reason, Reason) else ()
    if not parts or any(p.code not in _FRAMING_CODES for p in parts):
        return set()
    own = {i for i in metric.landmarks if not pose.has(i)}
    missing: set[int] = set()
    for part in parts:
        if part.code == "landmarks_not_visible":
            names = part.data.get("landmarks", ())
            missing |= {LANDMARK_NAMES.index(n) for n in names if n in LANDMARK_NAMES} or own
        else:
            # Lengths need the body height, which needs the hips (metrics.body); without
            # a shoulder the framing is not what keeps it from being measured.
            hips = {i for i in _HIPS if not pose.has(i)}
            if not hips:
                return set()
            missing |= hips | own
    return missing


def not_in_view(metrics: Mapping[str, Metric], pose: Pose | None) -> tuple[list[str], list[str]]:
    """Metrics that body parts outside the picture keep from being measured.

    Args:
        metrics: the frame's metrics by id.
        pose: the measured pose (None: nobody in view, nothing is collapsed).

    Returns:
        (metric ids, body-part words in head-to-feet order, untranslated).
    """
    if pose is None:
        return [], []
    ids, missing_all = [], set()
    for metric_id, metric in metrics.items():
        if metric.status != MetricStatus.NOT_MEASURABLE:
            continue
        missing = _missing_points(metric, pose)
        if missing:
            ids.append(metric_id)
            missing_all |= missing
    parts = [word for ids_, word in BODY_PARTS if ids_ & missing_all]
    return ids, parts


def not_in_view_text(n_metrics: int, parts: list[str]) -> str:
    """``"8 measurements need the hips, knees and feet: not in view — step back …"``."""
    words = [_(p) for p in parts]
    if len(words) > 1:
        joined = _("{first} and {last}").format(first=", ".join(words[:-1]), last=words[-1])
    else:
        joined = words[0] if words else _("whole body")
    template = ngettext(
        "{n} measurement needs the {parts}: not in view — step back to measure it",
        "{n} measurements need the {parts}: not in view — step back to measure them",
        n_metrics,
    )
    return template.format(n=n_metrics, parts=joined)


def reason_lines(metrics: Mapping[str, Metric], shown: Collection[str]) -> list[str]:
    """Why the table's rows without a number have none, one line per reason as
    ``posture-cam analyze`` prints them: ``"Ear plumb offset, Hip plumb offset: not
    measurable: plumb-line offsets need a standing posture (knee angle 84°)"``.

    Args:
        metrics: the frame's metrics by id.
        shown: the ids of the table's rows (the collapsed ones have their own line).
    """
    groups: dict[str, list[str]] = {}
    for metric_id in shown:
        metric = metrics.get(metric_id)
        if metric is not None and not_measurable(metric):
            why = wording.metric_status_line(metric)
            groups.setdefault(why, []).append(wording.metric_label(metric_id))
    if len(groups) == 1 and len(shown) > 1 and len(next(iter(groups.values()))) == len(shown):
        # One reason for every row (a view set by hand that the body contradicts).
        return [_("every measurement: {reason}").format(reason=next(iter(groups)))]
    return [
        _("{labels}: {reason}").format(labels=", ".join(labels), reason=why)
        for why, labels in groups.items()
    ]


_SOURCE_LINES = {
    "marker": N_("from skin markers: {labels}"),
    "point": N_("from points placed by hand: {labels}"),
}


def source_lines(metrics: Mapping[str, Metric], shown: Collection[str]) -> list[str]:
    """The numbers that do not come from the pose model, by source (``"from skin
    markers: Pelvic tilt (sagittal)"``); none when every number is a model value."""
    by_source: dict[str, list[str]] = {}
    for metric_id in shown:
        metric = metrics.get(metric_id)
        if metric is not None and not not_measurable(metric) and metric.source in _SOURCE_LINES:
            by_source.setdefault(metric.source, []).append(wording.metric_label(metric_id))
    return [
        _(_SOURCE_LINES[source]).format(labels=", ".join(labels))
        for source, labels in by_source.items()
    ]


#: Seconds of frames the live ± spans: a snapshot's hold (the default of *hold_s*).
WINDOW_S = AppSettings.hold_s
#: What the ± column holds (its heading's and cells' tooltip).
PLUS_MINUS_HELP = N_(
    "± of the value: the spread over the averaged frames combined with the pose model's "
    "repeatability (for a value from skin markers, their detection error; from points "
    "placed by hand, the placement estimate). For a photo it is the ± that posture-cam "
    "analyze prints and a visit stores; live, the ± a snapshot taken now would store: "
    "the spread of the last {seconds} s of frames combined with the model's repeatability."
)


def plus_minus_help() -> str:
    """:data:`PLUS_MINUS_HELP` in the current language, with :data:`WINDOW_S`."""
    decimals = 0 if float(WINDOW_S).is_integer() else 1
    return _(PLUS_MINUS_HELP).format(seconds=format_number(WINDOW_S, decimals))


def cell_tooltips(metric: Metric, about: str) -> tuple[str, str, str]:
    """Rich-text tooltips of a row's value, status and ± cells.

    The value and the ± say where the number came from (``model (proxy)``, ``marker``,
    ``point``: the rows do not repeat it), the ± also what it holds; the status gives
    the status with its reason (or the note on a measured value) first. ``about`` (the
    metric's definition and norm, the name's tooltip) follows the value and the status.
    """
    source = wording.source_text(metric.source, is_proxy(metric.id, metric.source))
    heading = html.escape(wording.column_heading("source"))
    source_line = f"<b>{heading}:</b> {html.escape(source)}"
    status = wording.metric_status_line(metric)
    if metric.reason and not not_measurable(metric):
        status += f" ({localize(metric.reason)})"
    return (
        f"{source_line}<br>{about}",
        f"<b>{html.escape(status)}</b><br>{about}",
        f"{source_line}<br>{html.escape(plus_minus_help())}",
    )


class PlusMinus:
    """The ± of each number on screen: what a snapshot of it would store.

    ``± = sqrt(SD² + u²)``, the formula of a snapshot's ± (``capture.averaging``):

    * ``SD``: the sample SD of the metric's values over the frames of the last
      ``window_s`` seconds (a snapshot's hold, 2 s by default) with a person, in the
      newest frame's view, unit and source; none for a single frame (a photo: its
      spread is unknown, not zero);
    * ``u``: the newest frame's own ± as :func:`~posture_cam.capture.photo.photo_stats`
      gives it — the model's repeatability per capture for a model value, the stickers'
      centroid error for a value from stickers, the placement estimate for points
      given by hand; none for a model value in cm without a body height.

    A photo therefore shows exactly the ± of ``posture-cam analyze`` (and of the visit
    that stores it). Live, it is the ± a snapshot taken now would store, except that
    every frame with a person counts (the quality gate does not filter them) and the
    value beside it is the newest frame's, not the median. Time going back (a new
    source, a looping video, a photo measured again) starts the window afresh.

    Args:
        window_s: seconds of frames the SD spans.
    """

    def __init__(self, window_s: float = WINDOW_S) -> None:
        self.window_ms = window_s * 1000.0
        # (t_ms, view, metric id -> (value, unit, source)) of each frame with a person
        self._frames: deque[tuple[float, View, dict[str, tuple[float, str, str]]]] = deque()
        self._last: tuple[str, float] | None = None  # (source id, t_ms) of the newest frame

    def clear(self) -> None:
        self._frames.clear()
        self._last = None

    def add(self, result: FrameResult) -> None:
        """Account for one frame (every frame: the SD needs them all)."""
        frame = result.frame
        if self._last is not None and (
            frame.source_id != self._last[0] or frame.t_ms <= self._last[1]
        ):
            self._frames.clear()
        self._last = (frame.source_id, frame.t_ms)
        while self._frames and self._frames[0][0] <= frame.t_ms - self.window_ms:
            self._frames.popleft()
        if not result.person_found:
            return
        values = {
            metric_id: (float(m.value), m.unit, m.source)
            for metric_id, m in result.metrics.items()
            if m.value is not None and np.isfinite(m.value)
        }
        self._frames.append((frame.t_ms, result.view.view, values))

    def values(self, result: FrameResult) -> dict[str, float | None]:
        """metric id -> ± of ``result``'s value (the last frame added), same unit;
        None where no part of it is known."""
        own = photo_stats(result)
        out: dict[str, float | None] = {}
        for metric_id, metric in result.metrics.items():
            if not_measurable(metric):
                continue
            key = (metric.unit, metric.source)
            samples = [
                values[metric_id][0]
                for _t, view, values in self._frames
                if view == result.view.view and values.get(metric_id, (0.0, "", ""))[1:] == key
            ]
            stats = own.get(metric_id)
            u = stats.uncertainty if stats is not None else None
            parts = [p for p in (_spread(samples), u) if p is not None]
            out[metric_id] = float(np.hypot.reduce(np.array(parts))) if any(parts) else None
        return out


def _spread(samples: list[float]) -> float | None:
    """Sample SD as a snapshot computes it: None for one value, 0 for equal values."""
    if len(samples) < 2:
        return None
    x = np.array(samples, dtype=np.float64)
    return float(np.std(x, ddof=1)) if x.max() > x.min() else 0.0


def _widest_number(unit: str) -> float:
    """The largest magnitude a cell is sized for: three digits for an angle (a knee
    angle near 180°), two for a length or an index (a wider one scrolls)."""
    return 188.8 if unit == "deg" else 88.8


def widest_texts(columns: tuple[str, ...]) -> dict[str, list[str]]:
    """column -> the texts that can be its widest, in the current language: its heading
    and, for every metric of the catalogue, the cell at the largest number (both signs,
    the unit without and with a scale, every status word).

    Args:
        columns: ``name`` and the column keys of ``wording.column_heading`` (``value``,
            ``plus_minus``, ``band``, ``status``).
    """
    out: dict[str, list[str]] = {"name": [], "value": [], "plus_minus": [], "band": []}
    for entry in CATALOGUE:
        units = {wording.band_unit(entry)}
        if entry.unit_kind in ("length", "length_trunk"):
            units.add("cm")
        for unit in units:
            widest = _widest_number(unit)
            for value in (widest, -widest):
                metric = Metric(entry.id, value, unit, MetricStatus.NORMAL)
                out["value"].append(wording.value_in_words(metric))
            out["plus_minus"].append(wording.plus_minus_text(widest, unit))
        out["name"].append(wording.metric_label(entry.id))
        out["band"].append(wording.band_text(entry.id))
    out["band"].append(wording.cm_band_text(-_widest_number("cm"), _widest_number("cm")))
    out["status"] = [status_cell(s) for s in MetricStatus]
    headings = {c: wording.column_heading(c) for c in columns if c != "name"}
    headings["name"] = wording.measurement_heading()
    return {c: [*out[c], headings[c]] for c in columns}


def status_cell(status: MetricStatus) -> str:
    """The status column's text: the traffic light and the status word (its reason,
    for a row without a number, in the line under the table and the cell's tooltip)."""
    return "● " + wording.status_text(status)
