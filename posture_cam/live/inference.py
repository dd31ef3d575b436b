"""The pose model on a thread of its own, so that it never waits for drawing (no Qt).

On two cores the live loop keeps the model busy back to back: this thread takes the
newest frame from the feed, runs the estimator and leaves the estimate in a
newest-wins slot. The loop's thread meanwhile finishes the previous frame: smoothing,
metrics, overlay, and the GUI paints it. Frames stay in order, so MediaPipe's
VIDEO-mode timestamps keep increasing.

In the app the estimator is a :class:`~posture_cam.pose.process.ProcessEstimator`, the
model in its own process, and the model is never left waiting for this side:

* **pipelined** (:class:`PipelinedEstimator`): this thread hands every frame over as
  soon as the feed has it, even while the model still works on an earlier one (up to
  the estimator's ``slots``), then does the ``prepare`` work on it; a second thread
  (``pose-estimates``) takes the answers in order. When the model finishes a frame the
  next one is already in its process: the ~3 ms a hand-over and its answer take (copy,
  pipe, waking threads, unpickling: half a frame interval's slack at 30 fps on the
  bench machine) no longer come between two inferences. The model takes the newest of
  the frames waiting for it; a frame it skipped is counted as dropped.
* **split** (:class:`SplitEstimator`): one frame at a time, ``prepare`` while the
  model works.
* otherwise ``estimate`` on this thread (tests' fakes, an in-process estimator).

The estimator is created and closed by the loop's thread, but between
:meth:`InferenceThread.start` and :meth:`InferenceThread.stop` only this thread uses
it (a clean hand-over, never concurrent use).
"""

from __future__ import annotations

import collections
import dataclasses
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from posture_cam.live.feeds import WAIT_SLICE_S, Fed, NewestSlot
from posture_cam.pipeline import Estimator
from posture_cam.types import Frame, PoseEstimate


@runtime_checkable
class StreamRestartable(Protocol):
    """An estimator that tracks a stream and can forget it (VIDEO mode: the real
    estimators; a test fake may lack it)."""

    def restart_stream(self) -> None: ...


@runtime_checkable
class SplitEstimator(Protocol):
    """An estimator that works elsewhere (:class:`~posture_cam.pose.process.ProcessEstimator`):
    ``submit`` hands a frame over and returns at once, ``collect`` waits for its
    estimate; the caller's thread is free in between."""

    def submit(self, frame: Frame) -> None: ...

    def collect(self) -> PoseEstimate: ...


@runtime_checkable
class PipelinedEstimator(Protocol):
    """An estimator that takes the next frames while it works on one
    (:class:`~posture_cam.pose.process.ProcessEstimator`): ``submit`` as often as
    there is a free slot (``slots`` frames in flight at most), ``submit_restart`` in
    turn with the frames, ``collect_next`` (another thread) answers in order: the
    estimate, or None for a frame skipped for a newer one, and when the model took
    the frame (``time.perf_counter()``)."""

    @property
    def slots(self) -> int: ...

    def submit(
        self, frame: Frame, due_s: float | None = None, max_wait_s: float | None = None
    ) -> None: ...

    def submit_restart(self) -> None: ...

    def collect_next(self) -> tuple[PoseEstimate | None, float]: ...


@dataclass(eq=False)
class _InFlight:
    """A frame handed to a pipelined estimator, until its answer comes."""

    fed: Fed
    submitted_s: float = 0.0
    prepared: object = None
    ready: threading.Event = dataclasses.field(default_factory=threading.Event)


@dataclass(frozen=True, eq=False)
class Estimated:
    """A frame and the pose model's estimate of it.

    Attributes:
        fed: the frame as the feed delivered it (``dropped`` includes estimates the
            loop was too slow to take).
        estimate: the model's output.
        inference_ms: how long the model took.
        prepared: what ``prepare(fed)`` returned while the model ran (None without).
        queued_ms: how long the frame waited for the model after it was captured / due.
    """

    fed: Fed
    estimate: PoseEstimate
    inference_ms: float
    prepared: object = None
    queued_ms: float = 0.0


class InferenceThread:
    """Runs ``estimator`` on the newest frames of ``next_frame`` until told to stop.

    Args:
        estimator: the pose estimator (used only by this thread while it runs).
        next_frame: ``next_frame(should_stop) -> Fed | None``; None ends the thread.
        prepare: ``prepare(fed)``, run while the model works on ``fed`` when the
            estimator runs elsewhere (``submit`` / ``collect``, the model's own
            process); its result rides along as :attr:`Estimated.prepared`. Work on
            the frame that does not need the pose (shrinking it for the display)
            then leaves the path from frame to screen.
        max_wait_s: for an estimator that takes frames while it works (pipelined):
            the model skips a newest waiting frame that waited longer than this
            (rationed; :mod:`posture_cam.pose.process_child`), as
            :class:`~posture_cam.live.freshness.FreshFrames` does for one frame at a
            time. None: never.
    """

    def __init__(
        self,
        estimator: Estimator,
        next_frame: Callable[[Callable[[], bool]], Fed | None],
        prepare: Callable[[Fed], object] | None = None,
        max_wait_s: float | None = None,
    ) -> None:
        self._estimator = estimator
        self._max_wait_s = max_wait_s
        self._restart = estimator if isinstance(estimator, StreamRestartable) else None
        self._split = estimator if isinstance(estimator, SplitEstimator) else None
        self._pipelined = estimator if isinstance(estimator, PipelinedEstimator) else None
        self._next_frame = next_frame
        self._prepare = prepare
        self._slot: NewestSlot[Estimated] = NewestSlot(lambda item: item.fed.dropped)
        self._stop = threading.Event()
        self._stream = 0
        #: The estimator's exception, re-raised by :meth:`next` in the loop's thread.
        self.exception: BaseException | None = None
        run = self._run_pipelined if self._pipelined is not None else self._run
        self._thread = threading.Thread(target=run, name="pose-inference", daemon=True)
        # Pipelined: the frames in flight, oldest first, and the thread taking answers.
        self._in_flight: collections.deque[_InFlight] = collections.deque()
        self._room = threading.Condition()
        self._sending_done = False
        self._answers = threading.Thread(
            target=self._take_answers, name="pose-estimates", daemon=True
        )

    def start(self) -> InferenceThread:
        self._thread.start()
        return self

    def _run(self) -> None:
        stopping = self._stop.is_set
        try:
            while not stopping():
                fed = self._next_frame(stopping)
                if fed is None:
                    return
                if fed.stream != self._stream:
                    # A video looped: the model's tracking must not carry the end of the
                    # clip into its start (it refuses those frames for seconds).
                    self._stream = fed.stream
                    if self._restart is not None:
                        self._restart.restart_stream()
                t0 = time.perf_counter()
                prepared = None
                if self._split is not None and self._prepare is not None:
                    self._split.submit(fed.frame)
                    prepared = self._prepare(fed)
                    estimate = self._split.collect()
                else:
                    estimate = self._estimator.estimate(fed.frame)
                inference_ms = (time.perf_counter() - t0) * 1000.0
                queued_ms = (t0 - fed.capture_s) * 1000.0
                self._slot.put(Estimated(fed, estimate, inference_ms, prepared, queued_ms))
        except Exception as exc:  # thread boundary: the loop's thread re-raises it
            self.exception = exc
        finally:
            self._slot.close()

    def _run_pipelined(self) -> None:
        """Hand every frame over as it comes (``pose-inference``); the answers are
        taken on ``pose-estimates`` (:meth:`_take_answers`)."""
        estimator = self._pipelined
        assert estimator is not None
        self._answers.start()
        stopping = self._stop.is_set
        try:
            while not stopping():
                fed = self._next_frame(stopping)
                if fed is None:
                    return
                with self._room:
                    while len(self._in_flight) >= estimator.slots and not stopping():
                        self._room.wait(WAIT_SLICE_S)
                    if stopping():
                        return
                    entry = _InFlight(fed)
                    restart = fed.stream != self._stream
                    self._stream = fed.stream
                    if restart:
                        # A video looped: the model's tracking must not carry the end of
                        # the clip into its start (it refuses those frames for seconds).
                        estimator.submit_restart()
                    self._in_flight.append(entry)
                estimator.submit(fed.frame, fed.capture_s, self._max_wait_s)
                entry.submitted_s = time.perf_counter()
                try:
                    if self._prepare is not None:
                        entry.prepared = self._prepare(fed)
                finally:
                    entry.ready.set()
        except Exception as exc:  # thread boundary: the loop's thread re-raises it
            self.exception = exc
        finally:
            with self._room:
                self._sending_done = True
                self._room.notify_all()

    def _take_answers(self) -> None:
        """Take the pipelined estimator's answers in order into the slot; a frame the
        model skipped adds itself (and what was dropped before it) to the next one's
        ``dropped``."""
        estimator = self._pipelined
        assert estimator is not None
        skipped = 0
        try:
            while True:
                with self._room:
                    while not self._in_flight and not self._sending_done:
                        self._room.wait(WAIT_SLICE_S)
                    if not self._in_flight:
                        return  # the sender stopped and every answer was taken
                    entry = self._in_flight[0]
                estimate, started_s = estimator.collect_next()
                answered_s = time.perf_counter()
                with self._room:
                    self._in_flight.popleft()
                    self._room.notify_all()
                entry.ready.wait()
                if estimate is None:
                    skipped += 1 + entry.fed.dropped
                    continue
                fed = entry.fed
                if skipped:
                    fed = dataclasses.replace(fed, dropped=fed.dropped + skipped)
                    skipped = 0
                # The model took the frame at started_s (its process's clock is this
                # one); a frame handed over while the model was free started at once.
                started_s = min(max(started_s, entry.submitted_s), answered_s)
                self._slot.put(
                    Estimated(
                        fed,
                        estimate,
                        (answered_s - started_s) * 1000.0,
                        entry.prepared,
                        (started_s - fed.capture_s) * 1000.0,
                    )
                )
        except Exception as exc:  # thread boundary: the loop's thread re-raises it
            self.exception = exc
            self._stop.set()  # the sender stops handing frames over
        finally:
            self._slot.close()

    def next(self, should_stop: Callable[[], bool]) -> Estimated | None:
        """The newest estimate; None when the frames ended or ``should_stop()``.

        Raises:
            Exception: whatever the estimator raised.
        """
        taken = self._slot.take(should_stop)
        if taken is None:
            if self.exception is not None:
                raise self.exception
            return None
        item, replaced = taken
        if replaced:
            fed = dataclasses.replace(item.fed, dropped=item.fed.dropped + replaced)
            item = dataclasses.replace(item, fed=fed)
        return item

    def stop(self) -> None:
        """Ask the thread to finish and wait for it (at most one inference)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        if self._answers.is_alive():  # takes the answers still in flight (<= slots)
            self._answers.join()
