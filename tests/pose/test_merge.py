"""Averaging estimates whose left/right labels disagree (``posture_cam.pose.merge``): a
back taken for a front on one copy must not pull both shoulders to the middle."""

from __future__ import annotations

import numpy as np

from posture_cam.landmarks import LM
from posture_cam.pose.merge import (
    facing,
    merge_flipped,
    merge_views,
    relabelled,
    unflip,
)
from posture_cam.testing import standing_pose

SHOULDERS = [LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER]


def test_facing_reads_the_labels_and_says_nothing_side_on() -> None:
    front = standing_pose((640, 480), "front", shoulder_tilt_deg=4.0)
    assert facing(front) == 1 and facing(relabelled(front)) == -1
    assert facing(standing_pose((640, 480), "left")) == 0
    assert facing(standing_pose((640, 480), "right")) == 0
    # Relabelling moves nothing: the same points under the other side's names.
    assert np.array_equal(relabelled(front).xy_px[LM.RIGHT_SHOULDER], front.xy_px[LM.LEFT_SHOULDER])
    assert np.array_equal(relabelled(relabelled(front)).xy_px, front.xy_px, equal_nan=True)


def test_disagreeing_labels_are_aligned_before_averaging() -> None:
    front = standing_pose((640, 480), "front", shoulder_tilt_deg=4.0)
    back = relabelled(front)  # the same body, taken for a back
    width = abs(np.diff(front.xy_px[SHOULDERS, 0]))[0]
    # merge_views: every estimate takes the base's labels.
    (merged,) = merge_views([front], [[back], [front]], min_visibility=0.5)
    assert np.allclose(merged.xy_px, front.xy_px, equal_nan=True)
    assert abs(np.diff(merged.xy_px[SHOULDERS, 0]))[0] == width  # not pulled together
    # merge_flipped: the labels of the surer estimate win, whichever image it came from.
    surer = relabelled(front)
    surer.visibility[:] = 0.99
    unsure = front
    unsure.visibility[:] = 0.9
    for a, b in ((unsure, surer), (surer, unsure)):
        (pair,) = merge_flipped([a], [b], min_visibility=0.5)
        assert facing(pair) == -1
        assert np.allclose(pair.xy_px, surer.xy_px, equal_nan=True)


def test_a_photo_and_its_mirror_still_give_mirrored_poses() -> None:
    """The photo's pass says front, the mirror's says back (as on the grey clinical
    photo of a child's back); the mirror image's passes are the same two swapped."""
    w = 640
    photo_pass = standing_pose((w, 480), "front", shoulder_tilt_deg=4.0)
    photo_pass.visibility[:] = 0.9
    mirror_pass = relabelled(unflip(photo_pass))  # the mirror image, taken for a back
    mirror_pass.visibility[:] = 0.95
    (on_photo,) = merge_flipped([photo_pass], [unflip(mirror_pass)], min_visibility=0.5)
    (on_mirror,) = merge_flipped([mirror_pass], [unflip(photo_pass)], min_visibility=0.5)
    assert np.allclose(unflip(on_mirror).xy_px, on_photo.xy_px, equal_nan=True)
    # Both read as the surer pass did (a back); mapping back keeps which way one faces.
    assert facing(on_photo) == facing(on_mirror) == facing(unflip(mirror_pass)) == -1
