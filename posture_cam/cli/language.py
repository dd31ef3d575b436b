"""The command line's language: ``--lang``, else the environment; argparse's own words too.

``posture-cam --lang nl …`` or ``LANG=nl_NL.UTF-8 posture-cam …`` prints help, errors and
tables in Dutch. The language is chosen before the parser is built, so every ``help=``
text (wrapped in ``_``) is translated when it is added. argparse translates its own
words ("usage:", "options", "the following arguments are required") through the stdlib
``gettext`` module's global domain; :func:`use_language` points that domain at our
catalogue, which holds argparse's strings too (``tools/i18n_catalogues.py`` extracts them).

The ``--lang`` choices are the catalogues present (``posture_cam.i18n.available_languages``):
adding a language is adding its files.
"""

from __future__ import annotations

import argparse
import contextlib
import gettext
import os
from collections.abc import Iterator, Mapping, Sequence

from posture_cam.i18n import (
    DOMAIN,
    LOCALE_DIR,
    _,
    available_languages,
    current_language,
    environment_language,
    set_language,
)


def command_line_language(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> str:
    """``--lang X`` (or ``--lang=X``) anywhere in ``argv`` when X has a catalogue, else
    :func:`environment_language` (argparse then reports an unknown X)."""
    for i, arg in enumerate(argv):
        value = None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value in available_languages():
            return value
    return environment_language(environ)


def use_language(code: str) -> None:
    """Speak ``code`` from now on: posture_cam's messages and argparse's own words.

    For the rest of the process (a command that runs on after its parser, like
    ``analyze --lang``); :func:`speaking` limits it to a block.
    """
    set_language(code)
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    # gettext picks the language from the environment, LANGUAGE first.
    os.environ["LANGUAGE"] = code


@contextlib.contextmanager
def speaking(code: str) -> Iterator[str]:
    """:func:`use_language` inside the block; the language, gettext's domain and
    ``LANGUAGE`` are as before afterwards (``main()`` called in-process, tests)."""
    before = current_language(), gettext.textdomain(), os.environ.get("LANGUAGE")
    use_language(code)
    try:
        yield code
    finally:
        set_language(before[0])
        gettext.textdomain(before[1])
        if before[2] is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = before[2]


def add_lang_argument(parser: argparse.ArgumentParser, help_text: str | None = None) -> None:
    """``--lang`` with the languages that have a catalogue (default: the command line's)."""
    parser.add_argument(
        "--lang",
        choices=available_languages(),
        default=None,
        help=help_text or _("language (default: LANG of the environment, else English)"),
    )
