"""Fixtures for the Qt tests: every test fails when it leaves a thread running.

Like napari's ``_dangling_qthreads``: a live worker, a camera grabber or any other
non-daemon thread that a test started must have ended (within 2 s) when it finishes.
"""

from __future__ import annotations

import threading
import time

import pytest

LEFTOVER_NAMES = ("camera-grabber",)


def _leftovers(before: set[threading.Thread]) -> list[str]:
    return [
        t.name
        for t in threading.enumerate()
        if t not in before and t.is_alive() and (not t.daemon or t.name in LEFTOVER_NAMES)
    ]


@pytest.fixture(autouse=True)
def _dangling_threads():
    """Fail when a test leaves a worker, grabber or other thread behind."""
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 2.0
    alive = _leftovers(before)
    while alive and time.monotonic() < deadline:
        time.sleep(0.02)
        alive = _leftovers(before)
    assert not alive, f"dangling threads: {alive}"
