"""Image, folder and video sources on generated files."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from posture_cam.sources import FolderSource, ImageSource, VideoFileSource
from tests.sources._helpers import N_VIDEO_FRAMES


def test_video_source_yields_every_frame_with_increasing_time(tiny_video):
    with VideoFileSource(tiny_video) as src:
        assert src.kind == "video" and src.is_stream
        assert src.fps == pytest.approx(25.0)
        frames = list(src)
    assert len(frames) == N_VIDEO_FRAMES
    assert [f.index for f in frames] == list(range(N_VIDEO_FRAMES))
    t = np.array([f.t_ms for f in frames])
    assert np.all(np.diff(t) > 0)
    assert t[-1] - t[0] == pytest.approx((N_VIDEO_FRAMES - 1) * 40.0, abs=1.0)
    brightness = [float(f.image_bgr.mean()) for f in frames]
    assert brightness[-1] > brightness[0] + 150  # frames come in order
    assert frames[0].image_bgr.shape == (120, 160, 3)


def test_image_and_folder_sources(tmp_path):
    img = np.zeros((40, 30, 3), np.uint8)
    img[:, :, 2] = 255
    cv2.imwrite(str(tmp_path / "b.png"), img)
    cv2.imwrite(str(tmp_path / "a.jpg"), img)
    (tmp_path / "notes.txt").write_text("not an image")
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    with ImageSource(tmp_path / "b.png") as src:
        (frame,) = list(src)
    assert frame.resolution_wh == (30, 40) and frame.image_bgr[0, 0, 2] == 255
    with FolderSource(tmp_path) as folder:
        frames = list(folder)
    assert [f.source_id.rsplit("/", 1)[-1] for f in frames] == ["a.jpg", "b.png"]
    assert [f.t_ms for f in frames] == [0.0, 1000.0]
    assert len(folder.skipped) == 1 and "broken.png" in str(folder.skipped[0])
