"""Image transforms with known geometry: the rotated passes of a photo
(``pose.still_passes``), the accuracy harness and tests.

Each geometric transform returns a :class:`Warped`: the new image and the 2×3 affine
matrix that maps a pixel position in the original image to the new one, so a test can
say exactly where a landmark *should* land. Pure OpenCV / NumPy, no model.

Angle convention: ``rotate_padded(img, +θ)`` turns the picture *counter-clockwise as
displayed* (image y down), the same sense as ``roll_deg`` in the calibration. A line at
angle φ above the image's +x axis ends up at φ + θ.

Padding: rotation and translation enlarge the canvas so nothing is cut off. The
default fill is ``replicate`` (edge pixels smeared outwards): it adds no hard border
that the pose detector can mistake for an edge or a limb, whereas a constant fill puts
a sharp, rotated rectangle around the picture and a reflected fill can duplicate body
parts. ``bench/accuracy.py --pad`` compares them.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np

#: Border modes accepted by the transforms.
PAD_MODES = {
    "replicate": cv2.BORDER_REPLICATE,
    "constant": cv2.BORDER_CONSTANT,
    "reflect": cv2.BORDER_REFLECT_101,
}

#: Neutral grey used by ``pad="constant"`` (BGR).
NEUTRAL_BGR = (128, 128, 128)


@dataclass(frozen=True, eq=False)
class Warped:
    """A transformed image and where the original pixels went.

    Attributes:
        image_bgr: (H', W', 3) uint8 result.
        affine: (2, 3) float64 matrix mapping original pixel (x, y, 1) to new pixels.
    """

    image_bgr: np.ndarray
    affine: np.ndarray

    def map_points(self, xy_px: np.ndarray) -> np.ndarray:
        """Map (N, 2) original pixel positions into the new image (NaN stays NaN)."""
        xy = np.asarray(xy_px, dtype=np.float64)
        return xy @ self.affine[:, :2].T + self.affine[:, 2]


def _warp(image: np.ndarray, affine: np.ndarray, size_wh: tuple[int, int], pad: str) -> np.ndarray:
    if pad not in PAD_MODES:
        raise ValueError(f"pad must be one of {sorted(PAD_MODES)}, got {pad!r}")
    return cv2.warpAffine(
        image,
        affine,
        size_wh,
        flags=cv2.INTER_LINEAR,
        borderMode=PAD_MODES[pad],
        borderValue=NEUTRAL_BGR,
    )


def rotate_padded(image_bgr: np.ndarray, angle_deg: float, pad: str = "replicate") -> Warped:
    """Rotate about the image centre on a canvas just large enough to keep every pixel.

    Args:
        image_bgr: (H, W, 3) uint8 image.
        angle_deg: rotation in degrees, positive = counter-clockwise as displayed.
        pad: ``replicate``, ``constant`` (neutral grey) or ``reflect``.
    """
    h, w = image_bgr.shape[:2]
    rad = math.radians(angle_deg)
    c, s = abs(math.cos(rad)), abs(math.sin(rad))
    new_w, new_h = math.ceil(w * c + h * s), math.ceil(w * s + h * c)
    # Rotate about the old centre, then move that centre to the new canvas centre.
    affine = cv2.getRotationMatrix2D(((w - 1) / 2.0, (h - 1) / 2.0), angle_deg, 1.0)
    affine[0, 2] += (new_w - w) / 2.0
    affine[1, 2] += (new_h - h) / 2.0
    return Warped(_warp(image_bgr, affine, (new_w, new_h), pad), affine)


def flip_horizontal(image_bgr: np.ndarray) -> Warped:
    """Mirror left-right (what a selfie preview shows); x -> W - 1 - x."""
    w = image_bgr.shape[1]
    affine = np.array([[-1.0, 0.0, w - 1.0], [0.0, 1.0, 0.0]])
    return Warped(np.ascontiguousarray(cv2.flip(image_bgr, 1)), affine)


def scale(image_bgr: np.ndarray, factor: float) -> Warped:
    """Resize by ``factor`` (area interpolation when shrinking, so no aliasing)."""
    if factor <= 0:
        raise ValueError("scale factor must be > 0")
    h, w = image_bgr.shape[:2]
    new_w, new_h = max(1, round(w * factor)), max(1, round(h * factor))
    interp = cv2.INTER_AREA if factor < 1 else cv2.INTER_LINEAR
    out = cv2.resize(image_bgr, (new_w, new_h), interpolation=interp)
    # cv2.resize aligns pixel *corners*: centre (x + 0.5) scales to (x' + 0.5).
    fx, fy = new_w / w, new_h / h
    affine = np.array([[fx, 0.0, 0.5 * fx - 0.5], [0.0, fy, 0.5 * fy - 0.5]])
    return Warped(out, affine)


def translate_padded(
    image_bgr: np.ndarray,
    left: int = 0,
    top: int = 0,
    right: int = 0,
    bottom: int = 0,
    pad: str = "replicate",
) -> Warped:
    """Pad each side by the given number of pixels (asymmetric padding shifts the
    subject within the frame without cutting anything)."""
    if min(left, top, right, bottom) < 0:
        raise ValueError("padding must be >= 0")
    if pad not in PAD_MODES:
        raise ValueError(f"pad must be one of {sorted(PAD_MODES)}, got {pad!r}")
    out = cv2.copyMakeBorder(image_bgr, top, bottom, left, right, PAD_MODES[pad], value=NEUTRAL_BGR)
    affine = np.array([[1.0, 0.0, float(left)], [0.0, 1.0, float(top)]])
    return Warped(out, affine)


def crop(image_bgr: np.ndarray, box_xyxy: tuple[float, float, float, float]) -> Warped:
    """Cut out ``box_xyxy`` (pixels, clipped to the image; x1/y1 exclusive)."""
    h, w = image_bgr.shape[:2]
    x0, y0 = max(0, math.floor(box_xyxy[0])), max(0, math.floor(box_xyxy[1]))
    x1, y1 = min(w, math.ceil(box_xyxy[2])), min(h, math.ceil(box_xyxy[3]))
    if x1 - x0 < 2 or y1 - y0 < 2:
        raise ValueError(f"crop box {box_xyxy} is empty inside a {w}x{h} image")
    out = np.ascontiguousarray(image_bgr[y0:y1, x0:x1])
    return Warped(out, np.array([[1.0, 0.0, -float(x0)], [0.0, 1.0, -float(y0)]]))


def box_with_margin(
    box_xyxy: tuple[float, float, float, float], margin: float, image_wh: tuple[int, int]
) -> tuple[float, float, float, float]:
    """Grow a box by ``margin`` × its larger side on every side, clipped to the image."""
    x0, y0, x1, y1 = box_xyxy
    m = margin * max(x1 - x0, y1 - y0)
    return (max(0.0, x0 - m), max(0.0, y0 - m), min(image_wh[0], x1 + m), min(image_wh[1], y1 + m))


def jitter_clip(
    image_bgr: np.ndarray,
    seconds: float = 3.0,
    fps: float = 30.0,
    *,
    noise_sd: float = 4.0,
    jpeg_quality: int = 80,
    shift_px: float = 0.5,
    seed: int = 0,
) -> Iterator[tuple[np.ndarray, float]]:
    """A still photo as a webcam-like clip of a perfectly still person.

    Each frame gets an independent sub-pixel shift (uniform in ±``shift_px``, bilinear
    ``warpAffine``), Gaussian sensor noise of ``noise_sd`` digital numbers, and a JPEG
    round trip at ``jpeg_quality``: the nuisances a real camera adds, with no real
    motion. Any spread of the measured angles is therefore estimator noise.

    Args:
        image_bgr: (H, W, 3) uint8 still.
        seconds: clip length in seconds.
        fps: frame rate in frames per second.
        noise_sd: sensor noise standard deviation in DN (0-255 scale).
        jpeg_quality: JPEG quality 1-100; 0 skips the JPEG round trip.
        shift_px: maximum translation per axis in pixels.
        seed: random seed (clips are reproducible).

    Yields:
        ``(image_bgr, t_ms)`` for each frame, ``t_ms = index * 1000 / fps``.
    """
    rng = np.random.default_rng(seed)
    h, w = image_bgr.shape[:2]
    base = image_bgr.astype(np.float32)
    for i in range(round(seconds * fps)):
        dx, dy = rng.uniform(-shift_px, shift_px, size=2)
        affine = np.array([[1.0, 0.0, dx], [0.0, 1.0, dy]], dtype=np.float32)
        frame: np.ndarray = cv2.warpAffine(
            base, affine, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
        )
        if noise_sd > 0:
            frame += rng.normal(0.0, noise_sd, size=frame.shape).astype(np.float32)
        out: np.ndarray = np.clip(np.rint(frame), 0, 255).astype(np.uint8)
        if jpeg_quality:
            ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, int(jpeg_quality)])
            if not ok:
                raise RuntimeError("JPEG encoding failed")
            out = np.asarray(cv2.imdecode(buf, cv2.IMREAD_COLOR))
        yield out, i * 1000.0 / fps
