"""Number formats of the report, and its words in the report's own language.

The words themselves live in the one wording table (:mod:`posture_cam.wording`:
``report_text``, ``view_name``, ``status_text``, ``source_text``, ``change_verdict``,
``metric_label``) and the one gettext catalogue; :func:`say` renders any of them in the
report's language (``using_language``), so the app's language is untouched.

Numbers are formatted here, not with ``posture_cam.i18n.format_number``: the report's
numbers must read back (``pdftotext``) exactly as ``visits --json`` prints them, so a
negative value keeps the ASCII hyphen-minus instead of the typographic minus sign; Dutch
still gets its decimal comma.
"""

from __future__ import annotations

from collections.abc import Callable

from posture_cam import wording
from posture_cam.i18n import available_languages, using_language
from posture_cam.records.spread import COMBINED, PlusMinus

#: Report languages: every language with a catalogue (adding one is adding its file).
LANGUAGES = available_languages()


def say(lang: str, words: Callable[..., str], *args: object, **fields: object) -> str:
    """``words(*args, **fields)`` (a :mod:`posture_cam.wording` function) in ``lang``."""
    with using_language(lang):
        return words(*args, **fields)


def t(key: str, lang: str, **fields: object) -> str:
    """A report heading or phrase (``wording.report_text``) in ``lang``."""
    return say(lang, wording.report_text, key, **fields)


def number(value: float | None, lang: str, decimals: int = 1) -> str:
    """A number as printed: ``1.5`` (en) / ``1,5`` (nl); ``-`` for None; never ``-0.0``."""
    if value is None:
        return "-"
    rounded = round(float(value), decimals)
    if rounded == 0:
        rounded = 0.0
    text = f"{rounded:.{decimals}f}"
    return text.replace(".", ",") if lang == "nl" else text


def value_cell(value: float, pm: PlusMinus, lang: str, metric_id: str | None = None) -> str:
    """``50.6 ± 2.5``: the value with its ± (:mod:`posture_cam.records.spread`); a record
    without a stored uncertainty shows its frame SD, marked: ``50.6 ± 0.4 SD``; a value
    with no ± at all (one frame in cm) shows none: ``12.3``. A signed metric whose sign
    names a side or direction (``metric_id`` given) shows its size and the words, as
    every table does: ``2.3 ± 0.8 R high`` for a shoulder tilt of -2.3."""
    words = say(lang, wording.direction_words, metric_id, value) if metric_id else ""
    shown = number(abs(value) if words else value, lang)
    text = shown if pm.value is None else f"{shown} ± {number(pm.value, lang)}"
    if pm.fallback and pm.value is not None:
        text += " SD"
    return f"{text} {words}" if words else text


def side_value(value: float | None, lang: str, metric_id: str) -> str:
    """A value without its ±, with its side or direction as :func:`value_cell` writes it
    (``6.9 R high`` for a shoulder tilt of -6.9; ``54.2`` for a CVA); ``-`` for None."""
    if value is None:
        return "-"
    return value_cell(value, PlusMinus(None, COMBINED), lang, metric_id)


def signed(value: float, lang: str) -> str:
    text = number(value, lang)
    return text if text.startswith("-") else f"+{text}"


def metric_label(metric_id: str, lang: str) -> str:
    """The catalogue's label of a metric in ``lang``; the id itself when unknown."""
    return say(lang, wording.metric_label, metric_id)
