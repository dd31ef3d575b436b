"""Overlay text scales with the rendered size and never leaves the image."""

from __future__ import annotations

import numpy as np
import pytest

from posture_cam.overlay import style as st


@pytest.mark.parametrize(
    ("org", "anchor"),
    [
        ((630.0, 240.0), "left"),
        ((5.0, 240.0), "right"),
        ((320.0, 2.0), "center"),
        ((320.0, 479.0), "center"),
    ],
)
def test_a_label_at_the_edge_is_drawn_inside_the_image(org, anchor):
    img = np.zeros((480, 640, 3), np.uint8)
    w, _h = st.put_text(img, "CVA 46.0° L high", org, 0.6, (255, 255, 255), 1, anchor=anchor)
    ys, xs = np.nonzero(img.max(axis=2) > 128)
    assert len(xs) > 50, "nothing drawn"
    # All of the label's ink is in the image, none cut at an edge.
    assert xs.max() - xs.min() >= w * 0.85
    assert xs.min() >= 1 and xs.max() <= 638 and ys.min() >= 1 and ys.max() <= 478


def test_font_scale_follows_the_rendered_size():
    small = st.OverlayStyle.for_frame(640, 480)
    big = st.OverlayStyle.for_frame(1920, 1080)
    assert big.font_scale > 2 * small.font_scale
    assert big.text_height_px >= 18, "text must stay readable on a treatment-room screen"
