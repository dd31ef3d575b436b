"""``posture_cam.config``: the measured views are ``View``'s, and a bad view is refused."""

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
