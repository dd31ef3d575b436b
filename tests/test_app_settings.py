"""``AppSettings``: which stored visit image the privacy settings allow."""

from __future__ import annotations

import pytest

from posture_cam.app_settings import AppSettings
from posture_cam.records.models import PRIVACY_MODES


@pytest.mark.parametrize(
    ("export_privacy", "display_skeleton_only", "shown", "exported"),
    [
        ("none", False, "full", "full"),
        ("blur_face", False, "blur", "blur"),
        ("skeleton_only", False, "skeleton", "skeleton"),
        # The live view hides the camera image: so does every image on screen.
        ("none", True, "skeleton", "full"),
        ("blur_face", True, "skeleton", "blur"),
    ],
)
def test_records_image_follows_the_privacy_settings(
    export_privacy, display_skeleton_only, shown, exported
) -> None:
    s = AppSettings(export_privacy=export_privacy, display_skeleton_only=display_skeleton_only)
    assert s.records_image(shown=True) == shown
    assert s.records_image(shown=False) == exported
    assert {shown, exported} <= set(PRIVACY_MODES)
