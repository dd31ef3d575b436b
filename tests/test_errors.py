"""User-facing errors speak the user's language: every message is in the catalogue, and
the command line prints Dutch one-line errors and help with ``--lang nl`` or ``LANG=nl_…``."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from posture_cam import i18n
from posture_cam.cli import build_parser
from posture_cam.cli.language import command_line_language, environment_language
from posture_cam.errors import InputError
from posture_cam.i18n import _, using_language
from tests._helpers import load_tool

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "posture_cam"
#: Exceptions whose text a person reads: PostureCamError and its subclasses, and the
#: calibration problems the wizard and the CLI show as they are.
ROOTS = {"PostureCamError", "ScaleProblem", "LensProblem"}
#: Calls whose string arguments are translated (or marked for translation).
TRANSLATORS = {"_", "ngettext", "pgettext", "fmt", "Text", "N_"}
#: Literal text worth translating: three letters in a row (not ", " or "x").
WORDS = re.compile(r"[A-Za-z]{3}")


def _trees() -> dict[Path, ast.Module]:
    return {p: ast.parse(p.read_text("utf-8")) for p in sorted(PACKAGE.rglob("*.py"))}


def _error_classes(trees) -> tuple[set[str], set[str]]:
    """(every user-facing exception class name, those taking ``path`` first)."""
    bases: dict[str, set[str]] = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases.setdefault(node.name, set()).update(
                    b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases
                )

    def derives(name: str, targets: set[str], seen: frozenset = frozenset()) -> bool:
        if name in targets:
            return True
        return any(derives(b, targets, seen | {name}) for b in bases.get(name, set()) - seen)

    errors = {n for n in bases if derives(n, ROOTS)} | ROOTS
    return errors, {n for n in errors if derives(n, {"PathError"})}


def _call_name(node: ast.Call) -> str | None:
    f = node.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None


def _untranslated(node: ast.AST) -> list[ast.AST]:
    """String literals with words in ``node`` that no translator call wraps."""
    found: list[ast.AST] = []

    def walk(n: ast.AST) -> None:
        if isinstance(n, ast.Call):
            name = _call_name(n)
            if name in TRANSLATORS:
                return
            if name in ("join", "replace", "get", "split", "strip"):
                for a in n.args:
                    walk(a)
                if isinstance(n.func, ast.Attribute) and not isinstance(n.func.value, ast.Constant):
                    walk(n.func.value)
                return
        if isinstance(n, ast.Subscript):
            return walk(n.value)
        if isinstance(n, ast.Compare):
            return
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and WORDS.search(n.value):
            found.append(n)
            return
        if isinstance(n, ast.JoinedStr):
            if any(isinstance(v, ast.Constant) and WORDS.search(v.value) for v in n.values):
                found.append(n)
            return
        for child in ast.iter_child_nodes(n):
            walk(child)

    walk(node)
    return found


def _error_calls():
    trees = _trees()
    errors, path_errors = _error_classes(trees)
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _call_name(node) in errors:
                args = list(node.args)
                if _call_name(node) in path_errors and args:
                    args = args[1:]  # the path itself (a file name, a flag) stays as given
                yield path, node, args + [k.value for k in node.keywords]


def test_every_error_message_is_translated_where_it_is_made():
    calls = list(_error_calls())
    assert len(calls) > 100  # the scan finds the raise sites (about 140 in 2026-11)
    bad = [
        f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(lit)[:70]}"
        for path, node, args in calls
        for arg in args
        for lit in _untranslated(arg)
    ]
    assert not bad, "wrap these in _() (docs/i18n.md):\n" + "\n".join(bad)


def test_every_printed_cli_line_is_translated():
    """The CLI's progress and result lines, like its errors, go through _() (JSON aside)."""
    prints = [
        (path, node)
        for path, tree in _trees().items()
        if path.parent == PACKAGE / "cli"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and _call_name(node) == "print"
    ]
    assert len(prints) > 30  # the scan finds the print calls (about 60 in 2026-11)
    bad = [
        f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(lit)[:70]}"
        for path, node in prints
        for arg in node.args
        if not (isinstance(arg, ast.Call) and _call_name(arg) == "dumps")  # JSON stays as is
        for lit in _untranslated(arg)
        if id(lit) not in _lookup_keys(arg)
    ]
    assert not bad, "wrap these in _() (docs/i18n.md):\n" + "\n".join(bad)


def _lookup_keys(node: ast.AST) -> set[int]:
    """The literal keys of ``x.get("key", ...)`` in ``node``: field names, not text."""
    return {
        id(n.args[0])
        for n in ast.walk(node)
        if isinstance(n, ast.Call) and _call_name(n) == "get" and n.args
    }


def test_every_error_message_has_its_dutch_translation():
    catalog = load_tool("i18n_catalogues").read_catalog(
        i18n.LOCALE_DIR / "nl" / "LC_MESSAGES" / "posture_cam.po"
    )
    msgids = [
        inner.args[0].value
        for _path, _node, args in _error_calls()
        for arg in args
        for inner in ast.walk(arg)
        if isinstance(inner, ast.Call)
        and _call_name(inner) == "_"
        and inner.args
        and isinstance(inner.args[0], ast.Constant)
    ]
    assert len(msgids) > 100
    missing = [m for m in msgids if not (catalog.get(m) and catalog.get(m).string)]
    assert not missing, missing
    with using_language("nl"):
        assert _("no such file or folder") == "bestand of map bestaat niet"


def test_a_dutch_error_survives_pickling_as_it_was_made():
    import pickle

    with using_language("nl"):
        err = InputError("x.jpg", _("no such file"), _("check the path"))
    back = pickle.loads(pickle.dumps(err))
    assert str(back) == str(err) == "x.jpg: bestand bestaat niet (controleer het pad)"
    assert back.exit_code == 2


def _cli(*args: str, lang_env: str | None = None, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = lang_env or "C.UTF-8"
    env["POSTURE_CAM_DATA_DIR"] = str(tmp_path / "data")
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "posture_cam", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_cli_prints_a_dutch_one_line_error_with_lang_nl(tmp_path):
    missing, model = tmp_path / "weg.jpg", tmp_path / "geen.task"
    photo = tmp_path / "foto.png"  # a good input: the model is looked for only then
    ok, png = cv2.imencode(".png", np.full((64, 48, 3), 128, np.uint8))
    assert ok
    photo.write_bytes(png.tobytes())
    args = ("analyze", "--offline", "--model", str(model), str(missing), str(photo))
    proc = _cli("--lang", "nl", *args, tmp_path=tmp_path)
    assert proc.returncode == 4  # no model: the bad input is named first, then the model
    assert proc.stderr.splitlines() == [
        f"posture-cam: fout: {missing}: bestand of map bestaat niet (controleer het pad)",
        f"posture-cam: fout: {model} (opgegeven met --model): houdingsmodel niet gevonden; "
        "geef een bestaand .task-bestand of voer `posture-cam models fetch` uit",
    ]
    # The same in English, and with LANG=nl_NL.UTF-8 instead of the flag.
    proc = _cli(*args, tmp_path=tmp_path)
    assert proc.stderr.splitlines()[0] == (
        f"posture-cam: error: {missing}: no such file or folder (check the path)"
    )
    proc = _cli(*args, lang_env="nl_NL.UTF-8", tmp_path=tmp_path)
    assert "bestand of map bestaat niet" in proc.stderr and "Traceback" not in proc.stderr
    proc = _cli(
        "--lang",
        "nl",
        "calibrate",
        "scale",
        "--image",
        str(missing),
        "--profile",
        "p",
        "--marker-cm",
        "5",
        tmp_path=tmp_path,
    )
    assert proc.returncode == 2
    assert (
        proc.stderr == f"posture-cam: fout: {missing}: bestand bestaat niet (controleer het pad)\n"
    )


def test_cli_errors_from_records_and_argparse_are_dutch(tmp_path):
    proc = _cli("--lang", "nl", "patients", "add", "slechte code!", tmp_path=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        "posture-cam: fout: slechte code!: geen geldige patiëntcode (gebruik 1-64 letters, "
        "cijfers, '.', '_' of '-', te beginnen met een letter of cijfer)"
    )
    proc = _cli("analyze", lang_env="nl_NL.UTF-8", tmp_path=tmp_path)  # argparse's own words
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[0].startswith("gebruik: posture-cam analyze")
    assert "fout: de volgende argumenten zijn vereist: PATH" in proc.stderr


def test_help_is_dutch_and_lang_choices_come_from_the_catalogues(tmp_path):
    proc = _cli("--lang", "nl", "--help", tmp_path=tmp_path)
    assert proc.returncode == 0
    out = proc.stdout
    assert out.startswith("gebruik: posture-cam")
    assert "opties:" in out and "deze hulptekst tonen en stoppen" in out
    assert "Houdings- en symmetrieanalyse" in out and "afsluitcodes" in out
    help_en = _cli("analyze", "--help", tmp_path=tmp_path).stdout
    assert "usage: posture-cam analyze" in help_en and "{en,nl}" in help_en


def test_a_new_catalogue_file_is_a_new_lang_choice(tmp_path, monkeypatch):
    nl = i18n.LOCALE_DIR / "nl" / "LC_MESSAGES"
    xx = tmp_path / "xx" / "LC_MESSAGES"
    shutil.copytree(nl, xx)
    shutil.copytree(nl, tmp_path / "nl" / "LC_MESSAGES")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    assert i18n.available_languages() == ("en", "nl", "xx")
    parser = build_parser()
    assert parser.parse_args(["--lang", "xx"]).cli_lang == "xx"
    assert parser.parse_args(["analyze", "--lang", "xx", "a.jpg"]).lang == "xx"
    assert command_line_language(["analyze", "--lang=xx"], environ={}) == "xx"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "nl_NL.UTF-8"}, "nl"),
        ({"LANG": "nl_BE@euro"}, "nl"),
        ({"LANGUAGE": "de:nl", "LANG": "en_US.UTF-8"}, "nl"),
        ({"LC_ALL": "C.UTF-8", "LANG": "nl_NL.UTF-8"}, "en"),  # LC_ALL wins, as in gettext
        ({"LANG": "fr_FR.UTF-8"}, "en"),
    ],
)
def test_the_environment_language(environ, expected):
    assert environment_language(environ) == expected
    assert command_line_language(["analyze", "x.jpg"], environ) == expected
    assert command_line_language(["--lang", "en", "analyze"], environ) == "en"
