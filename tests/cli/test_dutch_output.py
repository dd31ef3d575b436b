"""The CLI's progress and result lines are Dutch with ``--lang nl``, not only its errors."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: English words of the lines below that must not survive in the Dutch output.
ENGLISH = (
    "patient",
    "added",
    "removed",
    "deleted",
    "visit",
    "born",
    "name",
    "last",
    "no ",
    "cache folders",
    "download only",
    "download or",
    "not cached",
    "only",
    "written",
    "file",
)


def _cli(tmp_path: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env.pop("POSTURE_CAM_MODEL", None)  # its override line would name the variable
    env["LANG"] = "C.UTF-8"
    env["POSTURE_CAM_DATA_DIR"] = str(tmp_path / "data")
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run(
        [sys.executable, "-m", "posture_cam", "--lang", "nl", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout + proc.stderr


def _starts(line: str) -> list[int]:
    """Where each cell of a table line starts (cells are 2+ spaces apart)."""
    return [m.end() for m in re.finditer(r"(?:^| {2,})(?=\S)", line)]


def _english_left(text: str, tmp_path: Path) -> list[str]:
    words = text.replace(str(tmp_path), "").replace(str(ROOT), "").lower()  # folders are no text
    return [w for w in ENGLISH if re.search(rf"(?<![a-zë]){re.escape(w)}", words)]


def test_records_commands_speak_dutch(tmp_path):
    out = [
        _cli(tmp_path, "patients", "add", "P001", "--name", "Jan Jansen", "--birth-year", "1960"),
        _cli(tmp_path, "patients", "list"),
        _cli(tmp_path, "patients", "show", "P001"),
        _cli(tmp_path, "visits", "P001"),
        _cli(tmp_path, "backup", str(tmp_path / "records.zip")),
        _cli(tmp_path, "patients", "remove", "P001", "--yes"),
    ]
    assert out[0].strip() == "patiënt P001 toegevoegd"
    header, row = out[1].splitlines()
    assert re.split(r" {2,}", header) == ["code", "naam", "geb.", "bezoeken", "laatste bezoek"]
    assert re.split(r" {2,}", row) == ["P001", "Jan Jansen", "1960", "0", "—"]
    # The counts stand right under the end of their Dutch heading, the names under theirs.
    assert row.index("0  —") + 1 == header.index("bezoeken") + len("bezoeken")
    assert row.index("Jan") == header.index("naam")
    assert out[2].splitlines() == ["patiënt P001  Jan Jansen", "geboren 1960", "  geen bezoeken"]
    assert out[3].strip() == "patiënt P001: 0 bezoeken"
    assert "patiënten 1, bezoeken 0, opnamen 0" in out[4]
    assert out[5].strip() == "patiënt P001 verwijderd (0 bestanden gewist)"
    assert _english_left("\n".join(out), tmp_path) == []


def test_models_list_speaks_dutch_with_a_decimal_comma(tmp_path):
    out = _cli(tmp_path, "models", "list")
    assert out.startswith("cachemappen: ")
    header, *rows = out.splitlines()[1:]
    assert re.split(r" {2,}", header) == [
        "variant",
        "model",
        "grootte",
        "hoe het wordt geïnstalleerd",
        "in cache op",
    ]
    assert [r.split()[0] for r in rows] == ["lite", "full", "heavy", "movenet"]
    assert [re.split(r" {2,}", r)[1] for r in rows] == [
        "licht (snel)",
        "standaard",
        "nauwkeurig (langzaam)",
        "tweede keypointmodel voor foto's",
    ]
    # Every left-aligned column starts where its heading does (long Dutch cells too).
    for row in rows:
        starts = _starts(row)
        assert [starts[i] for i in (0, 1, 3, 4)] == [_starts(header)[i] for i in (0, 1, 3, 4)]
    assert all(re.search(r"~\d+,\d MB", r) for r in rows), rows  # 9,4 MB, not 9.4 MB
    assert all("downloaden" in r for r in rows[:3]) and "npm-pakket" in rows[3]
    assert _english_left(out, tmp_path) == []


def test_every_command_takes_lang_after_its_name(tmp_path):
    # docs/records.md writes `visits CODE --lang nl`: before, only `posture-cam --lang nl
    # visits CODE` parsed ("unrecognized arguments: --lang nl", exit 2).
    from posture_cam.cli import _commands, build_parser

    commands = _commands(build_parser())
    assert len(commands) > 15
    assert all("--lang" in c._option_string_actions for c in commands), [
        c.prog for c in commands if "--lang" not in c._option_string_actions
    ]
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env.update(LANG="C.UTF-8", POSTURE_CAM_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(ROOT))
    for args in (["patients", "add", "P001"], ["visits", "P001", "--lang", "nl"]):
        proc = subprocess.run(
            [sys.executable, "-m", "posture_cam", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "patiënt P001: 0 bezoeken"
