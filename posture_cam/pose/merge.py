"""Combining several landmark estimates of one person (test-time averaging of stills).

The estimator runs the model on a photo, its mirror image and slightly rotated copies;
these helpers map the results back onto the photo, match people across runs by
bounding-box overlap and average their landmarks. All functions are symmetric in their
inputs, so a photo and its mirror image give exactly mirrored results.

A body seen from the back can be taken for one seen from the front, and the model may
decide differently on different copies: its left/right labels then disagree, and
averaging them would pull both shoulders (and both hips) to the middle, a body "turned
sideways". Before averaging, every estimate that faces the other way than the one it
joins gets its labels swapped (:func:`relabelled`).
"""

from __future__ import annotations

import warnings

import numpy as np

from posture_cam.landmarks import LM, MIRROR_INDEX
from posture_cam.types import Pose

#: An estimate says which way the body faces (its left shoulder and hip to the image's
#: right: towards the camera) when its shoulders and hips lie at least this far apart
#: across the image, as a fraction of the trunk length; closer, it is side-on and its
#: labels say nothing about facing (side views: 0.0-0.1, three-quarter views 0.3-0.7).
FACING_SPREAD_OF_TRUNK = 0.25
_PAIRS = ((LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER), (LM.LEFT_HIP, LM.RIGHT_HIP))
_TORSO = [LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, LM.LEFT_HIP, LM.RIGHT_HIP]


def unflip(pose: Pose) -> Pose:
    """Map a pose found on the horizontally flipped image back onto the original.

    x -> W - 1 - x (as ``cv2.flip`` and :meth:`Pose.mirrored`), and every left/right
    label swapped: the model's "left" on the flipped image is the patient's right.
    """
    w = pose.resolution_wh[0]
    idx = MIRROR_INDEX
    xy = pose.xy_px[idx].copy()
    xy[:, 0] = (w - 1) - xy[:, 0]
    world = None
    if pose.world_xyz_m is not None:
        world = pose.world_xyz_m[idx].copy()
        world[:, 0] = -world[:, 0]
    return Pose(
        xy, pose.z_px[idx], pose.visibility[idx], pose.presence[idx], pose.resolution_wh, world
    )


def drop_outside(pose: Pose) -> Pose:
    """Points mapped back from a rotated / flipped copy may fall just outside the image:
    like any point the model places there, they count as missing."""
    w, h = pose.resolution_wh
    xy = pose.xy_px
    with np.errstate(invalid="ignore"):
        outside = (xy < -0.5).any(axis=1) | (xy[:, 0] > w - 0.5) | (xy[:, 1] > h - 0.5)
    if not outside.any():
        return pose
    xy = xy.copy()
    z = pose.z_px.copy()
    xy[outside] = np.nan
    z[outside] = np.nan
    return Pose(xy, z, pose.visibility, pose.presence, pose.resolution_wh, pose.world_xyz_m)


def box_iou(a: Pose, b: Pose) -> float:
    ba, bb = a.bbox_xyxy(), b.bbox_xyxy()
    if ba is None or bb is None:
        return 0.0
    ix = max(0.0, min(ba[2], bb[2]) - max(ba[0], bb[0]))
    iy = max(0.0, min(ba[3], bb[3]) - max(ba[1], bb[1]))
    inter = ix * iy
    union = (ba[2] - ba[0]) * (ba[3] - ba[1]) + (bb[2] - bb[0]) * (bb[3] - bb[1]) - inter
    return inter / union if union > 0 else 0.0


def relabelled(pose: Pose) -> Pose:
    """The same points with every left/right label swapped: the body taken as facing
    the other way (front for back), nothing moved."""
    idx = MIRROR_INDEX
    world = pose.world_xyz_m[idx].copy() if pose.world_xyz_m is not None else None
    return Pose(
        pose.xy_px[idx].copy(),
        pose.z_px[idx].copy(),
        pose.visibility[idx].copy(),
        pose.presence[idx].copy(),
        pose.resolution_wh,
        world,
    )


def facing(pose: Pose) -> int:
    """+1 when the labels put the left shoulder and hip on the image's right (the body
    faces the camera), -1 when on its left (the back), 0 when side-on or unknown."""
    xy = pose.xy_px
    dx = [xy[a, 0] - xy[b, 0] for a, b in _PAIRS if np.isfinite(xy[[a, b], 0]).all()]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a side missing: NaN, no trunk
        shoulders = np.nanmean(xy[[LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER]], axis=0)
        hips = np.nanmean(xy[[LM.LEFT_HIP, LM.RIGHT_HIP]], axis=0)
    trunk = float(np.hypot(*(shoulders - hips)))
    if not dx or not np.isfinite(trunk) or trunk <= 0:
        return 0
    spread = float(np.mean(dx))
    if abs(spread) < FACING_SPREAD_OF_TRUNK * trunk:
        return 0
    return 1 if spread > 0 else -1


def facing_as(pose: Pose, way: int) -> Pose:
    """``pose`` labelled as facing ``way`` (+1 / -1); as it is when it or ``way`` is
    side-on (0)."""
    own = facing(pose)
    return relabelled(pose) if own and way and own != way else pose


def _torso_score(pose: Pose) -> float:
    return float(np.mean(pose.visibility[_TORSO]) + np.mean(pose.presence[_TORSO]))


def _average(poses: list[Pose], min_visibility: float) -> Pose:
    """Landmark-wise mean of several estimates of one person (NaN-aware)."""
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows stay NaN
        xy = np.nanmean(np.stack([p.xy_px for p in poses]), axis=0)
        z = np.nanmean(np.stack([p.z_px for p in poses]), axis=0)
        world = None
        worlds = [p.world_xyz_m for p in poses if p.world_xyz_m is not None]
        if len(worlds) == len(poses):
            world = np.nanmean(np.stack(worlds), axis=0)
    visibility = np.mean([p.visibility for p in poses], axis=0)
    presence = np.mean([p.presence for p in poses], axis=0)
    missing = visibility < min_visibility
    xy[missing] = np.nan
    z[missing] = np.nan
    return Pose(xy, z, visibility, presence, poses[0].resolution_wh, world)


def merge_views(base: list[Pose], extra: list[list[Pose]], min_visibility: float) -> list[Pose]:
    """Average each base pose with its best match (IoU >= 0.3) in every extra view.

    Each extra list counts once per person, so the result is symmetric in the extra
    views: the order in which they were computed does not matter.
    """
    merged = []
    for pose in base:
        group = [pose]
        way = facing(pose)
        for candidates in extra:
            scored = [(box_iou(pose, c), k) for k, c in enumerate(candidates)]
            if scored:
                iou, k = max(scored)
                if iou >= 0.3:
                    group.append(facing_as(candidates[k], way))
        merged.append(_average(group, min_visibility) if len(group) > 1 else pose)
    return merged


def merge_flipped(
    poses: list[Pose], unflipped: list[Pose], min_visibility: float, min_iou: float = 0.3
) -> list[Pose]:
    """Average each pose with its best-overlapping counterpart from the flipped image.

    Both lists are matched symmetrically (greedy by IoU), so the result does not depend
    on which of the two images was the "original": a photo and its mirror image give
    exactly mirrored poses.
    """
    pairs = sorted(
        ((box_iou(p, q), i, j) for i, p in enumerate(poses) for j, q in enumerate(unflipped)),
        reverse=True,
    )
    used_i: set[int] = set()
    used_j: set[int] = set()
    merged: dict[int, Pose] = {}
    for iou, i, j in pairs:
        if iou < min_iou or i in used_i or j in used_j:
            continue
        used_i.add(i)
        used_j.add(j)
        a, b = poses[i], unflipped[j]
        # Facing different ways: the labels of the estimate the model is surer of (the
        # same one whichever image is the mirror) win.
        if _torso_score(b) > _torso_score(a):
            a = facing_as(a, facing(b))
        else:
            b = facing_as(b, facing(a))
        merged[i] = _average([a, b], min_visibility)
    # People seen in only one of the two images are kept from either side, so that the
    # result stays symmetric under mirroring.
    return [merged.get(i, p) for i, p in enumerate(poses)] + [
        q for j, q in enumerate(unflipped) if j not in used_j
    ]
