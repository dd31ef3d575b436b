"""bench/landmark_passes.py and bench/landmark_accuracy.py on a real photo whose
reference is the model's own plain pass: that pass must score exactly 0, the averaged
recipes not, a second run must come from the cache, and ``METHOD@LABEL`` must run the
labelled model."""

from __future__ import annotations

import pytest

from tests.bench._helpers import load_bench, table_rows


@pytest.mark.slow
def test_passes_bench_scores_the_plain_pass_zero_and_caches(
    tmp_path, self_reference, model_path, capsys
):
    bench = load_bench("landmark_passes")
    cache = tmp_path / "cache"
    argv = ["--reference", str(self_reference), "--cache", str(cache)]
    argv += ["--model", str(model_path), "--bootstrap", "20"]
    assert bench.main(argv) == 0
    rows = table_rows(capsys.readouterr().out)
    # columns: reduction, passes, primary median, interval, primary mean, better/worse, p
    assert rows["one"][1] == "1" and rows["one"][2] == "0.00" and rows["one"][4] == "0.00"
    assert rows["tta14 (default)"][1] == "14" and float(rows["tta14 (default)"][4]) > 0.0
    assert rows["one"][5] == "3/0"  # its own reference: better than the default in all 3
    cached = sorted(cache.iterdir())
    assert len(cached) == 1
    assert bench.main(argv) == 0
    assert sorted(cache.iterdir()) == cached
    assert table_rows(capsys.readouterr().out) == rows


@pytest.mark.slow
def test_accuracy_bench_runs_a_method_with_the_labelled_model(
    tmp_path, self_reference, model_path, capsys
):
    bench = load_bench("landmark_accuracy")
    argv = ["--reference", str(self_reference), "--model", str(model_path)]
    argv += ["--extra-model", f"same={model_path}", "--methods", "one,one@same,flip"]
    assert bench.main(argv) == 0
    rows = table_rows(capsys.readouterr().out)
    assert rows["one"][:2] == ["0.00", "0.00"] and rows["one@same"][:2] == ["0.00", "0.00"]
    assert float(rows["flip"][1]) > 0.0
    with pytest.raises(SystemExit):
        bench.main([*argv[:-1], "one@elsewhere"])
    assert "one@elsewhere: unknown method" in capsys.readouterr().err
