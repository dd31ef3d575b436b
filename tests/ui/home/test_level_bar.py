"""The spirit level's bubble: the catalogue band's traffic light, grey only for no reading."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from posture_cam.metrics import spec
from posture_cam.types import MetricStatus
from posture_cam.ui.home.level_bar import LevelBar
from posture_cam.wording import status_color_rgb


def _colour(status: MetricStatus) -> QColor:
    return QColor(*status_color_rgb(status))


@pytest.mark.parametrize(
    ("metric_id", "tilt", "status"),
    [
        ("head_tilt", None, MetricStatus.NOT_MEASURABLE),
        ("head_tilt", 0.0, MetricStatus.NORMAL),
        ("head_tilt", -1.8, MetricStatus.NORMAL),  # head tilt is normal within 2°
        ("head_tilt", 3.5, MetricStatus.BORDERLINE),  # borderline within 4°
        ("head_tilt", -4.5, MetricStatus.OUTSIDE),
        ("head_tilt", 30.0, MetricStatus.OUTSIDE),
        ("shoulder_tilt", None, MetricStatus.NOT_MEASURABLE),
        ("shoulder_tilt", 1.4, MetricStatus.NORMAL),  # shoulder tilt: 1.5° and 3°
        ("shoulder_tilt", -2.0, MetricStatus.BORDERLINE),
        ("shoulder_tilt", 3.2, MetricStatus.OUTSIDE),
    ],
)
def test_bubble_takes_the_catalogue_band_colour(qtbot, metric_id, tilt, status):
    bar = LevelBar("Head", metric_id)
    qtbot.addWidget(bar)
    bar.set_tilt(tilt)
    assert bar.status() is status
    assert bar.colour() == _colour(status)
    if tilt is not None:
        assert bar.status() is spec(metric_id).norm.status(tilt)


def test_a_large_tilt_is_red_not_the_grey_of_no_reading(qtbot):
    bar = LevelBar("Shoulders", "shoulder_tilt")
    qtbot.addWidget(bar)
    bar.set_tilt(None)
    grey = bar.colour()
    bar.set_tilt(6.0)
    assert bar.colour() != grey
    assert bar.colour() == _colour(MetricStatus.OUTSIDE)
    bar.resize(300, 44)
    bar.grab()  # paints without error
