"""The camera-level reading of a live stream, on a thread of its own (no Qt here).

Reading the level from the printed board is one ArUco pass (10-25 ms at 1280x720 on one
core, more on a busy machine). Done in the loop's thread it delayed the frame behind it
by that much twice a second; here it runs beside the loop on the newest frame offered,
at most once per ``interval_s``, and the loop attaches the newest reading to each result.
OpenCV releases the GIL while it detects, so the reading costs the other threads CPU
time only, and the thread runs at the lowest priority
(:func:`~posture_cam.runtime.cpu_placement.run_this_thread_when_idle`): on what the
frames leave over.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import numpy as np

from posture_cam.calibration.level import RollEstimate, estimate_roll_from_board
from posture_cam.live.feeds import NewestSlot
from posture_cam.runtime.cpu_placement import run_this_thread_when_idle

#: ``read(image_bgr) -> RollEstimate | None``: one level reading of a frame.
LevelRead = Callable[[np.ndarray], RollEstimate | None]


class LevelReader:
    """Reads the camera level of offered frames on a helper thread.

    Args:
        interval_s: the shortest time between two readings.
        read: reads one frame (the board detector; tests pass fakes).
    """

    def __init__(self, interval_s: float, read: LevelRead = estimate_roll_from_board) -> None:
        self._interval_s = interval_s
        self._read = read
        self._slot: NewestSlot[np.ndarray] = NewestSlot()
        self._stop = threading.Event()
        self._due_s = 0.0
        self._latest: RollEstimate | None = None
        #: How many readings were made (for tests).
        self.readings = 0
        self._exception: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="level-reader", daemon=True)

    def start(self) -> LevelReader:
        self._thread.start()
        return self

    def offer(self, image_bgr: np.ndarray) -> None:
        """Hand over a frame; it is read when a reading is due (else ignored)."""
        now = time.perf_counter()
        if now >= self._due_s:
            self._due_s = now + self._interval_s
            self._slot.put(image_bgr)

    def _run(self) -> None:
        # A reading may wait; a frame may not: on the app's CPU the 10-25 ms pass
        # delayed the frame being drawn (bench/app_latency.py, longest wait).
        run_this_thread_when_idle()
        while True:
            taken = self._slot.take(self._stop.is_set)
            if taken is None:
                return
            try:
                self._latest = self._read(taken[0])
            except Exception as exc:  # thread boundary: the loop's thread re-raises it
                self._exception = exc
                return
            self.readings += 1

    def reading(self) -> RollEstimate | None:
        """The newest reading, or None when no board was in view (or none yet).

        Raises:
            Exception: whatever the reading raised (a bug, not a missing board).
        """
        if self._exception is not None:
            raise self._exception
        return self._latest

    def stop(self) -> None:
        """Ask the thread to finish and wait for it (at most one reading)."""
        self._stop.set()
        self._slot.close()
        if self._thread.is_alive():
            self._thread.join()
