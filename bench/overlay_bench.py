"""Render time of ``OverlayRenderer.render`` on a synthetic 1280x720 frame.

The pose is the synthetic standing person of ``posture_cam.testing`` (all 33
landmarks, a full metric set) on a textured synthetic canvas, so no camera pixels are
needed. Prints a Markdown table of milliseconds per frame (median and p95).
Target: well under 5 ms without the panel (the live app must keep >= 25 fps).

    python bench/overlay_bench.py [--frames N] [--size 1280x720]
"""

from __future__ import annotations

import argparse
import statistics
import time

import cv2
import numpy as np

from posture_cam.overlay import OverlayRenderer
from posture_cam.testing import demo_canvas, demo_result

CASES: tuple[tuple[str, str, dict, dict], ...] = (
    ("front, no panel", "front", {}, {}),
    ("front, panel", "front", {"panel": True}, {}),
    ("front, mirror", "front", {}, {"mirror": True}),
    ("side, no panel", "left", {}, {}),
    ("side, mirror + panel", "left", {"panel": True}, {"mirror": True}),
    ("front, blur_face", "front", {"blur_face": True}, {}),
    ("front, skeleton_only", "front", {"skeleton_only": True}, {}),
)


def textured_canvas(size_wh: tuple[int, int]) -> np.ndarray:
    """The demo room plus mild noise, so copies and blurs work on realistic data."""
    rng = np.random.default_rng(1)
    noise = rng.integers(-12, 13, (size_wh[1], size_wh[0], 3))
    return np.clip(demo_canvas(size_wh).astype(np.int16) + noise, 0, 255).astype(np.uint8)


def time_case(view: str, renderer_kw: dict, render_kw: dict, size_wh, frames: int) -> list[float]:
    result = demo_result(view, size_wh, image_bgr=textured_canvas(size_wh), shoulder_tilt_deg=2.5)
    renderer = OverlayRenderer(**renderer_kw)
    image = result.frame.image_bgr
    for _ in range(10):  # warm caches (style, text sizes) and CPU frequency
        renderer.render(image, result, **render_kw)
    times = []
    for _ in range(frames):
        t0 = time.perf_counter()
        renderer.render(image, result, **render_kw)
        times.append((time.perf_counter() - t0) * 1000.0)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--size", default="1280x720", help="WIDTHxHEIGHT")
    args = parser.parse_args(argv)
    w, h = (int(v) for v in args.size.lower().split("x"))
    threads = cv2.getNumThreads()
    print(f"OverlayRenderer.render, {w}x{h}, {args.frames} frames, cv2 threads {threads}\n")
    print("| case | median ms | p95 ms |")
    print("|---|---:|---:|")
    for name, view, renderer_kw, render_kw in CASES:
        times = sorted(time_case(view, renderer_kw, render_kw, (w, h), args.frames))
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(f"| {name} | {statistics.median(times):.2f} | {p95:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
