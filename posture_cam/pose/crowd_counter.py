"""The live stream's crowd check beside the stream, not in its way (no Qt).

A stream tracks one person; with ``num_poses > 1`` the people in view are counted
every ``crowd_check_ms`` by an IMAGE-mode landmarker
(:class:`~posture_cam.pose.estimator.PoseEstimator`, module docstring). In the estimator
that count runs inside ``estimate``: on the live app's model CPU every 60th frame then
took 60-85 ms instead of 25, and it and the frames queued behind it missed the
latency and wait targets of ``bench/app_latency.py``. The model's process
(:mod:`posture_cam.pose.process_child`) counts here instead: on a thread of its own at
a lower priority, on the app's CPUs when the live app placed the model on a CPU of its
own (:mod:`posture_cam.runtime.cpu_placement`). The count of a check reaches the estimates a
few frames later (the time of one check; longer on a busy machine: it runs at the
lowest priority, :func:`~posture_cam.runtime.cpu_placement.run_this_thread_when_idle`); the
batch CLI keeps the in-line count, whose results do not depend on timing.
"""

from __future__ import annotations

import threading
from pathlib import Path

import cv2
import numpy as np

from posture_cam.pose.estimator import PoseEstimator, crowd_check_due
from posture_cam.runtime import cpu_placement
from posture_cam.types import Frame


class CrowdCounter:
    """Counts the people in an offered frame every ``every_ms`` of stream time.

    Args:
        model_path: the ``.task`` bundle.
        num_poses: the most people to count.
        every_ms: stream time between two counts.
        cpus: the CPUs the counting thread runs on (None: where the OS puts it).
    """

    def __init__(
        self,
        model_path: str | Path,
        num_poses: int,
        every_ms: float,
        cpus: frozenset[int] | None = None,
    ) -> None:
        self._model_path = Path(model_path)
        self._num_poses = int(num_poses)
        self._every_ms = float(every_ms)
        self._cpus = cpus
        self._last_t_ms = -np.inf
        self._wake = threading.Condition()
        self._pending: Frame | None = None
        self._stopping = False
        #: People found by the newest finished check (0 before the first).
        self.count = 0
        #: How many checks have finished (for tests).
        self.checks = 0
        self.exception: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="crowd-count", daemon=True)
        self._thread.start()

    def offer(self, frame: Frame, *, rgb: bool = False) -> None:
        """Count the people in ``frame`` when a check is due (a copy is kept: the
        caller's pixels may be overwritten); else nothing.

        Args:
            frame: the frame.
            rgb: its pixels are in RGB order (the model's process gets them so).
        """
        if not crowd_check_due(frame.t_ms, self._last_t_ms, self._every_ms):
            return
        self._last_t_ms = frame.t_ms
        pixels = frame.image_bgr
        image_bgr = cv2.cvtColor(pixels, cv2.COLOR_RGB2BGR) if rgb else pixels.copy()
        copy = Frame(image_bgr, frame.index, frame.t_ms, frame.source_id)
        with self._wake:
            self._pending = copy  # a check still running: this one replaces the waiting
            self._wake.notify()

    def _run(self) -> None:
        # The landmarker's threads inherit this thread's CPUs and priority.
        cpu_placement.run_this_thread_when_idle()
        if self._cpus:
            cpu_placement.pin_thread(self._cpus)
        estimator: PoseEstimator | None = None
        try:
            estimator = PoseEstimator(
                self._model_path,
                mode="image",
                num_poses=self._num_poses,
                flip_average=False,
                rotations_deg=(),
                refine_crop_px=0,
            )
            while True:
                with self._wake:
                    while self._pending is None and not self._stopping:
                        self._wake.wait()
                    if self._stopping:
                        return
                    frame, self._pending = self._pending, None
                if frame is not None:
                    self.count = len(estimator.estimate(frame).all_poses)
                    self.checks += 1
        except Exception as exc:  # thread boundary: the server reports it
            self.exception = exc
        finally:
            if estimator is not None:
                estimator.close()

    def close(self) -> None:
        """Stop the thread (after a check in progress) and close its landmarker."""
        with self._wake:
            self._stopping = True
            self._wake.notify()
        self._thread.join()
