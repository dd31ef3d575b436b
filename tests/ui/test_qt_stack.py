"""Guards against Qt binding bugs that would crash the live app after a while."""

from __future__ import annotations

import sys

import numpy as np
import pytest


@pytest.mark.skipif(
    sys.version_info >= (3, 12), reason="None is immortal from Python 3.12: no crash possible"
)
def test_painting_frames_does_not_leak_references_to_none(qapp):
    """PySide6 6.12.0 drops a reference to None on every QPainter draw call; the app
    paints ~25 frames a second and aborted with "none_dealloc" after about a minute."""
    from PySide6.QtGui import QImage, QPainter, QPixmap

    frame = np.zeros((90, 160, 3), np.uint8)
    target = QPixmap(160, 90)
    painter = QPainter(target)
    before = sys.getrefcount(None)
    for _ in range(500):
        image = QImage(frame.data, 160, 90, frame.strides[0], QImage.Format.Format_BGR888)
        painter.drawImage(0, 0, image)
        painter.fillRect(0, 0, 4, 4, image.pixelColor(0, 0))
    after = sys.getrefcount(None)
    painter.end()
    assert before - after < 100, f"{before - after} references to None lost in 500 frames"
