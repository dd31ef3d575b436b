"""One plain instruction at a time for a patient alone in front of a webcam.

:func:`instruction_for` turns a :class:`~posture_cam.types.FrameResult` (from the one
``Pipeline``) into the single most useful thing to do next, in this order:

1. nobody in view -> ``STEP_INTO_VIEW``
2. more than one person -> ``ONLY_YOU``
3. ears or shoulders cut off / too close -> ``MOVE_BACK`` ("sit or stand back"); the
   head or shoulders at a side edge -> ``MOVE_TO_MIDDLE``
4. view unclear or turned in depth -> ``FACE_CAMERA``
5. a hand raised above the shoulders (waving, over the face) -> ``LOWER_HANDS``; only an
   arm held out to the side (hands on the hips, arms spread) -> ``ARMS_DOWN``
6. moving -> ``HOLD_STILL``
7. otherwise ``READY`` (the countdown runs).

The quality gate decides 3, 4 and 6 (its check ids ``landmarks_visible``, ``in_frame``,
``view_known``, ``orientation``, ``still``); the hands check is home mode's own, because
a hand in front of the face moves the ear landmarks without the body moving.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np

from posture_cam.landmarks import LM
from posture_cam.reasons import Reason, has_code
from posture_cam.types import FrameResult

#: A hand point counts as raised above this fraction of the shoulder-to-ear height.
RAISED_HAND_FRAC = 0.6
_HAND_IDS = (LM.LEFT_WRIST, LM.RIGHT_WRIST, LM.LEFT_INDEX, LM.RIGHT_INDEX)
_HAND_MIN_VISIBILITY = 0.5
#: Points this close to a side edge (fraction of width) mean "move to the middle".
_EDGE_FRAC = 0.03


class Instruction(StrEnum):
    STEP_INTO_VIEW = "step_into_view"
    ONLY_YOU = "only_you"
    MOVE_BACK = "move_back"
    MOVE_TO_MIDDLE = "move_to_middle"
    FACE_CAMERA = "face_camera"
    LOWER_HANDS = "lower_hands"
    ARMS_DOWN = "arms_down"
    HOLD_STILL = "hold_still"
    READY = "ready"


def hands_raised(result: FrameResult) -> bool:
    """True when a wrist or index finger is visible above the lower shoulder-to-ear band.

    The line lies ``RAISED_HAND_FRAC`` of the way from the shoulder midpoint up to the
    ear midpoint (image y grows downward); without both ears and shoulders it is False.
    """
    pose = result.pose_image
    if pose is None or not pose.has(LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER):
        return False
    ears = [pose.point(i)[1] for i in (LM.LEFT_EAR, LM.RIGHT_EAR) if pose.has(i)]
    if not ears:
        return False
    shoulder_y = float(np.mean([pose.point(LM.LEFT_SHOULDER)[1], pose.point(LM.RIGHT_SHOULDER)[1]]))
    ear_y = float(np.mean(ears))
    line_y = shoulder_y - RAISED_HAND_FRAC * (shoulder_y - ear_y)
    for i in _HAND_IDS:
        if pose.has(i) and pose.visibility[i] >= _HAND_MIN_VISIBILITY and pose.point(i)[1] < line_y:
            return True
    return False


def _arms_only_held_out(result: FrameResult) -> bool:
    """True when the gate refused the arms only for being held out to the side (its
    ``arms_clear`` place ``away``), with no hand raised: "lower your hands" would not
    say what to do."""
    if hands_raised(result):
        return False
    for check in result.quality.failed():
        if check.id == "arms_clear" and isinstance(check.reason, Reason):
            parts = check.reason.parts or (check.reason,)
            places = {p for part in parts for p in part.data.get("places", ())}
            return places == {"away"}
    return False


def only_settling(result: FrameResult) -> bool:
    """True when the gate's one objection is that the pose is still settling after a
    run of refused frames (``still``, reason ``settling``) or has only just come into
    view (``watching``): the patient has already done what was asked and only has to
    hold still."""
    failed = result.quality.failed()
    return bool(failed) and all(
        c.id == "still" and (has_code(c.reason, "settling") or has_code(c.reason, "watching"))
        for c in failed
    )


def _edge_instruction(result: FrameResult) -> Instruction:
    """Head or shoulders at a side edge only: move to the middle; else move back.

    Judged from the points rather than from the gate's reason text, which is translated.
    """
    pose = result.pose_image
    if pose is None:
        return Instruction.STEP_INTO_VIEW
    w, h = pose.resolution_wh
    xy = pose.xy_px[: LM.RIGHT_SHOULDER + 1]
    xy = xy[np.isfinite(xy).all(axis=1)]
    margin_x, margin_y = _EDGE_FRAC * w, _EDGE_FRAC * h
    top_bottom = bool(((xy[:, 1] < margin_y) | (xy[:, 1] > h - 1 - margin_y)).any())
    sides = bool(((xy[:, 0] < margin_x) | (xy[:, 0] > w - 1 - margin_x)).any())
    if sides and not top_bottom:
        return Instruction.MOVE_TO_MIDDLE
    return Instruction.MOVE_BACK


def instruction_for(result: FrameResult) -> Instruction:
    """The one instruction to show for this frame (see module docstring)."""
    if not result.person_found or result.pose_image is None:
        return Instruction.STEP_INTO_VIEW
    if result.num_people > 1:
        return Instruction.ONLY_YOU
    failed = {c.id for c in result.quality.failed()}
    pose = result.pose_image
    if "landmarks_visible" in failed or "in_frame" in failed:
        if not pose.has(LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER):
            return Instruction.MOVE_BACK
        if "in_frame" in failed:
            return _edge_instruction(result)
        if not (pose.has(LM.LEFT_EAR) or pose.has(LM.RIGHT_EAR)):
            return Instruction.FACE_CAMERA  # shoulders seen, ears not: head turned away
        return Instruction.MOVE_BACK
    if "view_known" in failed or "orientation" in failed:
        return Instruction.FACE_CAMERA
    if hands_raised(result) or "arms_clear" in failed:
        return Instruction.ARMS_DOWN if _arms_only_held_out(result) else Instruction.LOWER_HANDS
    if "still" in failed:
        return Instruction.HOLD_STILL
    if failed:  # a check this module does not know yet: do not capture through it
        return Instruction.HOLD_STILL
    return Instruction.READY
