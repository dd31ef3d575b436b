"""Find round stickers of one saturated colour in a BGR frame.

Steps: HSV threshold around the marker colour -> morphological open (specks) and close
(holes) -> external contours -> keep blobs that are round (circularity 4πA/P² and the
fill of the enclosing circle) and of a plausible size relative to the body -> sub-pixel
centre of the area the sticker covers at least half of (``_centre``).

Size: a 15-25 mm sticker on an adult whose trunk (hip-shoulder) is about 50 cm has a
diameter of 3-5 % of the trunk length in pixels; blobs with a diameter from 1.2 % to
25 % of the trunk, and of at least 3 px, are accepted (a generous band: the trunk
estimate is rough when the patient bends, and a sticker drawn a fixed size onto a
small photo is large for it). Without a pose, diameters of 4-120 px are accepted. A
blob's diameter is that of a circle covering as many pixels (``pixel_area``).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from posture_cam.config import marker_colour_ok
from posture_cam.errors import InputError
from posture_cam.i18n import _

#: Named colours: OpenCV HSV (H in 0-179, S and V in 0-255) of the sticker; the names
#: are ``posture_cam.config.MARKER_COLOUR_NAMES`` (checked without OpenCV there).
NAMED_COLOURS: dict[str, tuple[int, int, int]] = {
    "green": (57, 230, 230),  # fluorescent green, e.g. #39FF14 / #00FF00
    "yellow": (30, 230, 240),
    "orange": (12, 230, 240),
    "pink": (165, 200, 240),
    "blue": (115, 220, 220),
}
#: Hue half-width (OpenCV units, 1 unit = 2°) and the lowest saturation / value kept.
HUE_TOL = 14
MIN_S, MIN_V = 90, 90
MIN_CIRCULARITY = 0.55
MIN_FILL = 0.5
DIAMETER_OF_TRUNK = (0.012, 0.25)
DIAMETER_PX_NO_POSE = (4.0, 120.0)


@dataclass(frozen=True)
class MarkerColour:
    """HSV centre of the sticker colour (OpenCV ranges)."""

    h: int
    s: int
    v: int

    @classmethod
    def parse(cls, text: str) -> MarkerColour:
        """``green`` (a name), ``#RRGGBB`` or ``h,s,v`` (OpenCV HSV: 0-179, 0-255, 0-255)."""
        t = text.strip().lower()
        if not marker_colour_ok(t):  # the one grammar, shared with the settings file
            raise InputError(
                f"--marker-colour {text}",
                _(
                    "use a name ({names}), #RRGGBB or h,s,v in OpenCV HSV (h 0-179, s and v 0-255)"
                ).format(names=", ".join(NAMED_COLOURS)),
            )
        if t in NAMED_COLOURS:
            return cls(*NAMED_COLOURS[t])
        if t.startswith("#"):
            r, g, b = (int(t[i : i + 2], 16) for i in (1, 3, 5))
            h, s, v = cv2.cvtColor(np.array([[[b, g, r]]], dtype=np.uint8), cv2.COLOR_BGR2HSV)[0, 0]
            return cls(int(h), int(s), int(v))
        h, s, v = (int(p) for p in t.split(","))
        return cls(h, s, v)

    def mask(self, image_bgr: np.ndarray) -> np.ndarray:
        """uint8 mask (255 = marker colour) of a BGR image."""
        hsv = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2HSV)
        lo_s = max(MIN_S, self.s - 110)
        lo_v = max(MIN_V, self.v - 130)
        lo, hi = self.h - HUE_TOL, self.h + HUE_TOL
        ranges = [(lo, hi)] if lo >= 0 and hi <= 179 else [(lo % 180, 179), (0, hi % 180)]
        out = np.zeros(hsv.shape[:2], np.uint8)
        for a, b in ranges:
            out |= cv2.inRange(hsv, (int(a), lo_s, lo_v), (int(b), 255, 255))
        return out


@dataclass(frozen=True)
class Blob:
    """A round sticker candidate.

    Attributes:
        xy_px: (2,) sub-pixel centre (``_centre``).
        radius_px: radius of a circle of the blob's area.
        circularity: 4πA/P² (1 for a perfect disc).
    """

    xy_px: np.ndarray
    radius_px: float
    circularity: float


def detect_blobs(
    image_bgr: np.ndarray, colour: MarkerColour, trunk_px: float | None = None
) -> list[Blob]:
    """Round blobs of ``colour``, largest first.

    Args:
        image_bgr: (H, W, 3) uint8 frame, un-mirrored.
        colour: sticker colour.
        trunk_px: hip-shoulder length of the patient in pixels (size filter), or None.
    """
    mask = colour.mask(image_bgr)
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3))
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, k)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, k)
    if trunk_px:
        d_lo, d_hi = (f * trunk_px for f in DIAMETER_OF_TRUNK)
        d_lo = max(d_lo, 3.0)
    else:
        d_lo, d_hi = DIAMETER_PX_NO_POSE
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    blobs: list[Blob] = []
    for c in contours:
        m = cv2.moments(c)
        area = m["m00"]
        if area <= 0:
            continue
        diameter = 2.0 * np.sqrt(pixel_area(area, len(c)) / np.pi)
        if not d_lo <= diameter <= d_hi:
            continue
        perimeter = cv2.arcLength(c, True)
        circularity = 4.0 * np.pi * area / (perimeter * perimeter) if perimeter > 0 else 0.0
        (_, _), r_enc = cv2.minEnclosingCircle(c)
        fill = area / (np.pi * r_enc * r_enc) if r_enc > 0 else 0.0
        if circularity < MIN_CIRCULARITY or fill < MIN_FILL:
            continue
        xy = _centre(image_bgr, mask, c)
        blobs.append(Blob(xy, diameter / 2.0, float(circularity)))
    blobs.sort(key=lambda b: -b.radius_px)
    return blobs


def pixel_area(polygon_area: float, boundary_pixels: int) -> float:
    """The number of pixels a blob covers, from its contour: the contour runs through
    the centres of its ``boundary_pixels`` edge pixels and encloses ``polygon_area``,
    so by Pick's theorem it holds ``polygon_area + boundary_pixels / 2 + 1`` pixels.

    The polygon's own area falls short by half a pixel all round: a 4 px sticker, 12
    mask pixels after the 3 x 3 opening, encloses 7 px² (a 3.0 px circle), which the
    3 px floor refused.
    """
    return polygon_area + boundary_pixels / 2.0 + 1.0


def _centre(image_bgr: np.ndarray, mask: np.ndarray, contour: np.ndarray) -> np.ndarray:
    """Sub-pixel centre of one blob: the centroid of the area where the sticker covers
    at least half of the picture (``_coverage``, sampled UPSAMPLE x finer); the centroid
    of its mask pixels when that cannot be told."""
    x, y, w, h = cv2.boundingRect(contour)
    pad = SOFT_RING_PX[1] + 1
    x0, y0 = max(0, x - pad), max(0, y - pad)
    x1, y1 = min(mask.shape[1], x + w + pad), min(mask.shape[0], y + h + pad)
    blob = np.zeros((y1 - y0, x1 - x0), np.uint8)
    cv2.drawContours(blob, [contour - (x0, y0)], -1, 255, thickness=cv2.FILLED)
    blob &= mask[y0:y1, x0:x1]
    if not blob.any():
        m = cv2.moments(contour)
        return np.array([m["m10"] / m["m00"], m["m01"] / m["m00"]])
    ys, xs = np.nonzero(blob)
    binary = np.array([x0 + xs.mean(), y0 + ys.mean()])
    coverage = _coverage(image_bgr[y0:y1, x0:x1], mask[y0:y1, x0:x1], blob)
    if coverage is None:
        return binary
    fine = cv2.resize(coverage, None, fx=UPSAMPLE, fy=UPSAMPLE, interpolation=cv2.INTER_LINEAR)
    _, labels = cv2.connectedComponents((fine >= 0.5).astype(np.uint8))
    # the finer area that holds the blob's own mask centre (sub-pixel (u, v) of the fine
    # grid's pixel (i, j): u = (j + 0.5) / UPSAMPLE - 0.5)
    j = min(int((binary[0] - x0 + 0.5) * UPSAMPLE), fine.shape[1] - 1)
    i = min(int((binary[1] - y0 + 0.5) * UPSAMPLE), fine.shape[0] - 1)
    if labels[i, j] == 0:
        return binary
    fy, fx = np.nonzero(labels == labels[i, j])
    return np.array(
        [x0 + (fx.mean() + 0.5) / UPSAMPLE - 0.5, y0 + (fy.mean() + 0.5) / UPSAMPLE - 0.5]
    )


#: Inner and outer radius (px) of the ring around a blob whose colour is taken as the
#: skin or clothing behind it.
SOFT_RING_PX = (3, 6)
#: Sticker and background colours closer than this (CIELAB a*b*, 8-bit units) leave the
#: mask centroid.
MIN_CONTRAST_AB = 20.0
#: How much finer than the picture the half-coverage outline is traced.
UPSAMPLE = 4


def _coverage(patch_bgr: np.ndarray, mask: np.ndarray, blob: np.ndarray) -> np.ndarray | None:
    """Per pixel of ``patch_bgr`` near the blob, the share of it the sticker covers (0-1).

    An edge pixel of a sticker, blurred by the lens or the drawing or smeared by JPEG's
    halved colour resolution, mixes a·sticker + (1-a)·background. a is read from the
    pixel's colour without its lightness (CIELAB a*, b*), projected on the line from
    the background (median of a ring around the blob, other stickers left out) to the
    sticker (median of the blob's inner pixels): skin, walls and clothes differ mostly
    in lightness, which therefore does not pull a, where a threshold on the mask does.
    Pixels beyond 2 px of the blob are 0. None when the ring is empty or the two colours
    are too alike. Measured on sub-pixel discs composited onto the shared photos
    (``tests/markers/test_detect.py``): the centre's error falls to about a third,
    lossless and JPEG.
    """
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3))
    inner = cv2.erode(blob, k)
    if not inner.any():
        inner = blob
    near = cv2.dilate(blob, k, iterations=2)
    r_in, r_out = SOFT_RING_PX
    ring = (cv2.dilate(blob, k, iterations=r_out) > 0) & (cv2.dilate(blob, k, iterations=r_in) == 0)
    ring &= cv2.dilate(mask, k, iterations=r_in) == 0  # other stickers are not background
    if not ring.any():
        return None
    chroma = cv2.cvtColor(patch_bgr, cv2.COLOR_BGR2LAB)[..., 1:].astype(np.float32)
    sticker = np.median(chroma[inner > 0], axis=0)
    background = np.median(chroma[ring], axis=0)
    axis = sticker - background
    length2 = float(axis @ axis)
    if length2 < MIN_CONTRAST_AB**2:
        return None
    share = np.clip(((chroma - background) @ axis) / length2, 0.0, 1.0)
    return np.where(near > 0, share, 0.0).astype(np.float32)
