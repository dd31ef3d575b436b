"""Real-time frame feeds for the live loop: newest frame wins (no Qt here).

A feed turns a :class:`~posture_cam.sources.FrameSource` into a stream of
:class:`Fed` items that the worker processes one at a time. Whatever the worker is too
slow for is dropped, never queued:

* **camera** (:func:`camera_feed`): a helper thread reads the camera as fast as it
  delivers and keeps only the latest frame; the worker takes it when it is ready for
  the next one. Capture time = when ``read()`` returned.
* **video file** (:class:`RealtimeVideoFeed`, run on a :class:`FeedThread` so that
  decoding overlaps with inference): plays at the file's native fps against the wall
  clock. When the worker falls behind, a frame is skipped once the next one
  is already due; when it is ahead, the feed waits. Capture time = the moment the
  frame was due, so latency includes any lateness. At the end of the file it loops
  (re-opening the file, timestamps kept increasing) or stops.
* **stills** (image, folder): each image is delivered once (folders at one image per
  second); the worker then keeps showing the last result.

All waits are sliced (``WAIT_SLICE_S``) and check ``should_stop`` so that a stop
request is honoured within a few tens of milliseconds.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from posture_cam.sources import FrameSource
from posture_cam.types import Frame

WAIT_SLICE_S = 0.02
# Longest a video feed goes without handing out a frame when it is behind real time.
STALL_S = 0.25
T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class Fed:
    """One frame handed to the worker.

    Attributes:
        frame: the frame (``t_ms`` increasing across loops).
        capture_s: ``time.perf_counter()`` when the frame was captured / due.
        dropped: frames skipped before this one since the previous item.
        stream: which pass over the source the frame belongs to (a looping video
            counts up at each loop): the jump back to the start is a new stream for
            the model's tracking and the per-stream state.
    """

    frame: Frame
    capture_s: float
    dropped: int = 0
    stream: int = 0


def _sleep_until(deadline_s: float, should_stop: Callable[[], bool]) -> bool:
    """Sleep until ``deadline_s`` (perf_counter); False when stopped meanwhile."""
    while True:
        if should_stop():
            return False
        left = deadline_s - time.perf_counter()
        if left <= 0:
            return True
        time.sleep(min(left, WAIT_SLICE_S))


class NewestSlot(Generic[T]):
    """A one-item mailbox between two threads where the newest item wins.

    ``put`` replaces an item the consumer has not taken yet; ``take`` waits for an
    item, the end, or a stop request. Nothing ever queues up.

    Args:
        dropped_in: how many frames an item already stands for having dropped (they
            are lost with it when it is replaced, so they are counted too).
    """

    def __init__(self, dropped_in: Callable[[T], int] = lambda _item: 0) -> None:
        self._cond = threading.Condition()
        self._dropped_in = dropped_in
        self._item: T | None = None
        self._replaced = 0
        self._closed = False

    def put(self, item: T) -> None:
        with self._cond:
            if self._item is not None:
                self._replaced += 1 + self._dropped_in(self._item)
            self._item = item
            self._cond.notify_all()

    def close(self) -> None:
        """No more items will come; ``take`` returns None once the slot is empty."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def take(self, should_stop: Callable[[], bool]) -> tuple[T, int] | None:
        """The newest item and how many frames were dropped with the items it replaced,
        or None when the producer ended (and the slot is empty) or ``should_stop()``."""
        with self._cond:
            while self._item is None:
                if self._closed or should_stop():
                    return None
                self._cond.wait(WAIT_SLICE_S)
            item, replaced = self._item, self._replaced
            self._item, self._replaced = None, 0
            return item, replaced


#: ``items(should_stop) -> Iterator[Fed]``: what a :class:`FeedThread` runs.
FedIterator = Callable[[Callable[[], bool]], Iterator[Fed]]


class FeedThread:
    """Runs a feed on a helper thread; the consumer takes the newest frame.

    Decoding (or reading the camera) then overlaps with the consumer's work, and a
    consumer that is too slow only ever sees the newest frame: the ones it missed are
    added to ``Fed.dropped``.

    Args:
        items: the feed, called on the helper thread with its stop check.
        name: the thread's name.
        error_of: called when the feed ends, for a reason it gives itself (a camera's
            ``source.error``); the feed's own exception takes precedence.
    """

    def __init__(
        self,
        items: FedIterator,
        name: str,
        error_of: Callable[[], str | None] = lambda: None,
    ) -> None:
        self._items = items
        self._error_of = error_of
        self._slot: NewestSlot[Fed] = NewestSlot(lambda fed: fed.dropped)
        self._stop = threading.Event()
        self.exception: BaseException | None = None
        self.error: str | None = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> FeedThread:
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            for fed in self._items(self._stop.is_set):
                if self._stop.is_set():
                    break
                self._slot.put(fed)
        except Exception as exc:  # thread boundary: hand the failure to the consumer
            self.exception = exc
            self.error = str(exc)
        finally:
            if self.error is None:
                self.error = self._error_of()
            self._slot.close()

    def next(self, should_stop: Callable[[], bool]) -> Fed | None:
        """Wait for a frame newer than the last one taken; None when ended or stopped."""
        taken = self._slot.take(should_stop)
        if taken is None:
            return None
        fed, replaced = taken
        return dataclasses.replace(fed, dropped=fed.dropped + replaced) if replaced else fed

    def stop(self, timeout_s: float = 1.0) -> None:
        """Ask the helper thread to finish and wait for it (sources are left open)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout_s)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()


def camera_feed(source: FrameSource) -> FeedThread:
    """Read an open camera on a helper thread, as fast as it delivers, newest wins.

    Capture time = when ``read()`` returned. When the camera stops delivering
    (unplugged), ``error`` says why (``source.error``).
    """

    def items(should_stop: Callable[[], bool]) -> Iterator[Fed]:
        for frame in source:
            yield Fed(frame, time.perf_counter())
            if should_stop():
                return

    return FeedThread(items, "camera-grabber", lambda: source.error)


class RealtimeVideoFeed:
    """Plays a video file at its native frame rate, dropping frames when behind.

    Args:
        source: the open video source (closed by the feed when it is replaced).
        reopen: returns a fresh source of the same file for looping, or None to stop
            at the end.
        speed: playback speed (1.0 = real time; tests and benchmarks may change it).
    """

    def __init__(
        self,
        source: FrameSource,
        reopen: Callable[[], FrameSource] | None = None,
        speed: float = 1.0,
    ) -> None:
        self.source = source
        self._reopen = reopen
        self._speed = speed
        self.fps = source.fps or 30.0
        self.loops = 0

    def iter(self, should_stop: Callable[[], bool]) -> Iterator[Fed]:
        """Yield frames when they are due; skip a frame once a newer one is due.

        One frame is decoded ahead: a frame is dropped only when the next one is
        already due (showing it would only add latency), so the last frame of a file
        is always shown and every frame is either shown or counted as dropped.
        """
        period_ms = 1000.0 / self.fps
        # When decoding (or the worker) is slower than real time every decoded frame is
        # already overdue; without this bound nothing would ever be handed out.
        max_gap_s = max(STALL_S, 3.0 * period_ms / 1000.0 / self._speed)
        offset_ms = 0.0
        start_s: float | None = None
        pending: Fed | None = None  # decoded, not yet handed out
        last_out_s = time.perf_counter()
        dropped = 0
        while not should_stop():
            last_t = offset_ms
            for frame in self.source:
                t_ms = frame.t_ms + offset_ms
                last_t = t_ms
                if start_s is None:
                    start_s = time.perf_counter() - t_ms / 1000.0 / self._speed
                if offset_ms:
                    frame = dataclasses.replace(frame, t_ms=t_ms)
                fed = Fed(frame, start_s + t_ms / 1000.0 / self._speed, stream=self.loops)
                if pending is not None:
                    now = time.perf_counter()
                    if now >= fed.capture_s:
                        dropped += 1  # a newer frame is already due
                        if now - last_out_s >= max_gap_s:
                            # Falling behind for good: hand out the newest frame.
                            yield dataclasses.replace(fed, dropped=dropped)
                            last_out_s = time.perf_counter()
                            dropped = 0
                            pending = None
                            if should_stop():
                                return
                            continue
                    else:
                        if not _sleep_until(pending.capture_s, should_stop):
                            return
                        yield dataclasses.replace(pending, dropped=dropped)
                        last_out_s = time.perf_counter()
                        dropped = 0
                pending = fed
                if should_stop():
                    return
            if self._reopen is None or should_stop():
                break
            self.source.close()
            self.source = self._reopen()
            offset_ms = last_t + period_ms
            self.loops += 1
        if pending is not None and _sleep_until(pending.capture_s, should_stop):
            yield dataclasses.replace(pending, dropped=dropped)

    def close(self) -> None:
        self.source.close()


class StillFeed:
    """Images and folders: every image once, one per second for folders."""

    def __init__(self, source: FrameSource) -> None:
        self.source = source

    def iter(self, should_stop: Callable[[], bool]) -> Iterator[Fed]:
        for i, frame in enumerate(self.source):
            if i and not _sleep_until(time.perf_counter() + 1.0, should_stop):
                return
            yield Fed(frame, time.perf_counter())

    def close(self) -> None:
        self.source.close()
