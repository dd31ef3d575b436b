"""Time of finding skin stickers in one frame (``posture_cam.markers.detect_blobs``).

Green discs (radius 1.2 % of the frame height, anti-aliased at sub-pixel places) on
the textured demo room with noise, at three frame sizes and 0, 4 and 8 stickers. Each
case is timed with the sub-pixel centre of the half-covered outline (the product) and
with the plain centroid of the thresholded mask (``_coverage`` switched off, the
method before 1 Dec 2026), interleaved in one process. Prints a Markdown table of
milliseconds per frame (median, p95) and the ratio of the two methods.

    python bench/marker_detect.py [--frames N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from contextlib import contextmanager

import cv2
import numpy as np

from posture_cam.markers import MarkerColour, detect
from posture_cam.testing import demo_canvas

SIZES = ((640, 480), (1280, 720), (1920, 1080))
STICKERS = (0, 4, 8)


def frame_with_stickers(size_wh: tuple[int, int], n: int) -> np.ndarray:
    rng = np.random.default_rng(n)
    w, h = size_wh
    noise = rng.integers(-12, 13, (h, w, 3))
    image = np.clip(demo_canvas(size_wh).astype(np.int16) + noise, 0, 255).astype(np.uint8)
    radius = 0.012 * h
    for k in range(n):
        x, y = (0.2 + 0.6 * k / max(1, n - 1)) * w, rng.uniform(0.2, 0.8) * h
        centre = (round(x * 16), round(y * 16))  # 1/16 px (shift=4)
        cv2.circle(image, centre, round(radius * 16), (20, 255, 57), -1, cv2.LINE_AA, 4)
    return image


@contextmanager
def mask_centroid_only():
    """``detect_blobs`` with the sub-pixel coverage switched off: the mask centroid."""
    real = detect._coverage
    detect._coverage = lambda *args: None
    try:
        yield
    finally:
        detect._coverage = real


def time_once(image: np.ndarray, colour: MarkerColour, trunk_px: float) -> float:
    t0 = time.perf_counter()
    detect.detect_blobs(image, colour, trunk_px)
    return (time.perf_counter() - t0) * 1000.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=200)
    args = parser.parse_args(argv)
    colour = MarkerColour.parse("green")
    print(
        f"detect_blobs per frame, {args.frames} frames a case, cv2 threads {cv2.getNumThreads()}\n"
    )
    print(
        "| frame | stickers | found | half-coverage centre median / p95 ms "
        "| mask centroid median / p95 ms | ratio of medians |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for size in SIZES:
        for n in STICKERS:
            image = frame_with_stickers(size, n)
            trunk = 0.35 * size[1]  # a person filling the frame's height
            found = len(detect.detect_blobs(image, colour, trunk))
            new, old = [], []
            for _ in range(args.frames):  # interleaved: both see the same machine load
                new.append(time_once(image, colour, trunk))
                with mask_centroid_only():
                    old.append(time_once(image, colour, trunk))
            new.sort()
            old.sort()

            def p95(times: list[float]) -> float:
                return times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]

            ratio = statistics.median(new) / statistics.median(old)
            print(
                f"| {size[0]}x{size[1]} | {n} | {found} | {statistics.median(new):.2f} / "
                f"{p95(new):.2f} | {statistics.median(old):.2f} / {p95(old):.2f} | {ratio:.2f} |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
