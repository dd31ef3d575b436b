"""A tiny video written at test time (no binaries in the repo)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from tests.sources._helpers import N_VIDEO_FRAMES


@pytest.fixture(scope="session")
def tiny_video(tmp_path_factory):
    """A 12-frame 160x120 mp4v video whose frame k has brightness 20*k."""
    path = tmp_path_factory.mktemp("video") / "tiny.mp4"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 25.0, (160, 120))
    assert writer.isOpened()
    for k in range(N_VIDEO_FRAMES):
        writer.write(np.full((120, 160, 3), 20 * k, np.uint8))
    writer.release()
    return path
