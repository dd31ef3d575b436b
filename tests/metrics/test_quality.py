"""Quality gate on synthetic poses: each check fails for its own reason."""

from __future__ import annotations

import numpy as np
import pytest

from posture_cam.landmarks import LM
from posture_cam.metrics import QualityGate, classify_view
from posture_cam.metrics.occlusion import ARM_AWAY_MAX_DEG, arm_angles_deg
from posture_cam.testing import standing_pose
from posture_cam.types import View, ViewEstimate
from tests.metrics._helpers import SIZE_WH

FRONT = ViewEstimate(View.FRONT, 1.0)


def by_id(report):
    return {c.id: c for c in report.checks}


def test_clean_pose_passes_every_check():
    pose = standing_pose(SIZE_WH)
    report = QualityGate().check(pose, classify_view(pose), 0.0)
    assert report.ok, report.failed()
    assert [c.id for c in report.checks] == [
        "person",
        "view_known",
        "landmarks_visible",
        "in_frame",
        "orientation",
        "arms_clear",
        "model_sure",
        "still",
    ]


def test_no_person():
    report = QualityGate().check(None, ViewEstimate(View.UNKNOWN, 0.0), 0.0)
    assert not report.ok and by_id(report)["person"].reason == "no person found"


def test_missing_key_landmark_is_named():
    pose = standing_pose(SIZE_WH)
    xy = pose.xy_px.copy()
    xy[LM.RIGHT_HIP] = np.nan
    check = by_id(QualityGate().check(pose.with_xy(xy), FRONT, 0.0))["landmarks_visible"]
    assert not check.ok and "right hip" in check.reason


def test_cut_off_names_the_edge():
    pose = standing_pose(SIZE_WH)
    xy = pose.xy_px.copy()
    xy[:, 1] += SIZE_WH[1] - 5 - xy[LM.LEFT_ANKLE, 1]  # ankles 5 px above the bottom edge
    check = by_id(QualityGate().check(pose.with_xy(xy), FRONT, 0.0))["in_frame"]
    assert not check.ok and "bottom edge" in check.reason and "ankle" in check.reason


def test_side_on_pose_is_not_square_for_a_front_view():
    check = by_id(QualityGate().check(standing_pose(SIZE_WH, "right"), FRONT, 0.0))["orientation"]
    assert not check.ok
    side = standing_pose(SIZE_WH, "right")
    assert by_id(QualityGate().check(side, classify_view(side), 0.0))["orientation"].ok


def test_stillness_over_a_window_and_reset():
    gate = QualityGate(window_ms=1000.0, max_motion_frac=0.015)
    pose = standing_pose(SIZE_WH)
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


def test_settling_after_a_run_of_refused_frames_but_not_after_one_odd_frame():
    gate = QualityGate(settle_ms=300.0)
    pose = standing_pose(SIZE_WH)
    xy = pose.xy_px.copy()
    xy[LM.RIGHT_HIP] = np.nan
    hidden = pose.with_xy(xy)  # refused by landmarks_visible, not by still
    t = 0.0

    def feed(p):
        nonlocal t
        t += 40.0
        return gate.check(p, FRONT, t)

    feed(pose)
    assert not feed(hidden).ok  # one odd frame ...
    assert feed(pose).ok  # ... is not followed by settling
    for _ in range(4):  # a run of 120 ms
        assert by_id(feed(hidden))["still"].ok  # still is not what refused these
    last_refused = t
    while t + 40.0 <= last_refused + 300.0:  # 7 frames, 40 to 280 ms after the run
        still = by_id(feed(pose))["still"]
        assert not still.ok and still.reason.to_json() == [{"code": "settling", "window_s": 0.3}]
    assert feed(pose).ok  # 320 ms after the run
    for _ in range(4):
        feed(hidden)
    gate.reset()  # a new source does not settle
    assert feed(pose).ok


def test_a_stream_watches_a_person_for_settle_ms_before_a_frame_passes():
    pose = standing_pose(SIZE_WH)
    gate = QualityGate(settle_ms=300.0, stream=True)
    for t in (0.0, 40.0, 280.0):  # no frames before these to judge motion by
        still = by_id(gate.check(pose, FRONT, t))["still"]
        assert not still.ok and still.reason.to_json() == [{"code": "watching", "window_s": 0.3}]
    assert gate.check(pose, FRONT, 300.0).ok
    assert not gate.check(None, FRONT, 340.0).ok  # nobody in view ...
    assert not gate.check(pose, FRONT, 380.0).ok  # ... so the next person is watched anew
    assert gate.check(pose, FRONT, 680.0).ok
    # A photo is one frame: never watched.
    assert QualityGate(settle_ms=300.0).check(pose, FRONT, 0.0).ok


def _upper_body(pose, crop_y):
    """The pose as a webcam framing head and shoulders sees it: everything below
    ``crop_y`` is outside the image (missing), elbows sit on the bottom edge."""
    xy = pose.xy_px.copy()
    xy[LM.LEFT_ELBOW :] = np.nan
    xy[LM.LEFT_ELBOW] = (xy[LM.LEFT_SHOULDER, 0] + 20, crop_y - 1)
    w = pose.resolution_wh[0]
    return type(pose).from_arrays(xy, (w, int(crop_y)))


def test_upper_body_framing_passes_on_head_and_shoulders():
    pose = standing_pose(SIZE_WH)
    crop_y = pose.xy_px[LM.LEFT_SHOULDER, 1] + 150
    upper = _upper_body(pose, crop_y)
    report = by_id(QualityGate().check(upper, FRONT, 0.0))
    assert report["landmarks_visible"].ok and report["in_frame"].ok
    # A standing assessment still demands the whole body.
    strict = by_id(QualityGate(require_full_body=True).check(upper, FRONT, 0.0))
    assert not strict["landmarks_visible"].ok and "left hip" in strict["landmarks_visible"].reason
    assert not strict["in_frame"].ok and "feet not in view" in strict["in_frame"].reason


def test_upper_body_framing_still_needs_the_ears_and_shoulders_clear():
    pose = standing_pose(SIZE_WH)
    upper = _upper_body(pose, pose.xy_px[LM.LEFT_SHOULDER, 1] + 150)
    xy = upper.xy_px.copy()
    xy[LM.LEFT_EAR] = np.nan
    report = by_id(QualityGate().check(upper.with_xy(xy), FRONT, 0.0))
    assert not report["landmarks_visible"].ok and "left ear" in report["landmarks_visible"].reason
    xy = upper.xy_px.copy()
    xy[LM.RIGHT_SHOULDER, 0] = 2.0  # shoulder touching the left edge
    report = by_id(QualityGate().check(upper.with_xy(xy), FRONT, 0.0))
    assert not report["in_frame"].ok and "right shoulder" in report["in_frame"].reason


def test_waist_up_framing_needs_hips_but_not_legs():
    pose = standing_pose(SIZE_WH)
    xy = pose.xy_px.copy()
    xy[LM.LEFT_KNEE :] = np.nan
    waist_up = pose.with_xy(xy)
    report = by_id(QualityGate().check(waist_up, FRONT, 0.0))
    assert report["landmarks_visible"].ok and report["in_frame"].ok
    xy[LM.LEFT_HIP] = (xy[LM.LEFT_HIP, 0], np.nan)
    report = by_id(QualityGate().check(pose.with_xy(xy), FRONT, 0.0))
    assert not report["landmarks_visible"].ok and "left hip" in report["landmarks_visible"].reason


def _arm_out(pose, deg: float):
    """The pose with the left upper arm (and the forearm and hand with it) swung ``deg``
    degrees out from the trunk line about the left shoulder."""
    xy = pose.xy_px.copy()
    shoulder = xy[LM.LEFT_SHOULDER].copy()
    trunk = (xy[LM.LEFT_HIP] + xy[LM.RIGHT_HIP]) / 2 - (
        xy[LM.LEFT_SHOULDER] + xy[LM.RIGHT_SHOULDER]
    ) / 2
    down = trunk / np.linalg.norm(trunk)
    arm_ids = [LM.LEFT_ELBOW, LM.LEFT_WRIST, LM.LEFT_PINKY, LM.LEFT_INDEX, LM.LEFT_THUMB]
    out_dir = np.sign(shoulder[0] - xy[LM.RIGHT_SHOULDER][0])  # away from the body
    length = [float(np.linalg.norm(xy[i] - shoulder)) for i in arm_ids]
    a = np.radians(deg)
    direction = np.array([out_dir * np.sin(a) * down[1], np.cos(a) * down[1]])
    for i, r in zip(arm_ids, length, strict=True):
        xy[i] = shoulder + r * direction
    return pose.with_xy(xy)


def test_an_arm_held_out_to_the_side_is_refused_in_front_and_back_views():
    for view in ("front", "back"):
        pose = standing_pose(SIZE_WH, view)
        estimate = ViewEstimate(View(view), 1.0)
        for deg, ok in ((ARM_AWAY_MAX_DEG - 5, True), (ARM_AWAY_MAX_DEG + 5, False), (85, False)):
            held = _arm_out(pose, deg)
            assert arm_angles_deg(held)[LM.LEFT_ELBOW] == pytest.approx(deg, abs=1e-6)
            check = by_id(QualityGate().check(held, estimate, 0.0))["arms_clear"]
            assert check.ok is ok, (view, deg)
            if not ok:
                assert "arm held out to the side (left elbow)" in check.reason
                assert check.reason.to_json()[0]["places"][-1] == "away"
    # Side-on the arm's swing out is toward or away from the camera: not judged.
    side = standing_pose(SIZE_WH, "right")
    assert by_id(QualityGate().check(side, classify_view(side), 0.0))["arms_clear"].ok
