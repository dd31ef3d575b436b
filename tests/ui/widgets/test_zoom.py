"""Zoom and pan of the live image: the arithmetic (the window test is in tests/ui/window)."""

from __future__ import annotations

import pytest

from posture_cam.ui.widgets.zoom import MAX_ZOOM, ZoomPan

FIT = (100.0, 0.0, 400.0, 300.0)  # a 4:3 image letterboxed in a 600x300 view


def image_point(zp: ZoomPan, xy):
    x, y, w, h = zp.apply(FIT)
    return (xy[0] - x) / w, (xy[1] - y) / h


def test_zoom_keeps_the_point_under_the_cursor():
    zp = ZoomPan()
    cursor = (330.0, 140.0)
    before = image_point(zp, cursor)
    zp.zoom_at(2.0, cursor, FIT)
    assert zp.zoom == 2.0
    assert image_point(zp, cursor) == pytest.approx(before)
    zp.zoom_at(100.0, cursor, FIT)
    assert zp.zoom == MAX_ZOOM


def test_pan_is_clamped_so_the_image_never_leaves_the_view():
    zp = ZoomPan()
    zp.pan_by(500, 500, FIT)
    x, y, w, h = zp.apply(FIT)
    assert x >= 0 and x + w <= 600 and y >= 0 and y + h <= 300, "the image left the view"
    zp.zoom_at(2.0, (300, 150), FIT)
    zp.pan_by(10_000, -10_000, FIT)
    x, y, _w, h = zp.apply(FIT)
    assert x == pytest.approx(0.0) and y + h == pytest.approx(300.0)  # covers the view


def test_zoom_to_box_centres_the_person():
    zp = ZoomPan()
    zp.zoom_to_box((0.4, 0.1, 0.2, 0.5), FIT)
    x, y, w, h = zp.apply(FIT)
    centre = (x + 0.5 * w, y + 0.3 * h)  # the box centre in screen pixels
    # The 0.5-tall box fills the 300 px view height: 300 / (0.5 * 300) / 1.15.
    assert zp.zoom == pytest.approx(2 / 1.15)
    assert centre[0] == pytest.approx(FIT[0] + FIT[2] / 2, abs=1)
    zp.reset()
    assert zp.is_fit
