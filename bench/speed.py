"""Throughput of ``posture-cam analyze`` vs a bare MediaPipe loop on the same video.

Both decode the same frames with OpenCV and create their landmarker inside the timed
region (imports are warm); the bare loop does only BGR->RGB and ``detect_for_video``.
``analyze`` adds landmark conversion, smoothing, view, quality gate, metrics, the
averaged capture and the JSON document (and decodes in a prefetch thread).
Prints a Markdown table. Target: analyze >= 0.9x the bare loop.

    python bench/speed.py [VIDEO] [--model PATH] [--frames N] [--repeat R]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import cv2
import mediapipe as mp
from mediapipe.tasks.python.core.base_options import BaseOptions
from mediapipe.tasks.python.vision import PoseLandmarker, PoseLandmarkerOptions, RunningMode

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEFAULT_VIDEO = "videos/video_sports2d_demo5_man_frontal_lateral_raises_18s.mp4"


def bare_loop(video: Path, model: Path, max_frames: int) -> tuple[int, float]:
    options = PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(model)),
        running_mode=RunningMode.VIDEO,
        num_poses=1,  # analyze tracks one person too (plus a people count once a second)
    )
    cap = cv2.VideoCapture(str(video))
    fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
    n = 0
    start = time.perf_counter()  # landmarker creation counts, as it does for analyze
    with PoseLandmarker.create_from_options(options) as landmarker:
        while n < max_frames:
            ok, bgr = cap.read()
            if not ok:
                break
            image = mp.Image(
                image_format=mp.ImageFormat.SRGB, data=cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
            )
            landmarker.detect_for_video(image, int(n * 1000 / fps))
            n += 1
    elapsed = time.perf_counter() - start
    cap.release()
    return n, elapsed


def pipeline_run(video: Path, model: Path, max_frames: int) -> tuple[int, float]:
    from posture_cam.batch.analysis import analyze_inputs
    from posture_cam.config import PipelineConfig
    from posture_cam.pose import quiet_native_stderr

    start = time.perf_counter()
    with quiet_native_stderr():
        report = analyze_inputs(
            [video], PipelineConfig(model_path=str(model)), max_frames=max_frames
        )
        json.dumps(report.to_json())
    return report.frames, time.perf_counter() - start


def cli_run(video: Path, model: Path, max_frames: int) -> tuple[int, float]:
    cmd = [
        sys.executable,
        "-m",
        "posture_cam",
        "analyze",
        str(video),
        "--json",
        "--model",
        str(model),
        "--max-frames",
        str(max_frames),
    ]
    start = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - start
    frames = json.loads(out.stdout)["inputs"][0]["frame_count"]
    return frames, elapsed


def main() -> int:
    media = Path(os.environ.get("POSTURE_CAM_TEST_MEDIA", SHARED / "media"))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("video", nargs="?", type=Path, default=media / DEFAULT_VIDEO)
    parser.add_argument(
        "--model",
        type=Path,
        default=Path(
            os.environ.get(
                "POSTURE_CAM_TEST_MODEL", SHARED / "models" / "pose_landmarker_full.task"
            )
        ),
    )
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    w = int(cv2.VideoCapture(str(args.video)).get(cv2.CAP_PROP_FRAME_WIDTH))
    h = int(cv2.VideoCapture(str(args.video)).get(cv2.CAP_PROP_FRAME_HEIGHT))

    rows = {
        "bare detect_for_video loop": [],
        "posture_cam analyze (in-process)": [],
        "posture-cam analyze --json (CLI, incl. start-up)": [],
    }
    for _ in range(args.repeat):  # interleaved so background load hits all alike
        for name, fn in zip(rows, (bare_loop, pipeline_run, cli_run), strict=True):
            frames, secs = fn(args.video, args.model, args.frames)
            rows[name].append(frames / secs)
    bare = statistics.median(rows["bare detect_for_video loop"])
    print(
        f"\nVideo: {args.video.name} ({w}x{h}), {args.frames} frames, full model, "
        f"median of {args.repeat} runs, {os.cpu_count()} CPU cores\n"
    )
    print("| run | frames/s (median) | min | max | ratio to bare |")
    print("|---|---:|---:|---:|---:|")
    for name, values in rows.items():
        med = statistics.median(values)
        print(f"| {name} | {med:.1f} | {min(values):.1f} | {max(values):.1f} | {med / bare:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
