"""Level (camera roll) estimation and its correction of poses; profile store."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from posture_cam.calibration import (
    CalibrationProfile,
    estimate_roll_from_board,
    list_profiles,
    load_profile,
    remove_profile,
    roll_from_line,
    roll_from_points,
    save_profile,
)
from posture_cam.calibration.profile import rotate_points
from posture_cam.errors import CalibrationError
from posture_cam.types import Pose
from tests.calibration._helpers import level_scene


@pytest.mark.parametrize("roll", [0.0, 3.7, -2.5, 8.0, -14.0])
def test_board_roll_recovered_with_sign(roll):
    est = estimate_roll_from_board(level_scene(roll_deg=roll))
    assert est is not None
    assert est.method == "board"
    # cv2's positive angle turns the scene counter-clockwise on screen -> roll = +angle.
    assert est.roll_deg == pytest.approx(roll, abs=0.05)
    assert est.support >= 20


def test_board_hung_in_portrait_still_levels():
    img = cv2.rotate(level_scene(roll_deg=0.0), cv2.ROTATE_90_CLOCKWISE)
    img = cv2.warpAffine(img, cv2.getRotationMatrix2D((360, 640), 2.0, 1.0), (720, 1280))
    est = estimate_roll_from_board(img)
    assert est is not None and est.roll_deg == pytest.approx(2.0, abs=0.1)


def test_no_board_gives_none():
    assert estimate_roll_from_board(np.full((480, 640, 3), 128, np.uint8)) is None


@pytest.mark.parametrize(
    ("pts", "reference", "expected"),
    [
        # a true vertical whose top leans left on screen: scene rotated CCW -> positive
        ((100, 400, 90, 100), "auto", np.degrees(np.arctan2(10, 300))),
        ((100, 100, 110, 400), "vertical", np.degrees(np.arctan2(10, 300))),
        # a true horizontal whose right end is higher on screen -> positive
        ((100, 300, 500, 280), "auto", np.degrees(np.arctan2(20, 400))),
        ((500, 280, 100, 300), "horizontal", np.degrees(np.arctan2(20, 400))),
        ((100, 300, 500, 320), "auto", -np.degrees(np.arctan2(20, 400))),
    ],
)
def test_roll_from_points(pts, reference, expected):
    est = roll_from_points(*pts, reference=reference)
    assert est.roll_deg == pytest.approx(expected, abs=1e-9)
    assert 0 < est.residual_deg < 0.5


def test_roll_from_points_rejects_coincident_points():
    with pytest.raises(ValueError):
        roll_from_points(5, 5, 5, 5)


@pytest.mark.parametrize("roll", [2.0, -4.3])
def test_roll_from_plumb_line_in_roi(roll):
    img = np.full((720, 1280, 3), 170, np.uint8)
    cv2.line(img, (900, 50), (900, 680), (20, 20, 20), 3, cv2.LINE_AA)
    cv2.rectangle(img, (200, 200), (500, 500), (90, 90, 90), -1)  # clutter outside the ROI
    img = cv2.warpAffine(img, cv2.getRotationMatrix2D((640, 360), roll, 1.0), (1280, 720))
    est = roll_from_line(img, (820, 60, 160, 600), "vertical")
    assert est is not None
    assert est.roll_deg == pytest.approx(roll, abs=0.1)


def test_roll_from_line_without_line_is_none():
    assert roll_from_line(np.full((200, 200, 3), 128, np.uint8), (10, 10, 100, 100)) is None


def _line_angle(xy, a, b):
    d = xy[b] - xy[a]
    return np.degrees(np.arctan2(-d[1], d[0]))


def test_correct_pose_levels_a_rotated_pose():
    w, h = 1280, 720
    rng = np.random.default_rng(0)
    xy = np.column_stack([rng.uniform(300, 900, 33), rng.uniform(100, 650, 33)])
    xy[12] = (500, 300)  # right shoulder (image left in a front view)
    xy[11] = (700, 300)  # left shoulder, level
    xy[5] = np.nan
    rotated = rotate_points(xy, 3.7, (w / 2, h / 2))  # scene turned CCW on screen
    assert _line_angle(rotated, 12, 11) == pytest.approx(3.7)
    profile = CalibrationProfile(name="t", roll_deg=3.7)
    corrected = profile.correct_pose(Pose.from_arrays(rotated, (w, h))).xy_px
    assert _line_angle(corrected, 12, 11) == pytest.approx(0.0, abs=1e-9)
    assert np.isnan(corrected[5]).all()
    # lengths are preserved by levelling
    assert np.linalg.norm(corrected[11] - corrected[12]) == pytest.approx(200.0)


def test_correct_pose_undistorts_with_lens():
    k = np.array([[800.0, 0, 640], [0, 800, 360], [0, 0, 1]])
    dist = np.array([-0.2, 0.05, 0, 0, 0])
    ideal = np.array([[100.0, 80.0], [640.0, 360.0], [1200.0, 650.0]])
    obj = cv2.undistortPoints(ideal.reshape(-1, 1, 2), k, None)  # normalised rays
    obj3 = np.concatenate([obj.reshape(-1, 2), np.ones((3, 1))], axis=1)
    distorted, _ = cv2.projectPoints(obj3, np.zeros(3), np.zeros(3), k, dist)
    profile = CalibrationProfile("t", camera_matrix=k, dist_coeffs=dist, image_size_wh=(1280, 720))
    out = profile.undistort_points(distorted.reshape(-1, 2), (1280, 720))
    np.testing.assert_allclose(out, ideal, atol=0.05)
    # half resolution, same aspect: K is scaled
    half = profile.undistort_points(distorted.reshape(-1, 2) / 2, (640, 360))
    np.testing.assert_allclose(half, ideal / 2, atol=0.05)


def test_profile_roundtrip_update_list_remove():
    p = CalibrationProfile(
        "clinic",
        roll_deg=1.5,
        cm_per_px=0.21,
        camera_matrix=np.eye(3),
        dist_coeffs=np.zeros(5),
        image_size_wh=(640, 480),
        level={"method": "board"},
    )
    save_profile(p)
    q = load_profile("clinic")
    assert q.roll_deg == 1.5 and q.cm_per_px == 0.21 and q.image_size_wh == (640, 480)
    np.testing.assert_array_equal(q.camera_matrix, np.eye(3))
    save_profile(q.updated_with(roll_deg=-0.5))
    r = load_profile("clinic")
    assert r.roll_deg == -0.5 and r.cm_per_px == 0.21 and r.has_lens
    assert list_profiles() == ["clinic"]
    remove_profile("clinic")
    assert list_profiles() == []


def test_missing_and_corrupt_profiles_raise_calibration_error():
    with pytest.raises(CalibrationError, match="calibrate level"):
        load_profile("nope")
    save_profile(CalibrationProfile("bad"))
    from posture_cam.calibration.profile import profile_path

    profile_path("bad").write_text("{not json")
    with pytest.raises(CalibrationError, match="corrupt"):
        load_profile("bad")
    profile_path("bad").write_text(json.dumps({"schema": 1, "name": "bad", "cm_per_px": -1}))
    with pytest.raises(CalibrationError, match="invalid: cm_per_px"):
        load_profile("bad")
    with pytest.raises(CalibrationError, match="invalid profile name"):
        load_profile("../etc")
