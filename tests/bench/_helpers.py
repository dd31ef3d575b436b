"""Shared by the bench tests: import a bench script as a module."""

from __future__ import annotations

from types import ModuleType

from tests._helpers import load_script


def load_bench(name: str) -> ModuleType:
    """Import ``bench/<name>.py`` (:func:`tests._helpers.load_script`)."""
    return load_script("bench", name)


def table_rows(out: str) -> dict[str, list[str]]:
    """A bench's markdown table: first cell -> the other cells."""
    rows = [line.split("|")[1:-1] for line in out.splitlines() if line.startswith("| ")]
    return {r[0].strip(): [c.strip() for c in r[1:]] for r in rows[1:]}
