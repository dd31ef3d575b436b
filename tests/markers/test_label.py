"""Naming detected stickers (``posture_cam.markers.label``): marker names and the
assignment of blobs to where each marker belongs."""

from __future__ import annotations

import numpy as np
import pytest

from posture_cam.markers import parse_names
from posture_cam.markers.detect import Blob
from posture_cam.markers.label import assign


def test_names_parsing() -> None:
    assert parse_names("tragus, asis,c7,psis") == ("tragus", "c7", "asis", "psis")
    with pytest.raises(ValueError, match="navel"):
        parse_names("asis,navel")


def test_assignment_keeps_the_order_of_a_pair() -> None:
    # ASIS expected ahead (+x) of PSIS; blobs offset from the expectations but in order.
    expected = {"asis": np.array([120.0, 100.0]), "psis": np.array([60.0, 95.0])}
    blobs = [Blob(np.array([70.0, 80.0]), 5, 1), Blob(np.array([95.0, 110.0]), 5, 1)]
    assert assign(expected, blobs, 100.0) == {"asis": 1, "psis": 0}
    assert assign(expected, blobs, 5.0) == {}  # gated: too far from where they belong
