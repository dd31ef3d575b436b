"""The message catalogue at run time: languages, lazy marking, number formats."""

from __future__ import annotations

import threading

import pytest

from posture_cam import i18n
from posture_cam.i18n import (
    N_,
    _,
    current_language,
    format_number,
    format_signed,
    ngettext,
    set_language,
    using_language,
)


@pytest.fixture(autouse=True)
def _english():
    set_language("en")
    yield
    set_language("en")


def test_dutch_catalogue_is_found_and_english_is_the_source():
    assert i18n.available_languages()[0] == "en"
    assert "nl" in i18n.available_languages()
    assert _("Snapshot") == "Snapshot"
    with using_language("nl"):
        assert _("Snapshot") == "Momentopname"


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="xx"):
        set_language("xx")


def test_marker_does_not_translate_and_use_does():
    table = {"quit": N_("Quit")}
    set_language("nl")
    assert table["quit"] == "Quit"
    assert _(table["quit"]) == "Afsluiten"


def test_override_is_local_to_the_block_and_the_thread():
    set_language("nl")
    seen: list[str] = []
    barrier = threading.Barrier(2)

    def other_thread():
        barrier.wait()  # runs while the main thread is inside using_language("en")
        seen.append(current_language())
        seen.append(_("Quit"))

    worker = threading.Thread(target=other_thread)
    worker.start()
    with using_language("en"):
        assert _("Quit") == "Quit"
        barrier.wait()
        worker.join()
    assert seen == ["nl", "Afsluiten"]
    assert _("Quit") == "Afsluiten"


def test_plural_forms():
    with using_language("nl"):
        one = ngettext(
            "{n} view captured (need {need})", "{n} views captured (need {need})", 1
        ).format(n=1, need=5)
        many = ngettext(
            "{n} view captured (need {need})", "{n} views captured (need {need})", 3
        ).format(n=3, need=5)
    assert (one, many) == ("1 beeld vastgelegd (minstens 5)", "3 beelden vastgelegd (minstens 5)")


@pytest.mark.parametrize(
    ("value", "decimals", "en", "nl"),
    [
        (2.14, 1, "2.1", "2,1"),
        (-2.16, 1, "\u22122.2", "\u22122,2"),
        (-0.04, 1, "0.0", "0,0"),  # never "−0.0"
        (-0.0, 0, "0", "0"),
        (1234.5, 1, "1234.5", "1234,5"),
        (0.1234, 3, "0.123", "0,123"),
        (float("nan"), 1, "—", "—"),
    ],
)
def test_format_number(value, decimals, en, nl):
    assert format_number(value, decimals) == en
    with using_language("nl"):
        assert format_number(value, decimals) == nl


def test_format_signed_uses_a_real_minus_and_no_signed_zero():
    assert format_signed(2.06) == "+2.1"
    assert format_signed(-2.06) == "\u22122.1"
    assert format_signed(0.04) == "0.0"
    assert format_signed(-0.04) == "0.0"
    with using_language("nl"):
        assert format_signed(-12.25, 2) == "\u221212,25"


@pytest.mark.parametrize("code", ["en", "nl"])
def test_format_number_matches_babels_fixed_point_pattern(code):
    """The fast formatter prints what Babel's "0.0" pattern prints, halves included."""
    import random

    from babel import Locale
    from babel.numbers import format_decimal

    rng = random.Random(7)
    values = [rng.uniform(-400.0, 400.0) for _ in range(3000)] + [0.05, 0.15, 2.675, -0.04]
    with using_language(code):
        for decimals in (-1, 0, 1, 2):
            pattern = "0." + "0" * decimals if decimals > 0 else "0"
            for value in values:
                rounded = round(value, decimals)
                text = format_decimal(abs(rounded), format=pattern, locale=Locale.parse(code))
                expected = ("\u2212" + text) if rounded < 0 else text
                assert format_number(value, decimals) == expected, (value, decimals)
