"""View classification (front / back / left / right) and anatomical side helpers.

Rules (thresholds in docs/metrics.md):
    1. Body frame: "up" = hip midpoint -> shoulder midpoint (or shoulders -> eyes/ears
       when the hips are not visible); "right" = image-right rotated with the body.
       Every cue is measured in this frame, so an in-plane rotation of the image does
       not change the view.
    2. Side-on vs square: the apparent shoulder width (projected on "right") relative
       to the torso length (0.45 -> square, 0.22 -> side-on) or, without hips, to the
       eye-to-shoulder distance (1.0 -> square, 0.45 -> side-on); plus, when the
       model's metric world coordinates are present, |sin(yaw)| of the shoulder line.
    3. Side views: which way the patient faces (nose ahead of the ears, toes ahead of
       the heels). Facing image-left means the patient's LEFT side faces the camera
       (person facing north, camera to the west looking east: north is camera-left),
       so the view is LEFT; facing image-right gives RIGHT. This cue does not use
       the left/right labels, so mirroring the image swaps LEFT and RIGHT.
    3/4 view: the body's yaw (how far it is turned from square, 0-90°) is estimated
       from the apparent shoulder width (cos yaw = width / the typical square width:
       0.68 of the torso length, 1.6 of the eye-to-shoulder distance) averaged with
       the model's world-coordinate yaw when present. Between 35° and 65° the view is
       ``three_quarter``: neither frontal nor sagittal metrics are computed from it
       (a 45° turn shortens a shoulder line by 30 % and mixes both planes).
    4. Front vs back: the nose nearer the camera than the ears (MediaPipe depth z)
       means the face is toward the camera (front). Face *visibility* does not help:
       MediaPipe reports ~1.0 for face points even on people seen from behind. Without
       a depth difference, the model's label order decides (patient's left shoulder at
       image-right = front).
"""

from __future__ import annotations

import numpy as np

from posture_cam.landmarks import LEFT_RIGHT_PAIRS, LM
from posture_cam.metrics.geometry import body_axes, midpoint, ramp
from posture_cam.reasons import reason
from posture_cam.types import Pose, View, ViewEstimate

#: Width-ratio ramps (see module docstring).
TORSO_RATIO_SQUARE = 0.45
TORSO_RATIO_SIDE = 0.22
NECK_RATIO_SQUARE = 1.0
NECK_RATIO_SIDE = 0.45
#: |nose z - ear z| / eye-to-shoulder distance beyond which front/back is clear.
FACE_DEPTH_CLEAR = 0.25
#: Apparent shoulder width of a body square to the camera (median of the shared
#: frontal photos): per torso length, per eye/ear-to-shoulder distance.
SQUARE_TORSO_RATIO = 0.68
SQUARE_NECK_RATIO = 1.6
#: Yaw band (degrees from square) of a three-quarter view.
THREE_QUARTER_DEG = (35.0, 65.0)


def _mean_point(pose: Pose, ids: tuple[int, ...]) -> np.ndarray:
    pts = pose.xy_px[list(ids)]
    ok = np.isfinite(pts).all(axis=1)
    return pts[ok].mean(axis=0) if ok.any() else np.full(2, np.nan)


def body_frame(pose: Pose) -> tuple[np.ndarray, np.ndarray, float, str]:
    """Body frame of a pose.

    Returns:
        (up, right, length_px, reference): unit vectors, the length of the reference
        segment in pixels (NaN when none) and which segment was used
        (``torso``, ``neck`` or ``none``).
    """
    sh = midpoint(pose.point(LM.LEFT_SHOULDER), pose.point(LM.RIGHT_SHOULDER))
    hip = midpoint(pose.point(LM.LEFT_HIP), pose.point(LM.RIGHT_HIP))
    if np.isfinite(sh).all() and np.isfinite(hip).all():
        up, right = body_axes(sh - hip)
        return up, right, float(np.hypot(*(sh - hip))), "torso"
    head = _mean_point(pose, (LM.LEFT_EYE, LM.RIGHT_EYE, LM.LEFT_EAR, LM.RIGHT_EAR))
    if np.isfinite(sh).all() and np.isfinite(head).all():
        up, right = body_axes(head - sh)
        return up, right, float(np.hypot(*(head - sh))), "neck"
    up, right = body_axes(np.array([0.0, -1.0]))
    return up, right, float("nan"), "none"


def sideness(pose: Pose) -> float | None:
    """0 = square to the camera, 1 = side-on; None when the shoulders are missing."""
    if not pose.has(LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER):
        return None
    _, right, ref_px, ref = body_frame(pose)
    if ref == "none" or ref_px <= 0:
        return None
    width = abs(float(np.dot(pose.point(LM.LEFT_SHOULDER) - pose.point(LM.RIGHT_SHOULDER), right)))
    ratio = width / ref_px
    if ref == "torso":
        cues = [ramp(ratio, TORSO_RATIO_SQUARE, TORSO_RATIO_SIDE)]
    else:
        cues = [ramp(ratio, NECK_RATIO_SQUARE, NECK_RATIO_SIDE)]
    yaw = world_yaw_deg(pose)
    if yaw is not None:
        cues.append(ramp(abs(np.sin(np.radians(yaw))), 0.5, 0.9))
    return float(np.mean(cues))


def yaw_deg(pose: Pose) -> float | None:
    """How far the body is turned from square to the camera: 0 = front/back, 90 = side.

    Mean of the apparent-width estimate and, when present, the model's world yaw folded
    into 0-90°. None without both shoulders or a body reference.
    """
    if not pose.has(LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER):
        return None
    _, right, ref_px, ref = body_frame(pose)
    if ref == "none" or not ref_px > 0:
        return None
    width = abs(float(np.dot(pose.point(LM.LEFT_SHOULDER) - pose.point(LM.RIGHT_SHOULDER), right)))
    square = SQUARE_TORSO_RATIO if ref == "torso" else SQUARE_NECK_RATIO
    cues = [float(np.degrees(np.arccos(min(1.0, width / ref_px / square))))]
    world = world_yaw_deg(pose)
    if world is not None:
        cues.append(float(np.degrees(np.arcsin(abs(np.sin(np.radians(world)))))))
    return float(np.mean(cues))


def world_yaw_deg(pose: Pose) -> float | None:
    """Yaw of the shoulder line (left minus right) in the model's metric world frame:
    0 = square front, ±180 = square back, ±90 = side-on. None without world points."""
    w = pose.world_xyz_m
    if w is None:
        return None
    d = w[LM.LEFT_SHOULDER] - w[LM.RIGHT_SHOULDER]
    if not np.isfinite(d).all():
        return None
    return float(np.degrees(np.arctan2(d[2], d[0])))


def facing_score(pose: Pose) -> float:
    """Which way the patient faces along the body's "right" axis.

    Returns:
        > 0 facing image-right, < 0 facing image-left, 0 unknown. Magnitude is the
        nose-ahead-of-ears distance (plus toe-ahead-of-heel distances) divided by the
        body frame's reference length.
    """
    _, right, ref_px, _ = body_frame(pose)
    if not np.isfinite(ref_px) or ref_px <= 0:
        ref_px = 1.0
    votes = []
    ears = _mean_point(pose, (LM.LEFT_EAR, LM.RIGHT_EAR))
    nose = pose.point(LM.NOSE)
    if np.isfinite(ears).all() and np.isfinite(nose).all():
        votes.append(float(np.dot(nose - ears, right)) / ref_px)
    for toe, heel in ((LM.LEFT_FOOT_INDEX, LM.LEFT_HEEL), (LM.RIGHT_FOOT_INDEX, LM.RIGHT_HEEL)):
        if pose.has(toe, heel):
            # Feet are a weaker cue than the face (turned-out feet): half weight.
            votes.append(0.5 * float(np.dot(pose.point(toe) - pose.point(heel), right)) / ref_px)
    return float(np.sum(votes)) if votes else 0.0


def face_depth_score(pose: Pose) -> float | None:
    """(z_ears - z_nose) / eye-to-shoulder distance: > 0 nose nearer (front)."""
    z = pose.z_px
    ear_z = (
        np.nanmean([z[LM.LEFT_EAR], z[LM.RIGHT_EAR]])
        if np.isfinite([z[LM.LEFT_EAR], z[LM.RIGHT_EAR]]).any()
        else np.nan
    )
    eyes = _mean_point(pose, (LM.LEFT_EYE, LM.RIGHT_EYE))
    sh = midpoint(pose.point(LM.LEFT_SHOULDER), pose.point(LM.RIGHT_SHOULDER))
    ref = float(np.hypot(*(eyes - sh)))
    if not (np.isfinite(ear_z) and np.isfinite(z[LM.NOSE]) and np.isfinite(ref) and ref > 0):
        return None
    return float(ear_z - z[LM.NOSE]) / ref


def label_order_score(pose: Pose) -> float:
    """> 0 when the model's left shoulder/hip lie on the body's image-right (front-like)."""
    _, right, _, _ = body_frame(pose)
    total = 0.0
    for left, rght in ((LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER), (LM.LEFT_HIP, LM.RIGHT_HIP)):
        if pose.has(left, rght):
            total += float(np.dot(pose.point(left) - pose.point(rght), right))
    return total


def classify_view(pose: Pose) -> ViewEstimate:
    """Detect which side of the patient faces the camera (see module docstring).

    Args:
        pose: landmarks in image pixels.

    Returns:
        ViewEstimate with confidence in [0, 1]; UNKNOWN (0) without both shoulders.
    """
    side = sideness(pose)
    if side is None:
        return ViewEstimate(View.UNKNOWN, 0.0, reason=reason("shoulders_not_visible"))
    yaw = yaw_deg(pose)
    lo, hi = THREE_QUARTER_DEG
    if yaw is not None and lo <= yaw <= hi:
        # Confidence: 1 in the middle of the band, 0.5 at its edges.
        mid, half = (lo + hi) / 2.0, (hi - lo) / 2.0
        conf = 1.0 - 0.5 * abs(yaw - mid) / half
        why = reason("three_quarter", yaw_deg=round(yaw, 2))
        return ViewEstimate(View.THREE_QUARTER, round(conf, 3), yaw_deg=yaw, reason=why)
    primary = abs(2.0 * side - 1.0)  # 0 at the ambiguous middle, 1 at the extremes
    if side >= 0.5:
        facing = facing_score(pose)
        if facing == 0.0:
            return ViewEstimate(View.UNKNOWN, 0.0, yaw_deg=yaw, reason=reason("facing_unclear"))
        view = View.RIGHT if facing > 0 else View.LEFT
        clarity = ramp(abs(facing), 0.0, 0.15)
    else:
        depth = face_depth_score(pose)
        if depth is not None and abs(depth) >= FACE_DEPTH_CLEAR:
            view = View.FRONT if depth > 0 else View.BACK
            clarity = ramp(abs(depth), 0.0, 0.8)
        else:
            order = label_order_score(pose)
            view = View.FRONT if order >= 0 else View.BACK
            clarity = 0.3  # the model's own front/back guess: weak evidence
    confidence = (0.5 + 0.5 * primary) * (0.5 + 0.5 * clarity)
    return ViewEstimate(view, round(float(confidence), 3), yaw_deg=yaw)


def left_dir_x(view: View) -> float:
    """+1 if the patient's left is image-right (FRONT), -1 if image-left (BACK)."""
    return 1.0 if view is View.FRONT else -1.0


def facing_dir_x(view: View) -> float:
    """+1 if the patient faces image-right (RIGHT view), -1 if image-left (LEFT view)."""
    return 1.0 if view is View.RIGHT else -1.0


def swap_sides(pose: Pose) -> Pose:
    """The pose with every left/right landmark pair's labels exchanged."""
    idx = np.arange(len(pose.xy_px))
    for left, right in LEFT_RIGHT_PAIRS:
        idx[left], idx[right] = right, left
    return Pose(
        pose.xy_px[idx],
        pose.z_px[idx],
        pose.visibility[idx],
        pose.presence[idx],
        pose.resolution_wh,
        None if pose.world_xyz_m is None else pose.world_xyz_m[idx],
    )


def labels_contradict_view(pose: Pose, view: View) -> bool:
    """True when the model's left/right labels contradict the view.

    Front/back: the patient's left shoulder and hip must lie toward image-right in a
    front view (image-left in a back view). Side: the labelled side of the view must
    not be clearly farther from the camera (z) than the other side.
    """
    if view.is_frontal:
        xs = 0.0
        for left, right in ((LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER), (LM.LEFT_HIP, LM.RIGHT_HIP)):
            if pose.has(left, right):
                xs += float(pose.point(left)[0] - pose.point(right)[0])
        return xs * left_dir_x(view) < 0
    if view.is_side:
        _, _, ref_px, _ = body_frame(pose)
        z = pose.z_px
        pairs = (
            (LM.LEFT_EAR, LM.RIGHT_EAR),
            (LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER),
            (LM.LEFT_HIP, LM.RIGHT_HIP),
        )
        dz = [z[a] - z[b] for a, b in pairs if np.isfinite(z[a] - z[b])]
        if not dz or not np.isfinite(ref_px):
            return False
        near_minus_far = float(np.mean(dz)) * (1.0 if view is View.LEFT else -1.0)
        # Smaller z = nearer: the view's side must not be clearly farther away.
        return near_minus_far > 0.2 * ref_px
    return False
