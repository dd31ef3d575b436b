"""One message catalogue for every user-visible string (gettext + Babel; no Qt here).

How to write a user-visible string anywhere in posture_cam (core, CLI, overlay, UI)::

    from posture_cam.i18n import _, N_, ngettext, pgettext

    label.setText(_("Snapshot saved in {folder}").format(folder=path))   # translate now
    _("{n} view captured", ...)  # no: plurals use ngettext
    ngettext("{n} view captured", "{n} views captured", n).format(n=n)
    pgettext("view", "Back")     # a short word whose meaning needs a context

    # Module-level tables are evaluated at import, before a language is chosen:
    # mark them with N_() (returns the English text unchanged) and translate at use.
    REASONS = {"moving": N_("still: moving")}
    ...
    text = _(REASONS["moving"])

Rules: the msgid is the English text; placeholders are ``{named}`` and filled with
``str.format`` AFTER translation; numbers shown to a person go through
:func:`format_number` / :func:`format_signed` (Dutch decimal comma, real minus sign,
never "−0.0"). After adding strings run ``python tools/i18n_catalogues.py update`` (a
developer tool in the checkout, not part of the package) and translate the new (empty)
entries in ``posture_cam/locale/nl/LC_MESSAGES/posture_cam.po``;
``tests/test_i18n_catalogue.py`` fails on any entry that is missing, untranslated or
fuzzy. See docs/i18n.md.

Language state: :func:`set_language` sets the process-wide language (the UI's);
:func:`using_language` overrides it for the current thread/context only, so a snapshot
or report renders in its own language while the UI keeps its own. English is the
source language and needs no catalogue.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gettext as _gettext
import math
import os
import re
import string
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Self

from babel import Locale
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

DOMAIN = "posture_cam"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
SOURCE_LANGUAGE = "en"
MINUS = "\u2212"  # a real minus sign: "−2.1", not "-2.1"

_process_language = SOURCE_LANGUAGE
_override: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "posture_cam_language", default=None
)


def available_languages() -> tuple[str, ...]:
    """Language codes with a catalogue, English first (adding a language = adding a file)."""
    return _languages_in(LOCALE_DIR)


@functools.cache  # the overlay checks its language on every live frame: no glob each time
def _languages_in(locale_dir: Path) -> tuple[str, ...]:
    found = sorted(
        p.parent.parent.name for p in locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.mo") if p.is_file()
    )
    return (SOURCE_LANGUAGE, *(code for code in found if code != SOURCE_LANGUAGE))


#: Environment variables gettext reads for the language, in its order.
LANGUAGE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def environment_language(environ: Mapping[str, str] | None = None) -> str:
    """The first language with a catalogue that the environment asks for, else English.

    ``LANGUAGE`` may list several (``nl:de``); ``LC_ALL``, ``LC_MESSAGES`` and ``LANG``
    hold a locale (``nl_NL.UTF-8``), of which the first one set counts, as in gettext.
    The command line's default and the app's before a language is saved.
    """
    env = os.environ if environ is None else environ
    languages = available_languages()
    for var in LANGUAGE_VARIABLES:
        value = env.get(var, "")
        if not value:
            continue
        for item in value.split(":"):
            code = item.split(".")[0].split("@")[0].split("_")[0].lower()
            if code in languages:
                return code
        if var != "LANGUAGE":
            break
    return SOURCE_LANGUAGE


def language_name(code: str) -> str:
    """A language's own name for itself (``nl`` -> ``Nederlands``), from Babel's CLDR data."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def check_language(code: str) -> str:
    """Return ``code`` when a catalogue exists for it, else raise ValueError."""
    languages = available_languages()
    if code not in languages:
        raise ValueError(f"language must be one of {languages}, got {code!r}")
    return code


def set_language(code: str) -> None:
    """Set the process-wide language (the UI's and the CLI's)."""
    global _process_language
    _process_language = check_language(code)


def current_language() -> str:
    """The language strings are translated into here and now."""
    return _override.get() or _process_language


@contextlib.contextmanager
def using_language(code: str) -> Iterator[str]:
    """Translate into ``code`` inside the block, in this thread/context only.

    Used to render a snapshot or a report in a language other than the UI's; other
    threads (the UI) are unaffected.
    """
    token = _override.set(check_language(code))
    try:
        yield code
    finally:
        _override.reset(token)


@functools.cache
def translations(code: str) -> NullTranslations:
    """The compiled catalogue of ``code`` (a no-op translation for English)."""
    if code == SOURCE_LANGUAGE:
        return NullTranslations()
    mo = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with mo.open("rb") as fp:
        return Translations(fp, domain=DOMAIN)


def _t() -> _gettext.NullTranslations:
    return translations(current_language())


def _(message: str) -> str:
    """``message`` (English) in the current language."""
    return _t().gettext(message)


gettext = _


def ngettext(singular: str, plural: str, n: int) -> str:
    """Singular or plural form for ``n`` in the current language (fill ``{n}`` after)."""
    return _t().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` translated within ``context`` (for short, ambiguous words)."""
    return _t().pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it (translate at use with _)."""
    return message


def NP_(context: str, message: str) -> tuple[str, str]:
    """Mark a context + message pair for extraction; translate at use with pgettext(*pair)."""
    return context, message


def format_number(value: float, decimals: int = 1) -> str:
    """A number rounded to ``decimals`` in the current language: ``2.5`` / ``2,5``.

    Negative values get a real minus sign ("−2.5"); a value that rounds to zero is
    "0.0", never "−0.0". NaN and infinities print as "—".
    """
    return _format(value, decimals, signed=False)


def format_signed(value: float, decimals: int = 1) -> str:
    """Like :func:`format_number` with an explicit sign: ``+2.5``, ``−2.5``, ``0.0``."""
    return _format(value, decimals, signed=True)


@functools.cache
def _decimal_symbol(code: str) -> str:
    return format_decimal(0.5, format="0.0", locale=Locale.parse(code))[1]


def _format(value: float, decimals: int, *, signed: bool) -> str:
    if value is None or not math.isfinite(value):
        return "—"
    rounded = round(float(value), decimals)
    # Babel's pattern "0.0…" (no grouping) is Python's fixed-point format with the
    # language's decimal sign; formatting through Babel took ~0.5 ms a number, too much
    # for a live panel of twenty of them.
    text = f"{abs(rounded):.{max(decimals, 0)}f}"
    if decimals > 0:
        text = text.replace(".", _decimal_symbol(current_language()))
    if rounded < 0:
        return MINUS + text
    if rounded > 0 and signed:
        return "+" + text
    return text


_FLOAT_SPEC = re.compile(r"^(?P<sign>\+?)\.(?P<decimals>\d)f$")


class _LocaleFormatter(string.Formatter):
    """``str.format`` whose float fields (``{x:.1f}``, ``{x:+.1f}``) follow the language."""

    def format_field(self, value: Any, format_spec: str) -> str:
        match = _FLOAT_SPEC.match(format_spec)
        if match and isinstance(value, (int, float)) and not isinstance(value, bool):
            decimals = int(match["decimals"])
            if match["sign"]:
                return format_signed(value, decimals)
            return format_number(value, decimals)
        return super().format_field(value, format_spec)


_FORMATTER = _LocaleFormatter()


def fmt(template: str, /, **params: Any) -> str:
    """``template.format(**params)`` with numbers in the current language's style.

    ``fmt(_("turned about {deg:.0f}°"), deg=-12.3)`` -> ``"turned about −12°"``; in
    Dutch ``{x:.1f}`` gives a decimal comma. Other fields format as ``str.format`` does.
    """
    return _FORMATTER.vformat(template, (), params)


class Text(str):
    """A message that can be shown in any language later: English now, translated at use.

    The string value is the English text (what JSON, logs and the CLI's English output
    see); :meth:`translated` renders the msgid in the current language. Core code that
    produces reasons shown much later (quality checks, metric reasons) returns a
    ``Text``; whoever shows one calls :func:`localize`.

    Args:
        msgid: English message marked for extraction (``N_`` or a literal in ``_``-style
            call, see :func:`message`).
        params: values for its ``{placeholders}`` (numbers keep their ``:.1f`` specs;
            nested ``Text`` values are translated too).
    """

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, /, **params: Any) -> Self:
        with using_language(SOURCE_LANGUAGE):
            english = fmt(msgid, **_render(params))
        self = super().__new__(cls, english)
        self.msgid = msgid
        self.params = params
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_make_text, (self.msgid, self.params))

    @classmethod
    def marked(cls, msgid: str) -> Text:
        """A ``Text`` of a string already marked with ``N_`` elsewhere (no parameters)."""
        return cls(msgid)

    def translated(self) -> str:
        """The message in the current language."""
        return fmt(_(self.msgid), **_render(self.params))


def _make_text(msgid: str, params: dict[str, Any]) -> Text:
    return Text(msgid, **params)


def _render(params: dict[str, Any]) -> dict[str, Any]:
    """Translate nested ``Text`` values; a list or tuple of them joins with ", "."""
    out = {}
    for key, value in params.items():
        if isinstance(value, Text):
            value = value.translated()
        elif isinstance(value, (list, tuple)):
            value = ", ".join(localize(v) if isinstance(v, Text) else str(v) for v in value)
        out[key] = value
    return out


def localize(text: str | None) -> str:
    """Show ``text`` in the current language: a :class:`Text` is translated, a plain
    string is looked up as a msgid (unknown strings come back unchanged), None -> ""."""
    if text is None:
        return ""
    if isinstance(text, Text):
        return text.translated()
    return _(text) if text else text
