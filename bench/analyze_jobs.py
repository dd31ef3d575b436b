"""Batch speed of ``posture-cam analyze --jobs N``: four videos, jobs 1 vs 2, one run.

    python bench/analyze_jobs.py [--max-frames 150] [--jobs 1 2]

Reads the model and media from POSTURE_CAM_TEST_MODEL / POSTURE_CAM_TEST_MEDIA (or
../shared beside the checkout) and fails with a message when they are missing. Prints a
table: wall time, frames per second and the speed-up over --jobs 1; the JSON output of
every run must be identical.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
VIDEOS = [
    "video_sports2d_demo5_man_frontal_lateral_raises_18s.mp4",
    "video_tfjs_pose_squats_woman_frontal_13s_5fps.mp4",
    "video_sports2d_demo4_older_woman_walking_side_13s.mp4",
    "video_romp_woman_jumping_jacks_then_turning_10s.mp4",
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-frames", type=int, default=150)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    model = Path(
        os.environ.get("POSTURE_CAM_TEST_MODEL", SHARED / "models/pose_landmarker_full.task")
    )
    media = Path(os.environ.get("POSTURE_CAM_TEST_MEDIA", SHARED / "media"))
    videos = [media / "videos" / v for v in VIDEOS]
    missing = [p for p in [model, *videos] if not p.is_file()]
    if missing:
        sys.exit(f"bench: missing input {missing[0]} (set POSTURE_CAM_TEST_MODEL/MEDIA)")
    rows, outputs = [], []
    for jobs in args.jobs:
        cmd = [sys.executable, "-m", "posture_cam", "analyze", "--json", "--model", str(model)]
        cmd += ["--max-frames", str(args.max_frames), "--jobs", str(jobs), *map(str, videos)]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, timeout=3600)
        wall_s = time.perf_counter() - t0
        if proc.returncode != 0:
            sys.exit(f"bench: --jobs {jobs} failed: {proc.stderr.decode()[-500:]}")
        outputs.append(proc.stdout)
        rows.append((jobs, wall_s, 4 * args.max_frames / wall_s))
    base = rows[0][1]
    print(
        f"analyze, 4 videos x {args.max_frames} frames, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.1f}"
    )
    print(f"{'jobs':>4} {'wall s':>8} {'frames/s':>9} {'speed-up':>9}")
    for jobs, wall_s, fps in rows:
        print(f"{jobs:>4} {wall_s:>8.1f} {fps:>9.1f} {base / wall_s:>8.2f}x")
    print("outputs identical:", all(o == outputs[0] for o in outputs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
