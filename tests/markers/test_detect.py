"""Sticker detection (``posture_cam.markers.detect``): colour parsing and round
fluorescent discs found, other shapes and colours refused."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from posture_cam.errors import InputError
from posture_cam.markers import MarkerColour, detect_blobs

GREEN_BGR = (20, 255, 57)  # #39FF14, fluorescent green


def test_colour_parsing() -> None:
    assert MarkerColour.parse("green").h == 57
    c = MarkerColour.parse("#00FF00")
    assert (c.h, c.s, c.v) == (60, 255, 255)
    assert MarkerColour.parse("30,200,200") == MarkerColour(30, 200, 200)
    for bad in ("purplish", "#12345", "200,10,10", "1,2"):
        with pytest.raises(InputError):
            MarkerColour.parse(bad)


def test_detects_round_green_discs_and_rejects_other_shapes() -> None:
    img = np.full((400, 600, 3), 90, np.uint8)
    cv2.circle(img, (100, 100), 8, GREEN_BGR, -1)
    cv2.circle(img, (300, 250), 12, GREEN_BGR, -1)
    cv2.rectangle(img, (400, 50), (560, 60), GREEN_BGR, -1)  # a green strip: not round
    cv2.circle(img, (500, 300), 10, (255, 0, 0), -1)  # blue disc: other colour
    blobs = detect_blobs(img, MarkerColour.parse("green"))
    centres = sorted(tuple(np.round(b.xy_px, 3)) for b in blobs)
    assert centres == [(100.0, 100.0), (300.0, 250.0)]
    assert detect_blobs(img, MarkerColour.parse("blue"))[0].xy_px == pytest.approx([500, 300])
