"""Result card words and the local home history."""

from __future__ import annotations

import datetime as _dt
import stat

import pytest

from posture_cam.home import wording
from posture_cam.home.history import HistoryEntry, HomeHistory, history_path

T0 = _dt.datetime(2026, 3, 1, 9, 30, tzinfo=_dt.UTC)


def _entry(n: int, values: dict[str, float], view: str = "front") -> HistoryEntry:
    return HistoryEntry(f"{n:032x}", T0 + _dt.timedelta(days=n), view, values)


@pytest.mark.parametrize(
    ("metric_id", "value", "expected"),
    [
        ("shoulder_tilt", 2.2, "Your right shoulder sits 2° lower than your left"),
        ("shoulder_tilt", -1.6, "Your left shoulder sits 2° lower than your right"),
        ("shoulder_tilt", 0.4, "Your shoulders are level"),
        ("head_tilt", 3.0, "Your head tilts 3° to your right"),
        ("head_tilt", -3.0, "Your head tilts 3° to your left"),
    ],
)
def test_sentences_follow_the_sign_convention(metric_id, value, expected):
    # positive = the patient's LEFT side higher (docs/metrics.md)
    assert wording.result_sentence(metric_id, value) == expected


def test_sentence_compares_with_the_last_check():
    last = _entry(1, {"shoulder_tilt": 3.2})
    assert (
        wording.result_sentence("shoulder_tilt", 2.0, last)
        == "Your right shoulder sits 2° lower than your left; last check 3°"
    )
    other = _entry(1, {"shoulder_tilt": -3.2})
    assert wording.result_sentence("shoulder_tilt", 2.0, other).endswith(
        "last check 3° the other way"
    )


def test_history_is_private_and_keeps_order():
    history = HomeHistory()
    history.append(_entry(1, {"shoulder_tilt": 3.0}))
    history.append(_entry(2, {"shoulder_tilt": 2.0}, view="left"))
    history.append(_entry(3, {"shoulder_tilt": 1.0}))
    path = history_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [e.values["shoulder_tilt"] for e in history.entries()] == [3.0, 2.0, 1.0]
    assert history.last("front").values == {"shoulder_tilt": 1.0}
    # appending the same check again (after sending it) replaces it
    history.append(HistoryEntry(f"{3:032x}", T0, "front", {"shoulder_tilt": 1.0}, "/x.json"))
    assert len(history.entries()) == 3 and history.last().file == "/x.json"


def test_damaged_history_is_set_aside():
    path = history_path()
    path.parent.mkdir(parents=True)
    path.write_text("{not json", encoding="utf-8")
    assert HomeHistory().entries() == []
    assert path.with_name("history.json.damaged").exists()


def test_dutch_result_card_and_countdown():
    from posture_cam.i18n import using_language

    last = _entry(1, {"shoulder_tilt": 3.2})
    with using_language("nl"):
        assert (
            wording.result_sentence("shoulder_tilt", 2.0, last)
            == "Uw rechterschouder staat 2° lager dan uw linker; vorige keer 3°"
        )
        assert wording.countdown_text(1) == "Blijf even stil… 1"
        for instruction in wording.INSTRUCTIONS:
            assert wording.instruction_text(instruction) != wording.INSTRUCTIONS[instruction]


def test_capture_text_says_frames_and_waited_time():
    from posture_cam.i18n import using_language

    assert wording.capture_text(41, 8.72, 6.84) == (
        "Averaged over 41 frames; captured after 9 s (7 s paused)"
    )
    assert wording.capture_text(50, 2.4, 0.0) == "Averaged over 50 frames; captured after 2 s"
    with using_language("nl"):
        assert wording.capture_text(41, 8.72, 6.84) == (
            "Gemiddelde van 41 beelden; vastgelegd na 9 s (7 s gepauzeerd)"
        )
