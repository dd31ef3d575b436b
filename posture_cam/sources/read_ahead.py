"""Decoding ahead of the consumer, for files (a live camera wants the newest frame)."""

from __future__ import annotations

from collections.abc import Iterator

from posture_cam.sources.frame_source import FrameSource
from posture_cam.types import Frame


def prefetch(frames: Iterator[Frame] | FrameSource, depth: int = 4) -> Iterator[Frame]:
    """Decode ahead in a background thread (OpenCV releases the GIL while decoding).

    Keeps at most ``depth`` frames in memory. Exceptions from the source are re-raised
    in the consumer. For files only: a live camera wants "newest frame wins" instead.
    """
    import queue
    import threading

    done = object()
    q: queue.Queue = queue.Queue(maxsize=max(1, depth))
    stop = threading.Event()

    def produce() -> None:
        try:
            for frame in frames:
                while not stop.is_set():
                    try:
                        q.put(frame, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put(done)
        except BaseException as exc:  # handed to the consumer, which re-raises it
            q.put(exc)

    thread = threading.Thread(target=produce, name="posture_cam-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            item = q.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join(timeout=2.0)
