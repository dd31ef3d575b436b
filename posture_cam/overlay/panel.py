"""Metrics panel burned into snapshots and ``--out`` images, to the right of the scene.

Content, top to bottom: the view, the quality status, one entry per metric and the line
"Screening aid, not a diagnosis". A metric's entry says what the window's table says
about it: the status dot in traffic-light colour, the label and, on the right, the
value in words with its ± (``16.5 % trunk backward ±0.9 % trunk``, the ± given by the
caller: a snapshot's own, see :meth:`MetricsPanelAnnotator.compose`); below it the norm
band in the value's unit (a cm value's band converted to cm as the window's table does,
``wording.band_in_value_unit``) or, when not measurable, the short reason, and on the
right where the number came from (``model (proxy)``, ``marker``, ``point``). The
picture is what goes into a patient's file, so it carries what the window shows.

Numbers are written as in the window: the real minus ("−10.0"), "±" and "—". The
overlay's Hershey fonts have none of these glyphs (:func:`posture_cam.overlay.style.put_text`
folds them to "-", "+/-"), so :func:`put_text` here draws them as lines, the minus at
the height and width of the font's own "+" (a "+3.0" and a "−3.0" line up).

A side panel (rather than a box over the image) keeps every camera pixel and every
overlay line visible; the text size adapts so that all rows fit the image height.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

from posture_cam import wording
from posture_cam.i18n import _, check_language, localize, using_language
from posture_cam.metrics.catalogue import is_proxy
from posture_cam.overlay import style as st
from posture_cam.types import FrameResult, MetricStatus

#: A line the panel's base width must fit, measured at font scale 1 (sets the text
#: size; a wider entry widens the panel, see :meth:`MetricsPanelAnnotator.compose`).
_WIDTH_PROBE = "Shoulder protraction  -12.3 % height"


@dataclass(frozen=True)
class PanelRow:
    """What the panel writes about one metric (in the panel's language).

    Attributes:
        metric_id: the catalogue id.
        label: the metric's name.
        value: the value in words as the window's table writes it ("11.6° backward",
            "−2.0 cm"), "—" without a number.
        plus_minus: its ± as every table writes it ("±0.8°"), "" when none is known.
        note: the norm line, or for a row without a number the reason.
        source: where the number came from ("model (proxy)", "marker", "point"), ""
            without a number.
        status: the metric's status (the colour of its dot and value).
    """

    metric_id: str
    label: str
    value: str
    plus_minus: str
    note: str
    source: str
    status: MetricStatus


def panel_rows(
    result: FrameResult, plus_minus: Mapping[str, float | None] | None = None
) -> list[PanelRow]:
    """The panel's entries for ``result``'s metrics, in the current language.

    Args:
        result: the frame (or a snapshot's medians as a frame) drawn.
        plus_minus: metric id -> the ± of its value in its unit (a snapshot's
            ``MetricStats.uncertainty``), or None where none is known.
    """
    spreads = plus_minus or {}
    rows = []
    for metric in result.metrics.values():
        measured = metric.value is not None and metric.status != MetricStatus.NOT_MEASURABLE
        if measured:
            # In the value's unit, as the window's table: a cm value's %-height bands
            # converted with this frame's body height and scale, or none.
            note = wording.norm_line(metric.id, metric.unit, result.pose_measured, result.cm_per_px)
            source = wording.source_text(metric.source, is_proxy(metric.id, metric.source))
            spread = wording.plus_minus_text(spreads.get(metric.id), metric.unit)
        else:
            note = localize(metric.reason) or wording.status_text(metric.status)
            source = spread = ""
        rows.append(
            PanelRow(
                metric.id,
                wording.metric_label(metric.id),
                wording.value_in_words(metric),
                spread,
                note,
                source,
                metric.status,
            )
        )
    return rows


class MetricsPanelAnnotator:
    """Draws the metrics panel and joins it to the right of a scene.

    Args:
        language: ``en`` or ``nl``.
        width_frac: panel width as a fraction of the scene height.
        min_width_px: smallest panel width (small snapshots stay legible).
    """

    def __init__(
        self, language: str = "en", width_frac: float = 0.62, min_width_px: int = 280
    ) -> None:
        self.language = check_language(language)
        self.width_frac = width_frac
        self.min_width_px = min_width_px

    def width_for(self, height: int) -> int:
        """Panel width in pixels for a scene of the given height."""
        return max(self.min_width_px, round(self.width_frac * height))

    def compose(
        self,
        scene: np.ndarray,
        result: FrameResult,
        plus_minus: Mapping[str, float | None] | None = None,
    ) -> np.ndarray:
        """A new image: ``scene`` with the panel joined on its right.

        The panel is :meth:`width_for` wide, or wider where a measured entry needs it:
        every metric's name, value and ± and its norm and source are drawn whole (the
        reason of a row without a number may be shortened).

        Args:
            scene: the drawn scene.
            result: the frame whose numbers the panel shows.
            plus_minus: metric id -> the ± of its value (a snapshot's own, as its JSON
                stores it); None draws the values without ±.
        """
        h, w = scene.shape[:2]
        with using_language(self.language):
            rows = panel_rows(result, plus_minus)
            base = self.width_for(h)
            scale = _scale(h, base, len(rows))
            need = max((_row_width(r, scale) for r in rows), default=0) + 2 * _pad(base)
            # copyMakeBorder fills the panel and copies the scene in one fast C pass; a
            # NumPy colour assignment over a strided 3-channel slice costs ~2 ms at 720p.
            out = cv2.copyMakeBorder(
                scene, 0, 0, 0, max(base, need), cv2.BORDER_CONSTANT, value=st.PANEL_COLOR
            )
            self._draw(out[:, w:], result, rows, scale, _pad(base))
        return out

    def draw(
        self,
        panel: np.ndarray,
        result: FrameResult,
        plus_minus: Mapping[str, float | None] | None = None,
    ) -> None:
        """Draw the panel content onto ``panel`` (an (H, Wp, 3) view, modified in place;
        what does not fit its width is shortened)."""
        h, pw = panel.shape[:2]
        with using_language(self.language):
            rows = panel_rows(result, plus_minus)
            self._draw(panel, result, rows, _scale(h, pw, len(rows)), _pad(pw))

    def _draw(
        self, panel: np.ndarray, result: FrameResult, metrics: list[PanelRow], scale, pad
    ) -> None:
        h, pw = panel.shape[:2]
        thick = 1
        cap_h = measure_text("H", scale, thick)[1]
        lh = round(cap_h * 1.75)
        x, y = pad, pad + cap_h

        y = self._header(panel, result, x, y, scale, thick, lh, pw - 2 * pad)
        y += round(0.6 * lh)
        bottom = h - pad - round(0.6 * lh)  # keep the disclaimer's row free
        if not metrics:
            put_text(
                panel, _("No metrics for this view"), (x, y), scale, st.MUTED_TEXT_COLOR, thick
            )
        for i, row in enumerate(metrics):
            if y + lh > bottom:
                more = f"+ {len(metrics) - i} …"
                put_text(panel, more, (x, y), scale, st.MUTED_TEXT_COLOR, thick)
                break
            y = self._metric_rows(panel, row, x, y, scale, thick, lh, pw - 2 * pad)
        disclaimer = _fit(wording.screening_note(), scale * 0.9, thick, pw - 2 * pad)
        put_text(panel, disclaimer, (x, h - pad), scale * 0.9, st.TEXT_COLOR, thick)

    def _header(self, panel, result, x, y, scale, thick, lh, avail) -> int:
        view = result.view
        name = wording.view_name(view.view)
        if not view.forced and view.view.value != "unknown":
            view_text = _("View: {view} ({confidence} %)").format(
                view=name, confidence=round(100 * view.confidence)
            )
        else:
            view_text = _("View: {view}").format(view=name)
        put_text(
            panel,
            _fit(view_text, scale, thick, avail),
            (x, y),
            scale,
            st.TEXT_COLOR,
            thick,
        )
        y += lh
        quality = result.quality
        if not quality.checks:
            text, color = _("not checked"), st.MUTED_TEXT_COLOR
        elif quality.ok:
            text, color = _("OK"), st.status_color(MetricStatus.NORMAL)
        else:
            failed = quality.failed()
            text = localize(failed[0].reason) or wording.check_label(failed[0].id)
            if len(failed) > 1:
                text += f" (+{len(failed) - 1})"
            color = st.status_color(MetricStatus.BORDERLINE)
        text = _fit(_("Quality: {verdict}").format(verdict=text), scale, thick, avail)
        put_text(panel, text, (x, y), scale, color, thick)
        return y + lh

    def _metric_rows(self, panel, row: PanelRow, x, y, scale, thick, lh, avail) -> int:
        color = st.status_color(row.status)
        r, label_dx = _dot_geometry(scale, thick)
        cap_h = measure_text("H", scale, thick)[1]
        st.dot(panel, (x + r, y - cap_h / 2.0), r, color, border=False)
        # The value in its status colour, its ± beside it in the text colour.
        spread = f" {row.plus_minus}" if row.plus_minus else ""
        sw = measure_text(spread, scale, thick)[0] if spread else 0
        if spread:
            put_text(panel, spread, (x + avail, y), scale, st.TEXT_COLOR, thick, anchor="right")
        vw = measure_text(row.value, scale, thick)[0]
        put_text(panel, row.value, (x + avail - sw, y), scale, color, thick, anchor="right")
        label = _fit(row.label, scale, thick, avail - label_dx - vw - sw - _GAP_PX)
        put_text(panel, label, (x + label_dx, y), scale, st.TEXT_COLOR, thick)
        y += round(lh * 0.95)
        small = scale * _SMALL
        room = avail - label_dx
        if row.source:
            put_text(
                panel, row.source, (x + avail, y), small, st.MUTED_TEXT_COLOR, thick, anchor="right"
            )
            room -= measure_text(row.source, small, thick)[0] + measure_text("  ", small, thick)[0]
        if row.note:
            note = _fit(row.note, small, thick, room)
            put_text(panel, note, (x + label_dx, y), small, st.MUTED_TEXT_COLOR, thick)
        return y + round(lh * 1.05)


#: The notes' and sources' size relative to the values'; the gap (px) after a name.
_SMALL = 0.85
_GAP_PX = 6


def _pad(pw: int) -> int:
    return max(6, round(pw * 0.04))


def _scale(h: int, pw: int, n_metrics: int) -> float:
    """Text size for a panel ``h`` high and (at least) ``pw`` wide."""
    pad = _pad(pw)
    # Rows: view, quality, gap, 2 per metric, gap, disclaimer.
    rows = 2 + 0.6 + 2 * max(1, n_metrics) + 2.0
    probe_w, probe_h = measure_text(_WIDTH_PROBE, 1.0, 1)
    scale = min(0.7, (pw - 2 * pad) / probe_w, (h - 2 * pad) / (rows * 1.75 * probe_h))
    return max(0.3, scale)


def _dot_geometry(scale: float, thick: int) -> tuple[int, int]:
    """(status dot radius, where the name starts after it) in pixels."""
    cap_h = measure_text("H", scale, thick)[1]
    r = max(2, round(cap_h * 0.45))
    return r, 2 * r + max(4, r)


def _row_width(row: PanelRow, scale: float, thick: int = 1) -> int:
    """Width (px) a measured entry needs whole: name, value and ±; norm and source."""
    if not row.source:
        return 0  # a row without a number: its reason may be shortened
    label_dx = _dot_geometry(scale, thick)[1]
    spread = f" {row.plus_minus}" if row.plus_minus else ""
    first = sum(measure_text(t, scale, thick)[0] for t in (row.label, row.value, spread) if t)
    small = scale * _SMALL
    second = sum(measure_text(t, small, thick)[0] for t in (row.note, "  ", row.source))
    return label_dx + max(first + _GAP_PX, second) + 1


def _fit(text: str, scale: float, thickness: int, avail: float) -> str:
    """Shorten text with "…" until it fits ``avail`` pixels."""
    if measure_text(text, scale, thickness)[0] <= avail:
        return text
    while len(text) > 1 and measure_text(text + "…", scale, thickness)[0] > avail:
        text = text[:-1]
    return text.rstrip() + "…"


# --- text with the window's signs --------------------------------------------------------

_MINUS, _PLUS_MINUS, _DASH, _ELLIPSIS = "\u2212", "\u00b1", "\u2014", "\u2026"
_DRAWN = frozenset({_MINUS, _PLUS_MINUS, _DASH, _ELLIPSIS})


def _runs(text: str) -> list[str]:
    """``text`` split into runs the font draws and the signs drawn here, one each."""
    return st.split_runs(text, _DRAWN)


@dataclass(frozen=True)
class _PlusInk:
    """Where the font inks "+" (pixels from the baseline start; y grows downwards)."""

    left: int
    right: int
    top: int
    bottom: int
    bar: int  # the crossbar's row
    advance: int


@lru_cache(maxsize=64)
def _plus_ink(scale: float, thickness: int) -> _PlusInk:
    (w, h), _base = cv2.getTextSize("+", st.FONT, scale, thickness)
    m = h + 4
    img = np.zeros((h + 2 * m, w + 2 * m), np.uint8)
    cv2.putText(img, "+", (m, h + m), st.FONT, scale, 255, thickness, cv2.LINE_AA)
    ys, xs = np.nonzero(img > 96)
    if not len(xs):  # nothing inked (cannot happen at the panel's sizes)
        return _PlusInk(0, w, -h, 0, -h // 2, w)
    bar = int(np.argmax(np.bincount(ys)))
    o = h + m
    return _PlusInk(
        int(xs.min()) - m, int(xs.max()) - m, int(ys.min()) - o, int(ys.max()) - o, bar - o, w
    )


def _advance(sign: str, scale: float, thickness: int) -> int:
    ink = _plus_ink(scale, thickness)
    if sign == _DASH:
        return st.measure_text("M", scale, thickness)[0]
    if sign == _ELLIPSIS:
        return st.measure_text("...", scale, thickness)[0]
    return ink.advance


def measure_text(text: str, scale: float, thickness: int) -> tuple[int, int]:
    """(width, height) of ``text`` as :func:`put_text` draws it."""
    h = st.measure_text("H", scale, thickness)[1]
    w = 0
    for run in _runs(text):
        w += (
            _advance(run, scale, thickness)
            if run in _DRAWN
            else st.measure_text(run, scale, thickness)[0]
        )
    return w, h


def put_text(
    img: np.ndarray,
    text: str,
    org: tuple[float, float],
    scale: float,
    color: st.Color,
    thickness: int,
    *,
    anchor: str = "left",
) -> None:
    """:func:`posture_cam.overlay.style.put_text` without its box, with "−", "±", "—" and "…"
    drawn as the window writes them instead of folded to "-", "+/-", "-", "..."."""
    w, _h = measure_text(text, scale, thickness)
    x = float(org[0]) - (float(w) if anchor == "right" else 0.0)
    y = float(org[1])
    for run in _runs(text):
        if run in _DRAWN:
            _sign(img, run, x, y, scale, color, thickness)
            x += _advance(run, scale, thickness)
        else:
            st.put_text(img, run, (x, y), scale, color, thickness, box=False)
            x += st.measure_text(run, scale, thickness)[0]


def _sign(img, sign: str, x: float, y: float, scale: float, color, thickness: int) -> None:
    ink = _plus_ink(scale, thickness)

    def bar(x0: float, x1: float, row: float) -> None:
        st.line(img, (x0, row), (x1, row), color, thickness)

    if sign == _MINUS:  # the "+" without its upright
        bar(x + ink.left, x + ink.right, y + ink.bar)
    elif sign == _DASH:
        bar(x + ink.left, x + _advance(_DASH, scale, thickness) - ink.left, y + ink.bar)
    elif sign == _ELLIPSIS:
        st.put_text(img, "...", (x, y), scale, color, thickness, box=False)
    else:  # "±": a "+" above a bar, in the box of the font's "+"
        gap = max(2.0, 0.22 * (ink.bottom - ink.top))
        top, low = y + ink.top, y + ink.bottom - gap
        mid = (ink.left + ink.right) / 2.0
        bar(x + ink.left, x + ink.right, (top + low) / 2.0)
        st.line(img, (x + mid, top), (x + mid, low), color, thickness)
        bar(x + ink.left, x + ink.right, y + ink.bottom)
