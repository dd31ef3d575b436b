"""The second keypoint model on real photos, and how its points are weighed in."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from posture_cam.landmarks import LM
from posture_cam.pose import PoseEstimator
from posture_cam.pose.merge import unflip
from posture_cam.pose.movenet import (
    COCO_TO_LM,
    MIN_SPREAD_PX2,
    Keypoints,
    MoveNet,
    trunk_angle_deg,
    upright_crop,
    view_spread_px2,
    weigh_by_inverse_spread,
)
from posture_cam.sources import read_image
from posture_cam.types import Frame, Pose

FRONT = "images/standing_frontal/frontal_shapy_img18_woman_studio_neutral.jpg"
SIDE = "images/seated_side/seated_side_nvv_straight_upright_facing_right.jpg"
BODY = sorted(COCO_TO_LM.values())


def _pose(xy: np.ndarray, wh=(400, 600)) -> Pose:
    return Pose.from_arrays(np.asarray(xy, float), wh)


def _keypoints(xy: dict[int, tuple[float, float]], spread: float, score: float = 0.9):
    mean = np.zeros((17, 2))
    for c, p in xy.items():
        mean[c] = p
    return Keypoints(mean, np.full(17, score), np.full(17, spread))


def test_each_model_is_weighed_by_the_inverse_of_its_spread_over_the_shared_points():
    xy = np.full((33, 2), np.nan)
    xy[LM.LEFT_SHOULDER] = (100.0, 100.0)
    xy[LM.RIGHT_SHOULDER] = (200.0, 100.0)
    xy[LM.NOSE] = (150.0, 50.0)
    pose = _pose(xy)
    spread = np.full(33, 4.0)
    spread[LM.RIGHT_SHOULDER] = 2.0  # the pose model: 3 px^2 over the two shoulders
    second = _keypoints({5: (104.0, 96.0), 6: (200.0, 110.0), 11: (120.0, 300.0)}, spread=1.0)
    out = weigh_by_inverse_spread(pose, spread, second).xy_px
    # Weights 1/3 and 1/1: the second model's points count three times as much.
    assert np.allclose(out[LM.LEFT_SHOULDER], (100 + 3 * 104, 100 + 3 * 96) / np.float64(4))
    assert np.allclose(out[LM.RIGHT_SHOULDER], (200.0, 107.5))
    # A point the pose model does not have stays missing; others are not touched.
    assert np.isnan(out[LM.LEFT_HIP]).all()
    assert np.array_equal(out[LM.NOSE], xy[LM.NOSE])


def test_unsure_or_unknown_points_are_neither_moved_nor_counted():
    xy = np.full((33, 2), np.nan)
    xy[LM.LEFT_SHOULDER] = (100.0, 100.0)
    xy[LM.RIGHT_SHOULDER] = (200.0, 100.0)
    pose = _pose(xy)
    spread = np.full(33, 4.0)
    spread[LM.RIGHT_SHOULDER] = np.nan  # no view had it: its spread is unknown
    low = _keypoints({5: (110.0, 100.0), 6: (210.0, 100.0)}, spread=1.0, score=0.2)
    assert np.array_equal(weigh_by_inverse_spread(pose, spread, low).xy_px, pose.xy_px, True)
    sure = _keypoints({5: (110.0, 100.0), 6: (210.0, 100.0)}, spread=4.0)
    out = weigh_by_inverse_spread(pose, spread, sure).xy_px
    assert np.array_equal(out[LM.RIGHT_SHOULDER], (200.0, 100.0))
    assert np.allclose(out[LM.LEFT_SHOULDER], (105.0, 100.0))  # equal spreads: midway
    # A spread of zero is floored, so it cannot take all the weight from a model
    # that is as sure: equal floors -> the midpoint.
    spread[LM.LEFT_SHOULDER] = 0.0
    exact = _keypoints({5: (110.0, 100.0)}, spread=0.0)
    out = weigh_by_inverse_spread(pose, spread, exact).xy_px
    assert MIN_SPREAD_PX2 > 0 and np.allclose(out[LM.LEFT_SHOULDER], (105.0, 100.0))


def test_the_upright_crop_turns_with_the_trunk_and_maps_back_exactly():
    """A photo with a bright block, and a trunk leaning 20° to the image's right: the
    crop stands the trunk upright, and its pixels map back onto the photo's."""
    rgb = np.zeros((400, 400, 3), np.uint8)
    rgb[200:206, 250:256] = 255  # a 6 x 6 block centred at (253, 203) (continuous)
    lean = np.radians(20.0)
    hip = np.array([200.0, 300.0])
    shoulder = hip + 150.0 * np.array([np.sin(lean), -np.cos(lean)])
    xy = np.full((33, 2), np.nan)
    xy[[LM.LEFT_HIP, LM.RIGHT_HIP]] = hip + np.array([[10.0, 0.0], [-10.0, 0.0]])
    xy[[LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER]] = shoulder + np.array([[20.0, 0.0], [-20.0, 0.0]])
    pose = _pose(xy, (400, 400))
    assert trunk_angle_deg(pose) == pytest.approx(20.0)
    image, to_photo = upright_crop(rgb, pose, 128)
    ys, xs = np.nonzero(image[..., 0] > 127)
    centre = np.array([xs.mean(), ys.mean()])  # pixel centres of the crop
    assert np.allclose(centre @ to_photo[:, :2].T + to_photo[:, 2] + 0.5, (253, 203), atol=0.6)
    # In the crop the trunk points straight up.
    to_crop = cv2.invertAffineTransform(to_photo)
    hip_c, shoulder_c = (np.array([hip, shoulder]) - 0.5) @ to_crop[:, :2].T + to_crop[:, 2]
    assert shoulder_c[0] == pytest.approx(hip_c[0], abs=1e-6) and shoulder_c[1] < hip_c[1]
    assert upright_crop(rgb, _pose(np.full((33, 2), np.nan), (400, 400))) is None


def test_view_spread_is_the_mean_squared_distance_from_the_views_mean():
    base = np.full((33, 2), 50.0)
    base += np.arange(33)[:, None] * (1.0, 3.0)  # a box of 32 x 96 px
    views = []
    for dx in (-1.0, 1.0, -2.0, 2.0):
        xy = base.copy()
        xy[:, 0] += dx
        views.append([_pose(xy)])
    far = base + 300.0  # another person: does not overlap, is not counted
    views.append([_pose(far)])
    spread = view_spread_px2(_pose(base), views)
    assert np.allclose(spread, (1 + 1 + 4 + 4) / 4)
    assert np.isnan(view_spread_px2(_pose(base), [[_pose(far)]])).all()


@pytest.mark.media
def test_second_model_finds_the_body_points_the_pose_model_finds(media, model_path, movenet_model):
    """On a front and a side photo MoveNet's 14-view shoulders and hips lie within a
    tenth of the trunk length of the pose model's, and it is surer of them than of
    nothing: a spread of a few pixels at most."""
    net = MoveNet(movenet_model)
    with PoseEstimator(model_path, mode="image", num_poses=1) as estimator:
        for name in (FRONT, SIDE):
            bgr = read_image(media(name))
            pose = estimator.estimate(Frame(bgr, 0, 0.0, name)).pose
            assert pose is not None
            kp = net.keypoints(np.ascontiguousarray(bgr[..., ::-1]), pose)
            assert kp is not None
            shoulders = np.nanmean(pose.xy_px[[LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER]], axis=0)
            hips = np.nanmean(pose.xy_px[[LM.LEFT_HIP, LM.RIGHT_HIP]], axis=0)
            trunk = float(np.linalg.norm(shoulders - hips))
            for c in (5, 6, 11, 12):
                m = COCO_TO_LM[c]
                if not np.isfinite(pose.xy_px[m]).all():
                    continue  # the far shoulder / hip in a side view
                assert kp.score[c] > 0.3, (name, c)
                assert np.linalg.norm(kp.mean_xy_px[c] - pose.xy_px[m]) < 0.1 * trunk, (name, c)
                assert 0 <= kp.spread_px2[c] < (0.05 * trunk) ** 2, (name, c)


@pytest.mark.media
def test_estimator_with_second_model_moves_body_points_only_and_stays_mirror_symmetric(
    media, model_path, movenet_model
):
    bgr = read_image(media(FRONT))
    frame = Frame(bgr, 0, 0.0, FRONT)
    mirrored = Frame(np.ascontiguousarray(bgr[:, ::-1]), 0, 0.0, FRONT)
    rotations = (-12.0, -8.0, -4.0, 4.0, 8.0, 12.0)
    with PoseEstimator(model_path, mode="image", num_poses=1, rotations_deg=rotations) as alone:
        plain = alone.estimate(frame).pose
    with PoseEstimator(
        model_path,
        mode="image",
        num_poses=1,
        rotations_deg=rotations,
        second_model_path=movenet_model,
    ) as both:
        assert both.second_model_path == movenet_model
        refined = both.estimate(frame).pose
        refined_mirror = unflip(both.estimate(mirrored).pose)
    assert plain is not None and refined is not None
    moved = np.linalg.norm(refined.xy_px - plain.xy_px, axis=1)
    others = [i for i in range(33) if i not in BODY]
    assert np.array_equal(refined.xy_px[others], plain.xy_px[others], equal_nan=True)
    assert np.nanmax(moved[BODY]) > 0.5  # the second model did move them
    assert np.nanmax(moved[BODY]) < 15.0  # ... by a few pixels on a 300 x 352 photo
    # The photo and its mirror image give mirrored body points (to a pixel: the crop
    # rounds its corner to whole pixels).
    assert np.nanmax(np.abs(refined_mirror.xy_px[BODY] - refined.xy_px[BODY])) < 1.0
