"""SkipRation: how often the live path may skip a frame."""

from __future__ import annotations

import pytest

from posture_cam.runtime.frame_skips import SkipRation


def test_saved_skips_are_there_at_once_then_one_per_frames_taken():
    ration = SkipRation(frames_per_skip=5, max_saved_skips=2)
    spent = []
    for frame in range(30):
        ration.earn()
        if ration.can_spend():
            ration.spend()
            spent.append(frame)
    # Two saved up at the start, then one every 5 frames taken.
    assert spent[:2] == [0, 1]
    assert spent[2:] == [5, 10, 15, 20, 25]
    assert ration.spent == len(spent)


def test_no_more_than_the_saved_skips_pile_up():
    ration = SkipRation(frames_per_skip=5, max_saved_skips=2)
    for _ in range(100):
        ration.earn()
    ration.spend()
    ration.spend()
    assert not ration.can_spend()
    with pytest.raises(RuntimeError, match="no skip left"):
        ration.spend()
