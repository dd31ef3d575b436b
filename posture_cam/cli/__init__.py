"""``posture-cam`` command line: a thin dispatcher over one module per subcommand.

Each subcommand module exposes ``register(subparsers)``, which adds its parser and
sets ``func`` (``args -> exit code``). Modules import heavy libraries (mediapipe, Qt)
lazily inside their functions so that ``posture-cam --help`` stays fast and the core
never pulls in Qt.

Exit codes (all subcommands):
    0  success
    1  unexpected error (a bug: please report it with the traceback)
    2  bad input (missing / unreadable / corrupt / unsupported file, camera won't open)
    3  no person found in any input (``analyze``)
    4  no usable pose model
    5  calibration failed or profile unusable
    6  unknown patient code or visit (records)
    7  duplicate patient code (records)
    8  records database unusable: locked, corrupt, newer schema, unreachable
    9  cannot write an output (disk full, read-only, no permission, a file or folder in
       the way); the previous file is left untouched
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from posture_cam import __version__
from posture_cam.atomic import output_error
from posture_cam.cli.language import add_lang_argument, command_line_language, speaking
from posture_cam.errors import OutputError, PostureCamError
from posture_cam.i18n import _, available_languages

#: Subcommand modules under ``posture_cam.cli``, in --help order.
SUBCOMMAND_MODULES = (
    "app",
    "home",
    "analyze",
    "retest",
    "models",
    "calibrate",
    "patients",
    "visit",
    "visits",
    "report",
    "export",
    "backup",
    "restore",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="posture-cam",
        description=_(
            "Posture and symmetry analyzer for webcam, video and photos. With no "
            "subcommand the desktop app opens on the default camera: the therapist's "
            "app or home mode, as chosen on the first start (asked once). Results are "
            "screening aids, not diagnoses."
        ),
        epilog=_(
            "exit codes: 0 ok, 1 unexpected error, 2 bad input, 3 no person found, "
            "4 no pose model, 5 calibration failed, 6 unknown patient or visit, 7 duplicate "
            "patient code, 8 records database locked, corrupt, newer or unreachable, "
            "9 cannot write an output"
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"posture_cam {__version__}",
        help=_("show the version and exit"),
    )
    parser.add_argument(
        "--lang",
        dest="cli_lang",
        choices=available_languages(),
        default=None,
        help=_("language of messages and help (default: LANG of the environment, else English)"),
    )
    sub = parser.add_subparsers(dest="command", metavar=_("COMMAND"))
    for name in SUBCOMMAND_MODULES:
        importlib.import_module(f"posture_cam.cli.{name}").register(sub)
    for command in _commands(parser):
        if "--lang" not in command._option_string_actions:
            # `posture-cam visits P1 --lang nl` as the docs write it (main() reads --lang
            # wherever it stands; before, only `posture-cam --lang nl visits P1` parsed).
            add_lang_argument(command)
    return parser


def _commands(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """The parsers that run a command (no subcommands below them), depth first."""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):  # aliases once
                below = _commands(child)
                found += below or [child]
    return found


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    # The language first (--lang, else LANG): the parser's help texts translate as added.
    with speaking(command_line_language(words)):
        return _run(words)


def _run(words: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(words)
    if args.command is None:
        args = parser.parse_args(["app", *words])
        args.choose_mode = True  # bare `posture-cam`: therapist or home, asked once
    if args.cli_lang and getattr(args, "lang", None) is None:
        args.lang = args.cli_lang  # `posture-cam --lang nl analyze …` = `analyze --lang nl`
    stdout = sys.stdout
    if stdout is not None:
        sys.stdout = _Stdout(stdout)
    code = 0
    try:
        code = _call(args)
        if sys.stdout is not None:
            # What is still buffered goes out here, where a full disk is one line below,
            # not in the interpreter's final flush ("Exception ignored", exit 120).
            sys.stdout.flush()
        return code
    except _StdoutError as exc:
        # `posture-cam visits P1 --json > FILE` on a full disk, or `> /dev/full`.
        with contextlib.suppress(OSError):
            error = output_error(_("standard output"), exc.error)
            print(_("posture-cam: error: {error}").format(error=error), file=sys.stderr)
        _stdout_to_devnull(stdout)
        return code or OutputError.exit_code
    except BrokenPipeError:
        # The reader went away (`posture-cam visits P1 | head`): not an error of ours.
        _stdout_to_devnull(stdout)
        return code
    finally:
        sys.stdout = stdout


def _call(args: argparse.Namespace) -> int:
    """Run the command; a user-facing error is one line on stderr and its exit code."""
    try:
        return int(args.func(args))
    except PostureCamError as exc:
        print(_("posture-cam: error: {error}").format(error=exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(_("posture-cam: interrupted"), file=sys.stderr)
        return 130


class _StdoutError(Exception):
    """Writing standard output failed (not a closed pipe): ``error`` says why."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


class _Stdout:
    """``sys.stdout`` while a command runs: an ``OSError`` from writing it becomes a
    :class:`_StdoutError`, told apart from every other ``OSError`` of the command (those
    stay a bug's traceback). A closed pipe stays a ``BrokenPipeError``."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        with _told_apart():
            return self._stream.write(text)

    def flush(self) -> None:
        with _told_apart():
            self._stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def _told_apart() -> Iterator[None]:
    """An ``OSError`` of writing standard output as a :class:`_StdoutError`; a closed
    pipe stays a ``BrokenPipeError``."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise _StdoutError(exc) from exc


def _stdout_to_devnull(stream: TextIO | None) -> None:
    """Point standard output at /dev/null so that the interpreter's final flush of what
    is still buffered does not fail again."""
    if stream is None:
        return
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
