"""How often the live path may skip a frame to keep the next one fresh.

When the pose model is slower than the source for a moment, every frame behind the
slow one waits for it. Skipping the one that waited longest lets the next meet an idle
model, at the cost of one frame not shown. :class:`SkipRation` keeps that cost bounded:
one skip is earned every ``frames_per_skip`` frames taken, and at most
``max_saved_skips`` can be saved up (slow inferences come in runs). The displayed frame
rate thus stays within ``1 / frames_per_skip`` of the source's (4 % at 25).

Used where the decision is made: :mod:`posture_cam.live.freshness` when the live loop
hands the model one frame at a time, the model's process
(:mod:`posture_cam.pose.process_child`) when frames wait in it.
"""

from __future__ import annotations

#: A frame that waited longer than this share of the frame interval for the model is
#: skipped (when a skip is allowed).
MAX_WAIT_INTERVALS = 0.5
#: One skip is earned every this many frames taken ...
FRAMES_PER_SKIP = 25
#: ... and at most this many can be saved up.
MAX_SAVED_SKIPS = 2


class SkipRation:
    """Skips earned by frames taken (the first ``max_saved_skips`` at once).

    Args:
        frames_per_skip: frames taken to earn one skip.
        max_saved_skips: skips that can be saved up.
    """

    def __init__(
        self, frames_per_skip: int = FRAMES_PER_SKIP, max_saved_skips: int = MAX_SAVED_SKIPS
    ) -> None:
        # Credit in frames taken: a skip costs ``frames_per_skip`` of it.
        self._per_skip = frames_per_skip
        self._max_credit = max_saved_skips * frames_per_skip
        self._credit = self._max_credit
        #: How many skips were spent.
        self.spent = 0

    def earn(self) -> None:
        """A frame was taken."""
        self._credit = min(self._max_credit, self._credit + 1)

    def can_spend(self) -> bool:
        """Whether a skip is there to spend."""
        return self._credit >= self._per_skip

    def spend(self) -> None:
        """Spend a skip (check :meth:`can_spend` first)."""
        if not self.can_spend():
            raise RuntimeError("no skip left to spend")
        self._credit -= self._per_skip
        self.spent += 1
