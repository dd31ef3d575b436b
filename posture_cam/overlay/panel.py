"""Metrics panel burned into snapshots and ``--out`` images, to the right of the scene.

Content, top to bottom: the view, the quality status, one entry per metric (status
dot in traffic-light colour, label, value + unit; below it the norm band or, when not
measurable, the short reason) and the line "Screening aid, not a diagnosis".

A side panel (rather than a box over the image) keeps every camera pixel and every
overlay line visible; the text size adapts so that all rows fit the image height.
"""

from __future__ import annotations

import cv2
import numpy as np

from posture_cam import wording
from posture_cam.i18n import _, check_language, localize, using_language
from posture_cam.overlay import style as st
from posture_cam.types import FrameResult, Metric, MetricStatus

#: The widest line the panel must fit, measured at font scale 1 (sets the text size).
_WIDTH_PROBE = "Shoulder protraction  -12.3 % height"


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

    def compose(self, scene: np.ndarray, result: FrameResult) -> np.ndarray:
        """A new image: ``scene`` with the panel joined on its right."""
        h, w = scene.shape[:2]
        # copyMakeBorder fills the panel and copies the scene in one fast C pass; a NumPy
        # colour assignment over a strided 3-channel slice costs ~2 ms at 720p.
        out = cv2.copyMakeBorder(
            scene, 0, 0, 0, self.width_for(h), cv2.BORDER_CONSTANT, value=st.PANEL_COLOR
        )
        self.draw(out[:, w:], result)
        return out

    def draw(self, panel: np.ndarray, result: FrameResult) -> None:
        """Draw the panel content onto ``panel`` (an (H, Wp, 3) view, modified in place)."""
        with using_language(self.language):
            self._draw(panel, result)

    def _draw(self, panel: np.ndarray, result: FrameResult) -> None:
        h, pw = panel.shape[:2]
        metrics = list(result.metrics.values())
        pad = max(6, round(pw * 0.04))
        # Rows: view, quality, gap, 2 per metric, gap, disclaimer.
        rows = 2 + 0.6 + 2 * max(1, len(metrics)) + 2.0
        probe_w, probe_h = st.measure_text(_WIDTH_PROBE, 1.0, 1)
        scale = min(0.7, (pw - 2 * pad) / probe_w, (h - 2 * pad) / (rows * 1.75 * probe_h))
        scale = max(0.3, scale)
        thick = 1
        cap_h = st.measure_text("H", scale, thick)[1]
        lh = round(cap_h * 1.75)
        x, y = pad, pad + cap_h

        y = self._header(panel, result, x, y, scale, thick, lh, pw - 2 * pad)
        y += round(0.6 * lh)
        bottom = h - pad - round(0.6 * lh)  # keep the disclaimer's row free
        if not metrics:
            st.put_text(
                panel,
                _("No metrics for this view"),
                (x, y),
                scale,
                st.MUTED_TEXT_COLOR,
                thick,
                box=False,
            )
        for i, metric in enumerate(metrics):
            if y + lh > bottom:
                more = f"+ {len(metrics) - i} ..."
                st.put_text(panel, more, (x, y), scale, st.MUTED_TEXT_COLOR, thick, box=False)
                break
            y = self._metric_rows(panel, metric, x, y, scale, thick, lh, pw - 2 * pad)
        disclaimer = _fit(wording.screening_note(), scale * 0.9, thick, pw - 2 * pad)
        st.put_text(panel, disclaimer, (x, h - pad), scale * 0.9, st.TEXT_COLOR, thick, box=False)

    def _header(self, panel, result, x, y, scale, thick, lh, avail) -> int:
        view = result.view
        name = wording.view_name(view.view)
        if not view.forced and view.view.value != "unknown":
            view_text = _("View: {view} ({confidence} %)").format(
                view=name, confidence=round(100 * view.confidence)
            )
        else:
            view_text = _("View: {view}").format(view=name)
        st.put_text(
            panel,
            _fit(view_text, scale, thick, avail),
            (x, y),
            scale,
            st.TEXT_COLOR,
            thick,
            box=False,
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
        st.put_text(panel, text, (x, y), scale, color, thick, box=False)
        return y + lh

    def _metric_rows(self, panel, metric: Metric, x, y, scale, thick, lh, avail) -> int:
        color = st.status_color(metric.status)
        cap_h = st.measure_text("H", scale, thick)[1]
        r = max(2, round(cap_h * 0.45))
        st.dot(panel, (x + r, y - cap_h / 2.0), r, color, border=False)
        value = wording.value_in_words(metric) if metric.value is not None else "--"
        vw = st.measure_text(value, scale, thick)[0]
        st.put_text(panel, value, (x + avail, y), scale, color, thick, box=False, anchor="right")
        label_x = x + 2 * r + max(4, r)
        label = _fit(wording.metric_label(metric.id), scale, thick, avail - (label_x - x) - vw - 6)
        st.put_text(panel, label, (label_x, y), scale, st.TEXT_COLOR, thick, box=False)
        y += round(lh * 0.95)
        if metric.value is None or metric.status == MetricStatus.NOT_MEASURABLE:
            note = localize(metric.reason) or wording.status_text(metric.status)
        else:
            note = wording.norm_line(metric.id)
        if note:
            small = scale * 0.85
            note = _fit(note, small, thick, avail - (label_x - x))
            st.put_text(panel, note, (label_x, y), small, st.MUTED_TEXT_COLOR, thick, box=False)
        return y + round(lh * 1.05)


def _fit(text: str, scale: float, thickness: int, avail: float) -> str:
    """Shorten text with ".." until it fits ``avail`` pixels."""
    if st.measure_text(text, scale, thickness)[0] <= avail:
        return text
    while len(text) > 1 and st.measure_text(text + "..", scale, thickness)[0] > avail:
        text = text[:-1]
    return text.rstrip() + ".."
