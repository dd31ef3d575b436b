"""live.freshness: the model takes fresh frames, skipping one that queued, on a ration."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import numpy as np

from posture_cam.live.feeds import Fed
from posture_cam.live.freshness import FreshFrames
from posture_cam.types import Frame

INTERVAL_S = 1.0 / 30.0


def _fed(index: int, waited_s: float, dropped: int = 0) -> Fed:
    """A frame taken ``waited_s`` after it was due (negative: due in the future)."""
    frame = Frame(np.zeros((2, 2, 3), np.uint8), index, index * 1000.0 * INTERVAL_S, "clip")
    return Fed(frame, time.perf_counter() - waited_s, dropped)


def _feed(items: list[Fed]) -> Callable[[Callable[[], bool]], Fed | None]:
    it: Iterator[Fed] = iter(items)
    return lambda _should_stop: next(it, None)


def _never() -> bool:
    return False


def test_a_frame_that_waited_less_than_half_an_interval_is_taken():
    fresh = FreshFrames(_feed([_fed(0, 0.010), _fed(1, -0.010)]), INTERVAL_S)
    assert fresh(_never).frame.index == 0
    assert fresh(_never).frame.index == 1
    assert fresh(_never) is None
    assert fresh.skipped == 0


def test_a_frame_that_queued_is_skipped_for_the_next_and_counted_as_dropped():
    late = _fed(0, 0.020, dropped=2)  # 20 ms > 16.7 ms: queued behind a slow inference
    fresh = FreshFrames(_feed([late, _fed(1, -0.013, dropped=1)]), INTERVAL_S)
    taken = fresh(_never)
    assert taken.frame.index == 1
    assert taken.dropped == 1 + 2 + 1  # its own, the late frame's, the late frame
    assert fresh.skipped == 1


def test_at_the_end_of_the_source_a_late_frame_is_still_shown():
    fresh = FreshFrames(_feed([_fed(0, 0.030)]), INTERVAL_S)
    assert fresh(_never).frame.index == 0
    assert fresh.skipped == 0


def test_skips_are_rationed_two_at_once_then_one_every_25_frames():
    """A model slower than the source for a long while: every frame is late. Two skips
    come at once (saved up), then one per 25 frames taken, so at most 4 % more frames
    are dropped than the feed drops itself."""
    frames = [_fed(i, 0.030) for i in range(1000)]
    fresh = FreshFrames(_feed(frames), INTERVAL_S, frames_per_skip=25, max_saved_skips=2)
    taken = [fresh(_never) for _ in range(300)]
    indices = np.array([fed.frame.index for fed in taken if fed is not None])
    assert indices[:3].tolist() == [1, 3, 4]  # the two saved skips: frames 0 and 2
    # Where a frame was skipped, the index jumps by two.
    skipped_after = np.flatnonzero(np.diff(indices) == 2)
    assert fresh.skipped == len(skipped_after) + 1  # + frame 0, skipped before any
    assert 2 + 300 // 25 - 1 <= fresh.skipped <= 2 + 300 // 25
    assert set(np.diff(skipped_after)[1:].tolist()) == {25}
