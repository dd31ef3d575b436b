"""bench/landmark_coco_model.py's geometry and statistics.

The COCO model itself (MoveNet, converted with tensorflow) is not in CI, so its place is
taken by an exact "detector" that reports the centroid of the bright pixels for every
keypoint: whatever the bench does to the crop (rotation, mirror image, crop and scale),
the point it maps back must land on the bright spot of the photo.
"""

from __future__ import annotations

import numpy as np
import pytest

from posture_cam.landmarks import LM
from tests.bench._helpers import load_bench, table_rows


class CentroidNet:
    """MoveNet's interface ((1, 256, 256, 3) int32 in, (1, 1, 17, 3) = y, x, score
    normalised out); every keypoint at the brightness centroid (continuous pixels)."""

    def __init__(self, score: float = 0.9) -> None:
        self.runs = 0
        self.score = score

    def setInput(self, x: np.ndarray) -> None:  # OpenCV DNN's name
        assert x.shape == (1, 256, 256, 3) and x.dtype == np.int32
        self.x = x[0].sum(axis=2).astype(float)

    def forward(self) -> np.ndarray:
        self.runs += 1
        w = np.where(self.x > 0.5 * self.x.max(), self.x, 0.0)
        ys, xs = np.indices(w.shape) + 0.5
        y, x = (w * ys).sum() / w.sum(), (w * xs).sum() / w.sum()
        out = np.tile([y / 256, x / 256, self.score], (17, 1))
        return out[None, None].astype(np.float32)


def test_points_map_back_onto_the_photo_through_crop_rotation_and_mirror(tmp_path):
    bench = load_bench("landmark_coco_model")
    rgb = np.zeros((480, 640, 3), np.uint8)
    spot_xy = np.array([301.0, 222.0])  # continuous: the 4x4 block's centre
    rgb[220:224, 299:303] = 255
    xy = np.full((33, 2), np.nan)
    xy[:4] = [[250, 100], [360, 100], [250, 380], [360, 380]]  # a person's box
    net = CentroidNet()
    out = bench.coco_points(net, rgb, xy, tmp_path, "centroid")
    assert net.runs == 2 * len(bench.ROTATIONS_DEG)
    assert set(out) == {"one", "flip", "tta14", "views"}
    assert out["views"].shape == (2 * len(bench.ROTATIONS_DEG), 17, 3)
    for kp in out.values():
        # within 0.3 photo px (one crop px is 0.34 photo px here); a half-pixel slip in
        # any of the mappings would be off by >= 0.17 crop px on every view
        assert np.abs(kp[..., :2] - spot_xy).max() < 0.3
    assert np.allclose(out["views"].mean(axis=0), out["tta14"])
    assert bench.coco_spread(out["views"]).max() < 0.3**2
    again = bench.coco_points(CentroidNet(), rgb, xy, tmp_path, "centroid")
    assert all(np.array_equal(again[k], out[k]) for k in out)  # from the cache


@pytest.mark.slow
def test_bench_runs_on_a_real_photo_and_caches_the_second_model(
    tmp_path, self_reference, model_path, monkeypatch, capsys
):
    """The whole bench on a real photo (reference: the model's own plain pass), the
    second model being the centroid stand-in, unsure of every point: the plain pass
    scores 0, every row is printed and, no point being sure enough, equals the default;
    a second run takes the second model's points from the cache."""
    bench = load_bench("landmark_coco_model")
    net = CentroidNet(score=bench.MIN_SCORE - 0.01)
    monkeypatch.setattr(bench.cv2.dnn, "readNetFromONNX", lambda path: net)
    fake = tmp_path / "stand-in.onnx"
    fake.write_bytes(b"not read")
    cache = tmp_path / "cache"
    argv = ["--reference", str(self_reference), "--cache", str(cache)]
    argv += ["--coco-model", str(fake), "--model", str(model_path), "--bootstrap", "20"]
    assert bench.main(argv) == 0
    rows = table_rows(capsys.readouterr().out)
    assert len(rows) == 2 + 3 * 4 + 2  # + inverse-spread and confidence weighted
    assert rows["one pass"][0] == "0.00" and float(rows["tta14 (default)"][0]) > 0.0
    default = rows.pop("tta14 (default)")
    del rows["one pass"]
    # primary median, interval, mean; better/worse 0/0 (all tied), people too; all median
    same = [
        r[:3] == default[:3] and r[3] == "0/0" and r[5] == "0/0 (1.00)" and r[7] == default[7]
        for r in rows.values()
    ]
    assert all(same) and len(same) == 14
    timing = 21  # the ms-a-view line: one warm-up and 20 timed runs
    assert net.runs - timing == 2 * len(bench.ROTATIONS_DEG)  # one person, 14 views
    assert len(list(cache.glob("coco_*.npz"))) == 1
    net.runs = 0
    assert bench.main(argv) == 0
    assert net.runs == timing
    again = table_rows(capsys.readouterr().out)
    assert again.pop("tta14 (default)") == default and again.pop("one pass")
    assert again == rows


def test_refine_replaces_averages_and_keeps_low_scores():
    bench = load_bench("landmark_coco_model")
    xy = np.zeros((33, 2))
    kp = np.zeros((17, 3))
    kp[:, :2] = 10.0
    kp[:, 2] = 0.9
    kp[12, 2] = 0.1  # right hip: too unsure
    body = tuple(bench.COCO_TO_LM.values())
    replaced = bench.refine(xy, kp, "coco", body)
    assert replaced[LM.LEFT_HIP].tolist() == [10.0, 10.0]
    assert replaced[LM.RIGHT_HIP].tolist() == [0.0, 0.0]
    assert replaced[LM.NOSE].tolist() == [0.0, 0.0]  # not a point the angles use
    averaged = bench.refine(xy, kp, "mean", bench.HIPS)
    assert averaged[LM.LEFT_HIP].tolist() == [5.0, 5.0]
    assert averaged[LM.LEFT_SHOULDER].tolist() == [0.0, 0.0]  # hips only
    flip = bench.COCO_FLIP
    assert [flip[i] for i in flip] == list(range(17)) and flip[11] == 12 and flip[5] == 6


def test_weighted_leans_to_the_surer_model_and_keeps_low_scores():
    bench = load_bench("landmark_coco_model")
    xy = np.zeros((33, 2))
    xy[LM.RIGHT_KNEE] = np.nan  # the default lost it: the COCO point is taken whole
    kp = np.zeros((17, 3))
    kp[:, :2] = 10.0
    kp[:, 2] = 0.9
    kp[12, 2] = 0.1  # right hip: too unsure
    w_default = np.ones(33)
    w_coco = np.full(17, 3.0)
    out, shares = bench.weighted(xy, kp, w_default, w_coco)
    assert out[LM.LEFT_HIP].tolist() == [7.5, 7.5]  # 3 : 1 for the COCO model
    assert out[LM.RIGHT_HIP].tolist() == [0.0, 0.0]
    assert out[LM.RIGHT_KNEE].tolist() == [10.0, 10.0]
    assert out[LM.NOSE].tolist() == [0.0, 0.0]
    assert shares == [0.75] * 6  # 8 body points less the unsure hip and the lost knee


def test_spread_is_the_mean_squared_distance_from_the_mean():
    bench = load_bench("landmark_coco_model")
    views = np.zeros((4, 17, 3))
    views[:, 5, :2] = [[0, 0], [2, 0], [0, 2], [2, 2]]  # 1 px off the mean in x and y
    spread = bench.coco_spread(views)
    assert spread[5] == pytest.approx(2.0) and spread[0] == 0.0


def test_people_and_the_median_difference_are_counted_per_person():
    bench = load_bench("landmark_coco_model")
    default = {("a", "trunk"): 2.0, ("a", "hip_line"): 2.0, ("b", "trunk"): 1.0}
    row = {("a", "trunk"): 1.0, ("a", "hip_line"): 4.0, ("b", "trunk"): 0.5}
    common = set(default)
    # a: mean 2.5 vs 2.0 (worse) although one of its pairs is better; b: better
    assert bench.people_better_worse(row, default, common) == (1, 1)
    whole, lo, hi, below = bench.median_difference(row, default, common, 200)
    assert whole == pytest.approx(1.0 - 2.0)
    assert lo <= whole <= hi and 0.0 <= below <= 1.0


def test_the_built_second_model_runs_behind_the_benchs_interface(movenet_model):
    """``--coco-model movenet_thunder.npz``: the product's MoveNet, as OpenCV DNN's
    ``setInput`` / ``forward`` (y, x normalised), back in crop pixels unchanged."""
    from posture_cam.pose.movenet import MoveNet

    bench = load_bench("landmark_coco_model")
    image = np.random.default_rng(0).integers(0, 256, (256, 256, 3), dtype=np.uint8)
    got = bench.run_coco(bench.load_net(movenet_model), image)
    assert np.array_equal(got, MoveNet(movenet_model).run(image))
