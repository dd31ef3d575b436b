"""The pose model on a thread of its own, so that it never waits for drawing (no Qt).

On two cores the live loop keeps the model busy back to back: this thread takes the
newest frame from the feed, runs the estimator (in the app a
:class:`~posture_cam.pose.process.ProcessEstimator`: the model in its own process, this
thread waiting on a pipe without the GIL, and doing the ``prepare`` work on the frame
meanwhile) and leaves the estimate in a newest-wins slot. The loop's thread meanwhile
finishes the previous frame: smoothing, metrics, overlay, and the GUI paints it.
Frames stay in order, so MediaPipe's VIDEO-mode timestamps keep increasing.

The estimator is created and closed by the loop's thread, but between
:meth:`InferenceThread.start` and :meth:`InferenceThread.stop` only this thread uses
it (a clean hand-over, never concurrent use).
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from posture_cam.live.feeds import Fed, NewestSlot
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
    """

    def __init__(
        self,
        estimator: Estimator,
        next_frame: Callable[[Callable[[], bool]], Fed | None],
        prepare: Callable[[Fed], object] | None = None,
    ) -> None:
        self._estimator = estimator
        self._restart = estimator if isinstance(estimator, StreamRestartable) else None
        self._split = estimator if isinstance(estimator, SplitEstimator) else None
        self._next_frame = next_frame
        self._prepare = prepare
        self._slot: NewestSlot[Estimated] = NewestSlot(lambda item: item.fed.dropped)
        self._stop = threading.Event()
        self._stream = 0
        #: The estimator's exception, re-raised by :meth:`next` in the loop's thread.
        self.exception: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="pose-inference", daemon=True)

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
