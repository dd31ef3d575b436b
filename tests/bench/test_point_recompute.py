"""bench/point_recompute.py runs and prints its table (both ways of finding the
languages), and leaves the language cache as it found it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from posture_cam import i18n

BENCH = Path(__file__).resolve().parents[2] / "bench" / "point_recompute.py"


def test_bench_prints_both_rows_and_restores_the_cache(capsys):
    spec = importlib.util.spec_from_file_location("point_recompute", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    cached = i18n._languages_in
    assert bench.main(["--moves", "10"]) == 0
    assert i18n._languages_in is cached
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("| ") and "ms" not in line]
    assert [r.split("|")[1].strip() for r in rows] == ["cached", "scan every call"]
    assert "language list asked for" in out
