"""Frame checks that guard the numbers against the model being pulled off the body.

* Arms and hands: when a hand or forearm is over the face, neck or shoulders, or an
  arm is raised above the shoulders, MediaPipe's ear and shoulder points move with it
  (a raised arm lifts the shoulder landmark; a hand over the face drags the ears).
  ``arms_clear`` refuses such frames: any visible elbow, wrist or hand point (13-22)
  above the higher shoulder minus ``RAISED_MARGIN`` of the shoulder width, or inside
  the head-neck box (between the ears widened by ``FACE_MARGIN`` shoulder widths, from
  the top of the head down to the shoulders), or within ``SHOULDER_RADIUS`` shoulder
  widths of a shoulder point. In a front or back view with the trunk in the picture it
  also refuses an upper arm held out to the side: more than ``ARM_AWAY_MAX_DEG`` from
  the trunk line (shoulder midpoint to hip midpoint) in the image. A posture photo is
  taken with the arms hanging relaxed by the sides; lifting an arm sideways turns the
  shoulder blade up and moves the shoulder point (the scapula's "setting phase" ends
  at about 30° of abduction: Inman, Saunders & Abbott 1944). Relaxed arms on the shared
  front photos hang 0-35° from that line in the image (an A-pose 30°), hands on the
  hips 43°, arms at shoulder height 70-90°, which the "raised" rule does not catch
  while the hands stay below the shoulders.
* Model confidence: ``model_sure`` refuses frames in which a key landmark's presence
  is below ``MIN_PRESENCE``, or a key landmark moved more than ``MAX_JUMP_FRAC`` of
  the shoulder width within the last ``JUMP_WINDOW_MS`` (a tracking glitch, or the
  ears and shoulders being dragged by an arm that is still below the image edge: on
  the webcam-like clip they move 0.015-0.04 shoulder widths per 160 ms while the arm
  rises, 0.002-0.007 while she sits still). Side-on the two shoulders nearly overlap
  and their distance (4-37 px on the shared side photos) says nothing of the body's
  size, so a side view uses the ear-shoulder distance divided by
  ``EAR_SHOULDER_OF_WIDTH``, its median share of the shoulder width on the shared front
  photos (0.46-0.85): before, a side-view video swaying by half a pixel a frame was
  refused nearly every frame.

Reasons name the body part, so the user knows what to change.
"""

from __future__ import annotations

import numpy as np

from posture_cam.landmarks import LM
from posture_cam.reasons import landmark_names, reason
from posture_cam.types import Pose, QualityCheck

ARM_POINTS = tuple(range(LM.LEFT_ELBOW, LM.RIGHT_THUMB + 1))
#: Shoulder-width fractions (see module docstring).
RAISED_MARGIN = 0.10
FACE_MARGIN = 0.25
SHOULDER_RADIUS = 0.30
MIN_PRESENCE = 0.5
MAX_JUMP_FRAC = 0.012
JUMP_WINDOW_MS = 160.0
#: Largest angle (degrees, in the image) between an upper arm and the trunk line in a
#: front or back view (see module docstring).
ARM_AWAY_MAX_DEG = 40.0


def _shoulder_width(pose: Pose) -> float | None:
    if not pose.has(LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER):
        return None
    sw = float(np.hypot(*(pose.point(LM.LEFT_SHOULDER) - pose.point(LM.RIGHT_SHOULDER))))
    return sw if sw > 0 else None


#: Ear-shoulder distance (ear midpoint to shoulder midpoint) as a share of the shoulder
#: width: median over the shared front photos (0.46-0.85, 21 photos).
EAR_SHOULDER_OF_WIDTH = 0.62


def _ear_shoulder_distance(pose: Pose) -> float | None:
    """Ear midpoint to shoulder midpoint (px, the seen ones); None without an ear or a
    shoulder. Side-on it stands in for the shoulder width, which collapses there."""
    ears = [pose.point(i) for i in (LM.LEFT_EAR, LM.RIGHT_EAR) if pose.has(i)]
    shoulders = [pose.point(i) for i in (LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER) if pose.has(i)]
    if not ears or not shoulders:
        return None
    return float(np.hypot(*(np.mean(ears, axis=0) - np.mean(shoulders, axis=0))))


def _side_width(pose: Pose) -> float | None:
    """A side view's stand-in for the shoulder width: the ear-shoulder distance over
    ``EAR_SHOULDER_OF_WIDTH``; None without an ear and a shoulder."""
    d = _ear_shoulder_distance(pose)
    return d / EAR_SHOULDER_OF_WIDTH if d else None


def arms_clear(pose: Pose, side_view: bool) -> QualityCheck:
    """Refuse a frame whose arms or hands are over the head, neck or shoulders, or
    raised above the shoulders (see module docstring)."""
    shoulders = [pose.point(i) for i in (LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER) if pose.has(i)]
    if not shoulders:
        return QualityCheck("arms_clear", True)
    sw = _shoulder_width(pose)
    if sw is None or side_view:
        # Side-on the shoulder width collapses: use the ear-shoulder distance instead.
        sw = _ear_shoulder_distance(pose)
        if sw is None:
            return QualityCheck("arms_clear", True)
    top_sh_y = min(float(s[1]) for s in shoulders)
    head = [pose.point(i) for i in range(LM.NOSE, LM.MOUTH_RIGHT + 1) if pose.has(i)]
    raised, over_face, on_shoulder = [], [], []
    if head:
        hx = [float(p[0]) for p in head]
        x_lo, x_hi = min(hx) - FACE_MARGIN * sw, max(hx) + FACE_MARGIN * sw
        y_top = min(float(p[1]) for p in head) - 0.6 * sw  # above the eyes to the crown
    for i in ARM_POINTS:
        if not pose.has(i):
            continue
        x, y = (float(v) for v in pose.point(i))
        if y < top_sh_y - RAISED_MARGIN * sw:
            raised.append(i)
        if head and x_lo <= x <= x_hi and y_top <= y <= top_sh_y:
            over_face.append(i)
        if any(np.hypot(x - s[0], y - s[1]) < SHOULDER_RADIUS * sw for s in shoulders):
            on_shoulder.append(i)
    away = [] if side_view else arms_held_out(pose)
    places = [
        place
        for place, found in (
            ("over_face", over_face),
            ("raised", raised),
            ("on_shoulder", on_shoulder),
            ("away", away),
        )
        if found
    ]
    if not places:
        return QualityCheck("arms_clear", True)
    names = landmark_names(dict.fromkeys(over_face + raised + on_shoulder + away))
    return QualityCheck(
        "arms_clear", False, reason("arms_not_clear", places=places, landmarks=names)
    )


def arm_angles_deg(pose: Pose) -> dict[int, float]:
    """elbow id -> the angle (degrees, 0-180, in the image) between that upper arm
    (shoulder to elbow) and the trunk line (shoulder midpoint to hip midpoint); {} when
    the trunk line is not in the picture (no shoulders or hips: an upper-body capture)."""
    if not pose.has(LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, LM.LEFT_HIP, LM.RIGHT_HIP):
        return {}
    shoulders = (pose.point(LM.LEFT_SHOULDER) + pose.point(LM.RIGHT_SHOULDER)) / 2.0
    hips = (pose.point(LM.LEFT_HIP) + pose.point(LM.RIGHT_HIP)) / 2.0
    trunk = hips - shoulders
    out = {}
    for shoulder, elbow in ((LM.LEFT_SHOULDER, LM.LEFT_ELBOW), (LM.RIGHT_SHOULDER, LM.RIGHT_ELBOW)):
        if not pose.has(elbow):
            continue
        arm = pose.point(elbow) - pose.point(shoulder)
        cross = float(arm[0] * trunk[1] - arm[1] * trunk[0])
        out[int(elbow)] = abs(float(np.degrees(np.arctan2(cross, float(arm @ trunk)))))
    return out


def arms_held_out(pose: Pose) -> list[int]:
    """The elbows whose upper arm is more than :data:`ARM_AWAY_MAX_DEG` from the trunk
    line (front or back view; see module docstring)."""
    return [i for i, deg in arm_angles_deg(pose).items() if deg > ARM_AWAY_MAX_DEG]


def model_sure(
    pose: Pose, previous: np.ndarray | None, ids: list[int], side_view: bool = False
) -> QualityCheck:
    """Refuse a frame whose key landmarks the model is unsure of or that jumped.

    Args:
        pose: this frame's pose.
        previous: (33, 2) landmarks about ``JUMP_WINDOW_MS`` earlier, or None.
        ids: key landmark ids of the view.
        side_view: the view is left or right (the jump is scaled by the ear-shoulder
            distance, see the module docstring).
    """
    unsure = [i for i in ids if pose.has(i) and pose.presence[i] < MIN_PRESENCE]
    if unsure:
        why = reason("model_unsure", landmarks=landmark_names(unsure))
        return QualityCheck("model_sure", False, why)
    sw = _side_width(pose) if side_view else _shoulder_width(pose)
    if previous is None or sw is None:
        return QualityCheck("model_sure", True)
    step = np.hypot(*(pose.xy_px[ids] - previous[ids]).T)
    jumped = [
        i for i, s in zip(ids, step, strict=True) if np.isfinite(s) and s > MAX_JUMP_FRAC * sw
    ]
    if not jumped:
        return QualityCheck("model_sure", True)
    why = reason("moving_too_fast", landmarks=landmark_names(jumped))
    return QualityCheck("model_sure", False, why)
