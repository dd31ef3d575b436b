"""bench/landmark_passes.py and bench/landmark_accuracy.py on a real photo whose
reference is the model's own plain pass: that pass must score exactly 0, the averaged
recipes not, a second run must come from the cache, and ``METHOD@LABEL`` must run the
labelled model."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from posture_cam.pose import PoseEstimator
from posture_cam.sources import read_image
from posture_cam.types import Frame

BENCH = Path(__file__).resolve().parents[2] / "bench"
PHOTO = "images/standing_frontal/frontal_shapy_img01_woman_neutral.jpg"


def _load(name: str):
    """Import a bench script (it imports its sibling by name; its dataclasses need the
    module registered)."""
    if name in sys.modules:
        return sys.modules[name]
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH))


@pytest.fixture
def self_reference(tmp_path, model_path, media) -> Path:
    """A reference file whose joints are one plain pass of the model on a real photo."""
    photo = media(PHOTO)
    accuracy = _load("landmark_accuracy")
    with PoseEstimator(model_path, mode="image", num_poses=4, flip_average=False) as est:
        pose = est.estimate(Frame(read_image(photo), 0, 0.0, str(photo))).pose
    assert pose is not None
    joints = {
        n: [float(v) for v in pose.xy_px[i]]
        for n, i in accuracy.JOINTS.items()
        if np.isfinite(pose.xy_px[i]).all()  # a reference holds only the points it has
    }
    assert {"left_hip", "right_hip", "left_shoulder", "right_shoulder"} <= set(joints)
    ref = tmp_path / "reference.json"
    ref.write_text(json.dumps({"people": [{"image": str(photo), "joints": joints}]}))
    return ref


def _rows(out: str) -> dict[str, list[str]]:
    rows = [line.split("|")[1:-1] for line in out.splitlines() if line.startswith("| ")]
    return {r[0].strip(): [c.strip() for c in r[1:]] for r in rows[1:]}


@pytest.mark.slow
def test_passes_bench_scores_the_plain_pass_zero_and_caches(
    tmp_path, self_reference, model_path, capsys
):
    bench = _load("landmark_passes")
    cache = tmp_path / "cache"
    argv = ["--reference", str(self_reference), "--cache", str(cache)]
    argv += ["--model", str(model_path), "--bootstrap", "20"]
    assert bench.main(argv) == 0
    rows = _rows(capsys.readouterr().out)
    # columns: reduction, passes, primary median, interval, primary mean, better/worse, p
    assert rows["one"][1] == "1" and rows["one"][2] == "0.00" and rows["one"][4] == "0.00"
    assert rows["tta14 (default)"][1] == "14" and float(rows["tta14 (default)"][4]) > 0.0
    assert rows["one"][5] == "3/0"  # its own reference: better than the default in all 3
    cached = sorted(cache.iterdir())
    assert len(cached) == 1
    assert bench.main(argv) == 0
    assert sorted(cache.iterdir()) == cached
    assert _rows(capsys.readouterr().out) == rows


@pytest.mark.slow
def test_accuracy_bench_runs_a_method_with_the_labelled_model(
    tmp_path, self_reference, model_path, capsys
):
    bench = _load("landmark_accuracy")
    argv = ["--reference", str(self_reference), "--model", str(model_path)]
    argv += ["--extra-model", f"same={model_path}", "--methods", "one,one@same,flip"]
    assert bench.main(argv) == 0
    rows = _rows(capsys.readouterr().out)
    assert rows["one"][:2] == ["0.00", "0.00"] and rows["one@same"][:2] == ["0.00", "0.00"]
    assert float(rows["flip"][1]) > 0.0
    with pytest.raises(SystemExit):
        bench.main([*argv[:-1], "one@elsewhere"])
    assert "one@elsewhere: unknown method" in capsys.readouterr().err
