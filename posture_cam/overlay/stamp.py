"""A warning stamped across the top of an exported image ("Not clinical quality: …").

A snapshot taken while the quality gate failed is still saved (the therapist saves
what is shown), but the picture itself must say that it is not a clinical capture, so
a printed or forwarded PNG cannot be mistaken for one. No Qt here.
"""

from __future__ import annotations

import numpy as np

from posture_cam.overlay import style as st

WARNING_COLOR: st.Color = (40, 170, 255)  # amber (BGR)


def stamp_warning(image_bgr: np.ndarray, title: str, reasons: list[str]) -> np.ndarray:
    """Draw ``title`` and one line per reason over a dark band at the top of the image.

    Args:
        image_bgr: (H, W, 3) uint8, drawn into in place.
        title: the warning ("Not clinical quality").
        reasons: why (each shortened to fit the width).

    Returns:
        The same array.
    """
    h, w = image_bgr.shape[:2]
    style = st.OverlayStyle.for_frame(w, h)
    scale = style.font_scale * 1.2
    thick = max(1, style.text_px)
    line_h = round(st.measure_text("H", scale, thick)[1] * 1.9)
    pad = max(4, line_h // 3)
    lines = [title, *reasons]
    band_h = min(h, pad * 2 + line_h * len(lines))
    roi = image_bgr[:band_h]
    roi[:] = (roi.astype(np.uint16) * 3 // 10).astype(np.uint8)
    avail = w - 2 * pad
    y = pad + line_h * 0.75
    for i, text in enumerate(lines):
        text = _fit(text, scale, thick, avail)
        color = WARNING_COLOR if i == 0 else (235, 235, 235)
        bold = thick + (1 if i == 0 else 0)
        st.put_text(image_bgr, text, (pad, y), scale, color, bold, box=False)
        y += line_h
    return image_bgr


def _fit(text: str, scale: float, thick: int, avail: float) -> str:
    """``text`` shortened with "..." until it fits ``avail`` pixels."""
    if st.measure_text(text, scale, thick)[0] <= avail:
        return text
    while text and st.measure_text(text + "...", scale, thick)[0] > avail:
        text = text[:-1]
    return text + "..."
