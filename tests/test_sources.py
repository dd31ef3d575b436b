"""Frame sources on generated files (no binaries in the repo) and bad input."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from posture_cam.errors import CameraError, InputError
from posture_cam.sources import (
    CameraSource,
    FolderSource,
    ImageSource,
    VideoFileSource,
    open_source,
    prefetch,
    read_image,
)

N_VIDEO_FRAMES = 12


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


def test_grayscale_and_rgba_images_become_bgr(tmp_path):
    cv2.imwrite(str(tmp_path / "g.png"), np.full((10, 12), 77, np.uint8))
    cv2.imwrite(str(tmp_path / "a.png"), np.full((10, 12, 4), 99, np.uint8))
    assert read_image(tmp_path / "g.png").shape == (10, 12, 3)
    assert read_image(tmp_path / "a.png").shape == (10, 12, 3)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.jpg", b"", "file is empty"),
        ("corrupt.jpg", b"\xff\xd8\xff\xe0garbage" * 10, "not a readable image"),
        ("clip.mp4", b"\x00\x00\x00\x18ftypmp42 not a video" * 5, "not a readable video"),
        ("notes.txt", b"hello", "unsupported file type '.txt'"),
    ],
)
def test_bad_files_raise_one_line_input_errors(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        open_source(path)
    text = str(info.value)
    assert message in text and str(path) in text and "\n" not in text


def test_missing_path_and_empty_folder(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        open_source(tmp_path / "nope.jpg")
    with pytest.raises(InputError, match="no images"):
        open_source(tmp_path)


def test_missing_camera_fails_fast_with_a_clear_error():
    with pytest.raises(CameraError, match="camera 99: could not be opened"):
        CameraSource(99)
    with pytest.raises(CameraError):
        open_source("99")


def _with_exif_orientation(jpeg: bytes, orientation: int) -> bytes:
    """Insert a minimal EXIF APP1 segment holding only the Orientation tag."""
    import struct

    ifd = struct.pack("<H", 1) + struct.pack("<HHIHH", 0x0112, 3, 1, orientation, 0)
    tiff = b"II*\x00" + struct.pack("<I", 8) + ifd + struct.pack("<I", 0)
    app1 = b"Exif\x00\x00" + tiff
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + jpeg[2:]


def test_phone_photos_are_turned_upright_by_their_exif_orientation(tmp_path):
    img = np.zeros((40, 80, 3), np.uint8)
    img[:, :10] = 255  # a white band along the stored image's left edge
    ok, jpeg = cv2.imencode(".jpg", img)
    assert ok
    path = tmp_path / "phone.jpg"
    path.write_bytes(_with_exif_orientation(jpeg.tobytes(), 6))  # "rotate 90° clockwise"
    upright = read_image(path)
    assert upright.shape == (80, 40, 3)
    assert upright[:8].mean() > 200 and upright[-8:].mean() < 50  # the band is now on top
