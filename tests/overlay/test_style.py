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


def test_a_line_under_a_label_is_dimmed_so_it_does_not_cut_the_letters():
    """A bright skeleton line crossing a label (the thigh under "Pelvis 14.0° anterior"
    in a seated side view) is darkened to a quarter inside the label's box, so the
    green letters stay the brightest thing there."""
    label, org, green = "Pelvis 14.0° anterior", (40.0, 66.0), (80, 200, 60)
    plain = np.full((120, 400, 3), 90, np.uint8)
    crossed = plain.copy()
    pink = (180, 105, 255)
    st.line(crossed, (0, 60), (399, 60), pink, 3)
    w, _h = st.put_text(plain, label, org, 0.6, green, 1)
    st.put_text(crossed, label, org, 0.6, green, 1)
    row_plain, row_crossed = plain[60, 42 : 40 + w], crossed[60, 42 : 40 + w]
    no_ink = np.all(row_plain == 90 >> 2, axis=1)  # the box's own dark, no letter there
    assert no_ink.sum() > 20
    assert row_crossed[no_ink].max() <= 255 >> 2  # the line at a quarter (was half: 127)
    assert crossed[60, 5].tolist() == list(pink)  # outside the box the line is as drawn
