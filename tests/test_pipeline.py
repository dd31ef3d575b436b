"""Pipeline wiring with fakes at the seams (no model needed)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from posture_cam.config import PipelineConfig
from posture_cam.pipeline import Pipeline
from posture_cam.testing import ScriptedEstimator, SyntheticFrameSource, standing_pose
from posture_cam.types import View


class ShiftCalibration:
    """A fake profile: shifts every point 10 px right, known roll and scale."""

    roll_deg = 2.5
    cm_per_px = 0.25

    def correct_pose(self, pose):
        return pose.with_xy(pose.xy_px + np.array([10.0, 0.0]))


def run(pipeline, source):
    with source:
        return [pipeline.process(f) for f in source]


def test_results_carry_frame_pose_view_and_timings():
    pose = standing_pose(view="front", shoulder_tilt_deg=4.0)
    est = ScriptedEstimator([pose])
    with Pipeline(est, PipelineConfig(smoothing="none")) as p:
        results = run(p, SyntheticFrameSource(pose, count=5))
    assert est.closed  # the pipeline owns and closes its estimator
    assert [r.frame.index for r in results] == list(range(5))
    for r in results:
        assert r.person_found and r.num_people == 1
        np.testing.assert_allclose(r.pose_image.xy_px, pose.xy_px, equal_nan=True)
        assert r.pose_measured is r.pose_image  # no calibration
        assert r.roll_deg == 0.0 and r.cm_per_px is None
        assert r.timings_ms["total"] >= r.timings_ms["inference"] >= 0.0


def test_forced_view_is_reported_as_forced():
    pose = standing_pose(view="front")
    with Pipeline(ScriptedEstimator([pose]), PipelineConfig(view="back")) as p:
        (r,) = run(p, SyntheticFrameSource(pose, count=1))
    assert r.view.view is View.BACK and r.view.forced and r.view.confidence == 1.0


def test_calibration_moves_measured_pose_only():
    pose = standing_pose(view="front")
    with Pipeline(
        ScriptedEstimator([pose]), PipelineConfig(smoothing="none"), ShiftCalibration()
    ) as p:
        (r,) = run(p, SyntheticFrameSource(pose, count=1))
    np.testing.assert_allclose(r.pose_image.xy_px, pose.xy_px, equal_nan=True)
    np.testing.assert_allclose(
        r.pose_measured.xy_px, pose.xy_px + np.array([10.0, 0.0]), equal_nan=True
    )
    assert r.roll_deg == 2.5 and r.cm_per_px == 0.25


def test_nobody_gives_an_empty_result_and_no_metrics():
    pose = standing_pose()
    with Pipeline(ScriptedEstimator([None, pose]), PipelineConfig()) as p:
        nobody, somebody = run(p, SyntheticFrameSource(pose, count=2))
    assert not nobody.person_found and nobody.metrics == {} and nobody.num_people == 0
    assert nobody.view.view is View.UNKNOWN
    assert not nobody.quality.ok
    assert somebody.person_found


def test_smoothing_reduces_jitter_but_not_a_still_pose():
    pose = standing_pose()
    rng = np.random.default_rng(0)
    noisy = [pose.with_xy(pose.xy_px + rng.normal(0, 2.0, pose.xy_px.shape)) for _ in range(60)]
    spreads = {}
    for mode in ("none", "one_euro"):
        with Pipeline(ScriptedEstimator(noisy), PipelineConfig(smoothing=mode)) as p:
            results = run(p, SyntheticFrameSource(pose, count=60))
        xs = np.array([r.pose_image.xy_px[11, 0] for r in results[20:]])
        spreads[mode] = xs.std()
    assert spreads["one_euro"] < 0.5 * spreads["none"]
    with Pipeline(ScriptedEstimator([pose]), PipelineConfig()) as p:
        still = run(p, SyntheticFrameSource(pose, count=10))
    np.testing.assert_allclose(still[-1].pose_image.xy_px, pose.xy_px, atol=1e-9, equal_nan=True)


def test_config_is_frozen_and_validated():
    cfg = PipelineConfig()
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.view = "front"  # type: ignore[misc]
    assert dataclasses.replace(cfg, view="left").view == "left"
    for bad in ({"view": "top"}, {"num_poses": 0}, {"smoothing": "kalman"}):
        with pytest.raises(ValueError):
            PipelineConfig(**bad)
