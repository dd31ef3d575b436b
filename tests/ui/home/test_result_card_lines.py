"""The result card's lines about earlier checks."""

from __future__ import annotations


def test_an_earlier_check_reads_as_whole_sentences():
    # "… is level; Your right shoulder …": a capital after a semicolon.
    from posture_cam.i18n import using_language
    from posture_cam.ui.home.result_card import history_line
    from tests.home._helpers import history_entry

    entry = history_entry(1, {"head_tilt": 0.2, "shoulder_tilt": 2.0})
    with using_language("en"):
        line = history_line(entry)
    assert ": Your head is level. Your right shoulder sits 2° lower than your left" in line
    assert ";" not in line
