"""The "not clinical quality" stamp on exported images."""

from __future__ import annotations

import numpy as np

from posture_cam.overlay.stamp import WARNING_COLOR, stamp_warning


def test_stamp_darkens_a_top_band_and_writes_the_warning_inside_the_image():
    image = np.full((480, 640, 3), 200, np.uint8)
    out = stamp_warning(image, "Not clinical quality", ["still: moving", "x" * 400])
    band = out[:60]
    assert band.mean() < 120, "the band behind the text is not darkened"
    amber = np.all(np.abs(band.reshape(-1, 3).astype(int) - WARNING_COLOR) < 40, axis=1)
    assert amber.sum() > 30
    # Below the band the image is untouched; the long reason was shortened, not clipped off.
    assert (out[200:] == 200).all()
    assert (out[5:40, 630:] < 200).all()
