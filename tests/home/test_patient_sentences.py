"""What home mode says to the patient: result card, countdown, capture line (en and nl)."""

from __future__ import annotations

import pytest

from posture_cam.home import patient_sentences
from posture_cam.i18n import using_language
from tests.home._helpers import history_entry as _entry


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
    assert patient_sentences.result_sentence(metric_id, value) == expected


def test_sentence_compares_with_the_last_check():
    last = _entry(1, {"shoulder_tilt": 3.2})
    assert (
        patient_sentences.result_sentence("shoulder_tilt", 2.0, last)
        == "Your right shoulder sits 2° lower than your left; last check 3°"
    )
    other = _entry(1, {"shoulder_tilt": -3.2})
    assert patient_sentences.result_sentence("shoulder_tilt", 2.0, other).endswith(
        "last check 3° the other way"
    )


def test_dutch_result_card_and_countdown():
    last = _entry(1, {"shoulder_tilt": 3.2})
    with using_language("nl"):
        assert (
            patient_sentences.result_sentence("shoulder_tilt", 2.0, last)
            == "Uw rechterschouder staat 2° lager dan uw linker; vorige keer 3°"
        )
        assert patient_sentences.countdown_text(1) == "Blijf even stil… 1"
        for instruction in patient_sentences.INSTRUCTIONS:
            assert (
                patient_sentences.instruction_text(instruction)
                != patient_sentences.INSTRUCTIONS[instruction]
            )


def test_capture_text_says_frames_and_waited_time():
    assert patient_sentences.capture_text(41, 8.72, 6.84) == (
        "Averaged over 41 frames; captured after 9 s, 7 s of it waiting while your hands or arms"
        " were raised"
    )
    assert (
        patient_sentences.capture_text(50, 2.4, 0.0)
        == "Averaged over 50 frames; captured after 2 s"
    )
    with using_language("nl"):
        assert patient_sentences.capture_text(41, 8.72, 6.84) == (
            "Gemiddelde van 41 beelden; vastgelegd na 9 s, waarvan 7 s gewacht terwijl uw handen"
            " of armen omhoog waren"
        )
