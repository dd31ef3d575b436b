"""The process pool of ``analyze --jobs N``: longest tasks first, results in input order,
worker stderr relayed whole (``analyze --jobs 2`` against ``--jobs 1``:
tests/batch/test_analysis.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from posture_cam.runtime.process_pool import longest_first, run_in_processes


def _nap(seconds: float) -> tuple[float, float]:
    """Pool work: sleep, then say when it started (CLOCK_MONOTONIC is system-wide)."""
    start = time.monotonic()
    time.sleep(seconds)
    return seconds, start


def _nothing() -> None:
    pass


def _write_in_pieces(n: int) -> int:
    """Pool work: write one stderr line in two pieces, as FFmpeg's logger does."""
    os.write(2, b"[native @ 0x1] ")
    time.sleep(0.15)
    os.write(2, f"message {n}\n".encode())
    return n


#: The parent side of the stderr test, run in a subprocess so that its stderr (fd 2,
#: which the workers inherit through the fork server) is a pipe the test reads.
_PARENT = """
import sys, time
from test_process_pool import _nothing, _write_in_pieces
from posture_cam.runtime.process_pool import run_in_processes
for n in run_in_processes(_write_in_pieces, range(6), 2, _nothing, preload=["test_process_pool"]):
    sys.stderr.write(f"posture-cam: error: input {n}\\n")
    time.sleep(0.05)
"""


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


def test_worker_stderr_never_splits_the_parents_lines():
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([os.path.dirname(__file__), *sys.path])}
    proc = subprocess.run(
        [sys.executable, "-c", _PARENT], capture_output=True, text=True, timeout=120, env=env
    )
    assert proc.returncode == 0, proc.stderr
    # Each worker line whole, and before the parent's line for the same input.
    expected = []
    for n in range(6):
        expected += [f"[native @ 0x1] message {n}", f"posture-cam: error: input {n}"]
    assert proc.stderr.splitlines() == expected
