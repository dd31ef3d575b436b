"""The level reader beside the live loop: at most one reading per interval, on the
newest frame offered, its failures re-raised in the loop's thread, stopped promptly."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from posture_cam.calibration.level import RollEstimate
from posture_cam.live.level import LevelReader


class SlowReader:
    """A fake board reader that takes ``read_s`` and returns the frame's first pixel."""

    def __init__(self, read_s: float = 0.0) -> None:
        self.read_s = read_s
        self.seen: list[int] = []
        self.threads: set[str] = set()

    def __call__(self, image_bgr: np.ndarray) -> RollEstimate | None:
        self.threads.add(threading.current_thread().name)
        time.sleep(self.read_s)
        self.seen.append(int(image_bgr[0, 0, 0]))
        return RollEstimate(float(image_bgr[0, 0, 0]), 0.1, "board", 4, "fake")


def frame(value: int) -> np.ndarray:
    return np.full((4, 4, 3), value, np.uint8)


def wait_for(condition, timeout_s: float = 2.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_reads_at_most_once_per_interval_on_its_own_thread():
    read = SlowReader()
    reader = LevelReader(0.2, read).start()
    try:
        assert reader.reading() is None  # nothing read yet
        t0 = time.perf_counter()
        for i in range(40):  # 0.4 s of offers at 100 per second
            reader.offer(frame(i))
            time.sleep(0.01)
        wait_for(lambda: reader.readings >= 2)
        elapsed = time.perf_counter() - t0
    finally:
        reader.stop()
    assert 2 <= reader.readings <= elapsed / 0.2 + 1
    assert read.seen[0] == 0  # the first offer is read at once
    assert read.threads == {"level-reader"}
    latest = reader.reading()
    assert latest is not None and latest.roll_deg == read.seen[-1]


def test_a_slow_reading_takes_the_newest_frame_next():
    read = SlowReader(read_s=0.15)
    reader = LevelReader(0.0, read).start()
    try:
        reader.offer(frame(1))
        wait_for(lambda: read.threads)  # the first reading is under way
        for value in (2, 3, 4):
            reader.offer(frame(value))
        wait_for(lambda: reader.readings == 2)
    finally:
        reader.stop()
    assert read.seen == [1, 4]  # 2 and 3 were replaced before they were read


def test_a_failing_reading_is_raised_in_the_loops_thread():
    def broken(_image: np.ndarray) -> RollEstimate | None:
        raise ValueError("detector broke")

    reader = LevelReader(0.0, broken).start()
    try:
        reader.offer(frame(1))
        with pytest.raises(ValueError, match="detector broke"):
            wait_for(lambda: reader.reading() is not None)
    finally:
        reader.stop()


def test_stop_waits_for_the_thread_even_while_it_reads():
    reader = LevelReader(0.0, SlowReader(read_s=0.1)).start()
    reader.offer(frame(1))
    time.sleep(0.02)
    t0 = time.perf_counter()
    reader.stop()
    assert time.perf_counter() - t0 < 0.5
    assert not any(t.name == "level-reader" for t in threading.enumerate())
