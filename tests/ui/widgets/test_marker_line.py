"""The side panel's skin-marker line: found and missing markers, or why none were named,
in the overlay's short names, in English and Dutch; hidden while no markers are set."""

from __future__ import annotations

import numpy as np

from posture_cam.markers import MarkerResult, NamedPoint
from posture_cam.ui.widgets.marker_line import MarkerLine, marker_text

SET = ("tragus", "c7", "asis", "psis")


def _found(*names: str, reason: str | None = None) -> MarkerResult:
    points = {n: NamedPoint(n, np.array([10.0, 20.0]), "marker", 4.0) for n in names}
    missing = () if reason else tuple(n for n in SET if n not in names)
    return MarkerResult(points, missing if not reason else SET, (), reason)


def test_the_line_says_what_was_found_and_what_is_missing() -> None:
    assert marker_text((), _found("c7"), "en") == ("", False)
    assert marker_text(SET, None, "en") == (
        "Skin markers: looking for tragus, C7, ASIS, PSIS",
        False,
    )
    assert marker_text(SET, _found(*SET), "en") == (
        "Skin markers: all found (tragus, C7, ASIS, PSIS)",
        False,
    )
    assert marker_text(SET, _found("tragus", "c7", "asis"), "en") == (
        "Skin markers found: tragus, C7, ASIS. Missing: PSIS (measured from the pose model "
        "instead)",
        True,
    )
    assert marker_text(SET, _found(), "en") == (
        "Skin markers: none of tragus, C7, ASIS, PSIS found (measured from the pose model instead)",
        True,
    )
    front = _found(reason="markers are named in side views only")
    assert marker_text(SET, front, "en") == (
        "Skin markers (tragus, C7, ASIS, PSIS): none named, markers are named in side views only",
        True,
    )


def test_the_line_speaks_dutch() -> None:
    text, _warn = marker_text(SET, _found("tragus", "c7", "asis"), "nl")
    assert text.startswith("Huidmarkers gevonden: tragus, C7, ASIS. Ontbreekt: PSIS")
    front = _found(reason="markers are named in side views only")
    assert "markers worden alleen in zijaanzichten benoemd" in marker_text(SET, front, "nl")[0]


def test_the_label_is_hidden_until_markers_are_set(qtbot) -> None:
    line = MarkerLine("en")
    qtbot.addWidget(line)
    assert line.isHidden()
    line.set_expected(SET)
    assert not line.isHidden() and line.text().startswith("Skin markers: looking for")
    line.retranslate("nl")
    assert line.text().startswith("Huidmarkers: zoeken naar tragus")
    line.set_expected(())
    assert line.isHidden() and line.text() == ""


def test_missing_stickers_too_small_to_find_say_so() -> None:
    small = MarkerResult({}, SET, (), None, sticker_px=3.2)
    text, warns = marker_text(SET, small, "en")
    assert warns and text.endswith(
        "At this distance a 20 mm sticker is about 3 px across, too small to be found "
        "reliably: move the camera closer or use a higher resolution."
    )
    assert "te klein om betrouwbaar te vinden" in marker_text(SET, small, "nl")[0]
    # Large enough, or nothing missing: no such words.
    large = MarkerResult({}, SET, (), None, sticker_px=9.0)
    assert "too small" not in marker_text(SET, large, "en")[0]
    points = {n: NamedPoint(n, np.array([10.0, 20.0]), "marker", 2.0) for n in SET}
    assert not MarkerResult(points, (), (), None, sticker_px=3.2).too_small
