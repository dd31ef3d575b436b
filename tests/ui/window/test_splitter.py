"""The side column starts as wide as its table needs and can be dragged narrower to give
the picture more room: it then scrolls sideways instead of cutting its words."""

from __future__ import annotations

from PySide6.QtWidgets import QScrollArea

from posture_cam.ui.window.main_window import SIDE_MIN_PX
from tests.ui.window._helpers import close_and_check, make_window


def test_the_side_column_starts_whole_and_gives_way_to_the_picture(qtbot) -> None:
    win = make_window(qtbot)
    qtbot.waitUntil(lambda: win.latest is not None, timeout=5000)
    picture, side = win.splitter.sizes()
    assert side >= win.side.minimumWidth()  # every column whole at the start
    assert picture > 0 and picture + side <= win.width()
    scroll = win.splitter.widget(1)
    assert isinstance(scroll, QScrollArea)
    assert scroll.horizontalScrollBar().maximum() == 0  # nothing hidden sideways
    # Dragged narrow: the picture grows, the column scrolls sideways, no word is cut.
    win.splitter.setSizes([win.width() - SIDE_MIN_PX, SIDE_MIN_PX])
    qtbot.waitUntil(lambda: win.splitter.sizes()[1] <= SIDE_MIN_PX + 20, timeout=2000)
    assert win.splitter.sizes()[0] > picture
    assert scroll.horizontalScrollBar().maximum() > 0
    assert win.side.width() >= win.side.minimumWidth()
    close_and_check(win)
