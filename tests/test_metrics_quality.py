"""Quality gate on synthetic poses: each check fails for its own reason."""

from __future__ import annotations

import numpy as np
from test_metrics_poses import frontal_pose, side_pose

from posture_cam.landmarks import LM
from posture_cam.metrics import QualityGate, classify_view
from posture_cam.types import View, ViewEstimate

FRONT = ViewEstimate(View.FRONT, 1.0)


def by_id(report):
    return {c.id: c for c in report.checks}


def test_clean_pose_passes_every_check():
    pose = frontal_pose()
    report = QualityGate().check(pose, classify_view(pose), 0.0)
    assert report.ok, report.failed()
    assert [c.id for c in report.checks] == [
        "person",
        "view_known",
        "landmarks_visible",
        "in_frame",
        "orientation",
        "still",
    ]


def test_no_person():
    report = QualityGate().check(None, ViewEstimate(View.UNKNOWN, 0.0), 0.0)
    assert not report.ok and by_id(report)["person"].reason == "no person found"


def test_missing_key_landmark_is_named():
    pose = frontal_pose()
    xy = pose.xy_px.copy()
    xy[LM.RIGHT_HIP] = np.nan
    check = by_id(QualityGate().check(pose.with_xy(xy), FRONT, 0.0))["landmarks_visible"]
    assert not check.ok and "right_hip" in check.reason


def test_cut_off_names_the_edge():
    pose = frontal_pose()
    xy = pose.xy_px.copy()
    xy[:, 1] += 115  # ankles now at y = 1195 of 1200
    check = by_id(QualityGate().check(pose.with_xy(xy), FRONT, 0.0))["in_frame"]
    assert not check.ok and "bottom edge" in check.reason and "ankle" in check.reason


def test_side_on_pose_is_not_square_for_a_front_view():
    check = by_id(QualityGate().check(side_pose(), FRONT, 0.0))["orientation"]
    assert not check.ok
    side = side_pose()
    assert by_id(QualityGate().check(side, classify_view(side), 0.0))["orientation"].ok


def test_stillness_over_a_window_and_reset():
    gate = QualityGate(window_ms=1000.0, max_motion_frac=0.015)
    pose = frontal_pose()
    assert by_id(gate.check(pose, FRONT, 0.0))["still"].ok  # single frame: no history
    jitter = pose.with_xy(pose.xy_px + 3.0)  # 3 px of ~1100 px body height
    assert by_id(gate.check(jitter, FRONT, 100.0))["still"].ok
    moved = pose.with_xy(pose.xy_px + np.array([60.0, 0.0]))  # ~5% of body height
    check = by_id(gate.check(moved, FRONT, 200.0))["still"]
    assert not check.ok and "moving" in check.reason
    # After the window has passed only the moved pose is in the history.
    assert by_id(gate.check(moved, FRONT, 1300.0))["still"].ok
    gate.reset()
    assert by_id(gate.check(pose, FRONT, 1400.0))["still"].ok
