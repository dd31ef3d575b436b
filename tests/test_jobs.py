"""The process pool of ``analyze --jobs N``: longest tasks first, results in input order,
and ``analyze --jobs 2`` byte-identical to ``--jobs 1``."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from posture_cam.jobs import longest_first, run_in_processes

INPUTS = [
    "videos/video_tfjs_pose_1_woman_dancing_frontal_4s.mp4",
    "images/standing_frontal/frontal_shapy_img01_woman_neutral.jpg",
    "videos/video_sports2d_demo3_woman_running_side_1.6s.mp4",
]


def _analyze(model_path, paths, jobs):
    cmd = [sys.executable, "-m", "posture_cam", "analyze", "--json", "--max-frames", "15"]
    cmd += ["--model", str(model_path), "--jobs", str(jobs), *map(str, paths)]
    proc = subprocess.run(cmd, capture_output=True, timeout=600)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout


def _nap(seconds: float) -> tuple[float, float]:
    """Pool work: sleep, then say when it started (CLOCK_MONOTONIC is system-wide)."""
    start = time.monotonic()
    time.sleep(seconds)
    return seconds, start


def _nothing() -> None:
    pass


def test_longest_first_keeps_input_order_among_equals():
    assert longest_first([1.0, 5.0, 1.0, 3.0, 5.0]) == [1, 4, 3, 0, 2]
    assert longest_first([]) == []


def test_pool_starts_the_longest_tasks_first_and_yields_in_input_order():
    naps = [0.05, 0.4, 0.05, 0.8, 0.05]
    results = list(run_in_processes(_nap, naps, 2, _nothing, costs=naps))
    assert [r[0] for r in results] == naps  # input order
    started = [r[0] for r in sorted(results, key=lambda r: r[1])]
    # The queue is longest first: 0.8 is taken first, 0.4 before any short one.
    assert 0.8 in started[:2] and started.index(0.4) < started.index(0.05)
    # Without costs the queue is in input order: the 0.8 s task starts after the 0.4 s one.
    results = list(run_in_processes(_nap, naps, 2, _nothing))
    started = [r[0] for r in sorted(results, key=lambda r: r[1])]
    assert started.index(0.4) < started.index(0.8)


@pytest.mark.media
def test_jobs_2_output_is_byte_identical_to_jobs_1(model_path, media):
    paths = [media(p) for p in INPUTS]
    one = _analyze(model_path, paths, 1)
    two = _analyze(model_path, paths, 2)
    assert one == two
    sources = [i["source"] for i in json.loads(one)["inputs"]]
    assert sources == [str(p) for p in paths]  # input order, whatever finished first
