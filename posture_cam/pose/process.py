"""The pose model in a process of its own, frames through shared memory (no Qt).

On two cores the live app needs the model and everything else (decoding, smoothing,
metrics, drawing, painting) to run at the same time. In one process they share one
GIL: MediaPipe releases it while it infers, but its thread waits to get it back after
every call into Python, and the whole app used little more than one core.
:class:`ProcessEstimator` runs a :class:`~posture_cam.pose.estimator.PoseEstimator` in
a child process instead and has the same ``estimate`` / ``restart_stream`` / ``close``
as the in-process one (the :class:`~posture_cam.pipeline.Estimator` protocol), so the
pipeline and the live loop do not know the difference. The CLI's batch analysis keeps
the in-process estimator (its ``--jobs`` processes already use the cores).

* Frames go through ``multiprocessing.shared_memory``: ``SLOTS`` slots sized to the
  frame, re-created when the frame size changes. The frame is converted to the model's
  RGB order while it is copied in (on the caller's core, not the model's); the request
  and the reply (the small :class:`~posture_cam.types.PoseEstimate`) go through a
  pipe. A waiting thread blocks on the pipe, which releases the GIL.
* :meth:`ProcessEstimator.estimate` hands over one frame and waits for it. The live
  loop keeps the model busy instead (:meth:`~ProcessEstimator.submit` whenever a frame
  comes, :meth:`~ProcessEstimator.collect_next` on another thread): the next frame is
  already there when the model finishes one, and the model takes the newest of those
  that wait (the others are answered "skipped"; :mod:`posture_cam.pose.process_child`).
* The child is forked from a fork server that preloaded MediaPipe
  (:mod:`posture_cam.pose.process_child`; spawned where there is no fork server), never
  forked from the threaded app. It applies :mod:`posture_cam.runtime.no_telemetry` before
  MediaPipe loads, ignores Ctrl+C (the app decides), and dies with the app: EOF on the
  pipe ends it, and on Linux the kernel kills it when its parent goes.
* :func:`start_early` starts a child and loads the model while the app is still
  importing and building its window; the first :class:`ProcessEstimator` adopts it.
* A bad model file raises the same :class:`~posture_cam.errors.ModelError` line as the
  in-process estimator; a child that dies or stops answering raises a ModelError line
  too (every wait on the pipe has a timeout and notices a dead child at once).
* :meth:`ProcessEstimator.close` is deterministic: the child closes the landmarker and
  exits, is joined (killed if it does not end), and the segments are unlinked
  (``wait=False``: a daemon thread does the joining, for a window that closes).

This module is the estimator the pipeline sees; the child's handle and the frame slots
are :mod:`posture_cam.pose.process_link`, the early start
:mod:`posture_cam.pose.process_spare` (its functions are importable from here too), and
the child's side :mod:`posture_cam.pose.process_child`.
"""

from __future__ import annotations

import collections
import threading
import time
from pathlib import Path
from typing import Any

from posture_cam.pose.process_link import (
    ESTIMATE_TIMEOUT_S,
    OPEN_TIMEOUT_S,
    POLL_S,
    SLOTS,
    FrameSlots,
    ModelChild,
    estimator_options,
)
from posture_cam.pose.process_spare import (
    discard_spare,
    start_early,
    start_early_for,
    take_spare,
)
from posture_cam.types import Frame, PoseEstimate

__all__ = [
    "SLOTS",
    "ProcessEstimator",
    "discard_spare",
    "estimator_options",
    "start_early",
    "start_early_for",
]


class ProcessEstimator:
    """A :class:`~posture_cam.pose.estimator.PoseEstimator` in a child process.

    Same arguments as ``PoseEstimator`` (those that matter for streams and stills:
    model, mode, people, visibility, target, flip / rotation averaging, crowd check).
    Create, use and close it in one thread (or hand it over cleanly, as the live loop
    does); it is not thread-safe.

    Raises:
        ModelError: the model file is missing or unusable, or the child failed.
    """

    def __init__(self, model_path: str | Path, **options: Any) -> None:
        wanted = estimator_options(model_path, **options)
        self.model_path = Path(wanted["model_path"])
        self.mode: str = wanted["mode"]
        self._slots = FrameSlots()
        # Frames in flight, oldest first: their slot's name (None for a restart).
        self._in_flight: collections.deque[str | None] = collections.deque()
        self._room = threading.Condition()  # a slot was freed
        child = take_spare()
        if child is None:
            child = ModelChild()
        self._child: ModelChild | None = child
        try:
            if child.options != wanted:
                if child.options is not None:
                    child.wait_opened()  # the spare's reply comes first
                child.send_open(wanted, None)
            child.wait_opened()
        except BaseException:
            self.close()
            raise

    @property
    def pid(self) -> int | None:
        """The child's process id (None once closed)."""
        return self._child.pid if self._child is not None else None

    @property
    def shared_memory_names(self) -> list[str]:
        """The names of the frame slots now in use (for tests)."""
        return self._slots.names

    @property
    def closed(self) -> bool:
        return self._child is None

    def __enter__(self) -> ProcessEstimator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _alive_child(self) -> ModelChild:
        if self._child is None:
            raise RuntimeError("ProcessEstimator used after close()")
        return self._child

    def estimate(self, frame: Frame) -> PoseEstimate:
        """Run the model on one frame (BGR, never mirrored) in the child."""
        self.submit(frame)
        return self.collect()

    def submit(
        self, frame: Frame, due_s: float | None = None, max_wait_s: float | None = None
    ) -> None:
        """Hand ``frame`` to the child and return at once (it waits only while all
        ``SLOTS`` frame slots are in flight, or frames of another size are).

        :meth:`collect` (or, from another thread, :meth:`collect_next`) gets the
        answers in order. Frames submitted while the model works wait for it; when it
        is free it takes the newest and answers the older ones "skipped".

        Args:
            frame: the frame (BGR).
            due_s: when the frame was due (``time.perf_counter()``), for a live stream.
            max_wait_s: with ``due_s``: when the model is free and the newest frame has
                waited longer than this, the model skips it too (rationed:
                :class:`~posture_cam.runtime.frame_skips.SkipRation`) and takes the next one,
                which then meets an idle model.
        """
        child = self._alive_child()
        with self._room:
            while not self._slots.fits(frame.image_bgr):
                self._room.wait(POLL_S)
                child = self._alive_child()
            name, shape = self._slots.put(frame.image_bgr)
            self._in_flight.append(name)
        child.send(
            (
                "estimate",
                name,
                shape,
                frame.index,
                float(frame.t_ms),
                frame.source_id,
                due_s,
                max_wait_s,
            )
        )

    def submit_restart(self) -> None:
        """:meth:`restart_stream` in turn with the frames in flight: the frames
        submitted after it are the new stream (its answer is consumed by
        :meth:`collect_next`)."""
        child = self._alive_child()
        with self._room:
            self._in_flight.append(None)
        child.send(("restart",))

    @property
    def slots(self) -> int:
        """How many frames can be in flight at once."""
        return self._slots.count

    @property
    def in_flight(self) -> int:
        """Frames and restarts handed over and not answered yet."""
        with self._room:
            return len(self._in_flight)

    def collect(self) -> PoseEstimate:
        """The estimate of the one frame given to :meth:`submit`."""
        estimate, _started_s = self.collect_next()
        if estimate is None:  # only happens with more than one frame in flight
            raise RuntimeError("collect() after more than one submit(); use collect_next()")
        return estimate

    def collect_next(self) -> tuple[PoseEstimate | None, float]:
        """The answer to the oldest frame in flight: its estimate, or None when the
        model skipped it for a newer one, and the ``time.perf_counter()`` at which
        the model took it (when it was answered, for a skipped one)."""
        child = self._alive_child()
        while True:
            reply = child.receive_reply(ESTIMATE_TIMEOUT_S)
            with self._room:
                name = self._in_flight.popleft()
                if name is not None:
                    self._slots.free(name)
                self._room.notify_all()
            if name is None:  # the answer to a submit_restart
                continue
            if reply[0] == "skipped":
                return None, time.perf_counter()
            return reply[1], float(reply[2])

    def restart_stream(self) -> None:
        """Forget the tracking of a VIDEO-mode stream (see ``PoseEstimator``)."""
        child = self._alive_child()
        child.send(("restart",))
        child.receive(OPEN_TIMEOUT_S)

    def close(self, *, wait: bool = True) -> None:
        """Close the landmarker, end and join the child, unlink the frame slots.

        Args:
            wait: False returns without waiting for the child to shut MediaPipe down
                and exit (30-150 ms, seconds on a loaded machine); a daemon thread
                joins it (and kills it if it lingers). The live loop closes this way,
                so that closing the window does not wait for it.
        """
        child, self._child = self._child, None
        try:
            if child is not None:
                child.stop(wait=wait)
        finally:
            self._slots.release()
