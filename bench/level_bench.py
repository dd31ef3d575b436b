"""Cost of the live camera-level check (ChArUco board found and read in a 720p frame).

The app reads the board in the worker every 0.5 s; this prints how long one read takes
and what share of a 30 fps frame interval that is, measured in this run (machines of the
same kind differ by 2x, so read the share, not the milliseconds).

    python bench/level_bench.py [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
import time

import cv2
import numpy as np

from posture_cam.calibration import estimate_roll_from_board
from posture_cam.calibration.board import DEFAULT_BOARD, render_board


def level_scene(size_wh: tuple[int, int] = (1280, 720), roll_deg: float = 1.0) -> np.ndarray:
    """A grey 720p frame with the board pasted near a corner, rotated by ``roll_deg``."""
    w, h = size_wh
    canvas = np.full((h, w, 3), 190, np.uint8)
    board = render_board(DEFAULT_BOARD, 50, 25)
    canvas[100 : 100 + board.shape[0], 100 : 100 + board.shape[1]] = board[..., None]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), roll_deg, 1.0)
    return cv2.warpAffine(canvas, m, (w, h), borderValue=(190, 190, 190))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    scenes = {"board in view": level_scene(), "no board": np.full((720, 1280, 3), 190, np.uint8)}
    estimate_roll_from_board(scenes["board in view"])  # the first call builds the detector
    print("| frame (1280x720) | median ms | p95 ms | share of a 33.3 ms frame |")
    print("|---|---|---|---|")
    for name, image in scenes.items():
        times = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            estimate_roll_from_board(image)
            times.append((time.perf_counter() - t0) * 1000.0)
        times.sort()
        med = statistics.median(times)
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        print(f"| {name} | {med:.1f} | {p95:.1f} | {med / (1000 / 30):.0%} |")


if __name__ == "__main__":
    main()
