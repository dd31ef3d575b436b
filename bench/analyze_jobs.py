"""Batch speed of ``posture-cam analyze --jobs N``: four videos, jobs 1 vs 2, one command.

    python bench/analyze_jobs.py [--max-frames 150 | 0 for whole videos] [--jobs 1 2]
                                 [--repeat 3] [--target 1.6]

Reads the model and media from POSTURE_CAM_TEST_MODEL / POSTURE_CAM_TEST_MEDIA (or
../shared beside the checkout) and fails with a message when they are missing. Runs the
real command line (start-up, fork server and model loading included), the job counts
interleaved when repeated, and prints one row per job count: wall time (median of the
repeats), frames per second, speed-up over jobs 1 (else the first job count), the CPU
seconds of ALL the run's processes, the cores it used (CPU s / wall s), the cores other
programs used meanwhile (/proc/stat busy time minus the run's own: their load makes a
speed-up look smaller than it is) and the 1-minute load average before and after.

CPU time: the workers of ``--jobs N`` are children of a fork server, not of the
command, and nobody waits for the server, so ``RUSAGE_CHILDREN`` of this script would
miss them. This script makes itself the *child subreaper* (Linux ``prctl``): orphaned
descendants are re-parented to it, and it waits for every one of them after each run,
so their CPU time lands in its ``RUSAGE_CHILDREN``. Elsewhere the column says "n/a".

Exit code 1 when the outputs differ between runs or when jobs 2's speed-up over jobs 1
is below ``--target`` (the issue's 1.6 on two idle cores); a busy machine is reported
(load > 0.5 when the bench starts, or other programs using > 0.2 cores during a run)
because its speed-up is not the idle one. The load after a run includes the run itself,
so later rows start from a higher load; "others" is the measure of other programs.
"""

from __future__ import annotations

import argparse
import ctypes
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
PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> bool:
    """Adopt orphaned descendants (the fork server and its workers) so that their CPU
    time is counted when this process waits for them. False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def reap_descendants(timeout_s: float = 30.0) -> None:
    """Wait for every adopted descendant (the fork server exits when its command does)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.05)
    sys.exit("bench: a descendant of the command did not exit")


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


def run_once(cmd: list[str], counts_all: bool) -> dict:
    load_before = os.getloadavg()[0]
    busy0, total0 = cpu_ticks()
    cpu0 = children_cpu_s()
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, timeout=3600)
    wall_s = time.perf_counter() - t0
    if counts_all:
        reap_descendants()
    cpu_s = children_cpu_s() - cpu0
    busy1, total1 = cpu_ticks()
    if proc.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd[-6:])} failed: {proc.stderr.decode()[-500:]}")
    busy_s = (busy1 - busy0) / os.sysconf("SC_CLK_TCK") if total1 > total0 else float("nan")
    return {
        "wall_s": wall_s,
        "cpu_s": cpu_s if counts_all else float("nan"),
        "others": (busy_s - cpu_s) / wall_s if counts_all else float("nan"),
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
        "out": proc.stdout,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-frames", type=int, default=150, help="per video; 0: whole videos")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeat", type=int, default=3, help="runs per job count (median)")
    ap.add_argument("--target", type=float, default=1.6, help="jobs 2 speed-up to pass")
    args = ap.parse_args()
    model = Path(
        os.environ.get("POSTURE_CAM_TEST_MODEL", SHARED / "models/pose_landmarker_full.task")
    )
    media = Path(os.environ.get("POSTURE_CAM_TEST_MEDIA", SHARED / "media"))
    videos = [media / "videos" / v for v in VIDEOS]
    missing = [p for p in [model, *videos] if not p.is_file()]
    if missing:
        sys.exit(f"bench: missing input {missing[0]} (set POSTURE_CAM_TEST_MODEL/MEDIA)")
    counts_all = become_subreaper()
    load_at_start = os.getloadavg()[0]
    runs: dict[int, list[dict]] = {jobs: [] for jobs in args.jobs}
    for _ in range(args.repeat):
        for jobs in args.jobs:
            cmd = [sys.executable, "-m", "posture_cam", "analyze", "--json", "--model", str(model)]
            if args.max_frames > 0:
                cmd += ["--max-frames", str(args.max_frames)]
            cmd += ["--jobs", str(jobs), *map(str, videos)]
            runs[jobs].append(run_once(cmd, counts_all))
    outputs = [r["out"] for rs in runs.values() for r in rs]
    identical = all(o == outputs[0] for o in outputs)
    frames = sum(len(i["frames"]) for i in json.loads(outputs[0])["inputs"])
    print(
        f"analyze, 4 videos, {frames} frames (--max-frames {args.max_frames or 'none'}), "
        f"{os.cpu_count()} cores, {args.repeat} run(s) per job count (medians)"
    )
    header = ("jobs", "wall s", "frames/s", "speed-up", "CPU s", "cores", "others", "load")
    print(
        f"{header[0]:>4} {header[1]:>7} {header[2]:>8} {header[3]:>8} {header[4]:>6} "
        f"{header[5]:>5} {header[6]:>6} {header[7]:>11}  wall s of each run"
    )
    base_jobs = 1 if 1 in runs else args.jobs[0]
    base = statistics.median(r["wall_s"] for r in runs[base_jobs])
    speedups: dict[int, float] = {}
    busy = load_at_start > 0.5
    for jobs, rs in runs.items():
        wall_s = statistics.median(r["wall_s"] for r in rs)
        cpu_s = statistics.median(r["cpu_s"] for r in rs)
        others = statistics.median(r["others"] for r in rs)
        before = statistics.median(r["load_before"] for r in rs)
        after = statistics.median(r["load_after"] for r in rs)
        speedups[jobs] = base / wall_s
        busy = busy or others > 0.2
        each = " ".join(f"{r['wall_s']:.1f}" for r in rs)
        print(
            f"{jobs:>4} {wall_s:>7.1f} {frames / wall_s:>8.1f} {base / wall_s:>7.2f}x "
            f"{cpu_s:>6.1f} {cpu_s / wall_s:>5.2f} {others:>6.2f} {before:>5.1f}>{after:<5.1f}"
            f"  {each}"
        )
    print(
        "CPU s: every process of the run (fork server and workers included)"
        if counts_all
        else "CPU s: n/a (needs Linux prctl to count the pool's workers)"
    )
    print("outputs identical:", identical)
    failed = not identical
    if 2 in speedups and base_jobs == 1:
        ok = speedups[2] >= args.target
        print(
            f"jobs 2 vs jobs 1: {speedups[2]:.2f}x, target {args.target:.2f}x: "
            f"{'PASS' if ok else 'FAIL'}"
            + (" (machine busy: not the idle speed-up)" if busy else "")
        )
        failed = failed or not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
