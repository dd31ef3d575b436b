"""Accuracy harness: known image transforms through the whole pipeline.

Fast tests check the transforms' geometry on synthetic images. Tests marked ``slow``
run a subset of ``bench/accuracy.py`` on real photos (run that script for the full
table). Two kinds of numbers are asserted:

* metric math on exactly transformed landmarks: must be exact (1e-6 deg);
* the model on transformed images (with the default test-time averaging of stills):
  the product targets, median rotation error <= 0.5 deg and 100 % mirror consistency.
"""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from posture_cam.metrics import classify_view
from posture_cam.pose import transforms as tf
from posture_cam.types import View

REPO_ROOT = Path(__file__).resolve().parents[2]


def _load_bench():
    spec = importlib.util.spec_from_file_location(
        "bench_accuracy", REPO_ROOT / "bench" / "accuracy.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


bench = _load_bench()


# ------------------------------------------------------------ transforms (fast, synthetic)


def _line_image(w: int = 320, h: int = 200) -> tuple[np.ndarray, np.ndarray]:
    img = np.full((h, w, 3), 40, np.uint8)
    pts = np.array([[60.0, 120.0], [260.0, 80.0]])
    cv2.circle(img, (60, 120), 6, (255, 255, 255), -1)
    cv2.circle(img, (260, 80), 6, (255, 255, 255), -1)
    return img, pts


def _blob_centres(img: np.ndarray) -> np.ndarray:
    mask = (cv2.cvtColor(img, cv2.COLOR_BGR2GRAY) > 150).astype(np.uint8)
    n, _, stats, centroids = cv2.connectedComponentsWithStats(mask)
    big = [i for i in range(1, n) if stats[i, cv2.CC_STAT_AREA] > 20]
    return centroids[sorted(big, key=lambda i: centroids[i][0])]


def _angle_deg(pts: np.ndarray) -> float:
    d = pts[1] - pts[0]
    return math.degrees(math.atan2(-d[1], d[0]))  # y down: up is positive


@pytest.mark.parametrize("angle", [-15.0, -2.0, 5.0, 10.0])
def test_rotation_is_counter_clockwise_as_displayed_and_maps_points(angle):
    img, pts = _line_image()
    warped = tf.rotate_padded(img, angle)
    mapped = warped.map_points(pts)
    found = _blob_centres(warped.image_bgr)
    assert np.abs(found - mapped).max() < 0.3  # px: matrix and pixels agree
    assert _angle_deg(mapped) - _angle_deg(pts) == pytest.approx(angle, abs=1e-9)


def test_rotation_canvas_keeps_every_corner():
    img, _ = _line_image(301, 157)
    for angle in (-15.0, 7.0, 15.0):
        warped = tf.rotate_padded(img, angle)
        h, w = warped.image_bgr.shape[:2]
        corners = warped.map_points(np.array([[0, 0], [300, 0], [0, 156], [300, 156]], float))
        assert corners.min() >= -0.5 and (corners[:, 0] <= w - 0.5).all()
        assert (corners[:, 1] <= h - 0.5).all()


def test_flip_scale_pad_and_crop_map_points():
    img, pts = _line_image()
    for warped in (
        tf.flip_horizontal(img),
        tf.scale(img, 0.6),
        tf.scale(img, 1.5),
        tf.translate_padded(img, left=37, top=11, right=3),
        tf.crop(img, (20, 30, 300, 190)),
    ):
        found = _blob_centres(warped.image_bgr)
        mapped = warped.map_points(pts)
        mapped = mapped[np.argsort(mapped[:, 0])]
        assert np.abs(found - mapped).max() < 0.35, warped.affine


def test_box_with_margin_is_clipped():
    assert tf.box_with_margin((10, 20, 110, 220), 0.1, (115, 300)) == (0.0, 0.0, 115, 240.0)


def test_jitter_clip_is_reproducible_and_as_noisy_as_asked():
    img = np.full((64, 80, 3), 128, np.uint8)
    a = list(tf.jitter_clip(img, seconds=0.2, fps=30.0, noise_sd=4.0, jpeg_quality=0))
    b = list(tf.jitter_clip(img, seconds=0.2, fps=30.0, noise_sd=4.0, jpeg_quality=0))
    assert len(a) == 6 and [t for _, t in a] == pytest.approx([i * 1000 / 30 for i in range(6)])
    assert all(np.array_equal(x, y) for (x, _), (y, _) in zip(a, b, strict=True))
    sd = float(np.std(a[0][0].astype(float)))
    assert 3.6 < sd < 4.4  # DN; a flat grey image shows only the sensor noise
    jpeg = next(tf.jitter_clip(img, seconds=0.1, noise_sd=4.0, jpeg_quality=75))[0]
    assert jpeg.shape == img.shape and not np.array_equal(jpeg, a[0][0])


# ------------------------------------------------------------ real photos (slow)

QUICK = (bench.CASES[0], bench.CASES[6], bench.CASES[9])  # front; side facing right / left
ANGLES = (-10.0, -2.0, 5.0, 15.0)


@pytest.fixture(scope="module")
def runner(model_path, media):
    for case in QUICK:
        media("images/" + case.relpath)
    r = bench.Runner(media("images").parent, model_path)
    yield r
    r.close()


@pytest.fixture(scope="module")
def rotation_rows(runner):
    return bench.rotation_errors(runner, QUICK, ANGLES)


@pytest.mark.slow
@pytest.mark.media
def test_rotation_metric_math_is_exact(rotation_rows):
    measured = {r["metric"] for r in rotation_rows if r.get("math") is not None}
    assert {"shoulder_tilt", "pelvic_tilt", "head_tilt", "cva"} <= measured
    assert max(abs(r["math"]) for r in rotation_rows if r.get("math") is not None) < 1e-6


@pytest.mark.slow
@pytest.mark.media
def test_rotation_model_error_meets_target(rotation_rows):
    rows = [r for r in rotation_rows if r["metric"] in bench.PRIMARY]
    assert len(rows) == 3 * len(ANGLES) + 2 * len(ANGLES)  # front: 3 tilts; 2 sides: cva
    # Turned 15° counter-clockwise, the upright sitter facing right (trunk -12°) leans
    # 27° back: his markerless CVA is then refused as reclined (docs/metrics.md), not
    # mis-measured. Every other rotated photo keeps its value.
    refused = [(r["metric"], r["angle"]) for r in rows if r["model"] is None]
    assert refused in ([], [("cva", 15.0)]), refused
    errs = np.abs([r["model"] for r in rows if r["model"] is not None])
    # Product target: median error <= 0.5 deg for shoulder/pelvic/head tilt and cva.
    # The metric math is exact (above); this is the model with test-time averaging.
    assert np.median(errs) <= 0.5
    assert errs.max() <= 3.0


@pytest.mark.slow
@pytest.mark.media
def test_mirror_swaps_views_and_is_consistent(runner):
    rows, views = bench.mirror_checks(runner, QUICK)
    assert all(v["truth"] == v["got"] for v in views), views
    assert {r["metric"] for r in rows} >= {"shoulder_tilt", "head_tilt", "cva"}
    assert max(r["math"] for r in rows if r["math"] is not None) < 1e-6
    # Product target: 100 % of mirror pairs consistent within the tolerance.
    inconsistent = [r for r in rows if not r["ok"]]
    assert not inconsistent, inconsistent


@pytest.mark.slow
@pytest.mark.media
def test_view_classification_on_unforced_stills(runner):
    for case in QUICK:
        res = runner.run(runner.image(case), case.view)
        assert classify_view(res.pose_measured).view == case.view, case.name


@pytest.mark.slow
@pytest.mark.media
def test_jitter_clip_smoothed_sd_within_target(runner, model_path):
    case = QUICK[0]
    stats = bench.jitter_stats(runner.image(case), case.view, model_path, seconds=1.0)
    for mid in ("shoulder_tilt", "pelvic_tilt", "head_tilt"):
        s = stats[mid]
        assert s["smooth_sd"] <= 0.3, (mid, s)  # deg: the product target
        # MediaPipe's tracker already steadies a still subject (raw SD ~0.05 deg here);
        # the One Euro filter must not add to it.
        assert s["smooth_sd"] <= s["raw_sd"] + 0.02, (mid, s)


def test_expected_rotation_signs_follow_the_conventions():
    """Front +θ / back −θ for tilts; cva +θ facing image-right (RIGHT view)."""
    assert bench.ROTATION_SIGN["shoulder_tilt"] == {View.FRONT: 1.0, View.BACK: -1.0}
    assert bench.ROTATION_SIGN["cva"] == {View.RIGHT: 1.0, View.LEFT: -1.0}
    assert bench.mirror_view(View.LEFT) is View.RIGHT
    assert bench.mirror_expectation("knee_angle_left", {"knee_angle_right": (7.0, "deg")}) == 7.0
    assert bench.mirror_expectation("shoulder_tilt", {"shoulder_tilt": (2.0, "deg")}) == -2.0
    assert bench.mirror_expectation("cva", {"cva": (48.0, "deg")}) == 48.0
