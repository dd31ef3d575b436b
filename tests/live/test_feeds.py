"""Video-file feed: newest frame wins, and a feed slower than real time still delivers."""

from __future__ import annotations

import time
from collections.abc import Iterator

from posture_cam.live.feeds import STALL_S, RealtimeVideoFeed
from posture_cam.testing import SyntheticFrameSource, standing_pose
from posture_cam.types import Frame


class SlowDecoder(SyntheticFrameSource):
    """A video whose frames take ``decode_s`` each to decode (a slow or busy machine)."""

    def __init__(self, count: int, fps: float, decode_s: float) -> None:
        super().__init__(standing_pose(), count=count, fps=fps)
        self.decode_s = decode_s

    def _frames(self) -> Iterator[Frame]:
        for frame in super()._frames():
            time.sleep(self.decode_s)
            yield frame


def _run(source: SyntheticFrameSource, speed: float = 1.0) -> list[int]:
    feed = RealtimeVideoFeed(source, speed=speed)
    try:
        return [fed.frame.index for fed in feed.iter(lambda: False)]
    finally:
        feed.close()


def test_decoding_slower_than_real_time_still_hands_out_frames():
    # 30 fps file, 60 ms to decode a frame: every decoded frame is already overdue.
    # Before the stall bound the feed handed out only the file's last frame.
    n, decode_s = 30, 0.06
    shown = _run(SlowDecoder(n, 30.0, decode_s))
    expected_min = int(n * decode_s / max(STALL_S, 0.1)) - 2
    assert len(shown) >= expected_min >= 4, shown
    assert shown == sorted(shown) and shown[-1] == n - 1


def test_fast_decoding_shows_every_frame_in_order():
    # Quarter speed (133 ms a frame): a loaded test machine that stalls this thread for
    # one 33 ms frame would rightly drop it at full speed.
    shown = _run(SlowDecoder(12, 30.0, 0.0), speed=0.25)
    assert shown == list(range(12))


def test_a_looping_video_numbers_its_streams_and_keeps_time_increasing():
    def reopen() -> SyntheticFrameSource:
        return SlowDecoder(5, 30.0, 0.0)

    feed = RealtimeVideoFeed(SlowDecoder(5, 30.0, 0.0), reopen, speed=4.0)
    try:
        items = feed.iter(lambda: False)
        fed = [next(items) for _ in range(12)]
    finally:
        feed.close()
    # Each pass over the file is a stream of its own (the model restarts its tracking).
    # Newest-wins may drop frames (even a whole pass) on a busy machine, so each frame's
    # pass is read from its time: every pass shifts the clock by the file's length.
    period_ms = 1000.0 / 30.0
    passes = [round((f.frame.t_ms - f.frame.index * period_ms) / (5 * period_ms)) for f in fed]
    assert [f.stream for f in fed] == passes
    assert passes[0] == 0 and passes[-1] >= 2  # 12 frames of a 5-frame file
    times = [f.frame.t_ms for f in fed]
    assert times == sorted(times) and len(set(times)) == 12
