"""The crop of the still passes' second pass maps back onto the photo exactly."""

from __future__ import annotations

import numpy as np

from posture_cam.pose.still_passes import crop_around
from posture_cam.types import Pose


def _pose(xy: list[tuple[float, float]], wh: tuple[int, int]) -> Pose:
    pts = np.full((33, 2), np.nan)
    pts[: len(xy)] = xy
    return Pose.from_arrays(pts, wh)


def test_crop_maps_back_to_photo_pixels() -> None:
    rgb = np.zeros((300, 400, 3), np.uint8)
    rgb[100:110, 200:210] = 255  # a bright 10 x 10 block at x 200-210, y 100-110
    pose = _pose([(150.0, 50.0), (250.0, 250.0)], (400, 300))  # box 100 x 200
    image, origin_xy, scale = crop_around(rgb, pose, 256)
    assert image.shape == (256, 256, 3)
    assert scale == 250 / 256  # side = 1.25 x the longer box side (200)
    ys, xs = np.nonzero(image[..., 0] > 127)
    # The block's centre in the crop, mapped back, is the block's centre in the photo.
    centre_crop = np.array([xs.mean() + 0.5, ys.mean() + 0.5])
    assert np.allclose(centre_crop * scale + origin_xy, (205.0, 105.0), atol=0.6)


def test_crop_pads_black_outside_the_photo() -> None:
    rgb = np.full((100, 100, 3), 200, np.uint8)
    pose = _pose([(5.0, 5.0), (45.0, 85.0)], (100, 100))  # near the top-left corner
    image, origin_xy, _ = crop_around(rgb, pose, 100)
    assert origin_xy[0] < 0 and origin_xy[1] < 0
    assert image[0, 0].max() == 0 and image[50, 50].min() == 200
    assert crop_around(rgb, Pose.empty((100, 100)), 100) is None
