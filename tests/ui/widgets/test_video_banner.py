"""The big banner over the live picture (countdown, notices) fits the view whole."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontMetricsF

from posture_cam.ui.widgets.video_view import VideoView


@pytest.mark.parametrize("width", [320, 480, 640, 1200])
@pytest.mark.parametrize("text", ["Snapshot in 2…", "Momentopname over 2…", "3"])
def test_the_banner_text_fits_without_eliding(qtbot, width, text) -> None:
    """At 1400 x 820 the side column leaves the picture about 500 px: the countdown
    read "Snapsh… in 2…" (Dutch "Momentopn…e over 2…"), since the font was scaled once
    by the ratio of widths and the text does not scale exactly with the point size."""
    view = VideoView()
    qtbot.addWidget(view)
    view.resize(width, 600)
    view.set_banner(text)
    font = view.banner_font()
    assert QFontMetricsF(font).horizontalAdvance(text) <= 0.92 * width
    assert font.pointSizeF() >= 10.0
    if text == "3":  # a countdown digit stays big
        assert font.pointSizeF() == max(18.0, 600 / 14)
