"""Colours, frame-size-scaled sizes and the low-level drawing primitives of the overlay.

Colour semantics (BGR):
    * skeleton: patient's LEFT side blue, patient's RIGHT side pink, centre grey;
    * true references (plumb line, true horizontals): white with a dark shadow, so they
      read as "gravity", not as part of the patient;
    * measured lines (shoulder line, ear-shoulder line ...): the metric's traffic-light
      status colour (normal green, borderline amber, outside red, not measurable grey).

Sizes scale with the frame diagonal like ``norfair/drawing/drawer.py``: a 1000 px
diagonal is the unit, so an overlay looks the same on a 480x360 snapshot and a 1080p
live view. All lines are antialiased and drawn with sub-pixel precision
(``shift=SHIFT``) because landmark positions are float pixels.

Hershey fonts are ASCII only: :func:`put_text` draws "°" as a small circle and a
diaeresis ("patiënt") as two dots, and folds other non-ASCII characters to their
closest ASCII form ("−" to "-").
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

from posture_cam.types import MetricStatus
from posture_cam.wording import status_color_rgb

Color = tuple[int, int, int]

LEFT_COLOR: Color = (255, 150, 40)  # patient's left: azure blue
RIGHT_COLOR: Color = (200, 80, 255)  # patient's right: pink
CENTER_COLOR: Color = (200, 200, 200)
REFERENCE_COLOR: Color = (245, 245, 245)
SHADOW_COLOR: Color = (25, 25, 25)
TEXT_COLOR: Color = (245, 245, 245)
MUTED_TEXT_COLOR: Color = (170, 170, 170)
BACKGROUND_COLOR: Color = (38, 36, 34)  # skeleton-only privacy export
PANEL_COLOR: Color = (30, 28, 26)


def _bgr(rgb: tuple[int, int, int]) -> Color:
    r, g, b = rgb
    return (b, g, r)


#: The traffic-light colours of ``posture_cam.wording`` (one set for UI and overlay), BGR.
STATUS_COLORS: dict[MetricStatus, Color] = {
    status: _bgr(status_color_rgb(status)) for status in MetricStatus
}

SIDE_COLORS: dict[str, Color] = {"left": LEFT_COLOR, "right": RIGHT_COLOR, "center": CENTER_COLOR}

FONT = cv2.FONT_HERSHEY_SIMPLEX
SHIFT = 4  # sub-pixel bits for cv2 drawing calls
_ONE = 1 << SHIFT


@dataclass(frozen=True)
class OverlayStyle:
    """Sizes for one frame size (build with :meth:`for_frame`).

    Attributes:
        unit: frame diagonal / 1000 px.
        line_px: thickness of skeleton and measured lines.
        thin_px: thickness of reference lines.
        dot_px: radius of joint dots.
        font_scale: Hershey font scale of overlay text.
        text_px: stroke thickness of overlay text.
    """

    unit: float
    line_px: int
    thin_px: int
    dot_px: int
    font_scale: float
    text_px: int

    @classmethod
    def for_frame(cls, width: int, height: int) -> OverlayStyle:
        return _style_for(int(width), int(height))

    @property
    def text_height_px(self) -> int:
        """Height of a capital letter at :attr:`font_scale`."""
        return text_size("H", self.font_scale, self.text_px)[1]


@lru_cache(maxsize=16)
def _style_for(width: int, height: int) -> OverlayStyle:
    unit = math.hypot(width, height) / 1000.0
    return OverlayStyle(
        unit=unit,
        line_px=max(1, round(2.0 * unit)),
        thin_px=max(1, round(1.0 * unit)),
        dot_px=max(2, round(3.5 * unit)),
        # Below ~0.38 the Hershey glyphs stop being readable, whatever the frame size;
        # the live view renders at the view's size, so text grows with the window.
        font_scale=max(0.38, 0.55 * unit),
        text_px=max(1, round(1.1 * unit)),
    )


def status_color(status: MetricStatus | str) -> Color:
    """Traffic-light colour of a metric status."""
    return STATUS_COLORS.get(MetricStatus(status), STATUS_COLORS[MetricStatus.NOT_MEASURABLE])


_FOLD = str.maketrans(
    {
        "\u2212": "-",  # minus sign
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u00b1": "+/-",
        "\u00d7": "x",
        "\u00a0": " ",
        "\u2248": "~",
    }
)
_DIAERESIS = "\u0308"
_UMLAUT = "\x01"  # marks "draw two dots above the next letter" inside folded text


def to_ascii(text: str) -> str:
    """Fold text to ASCII for Hershey fonts, keeping "°" (drawn as a circle).

    A letter with a diaeresis ("patiënt") keeps its letter, preceded by a marker that
    :func:`put_text` draws as two dots; the real minus, dashes, "±" and "…" fold to
    ASCII look-alikes instead of vanishing.
    """
    text = text.translate(_FOLD)
    if text.isascii():
        return text
    out = []
    for ch in text:
        if ch == "°" or ch.isascii():
            out.append(ch)
            continue
        decomposed = unicodedata.normalize("NFKD", ch)
        base = decomposed.encode("ascii", "ignore").decode()
        if base and _DIAERESIS in decomposed:
            out.append(_UMLAUT + base)
        else:
            out.append(base)
    return "".join(out)


def split_runs(text: str, apart: frozenset[str] | str) -> list[str]:
    """``text`` split into runs of other characters and each character of ``apart`` on
    its own (the glyphs Hershey lacks, drawn by hand)."""
    parts: list[str] = []
    run = ""
    for ch in text:
        if ch in apart:
            if run:
                parts.append(run)
                run = ""
            parts.append(ch)
        else:
            run += ch
    if run:
        parts.append(run)
    return parts


def _segments(text: str) -> list[str]:
    """Folded text split into runs and "°" (Hershey has no degree glyph). Umlaut markers
    stay inside their run, so a word is drawn in one call and keeps its spacing."""
    return split_runs(text, "°")


def _fp(p: np.ndarray | tuple[float, float]) -> tuple[int, int]:
    """A float point as fixed-point integers for ``shift=SHIFT``."""
    return round(float(p[0]) * _ONE), round(float(p[1]) * _ONE)


def line(img: np.ndarray, p0, p1, color: Color, thickness: int) -> None:
    """Antialiased sub-pixel line."""
    cv2.line(img, _fp(p0), _fp(p1), color, thickness, cv2.LINE_AA, SHIFT)


def shadowed_line(img: np.ndarray, p0, p1, color: Color, thickness: int) -> None:
    """A line with a dark border so it stays visible on light and dark backgrounds."""
    line(img, p0, p1, SHADOW_COLOR, thickness + 2)
    line(img, p0, p1, color, thickness)


def dashed_line(
    img: np.ndarray, p0, p1, color: Color, thickness: int, dash_px: float, shadow: bool = True
) -> None:
    """Dashed antialiased line (dash and gap both ``dash_px`` long)."""
    a = np.asarray(p0, dtype=np.float64)
    b = np.asarray(p1, dtype=np.float64)
    length = float(np.hypot(*(b - a)))
    if length < 1e-6 or dash_px <= 0:
        return
    n = max(1, int(length // (2 * dash_px)) + 1)
    t0 = np.arange(n) * (2 * dash_px) / length
    t1 = np.minimum(t0 + dash_px / length, 1.0)
    starts = a + t0[:, None] * (b - a)
    ends = a + t1[:, None] * (b - a)
    # One polylines call per colour: much cheaper than a cv2.line call per dash.
    segs = np.round(np.stack([starts, ends], axis=1) * _ONE).astype(np.int32)
    if shadow:
        cv2.polylines(img, list(segs), False, SHADOW_COLOR, thickness + 2, cv2.LINE_AA, SHIFT)
    cv2.polylines(img, list(segs), False, color, thickness, cv2.LINE_AA, SHIFT)


def dot(img: np.ndarray, center, radius: int, color: Color, border: bool = True) -> None:
    """Filled joint dot with a thin dark border."""
    c = _fp(center)
    if border:
        cv2.circle(img, c, (radius + 1) * _ONE, SHADOW_COLOR, -1, cv2.LINE_AA, SHIFT)
    cv2.circle(img, c, radius * _ONE, color, -1, cv2.LINE_AA, SHIFT)


def arc(
    img: np.ndarray,
    center,
    radius: float,
    a0_deg: float,
    a1_deg: float,
    color: Color,
    thickness: int,
) -> None:
    """The short arc between two directions (angles in image coordinates, y down)."""
    diff = (a1_deg - a0_deg + 180.0) % 360.0 - 180.0
    start, end = sorted((a0_deg, a0_deg + diff))
    r = max(1, round(radius * _ONE))
    cv2.ellipse(img, _fp(center), (r, r), 0.0, start, end, color, thickness, cv2.LINE_AA, SHIFT)


def direction_deg(v: np.ndarray) -> float:
    """Angle of a vector in image coordinates (degrees, clockwise as displayed)."""
    return math.degrees(math.atan2(float(v[1]), float(v[0])))


def true_axes(roll_deg: float) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors of the true horizontal (pointing right) and true vertical (pointing down).

    ``roll_deg`` is the angle by which a true horizontal appears rotated
    counter-clockwise as displayed (image y down), see docs/architecture.md.
    """
    r = math.radians(roll_deg)
    horizontal = np.array([math.cos(r), -math.sin(r)])
    vertical = np.array([math.sin(r), math.cos(r)])
    return horizontal, vertical


@lru_cache(maxsize=256)
def text_size(text: str, scale: float, thickness: int) -> tuple[int, int]:
    """(width, height) of text without the degree circle handling (cached)."""
    (w, h), _ = cv2.getTextSize(text, FONT, scale, thickness)
    return int(w), int(h)


@lru_cache(maxsize=256)
def _ink_centre_x(letter: str, scale: float, thickness: int) -> float:
    """Horizontal centre of a glyph's ink, in pixels from where ``putText`` starts it
    (its advance cell has side bearings, so the cell's middle is not the ink's)."""
    w, h = text_size(letter, scale, thickness)
    pad = 2 * thickness + 4
    canvas = np.zeros((h + 2 * pad, w + 2 * pad), np.uint8)
    cv2.putText(canvas, letter, (pad, h + pad), FONT, scale, 255, thickness, cv2.LINE_8)
    cols = np.flatnonzero(canvas.any(axis=0))
    if cols.size == 0:
        return w / 2.0
    return (cols[0] + cols[-1]) / 2.0 - pad


@lru_cache(maxsize=64)
def _i_dot(scale: float, thickness: int) -> tuple[float, float]:
    """(centre height above the baseline, radius) in pixels of the dot the font draws
    on "i" at this size: measured by drawing it, so a diaeresis matches at any size."""
    w, h = text_size("i", scale, thickness)
    pad = 2 * thickness + 4
    canvas = np.zeros((h + 2 * pad, w + 2 * pad), np.uint8)
    baseline = h + pad
    cv2.putText(canvas, "i", (pad, baseline), FONT, scale, 255, thickness, cv2.LINE_8)
    rows = np.flatnonzero(canvas.any(axis=1))
    gaps = np.flatnonzero(np.diff(rows) > 1)
    if rows.size == 0 or gaps.size == 0:  # too small to separate: a dot on the cap line
        return float(h), max(0.5, thickness / 2.0)
    dot = rows[: gaps[0] + 1]
    return float(baseline - (dot[0] + dot[-1]) / 2.0), float(max(0.5, (dot[-1] - dot[0]) / 2.0))


def measure_text(text: str, scale: float, thickness: int) -> tuple[int, int]:
    """(width, height) of text as :func:`put_text` draws it."""
    h = text_size("H", scale, thickness)[1]
    w = 0
    for part in _segments(to_ascii(text)):
        if part == "°":
            w += _degree_advance(h)
        else:
            w += text_size(part.replace(_UMLAUT, ""), scale, thickness)[0]
    return w, h


def _degree_advance(cap_h: int) -> int:
    return max(4, round(cap_h * 0.6))


def clamp_text_origin(
    x: float, y: float, w: int, h: int, image_w: int, image_h: int
) -> tuple[int, int]:
    """Baseline start (x, y) moved so a ``w`` x ``h`` label lies inside the image."""
    pad = max(2, round(h * 0.3))
    x = min(max(x, pad), max(pad, image_w - w - pad))
    y = min(max(y, h + pad), max(h + pad, image_h - pad))
    return round(x), round(y)


def put_text(
    img: np.ndarray,
    text: str,
    org: tuple[float, float],
    scale: float,
    color: Color,
    thickness: int,
    *,
    box: bool = True,
    anchor: str = "left",
) -> tuple[int, int]:
    """Draw readable text; ``org`` is the baseline start (``anchor="left"``), centre
    (``"center"``) or end (``"right"``). Returns the drawn (width, height).

    With ``box`` the pixels behind the text are darkened to a quarter of their
    brightness: at small sizes that reads far better than an outline, which swallows
    the Hershey glyphs' counters, and it keeps the scene visible through the box. (At
    half brightness a skeleton line crossing a label, the thigh under "Pelvis 14.0°
    anterior" in a seated side view, still cut through its letters.)
    """
    text = to_ascii(text)
    w, h = measure_text(text, scale, thickness)
    x = float(org[0]) - {"left": 0.0, "center": w / 2.0, "right": float(w)}[anchor]
    # Labels never leave the image: a label near an edge slides back inside.
    x, y = clamp_text_origin(x, float(org[1]), w, h, img.shape[1], img.shape[0])
    if box:
        pad = max(2, round(h * 0.3))
        y0, y1 = max(0, y - h - pad), min(img.shape[0], y + pad + thickness)
        x0, x1 = max(0, x - pad), min(img.shape[1], x + w + pad)
        if y1 > y0 and x1 > x0:
            roi = img[y0:y1, x0:x1]
            np.right_shift(roi, 2, out=roi)
    cx = x
    for part in _segments(text):
        if part == "°":
            # Degree sign: a small ring at cap height (Hershey has no glyph for it).
            r = max(1, round(h * 0.18))
            cv2.circle(img, (cx + r + 1, y - h + r), r, color, 1, cv2.LINE_AA)
            cx += _degree_advance(h)
            continue
        glyphs = part.replace(_UMLAUT, "")
        cv2.putText(img, glyphs, (cx, y), FONT, scale, color, thickness, cv2.LINE_AA)
        gw = text_size(glyphs, scale, thickness)[0]
        if _UMLAUT in part:
            # Diaeresis (patiënt): two dots where and as big as the font's own dot on
            # "i", centred on the letter's ink (the run's advance up to the letter plus
            # the ink's offset in its cell); higher or bigger dots read as a floating mark.
            rise_px, r_px = _i_dot(scale, thickness)
            prefix = ""
            for k, ch in enumerate(part):
                if ch == _UMLAUT or k == 0 or part[k - 1] != _UMLAUT:
                    prefix += "" if ch == _UMLAUT else ch
                    continue
                # where the run puts the letter's cell: the run's advance with it less
                # its own (the advance of the run without it is a pixel wider, as
                # getTextSize rounds each run's end)
                run_w = text_size(prefix + ch, scale, thickness)[0]
                x_letter = cx + run_w - text_size(ch, scale, thickness)[0]
                centre_x = x_letter + _ink_centre_x(ch, scale, thickness)
                half_gap = max(r_px * 1.6, text_size(ch, scale, thickness)[0] * 0.2)
                for dx in (-half_gap, half_gap):
                    centre = (round((centre_x + dx) * _ONE), round((y - rise_px) * _ONE))
                    cv2.circle(img, centre, round(r_px * _ONE), color, -1, cv2.LINE_AA, SHIFT)
                prefix += ch
        cx += gw
    return w, h
