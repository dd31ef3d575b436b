"""``read_image``: any decoded image becomes upright 3-channel BGR."""

from __future__ import annotations

import cv2
import numpy as np

from posture_cam.sources import read_image


def test_grayscale_and_rgba_images_become_bgr(tmp_path):
    cv2.imwrite(str(tmp_path / "g.png"), np.full((10, 12), 77, np.uint8))
    cv2.imwrite(str(tmp_path / "a.png"), np.full((10, 12, 4), 99, np.uint8))
    assert read_image(tmp_path / "g.png").shape == (10, 12, 3)
    assert read_image(tmp_path / "a.png").shape == (10, 12, 3)


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
