"""Which frame the pose model takes next: the fresh one, not one that queued (no Qt).

At 30 fps the full model leaves little slack on the 2-core bench machine (28-31 ms a
frame in the app against a 33 ms interval). One slow inference makes the next frame
wait for the model, the one after that waits too, and the queue only clears when the
feed drops a frame because a newer one is already due (:mod:`posture_cam.live.feeds`).
Meanwhile every frame shown is 20-40 ms older than it need be: those runs are where
``bench/app_latency.py`` found the longest waits and the latency p95 over its targets.

:class:`FreshFrames` sits between the feed and the inference thread. When the model is
ready and the frame it would take was due more than ``max_wait_s`` ago, it skips that
frame and takes the next one, which is then due within the rest of the interval and
meets an idle model: one frame fewer is shown, and the ones after it are fresh again.
Skips are rationed (:class:`~posture_cam.runtime.frame_skips.SkipRation`): one is earned every
``frames_per_skip`` frames taken, and at most ``max_saved_skips`` can be saved up (slow
inferences come in runs: a run needs more than one). Over time the displayed frame
rate therefore stays within ``1 / frames_per_skip`` of the source's (4 % at the default
25, under the 5 % the live targets allow), even when the model is slower than the
source for a while (then the feed's own dropping takes over).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

from posture_cam.live.feeds import Fed
from posture_cam.runtime.frame_skips import (
    FRAMES_PER_SKIP,
    MAX_SAVED_SKIPS,
    MAX_WAIT_INTERVALS,
    SkipRation,
)

#: ``next_frame(should_stop) -> Fed | None``: the feed's newest frame, as the inference
#: thread takes it.
NextFrame = Callable[[Callable[[], bool]], Fed | None]


class FreshFrames:
    """``next_frame`` that skips a frame which waited too long for the model.

    Args:
        next_frame: the feed's ``next`` (blocks until a frame newer than the last one
            is there; None at the end or on stop).
        interval_s: the source's frame interval (1 / fps, divided by the playback
            speed of a video).
        max_wait_intervals: skip a frame that was due more than this many intervals
            ago when it is taken.
        frames_per_skip: frames taken to earn one skip.
        max_saved_skips: skips that can be saved up (the first ones are there at once).
    """

    def __init__(
        self,
        next_frame: NextFrame,
        interval_s: float,
        max_wait_intervals: float = MAX_WAIT_INTERVALS,
        frames_per_skip: int = FRAMES_PER_SKIP,
        max_saved_skips: int = MAX_SAVED_SKIPS,
    ) -> None:
        self._next = next_frame
        self.max_wait_s = max_wait_intervals * interval_s
        self._ration = SkipRation(frames_per_skip, max_saved_skips)

    @property
    def skipped(self) -> int:
        """How many frames it has skipped so far. Only the tests read it; the live loop
        and ``bench/app_latency.py`` count a skip in the next frame's ``dropped``."""
        return self._ration.spent

    def __call__(self, should_stop: Callable[[], bool]) -> Fed | None:
        fed = self._next(should_stop)
        if fed is None:
            return None
        self._ration.earn()
        waited_s = time.perf_counter() - fed.capture_s
        if waited_s <= self.max_wait_s or not self._ration.can_spend():
            return fed
        newer = self._next(should_stop)
        if newer is None:  # the end of the source, or a stop: keep what there is
            return fed
        self._ration.spend()
        # The skipped frame and the ones dropped before it count as dropped.
        return dataclasses.replace(newer, dropped=newer.dropped + fed.dropped + 1)
