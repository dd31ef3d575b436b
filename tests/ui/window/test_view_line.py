"""The side panel's view line says what each number is."""

from __future__ import annotations

from types import SimpleNamespace

from posture_cam.types import View, ViewEstimate


def _line(view: ViewEstimate, lang: str = "en") -> str:
    from posture_cam.ui.window.live_session import LiveSessionController

    fake = SimpleNamespace(_store=SimpleNamespace(language=lang))
    return LiveSessionController.detected_text(
        fake, SimpleNamespace(result=SimpleNamespace(view=view))
    )


def test_the_numbers_are_named_and_a_view_set_by_hand_claims_no_certainty():
    # Before: "Right side (detected, 1.00, 84°)" and "… (set by hand, 1.00, 57°)".
    detected = ViewEstimate(View.RIGHT, 0.97, yaw_deg=84.4)
    assert _line(detected) == (
        "Right side (detected, certainty 0.97; body turned 84° from facing the camera)"
    )
    forced = ViewEstimate(View.LEFT, 1.0, forced=True, yaw_deg=57.0)
    assert _line(forced) == "Left side (set by hand; body turned 57° from facing the camera)"
    assert "1.00" not in _line(forced)
    assert _line(ViewEstimate(View.FRONT, 0.5)) == "Front (detected, certainty 0.50)"
    assert _line(detected, "nl") == (
        "Rechterzijaanzicht (herkend, zekerheid 0,97; lichaam 84° weggedraaid van de camera)"
    )
