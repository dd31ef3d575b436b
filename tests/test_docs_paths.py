"""The docs name only what exists: every file path, link (and its ``#anchor``) and
``posture_cam`` name in the Markdown docs resolves, every ``posture-cam`` command they
write exists with the options they give it, and docs/architecture.md's layer table lists
every top-level module and package (as the layers contract in pyproject.toml does), and a
file named without its folder is a file of the repository.

A rename that forgets a doc fails here instead of misleading the next reader.
"""

from __future__ import annotations

import argparse
import importlib
import re
from pathlib import Path

import pytest

from posture_cam.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted(
    [
        ROOT / "README.md",
        ROOT / "models" / "README.md",
        ROOT / "calibration" / "README.md",
        *(ROOT / "docs").glob("*.md"),
    ]
)
#: The two docs that describe the layout: short names there (``pose.process``) are
#: relative to the package.
LAYOUT_DOCS = (ROOT / "README.md", ROOT / "docs" / "architecture.md")
#: ``posture_cam.``-names that are not modules: a file format id and a catalogue file.
NOT_MODULES = {"posture_cam.home_check", "posture_cam.mo"}
#: Paths that are not ours: the placeholders of the tests-mirror-the-package rule, and
#: open-mmlab/mmpose's annotation folder (docs/metrics.md).
NOT_OURS = {"posture_cam/a/b.py", "tests/a/test_b.py", "tests/data"}

PACKAGE = ROOT / "posture_cam"
TOP_LEVEL = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"} | {
    p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()
}
#: A repository path in a code span (not the tail of ``~/.local/share/posture_cam/...``).
REPO_PATH = re.compile(r"(?<![\w./~-])((?:posture_cam|tests|bench|tools|docs)/[\w./*-]*\w)")
FILE_SUFFIX = re.compile(r"\.(py|md|json|toml|task|png|jpg|mp4|pdf|csv|zip|txt|sh|mo|po|pot)$")


def code_spans(path: Path) -> list[str]:
    """The inline code spans of a Markdown file (fenced blocks left out)."""
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    return re.findall(r"`([^`\n]+)`", text)


def resolve(dotted: str) -> object:
    """Import the longest module prefix of ``dotted`` and get the rest as attributes."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:i]))
        except ModuleNotFoundError:
            continue
        for name in parts[i:]:
            obj = getattr(obj, name)
        return obj
    raise ModuleNotFoundError(dotted)


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_links_and_paths_exist(doc: Path):
    text = doc.read_text(encoding="utf-8")
    missing = []
    for target in re.findall(r"\]\(([^)#\s]+)", text):
        if (
            not target.startswith(("http://", "https://", "mailto:"))
            and not (doc.parent / target).exists()
        ):
            missing.append(target)
    for span in code_spans(doc):
        for path in REPO_PATH.findall(span):
            if path in NOT_OURS:
                continue
            found = list(ROOT.glob(path)) if "*" in path else (ROOT / path).exists()
            if not found:
                missing.append(path)
    assert not missing, f"{doc.relative_to(ROOT)} names paths that do not exist: {missing}"


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_named_modules_and_objects_exist(doc: Path):
    names = set()
    for span in code_spans(doc):
        for name in re.findall(r"(?<![\w./~-])(posture_cam(?:\.\w+)+)", span):
            if name not in NOT_MODULES and not FILE_SUFFIX.search(name):
                names.add(name)
        if doc in LAYOUT_DOCS:
            # Short names of the layout docs: ``pose.process.ProcessEstimator``.
            head = re.match(r"([a-z_]+(?:\.[A-Za-z_]\w*)+)", span)
            if (
                head
                and head.group(1).split(".")[0] in TOP_LEVEL
                and not FILE_SUFFIX.search(head.group(1))
            ):
                names.add("posture_cam." + head.group(1))
    broken = []
    for name in sorted(names):
        try:
            resolve(name)
        except (ImportError, AttributeError) as error:
            broken.append(f"{name} ({error})")
    assert not broken, f"{doc.relative_to(ROOT)} names what does not exist: {broken}"


def test_the_layer_table_lists_every_top_level_module():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = re.search(r"\| layer \| module / package \|.*?\n\n", text, flags=re.S)
    assert table, "docs/architecture.md has no layer table"
    rows = [row.strip().strip("|").split("|") for row in table.group(0).strip().splitlines()[2:]]
    named = set()
    for cells in rows:
        named |= {name.rstrip("/") for name in re.findall(r"`([\w/]+)`", cells[1])}
    assert named == TOP_LEVEL, (
        f"not in the table: {sorted(TOP_LEVEL - named)}; not in the package: "
        f"{sorted(named - TOP_LEVEL)}"
    )


def test_every_bench_and_tool_script_is_named():
    """docs/architecture.md says what each script beside the package is for."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(\w+)(?:\.py|\.sh)?[ `]", text))
    scripts = {p.stem for p in (ROOT / "bench").glob("*.py")} | {
        p.stem for p in (ROOT / "tools").iterdir() if p.suffix in (".py", ".sh")
    }
    assert scripts - named == set(), f"not in docs/architecture.md: {sorted(scripts - named)}"


#: Files named in the docs that the app writes at run time (the settings, the patient
#: export's members), not files of the repository.
RUNTIME_FILES = {"app_settings.json", "patient.json", "manifest.json"}
#: Files of other projects the docs name: the standard library's argparse module, an npm
#: package's MoveNet graph (models/README.md).
NOT_OUR_FILES = {"argparse.py", "movenet-thunder.json"}


def test_bare_file_names_exist():
    """A file named without its folder (``settings_store.py``) is a file of the repo."""
    folders = ("posture_cam", "tests", "bench", "tools", "docs", "calibration", "models", ".ci")
    ours = {p.name for p in ROOT.iterdir() if p.is_file()} | RUNTIME_FILES | NOT_OUR_FILES
    for folder in folders:
        ours |= {p.name for p in (ROOT / folder).rglob("*") if p.is_file()}
    for doc in DOCS:
        named = {
            name
            for span in code_spans(doc)
            for name in re.findall(r"(?<![\w./~-])([\w-]+\.(?:py|sh|json|toml))(?![\w/])", span)
        }
        missing = sorted(named - ours)
        assert not missing, f"{doc.relative_to(ROOT)} names files that do not exist: {missing}"


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def command_lines(path: Path) -> list[str]:
    """Every ``posture-cam ...`` command the doc writes: a fenced block's line (its
    indented ``[--flag]`` continuation lines joined to it) or an inline code span; a
    ``# comment`` or a column-aligned description after it cut off, and the alternatives
    of ``visit add ... | visit import ...`` split into commands of their own."""
    text = path.read_text(encoding="utf-8")
    snippets: list[str] = []
    for block in re.findall(r"```[^\n]*\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            if snippets and re.match(r"\s+[\[-]", line):
                snippets[-1] = re.split(r"\s{3,}", snippets[-1].strip())[0] + " " + line.strip()
            else:
                snippets.append(line)
    snippets += code_spans(path)
    top = _subcommands(build_parser())
    commands = []
    for snippet in snippets:
        for cmd in re.split(r"(?=\bposture-cam\b)", snippet):
            if not cmd.startswith("posture-cam"):
                continue
            first, *alternatives = re.split(r"\s#\s|\s{3,}", cmd.strip())[0].split(" | ")
            commands.append(first)
            commands += [f"posture-cam {a}" for a in alternatives if a.split()[0] in top]
    return commands


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_cli_commands_and_flags_exist(doc: Path):
    """``posture-cam visit add P1 a.jpg --therapist X``: ``visit add`` is a command and
    ``--therapist`` one of its options (its ``--help`` lists it)."""
    parser = build_parser()
    wrong = []
    for cmd in command_lines(doc):
        command, path = parser, ["posture-cam"]
        for word in cmd.split()[1:]:
            below = _subcommands(command)
            if word in below:
                command = below[word]
                path.append(word)
            elif word.startswith("-") or not below or "|" in word:
                break
            elif re.fullmatch(r"[a-z]+", word):  # a placeholder is CODE, FILE, ...
                wrong.append(f"{' '.join(path)} has no command {word!r}: {cmd}")
                break
        for flag in re.findall(r"(?<![\w-])(--[a-z][\w-]*)", cmd):
            if flag not in command._option_string_actions:
                wrong.append(f"{' '.join(path)} has no {flag}: {cmd}")
    assert not wrong, f"{doc.relative_to(ROOT)}: " + "; ".join(wrong)


def heading_anchors(path: Path) -> set[str]:
    """The anchors GitHub gives a Markdown file's headings: lower case, punctuation
    (but ``-`` and ``_``) dropped, spaces as ``-``, a repeated one numbered."""
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    anchors: set[str] = set()
    for heading in re.findall(r"^#{1,6}\s+(.*?)\s*$", text, flags=re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        n = 0
        while (anchor := slug if n == 0 else f"{slug}-{n}") in anchors:
            n += 1
        anchors.add(anchor)
    return anchors


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_link_anchors_exist(doc: Path):
    """``[...](metrics.md#skin-markers)`` lands on a heading of metrics.md."""
    broken = []
    for target, anchor in re.findall(r"\]\(([^)#\s]*)#([^)\s]+)\)", doc.read_text("utf-8")):
        file = doc.parent / target if target else doc
        if file.suffix == ".md" and file.is_file() and anchor not in heading_anchors(file):
            broken.append(f"{target}#{anchor}")
    assert not broken, f"{doc.relative_to(ROOT)} links to anchors that do not exist: {broken}"
