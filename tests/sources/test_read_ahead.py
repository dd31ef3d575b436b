"""``prefetch``: the same frames, decoded ahead; a source's error reaches the consumer."""

from __future__ import annotations

import pytest

from posture_cam.errors import InputError
from posture_cam.sources import VideoFileSource, prefetch


def test_prefetch_gives_the_same_frames(tiny_video):
    with VideoFileSource(tiny_video) as a, VideoFileSource(tiny_video) as b:
        direct = [(f.index, f.t_ms, f.image_bgr.sum()) for f in a]
        ahead = [(f.index, f.t_ms, f.image_bgr.sum()) for f in prefetch(b, depth=2)]
    assert ahead == direct


def test_prefetch_reraises_source_errors():
    def broken():
        yield from ()
        raise InputError("x.mp4", "boom")

    with pytest.raises(InputError, match="boom"):
        list(prefetch(broken()))
