"""``AppSettings``: which stored visit image the privacy settings allow; the skin markers
and their colour, saved and checked like every other field."""

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


# ---- skin markers: names and colour, saved and checked like every other field ----------


def test_markers_and_their_colour_round_trip_through_the_settings_file() -> None:
    import json

    from posture_cam.app_settings import load_settings_checked, save_settings, settings_path

    chosen = AppSettings(markers=("psis", "tragus", "c7", "asis"), marker_colour=" #39FF14 ")
    # Kept in protocol order and as the pipeline takes the colour.
    assert chosen.markers == ("tragus", "c7", "asis", "psis")
    assert chosen.marker_colour == "#39ff14"
    path = save_settings(chosen)
    assert path == settings_path()
    doc = json.loads(path.read_text())
    assert doc["markers"] == ["tragus", "c7", "asis", "psis"] and doc["marker_colour"] == "#39ff14"
    loaded, notices = load_settings_checked()
    assert notices == [] and loaded == chosen
    assert loaded.pipeline_fields()["markers"] == ("tragus", "c7", "asis", "psis")
    assert AppSettings().markers == () and AppSettings().marker_colour == "green"


@pytest.mark.parametrize(
    ("stored", "field"),
    [
        ({"markers": ["c7", "elbow"]}, "markers"),
        ({"markers": "asis,psis"}, "markers"),
        ({"marker_colour": "purple"}, "marker_colour"),
        ({"marker_colour": "180,10,10"}, "marker_colour"),
        ({"marker_colour": 57}, "marker_colour"),
    ],
)
def test_a_bad_marker_setting_falls_back_with_one_notice(stored, field) -> None:
    import json

    from posture_cam.app_settings import load_settings_checked, settings_path

    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"mirror": True, "markers": ["asis"], **stored}))
    settings, notices = load_settings_checked()
    assert len(notices) == 1 and str(path) in notices[0] and field in notices[0]
    assert getattr(settings, field) == getattr(AppSettings(), field)
    assert settings.mirror is True  # the good fields are kept
    if field == "marker_colour":
        assert settings.markers == ("asis",)


def test_settings_made_in_code_refuse_unknown_markers_and_colours() -> None:
    with pytest.raises(ValueError, match="elbow"):
        AppSettings(markers=("c7", "elbow"))
    with pytest.raises(ValueError, match="purple"):
        AppSettings(marker_colour="purple")
