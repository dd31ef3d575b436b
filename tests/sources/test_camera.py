"""``CameraSource`` without a camera: a clear error, at once."""

from __future__ import annotations

import pytest

from posture_cam.errors import CameraError
from posture_cam.sources import CameraSource, open_source


def test_missing_camera_fails_fast_with_a_clear_error():
    with pytest.raises(CameraError, match="camera 99: could not be opened"):
        CameraSource(99)
    with pytest.raises(CameraError):
        open_source("99")
