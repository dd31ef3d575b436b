"""Does work on one core slow the pose model on the other? A table, in one run.

The live app pins the model's process to one CPU and its own threads to the other
(docs/architecture.md, "Live CPU placement"), yet the model takes longer per frame in
the app than in the bare loop of ``bench/app_latency.py``. This bench runs the model
(VIDEO mode, full model, one pose) on the last CPU over the clip's first frames, in
rounds, while the other CPU does one of:

* ``idle``: nothing;
* ``python``: a pure-Python loop (the CPU busy, little memory traffic);
* ``frames``: what the app does to each 720p frame (colour conversion, a shrink, a
  copy), as fast as it goes;
* ``memory``: streaming over a 32 MB array (memory bandwidth only).

Rounds alternate the four, so drifts of the host's speed hit all of them alike. It
prints the median inference time of each round and each case's ratio to ``idle``.

Usage::

    python bench/core_interference.py [--video PATH] [--model PATH] [--frames 60]
        [--rounds 3]

The video and model default to ``POSTURE_CAM_TEST_MEDIA`` / ``POSTURE_CAM_TEST_MODEL``,
else ``../shared`` beside the checkout. Exit code 2 when an input is missing or the
machine has fewer than two usable CPUs.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import time
from multiprocessing.synchronize import Event
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
CLIP = "videos/video_sports2d_demo5_man_frontal_lateral_raises_18s.mp4"
CASES = ("idle", "python", "frames", "memory")


def _default(env: str, below_shared: str) -> Path:
    value = os.environ.get(env)
    return Path(value) if value else SHARED / below_shared


def _busy(kind: str, cpu: int, stop: Event) -> None:
    """Keep ``cpu`` busy with ``kind`` of work until ``stop``."""
    import cv2
    import numpy as np

    os.sched_setaffinity(0, {cpu})
    frame = np.random.default_rng(0).integers(0, 255, (720, 1280, 3), dtype=np.uint8)
    out = np.empty_like(frame)
    big = np.random.default_rng(1).random(4_000_000)  # 32 MB: the L3 cache here
    while not stop.is_set():
        if kind == "python":
            total = 0
            for i in range(100_000):
                total += i
        elif kind == "frames":
            cv2.cvtColor(frame, cv2.COLOR_BGR2RGB, dst=out)
            cv2.resize(frame, (640, 360), interpolation=cv2.INTER_AREA)
            out[...] = frame
        elif kind == "memory":
            big.sum()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--video", type=Path, default=None)
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    video = args.video or _default("POSTURE_CAM_TEST_MEDIA", "media") / CLIP
    model = args.model or _default("POSTURE_CAM_TEST_MODEL", "models/pose_landmarker_full.task")
    for what, path, env in (
        ("video", video, "--video or POSTURE_CAM_TEST_MEDIA"),
        ("model", model, "--model or POSTURE_CAM_TEST_MODEL"),
    ):
        if not path.is_file():
            print(f"core_interference: {what} not found: {path} (give {env})", file=sys.stderr)
            return 2
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        print("core_interference: needs two usable CPUs", file=sys.stderr)
        return 2
    model_cpu, other_cpu = cpus[-1], cpus[0]

    import cv2
    import mediapipe as mp

    from posture_cam.runtime import no_telemetry

    no_telemetry.block()  # MediaPipe's uploader stays off the network here too
    from mediapipe.tasks.python import BaseOptions, vision

    capture = cv2.VideoCapture(str(video))
    frames = []
    while len(frames) < args.frames:
        ok, bgr = capture.read()
        if not ok:
            break
        frames.append(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
    capture.release()
    if not frames:
        print(f"core_interference: no frames could be read from {video}", file=sys.stderr)
        return 2

    os.sched_setaffinity(0, {model_cpu})
    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(model)),
        running_mode=vision.RunningMode.VIDEO,
        num_poses=1,
    )
    context = multiprocessing.get_context("spawn")
    medians: dict[str, list[float]] = {case: [] for case in CASES}
    load_before = os.getloadavg()[0]
    with vision.PoseLandmarker.create_from_options(options) as landmarker:
        t_ms = 0
        for _ in range(args.rounds):
            for case in CASES:
                stop = context.Event()
                worker = None
                if case != "idle":
                    worker = context.Process(target=_busy, args=(case, other_cpu, stop))
                    worker.start()
                    time.sleep(1.0)  # spawned: its imports are done before timing
                times_ms = []
                for rgb in frames:
                    image = mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb)
                    t_ms += 33
                    start = time.perf_counter()
                    landmarker.detect_for_video(image, t_ms)
                    times_ms.append((time.perf_counter() - start) * 1000.0)
                if worker is not None:
                    stop.set()
                    worker.join()
                medians[case].append(statistics.median(times_ms))
    idle = statistics.median(medians["idle"])
    print(
        f"Full model, VIDEO mode, {len(frames)} frames of {video.name} per round, "
        f"model on CPU {model_cpu}, the other work on CPU {other_cpu}; "
        f"load {load_before:.2f} -> {os.getloadavg()[0]:.2f}\n"
    )
    print("| other CPU | median inference per round, ms | median | ratio to idle |")
    print("|---|---|---:|---:|")
    for case in CASES:
        rounds = " / ".join(f"{value:.1f}" for value in medians[case])
        median = statistics.median(medians[case])
        print(f"| {case} | {rounds} | {median:.1f} | {median / idle:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
