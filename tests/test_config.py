"""``posture_cam.config``: the measured views are ``View``'s, and a bad view is refused;
the sticker colours the settings file takes are the ones the marker detector parses."""

from __future__ import annotations

import pytest

from posture_cam.config import MEASURED_VIEWS, PipelineConfig
from posture_cam.types import View


def test_measured_views_are_the_front_back_and_side_views() -> None:
    assert tuple(str(v) for v in View if v.is_frontal or v.is_side) == MEASURED_VIEWS


def test_a_forced_view_must_be_a_measured_one() -> None:
    for view in (None, *MEASURED_VIEWS):
        assert PipelineConfig(view=view).view == view
    with pytest.raises(ValueError, match="three_quarter"):
        PipelineConfig(view="three_quarter")


@pytest.mark.parametrize(
    "text",
    [
        "green",
        " Yellow ",
        "blue",
        "#39FF14",
        "#39ff14",
        "57,230,230",
        " 0 , 0 , 0 ",
        "179,255,255",
        "purple",
        "#39FF1",
        "#39FF14A",
        "180,10,10",
        "10,256,10",
        "-1,10,10",
        "10,10",
        "a,b,c",
        "",
    ],
)
def test_the_settings_colour_check_takes_what_the_detector_parses(text: str) -> None:
    from posture_cam.config import marker_colour_ok
    from posture_cam.errors import InputError
    from posture_cam.markers import MarkerColour

    try:
        MarkerColour.parse(text)
        parsed = True
    except InputError:
        parsed = False
    assert marker_colour_ok(text) is parsed


def test_the_colour_names_are_the_detectors_and_the_marker_names_the_points() -> None:
    from posture_cam.config import MARKER_COLOUR_NAMES, MARKER_NAMES
    from posture_cam.markers.detect import NAMED_COLOURS
    from posture_cam.markers.points import MARKER_WORDS

    assert tuple(NAMED_COLOURS) == MARKER_COLOUR_NAMES
    assert tuple(MARKER_WORDS) == MARKER_NAMES
