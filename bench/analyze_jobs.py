"""Batch speed of ``posture-cam analyze --jobs N``: four videos, jobs 1 vs 2, one run.

    python bench/analyze_jobs.py [--max-frames 150 | 0 for whole videos] [--jobs 1 2] [--repeat 1]

Reads the model and media from POSTURE_CAM_TEST_MODEL / POSTURE_CAM_TEST_MEDIA (or
../shared beside the checkout) and fails with a message when they are missing. Runs the
real command line (start-up and model loading included), the job counts interleaved
when repeated, and prints a table: wall time (median of the repeats), frames per
second, the speed-up over the first job count, the CPU time the run used (all its
processes), the cores other programs used meanwhile (/proc/stat busy time minus the
run's own: their load makes a speed-up look smaller than it is) and the 1-minute load
average at its start. The JSON output of every run must be identical.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
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


def cpu_ticks() -> tuple[int, int]:
    """(busy, total) clock ticks of the whole machine, or (0, 0) without /proc/stat."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    except (OSError, ValueError):
        return 0, 0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields) - idle, sum(fields)


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(cmd: list[str]) -> dict:
    load = os.getloadavg()[0]
    busy0, total0 = cpu_ticks()
    cpu0 = children_cpu_s()
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, timeout=3600)
    wall_s = time.perf_counter() - t0
    cpu_s = children_cpu_s() - cpu0
    busy1, total1 = cpu_ticks()
    if proc.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd[-6:])} failed: {proc.stderr.decode()[-500:]}")
    busy_s = (busy1 - busy0) / os.sysconf("SC_CLK_TCK") if total1 > total0 else float("nan")
    others = (busy_s - cpu_s) / wall_s  # cores used by other programs meanwhile
    return {"wall_s": wall_s, "cpu_s": cpu_s, "others": others, "load": load, "out": proc.stdout}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-frames", type=int, default=150)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeat", type=int, default=1, help="runs per job count (median)")
    args = ap.parse_args()
    model = Path(
        os.environ.get("POSTURE_CAM_TEST_MODEL", SHARED / "models/pose_landmarker_full.task")
    )
    media = Path(os.environ.get("POSTURE_CAM_TEST_MEDIA", SHARED / "media"))
    videos = [media / "videos" / v for v in VIDEOS]
    missing = [p for p in [model, *videos] if not p.is_file()]
    if missing:
        sys.exit(f"bench: missing input {missing[0]} (set POSTURE_CAM_TEST_MODEL/MEDIA)")
    runs: dict[int, list[dict]] = {jobs: [] for jobs in args.jobs}
    for _ in range(args.repeat):
        for jobs in args.jobs:
            cmd = [sys.executable, "-m", "posture_cam", "analyze", "--json", "--model", str(model)]
            if args.max_frames > 0:
                cmd += ["--max-frames", str(args.max_frames)]
            cmd += ["--jobs", str(jobs), *map(str, videos)]
            runs[jobs].append(run_once(cmd))
    outputs = [r["out"] for rs in runs.values() for r in rs]
    frames = sum(len(i["frames"]) for i in json.loads(outputs[0])["inputs"])
    print(
        f"analyze, 4 videos, {frames} frames (--max-frames {args.max_frames or 'none'}), "
        f"{os.cpu_count()} cores, {args.repeat} run(s) per job count"
    )
    print(
        f"{'jobs':>4} {'wall s':>7} {'frames/s':>9} {'speed-up':>9} {'cpu s':>6} "
        f"{'other cores':>11} {'load':>5}"
    )
    base = statistics.median(r["wall_s"] for r in runs[args.jobs[0]])
    for jobs, rs in runs.items():
        wall_s = statistics.median(r["wall_s"] for r in rs)
        cpu_s = statistics.median(r["cpu_s"] for r in rs)
        others = statistics.median(r["others"] for r in rs)
        load = statistics.median(r["load"] for r in rs)
        print(
            f"{jobs:>4} {wall_s:>7.1f} {frames / wall_s:>9.1f} {base / wall_s:>8.2f}x "
            f"{cpu_s:>6.1f} {others:>11.2f} {load:>5.1f}"
        )
    print("outputs identical:", all(o == outputs[0] for o in outputs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
