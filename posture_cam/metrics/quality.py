"""Quality gate: is this frame good enough for a clinical measurement?

Checks, in report order (each a ``QualityCheck(id, ok, reason)``; a failed check's
reason is a :class:`posture_cam.reasons.Reason` with a stable code, listed there):
    * ``person``: a person was found.
    * ``view_known``: the view is front, back, left or right (and, set by hand, not
      contradicted by the body: ``pipeline.forced_view_check``).
    * ``landmarks_visible``: the key landmarks of the view have visibility >= the
      threshold (front/back: ears, shoulders, hips, knees, ankles; side: ear,
      shoulder, hip, knee, ankle of the side facing the camera; knees and ankles only
      with ``require_full_body``). The reason names the missing ones.
    * ``in_frame``: no visible landmark within ``border_frac`` of an image edge; the
      reason names the edge(s) and the landmarks there.

Framing: with ``require_full_body=None`` (the default, "auto") a frame in which no
hip is visible is an *upper-body* capture (a laptop webcam at home, a patient seated
at a desk): then only ears and shoulders are key landmarks and only they (and the
face) must keep clear of the image edges. With hips but no knee or ankle in view it is
a *waist-up* capture: hips are the lowest key landmarks and the arms may leave the
frame. Head and shoulder metrics (head tilt,
shoulder tilt, CVA) can then pass the gate; trunk, pelvis and leg metrics are
reported as not measurable by the engine anyway.
    * ``orientation``: front/back: the shoulder line turned in depth by at most
      ``max_yaw_deg`` (from the model's world coordinates; without them, from the
      apparent shoulder width); side: within ``max_yaw_deg`` of side-on.
    * ``arms_clear`` and ``model_sure``: no arm or hand over the face, neck or
      shoulders or raised above them, and the model sure of the key landmarks with no
      jump since the last frame (``posture_cam.metrics.occlusion``).
    * ``still``: over the last ``window_ms``, no key landmark moved by more than
      ``max_motion_frac`` of body height (max - min per axis). A single frame (no
      history yet) passes with no reason. It also fails ("settling") for
      ``settle_ms`` after a run of at least ``SETTLE_AFTER_RUN_MS`` of frames that
      another check refused (a single odd frame does not count): the frame right after a
      hand leaves the face or a shoulder comes back inside the picture still carries
      the disturbance (the smoothing filter's time constant at its 1 Hz cut-off is
      0.16 s; ``settle_ms`` is about two of them). On the webcam-like clip a lone
      frame passed between refused ones with its head tilt 2° off the still opening.
      In a stream (``stream=True``: videos, the camera) it also fails ("watching")
      for the first ``settle_ms`` after the person came into view (the first frame, or
      the first after nobody was in view or a reset): with no frames before them
      neither stillness nor a jump can be judged, and the tracker is still locking on.
      Before, a video whose every later frame was refused (two people, the tracker
      jumping between them) made an "ok" capture of its first two frames, and a person
      the model saw for one frame on a magazine cover one of that frame alone. A
      photo (``stream=False``) is one frame: it is never watched.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from posture_cam.landmarks import LM
from posture_cam.metrics.body import EDGE_FRAC, body_height
from posture_cam.metrics.occlusion import JUMP_WINDOW_MS, arms_clear, model_sure
from posture_cam.metrics.view import body_frame, sideness, world_yaw_deg
from posture_cam.reasons import has_code, landmark_names, reason
from posture_cam.types import Pose, QualityCheck, QualityReport, View, ViewEstimate

_FRONT_KEYS = (
    LM.LEFT_EAR,
    LM.RIGHT_EAR,
    LM.LEFT_SHOULDER,
    LM.RIGHT_SHOULDER,
    LM.LEFT_HIP,
    LM.RIGHT_HIP,
)
_FRONT_LEGS = (LM.LEFT_KNEE, LM.RIGHT_KNEE, LM.LEFT_ANKLE, LM.RIGHT_ANKLE)
_SIDE_KEYS = (LM.LEFT_EAR, LM.LEFT_SHOULDER, LM.LEFT_HIP)
_SIDE_LEGS = (LM.LEFT_KNEE, LM.LEFT_ANKLE)


#: A run of refused frames at least this long (ms) is followed by ``settle_ms`` of
#: settling; a shorter one (a single odd frame, two at 25 fps) is not.
SETTLE_AFTER_RUN_MS = 100.0

_FRONT_UPPER = (LM.LEFT_EAR, LM.RIGHT_EAR, LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER)
_SIDE_UPPER = (LM.LEFT_EAR, LM.LEFT_SHOULDER)


def is_upper_body(pose: Pose) -> bool:
    """True when no hip is visible: the camera frames head and shoulders only."""
    return not (pose.has(LM.LEFT_HIP) or pose.has(LM.RIGHT_HIP))


def _legs_in_view(pose: Pose) -> bool:
    return any(pose.has(i) for i in (LM.LEFT_KNEE, LM.RIGHT_KNEE, LM.LEFT_ANKLE, LM.RIGHT_ANKLE))


def key_landmarks(
    view: View, require_full_body: bool = True, upper_body: bool = False
) -> tuple[int, ...]:
    """Landmark ids that must be visible for a clinical capture in ``view``."""
    if upper_body:
        if view.is_side:
            return _SIDE_UPPER if view is View.LEFT else tuple(i + 1 for i in _SIDE_UPPER)
        return _FRONT_UPPER
    if view.is_frontal:
        return _FRONT_KEYS + (_FRONT_LEGS if require_full_body else ())
    if view.is_side:
        ids = _SIDE_KEYS + (_SIDE_LEGS if require_full_body else ())
        return ids if view is View.LEFT else tuple(i + 1 for i in ids)
    return _FRONT_KEYS


class QualityGate:
    """Stateful per-frame quality checks (see module docstring).

    Args:
        min_visibility: landmark visibility threshold (0..1).
        require_full_body: knees and ankles are key landmarks (standing assessment);
            False: hips are the lowest key landmarks; None (default): full body unless
            no hip is visible, then an upper-body capture (see module docstring).
        border_frac: margin at the image edges, fraction of width / height.
        max_yaw_deg: allowed rotation in depth away from square / side-on, degrees.
        window_ms: stillness window in milliseconds.
        max_motion_frac: allowed landmark motion over the window, fraction of body
            height (0.015 ≈ 2.5 cm for a 170 cm person).
        settle_ms: how long after a run of at least ``SETTLE_AFTER_RUN_MS`` of frames
            another check refused ``still`` keeps failing (0: not at all); in a stream
            also how long a person must be in view before a frame can pass.
        stream: frames of one stream (video, camera) rather than independent photos.
    """

    def __init__(
        self,
        min_visibility: float = 0.5,
        require_full_body: bool | None = None,
        border_frac: float = EDGE_FRAC,
        max_yaw_deg: float = 20.0,
        window_ms: float = 1000.0,
        max_motion_frac: float = 0.015,
        settle_ms: float = 300.0,
        stream: bool = False,
    ) -> None:
        self.min_visibility = float(min_visibility)
        self.require_full_body = require_full_body
        self.border_frac = float(border_frac)
        self.max_yaw_deg = float(max_yaw_deg)
        self.window_ms = float(window_ms)
        self.max_motion_frac = float(max_motion_frac)
        self.settle_ms = float(settle_ms)
        self.stream = bool(stream)
        self._history: deque[tuple[float, np.ndarray]] = deque()
        self._refused_since_ms: float | None = None  # first frame of the current refused run
        self._settle_until_ms: float | None = None
        self._in_view_since_ms: float | None = None  # a stream's person, first frame

    def reset(self) -> None:
        """Forget the motion history and the last refused frames (new source, new patient)."""
        self._history.clear()
        self._refused_since_ms = None
        self._settle_until_ms = None
        self._in_view_since_ms = None

    def check(self, pose: Pose | None, view: ViewEstimate, t_ms: float) -> QualityReport:
        """Run every check on one frame and remember it for the stillness check."""
        if pose is None or pose.is_empty:
            self.reset()
            return QualityReport(
                (
                    QualityCheck("person", False, reason("no_person")),
                    QualityCheck("view_known", False, reason("no_person_to_classify")),
                )
            )
        v = view.view
        auto = self.require_full_body is None
        upper = auto and is_upper_body(pose)
        # Waist-up framing (hips in view, no knee or ankle): legs are not required.
        legs = self.require_full_body is True or (auto and not upper and _legs_in_view(pose))
        checks = [
            QualityCheck("person", True),
            self._view_known(view),
            self._visible(pose, v, upper, legs),
            self._in_frame(pose, upper, legs),
            self._orientation(pose, v, view.yaw_deg),
            arms_clear(pose, v.is_side),
            model_sure(pose, self._previous(t_ms), list(key_landmarks(v, legs, upper)), v.is_side),
        ]
        checks.append(self._settled(self._still(pose, v, t_ms), checks, t_ms))
        return QualityReport(tuple(checks))

    @staticmethod
    def _view_known(view: ViewEstimate) -> QualityCheck:
        v = view.view
        if view.forced and has_code(view.reason, "view_contradicts_body"):
            # Not a known view: the one set by hand is not what the body shows (its
            # numbers are not judged), so the frame is no clinical capture either.
            return QualityCheck("view_known", False, reason("view_set_contradicts"))
        if v.is_frontal or v.is_side:
            return QualityCheck("view_known", True)
        if v is View.THREE_QUARTER and view.reason:
            return QualityCheck("view_known", False, view.reason)
        return QualityCheck("view_known", False, reason("view_unclear"))

    def _settled(
        self, still: QualityCheck, others: list[QualityCheck], t_ms: float
    ) -> QualityCheck:
        """``still``, failed until ``settle_ms`` after a run of at least
        ``SETTLE_AFTER_RUN_MS`` of frames another check refused (one odd frame is not a
        disturbance); follows those runs."""
        if not all(c.ok for c in others):
            if self._refused_since_ms is None:
                self._refused_since_ms = t_ms
            if t_ms - self._refused_since_ms >= SETTLE_AFTER_RUN_MS:
                self._settle_until_ms = t_ms + self.settle_ms
            return still
        self._refused_since_ms = None
        until = self._settle_until_ms
        if still.ok and until is not None and t_ms <= until:
            return QualityCheck("still", False, reason("settling", window_s=self.settle_ms / 1000))
        since = self._in_view_since_ms
        if still.ok and since is not None and t_ms - since < self.settle_ms:
            return QualityCheck("still", False, reason("watching", window_s=self.settle_ms / 1000))
        return still

    def _visible(self, pose: Pose, view: View, upper: bool, legs: bool) -> QualityCheck:
        ids = key_landmarks(view, legs, upper)
        bad = [i for i in ids if not pose.has(i) or pose.visibility[i] < self.min_visibility]
        if not bad:
            return QualityCheck("landmarks_visible", True)
        why = reason("key_points_not_visible", landmarks=landmark_names(bad))
        return QualityCheck("landmarks_visible", False, why)

    def _in_frame(self, pose: Pose, upper: bool, legs: bool) -> QualityCheck:
        w, h = pose.resolution_wh
        mx, my = self.border_frac * w, self.border_frac * h
        xy = pose.xy_px
        ok = np.isfinite(xy).all(axis=1)
        if upper:  # arms and torso may leave the frame; head and shoulders may not
            ok[LM.LEFT_ELBOW :] = False
        elif not legs:  # waist-up: the arms may leave the frame
            ok[LM.LEFT_ELBOW : LM.LEFT_HIP] = False
        masks = (
            ("left", ok & (xy[:, 0] < mx)),
            ("right", ok & (xy[:, 0] > w - 1 - mx)),
            ("top", ok & (xy[:, 1] < my)),
            ("bottom", ok & (xy[:, 1] > h - 1 - my)),
        )
        edges = [
            {"edge": edge, "landmarks": landmark_names(np.flatnonzero(mask)[:3])}
            for edge, mask in masks
            if mask.any()
        ]
        feet_missing = legs and not (pose.has(LM.LEFT_ANKLE) or pose.has(LM.RIGHT_ANKLE))
        if not edges and not feet_missing:
            return QualityCheck("in_frame", True)
        data: dict[str, object] = {"edges": edges}
        if feet_missing:
            data["feet_not_in_view"] = True
        return QualityCheck("in_frame", False, reason("cut_off", **data))

    def _orientation(self, pose: Pose, view: View, view_yaw_deg: float | None) -> QualityCheck:
        if view is View.THREE_QUARTER and view_yaw_deg is not None:
            # Known, only turned: say how far (the view's own yaw, as its reason says),
            # as for a front view, not "view unknown".
            return QualityCheck(
                "orientation", False, reason("turned_from_square", deg=round(view_yaw_deg, 2))
            )
        if not (view.is_frontal or view.is_side):
            return QualityCheck("orientation", False, reason("view_unknown"))
        yaw = world_yaw_deg(pose)
        if yaw is not None:
            off_square = min(abs(yaw), 180.0 - abs(yaw))  # 0 = square front or back
            off = off_square if view.is_frontal else abs(90.0 - off_square)
            if off <= self.max_yaw_deg:
                return QualityCheck("orientation", True)
            code = "turned_from_square" if view.is_frontal else "turned_from_side_on"
            return QualityCheck("orientation", False, reason(code, deg=round(off, 2)))
        side = sideness(pose)
        if side is None:
            return QualityCheck("orientation", False, reason("shoulders_not_visible"))
        # Without depth, apparent width only tells square (0) from side-on (1).
        if view.is_frontal and side <= 0.2:
            return QualityCheck("orientation", True)
        if view.is_side and side >= 0.8:
            return QualityCheck("orientation", True)
        code = "rotated_from_square" if view.is_frontal else "rotated_from_side_on"
        return QualityCheck("orientation", False, reason(code))

    def _previous(self, t_ms: float) -> np.ndarray | None:
        """Landmarks about ``JUMP_WINDOW_MS`` ago (the oldest frame within it), or None."""
        for t, xy in self._history:
            if 0.0 < t_ms - t <= JUMP_WINDOW_MS:
                return xy
        return None

    def _still(self, pose: Pose, view: View, t_ms: float) -> QualityCheck:
        # The history keeps all 33 points: the key set depends on the view, which may
        # change from frame to frame (a patient turning), so it is chosen when judging.
        ids = list(key_landmarks(view, False))
        if self._history and t_ms <= self._history[-1][0]:
            self.reset()  # time went backwards: a new source or a restarted video
        if self.stream and not self._history:
            self._in_view_since_ms = float(t_ms)
        self._history.append((float(t_ms), pose.xy_px.copy()))
        while self._history and self._history[0][0] < t_ms - self.window_ms:
            self._history.popleft()
        if len(self._history) < 2:
            return QualityCheck("still", True)
        height = body_height(pose).height_px
        if height is None:
            _, _, ref, _ = body_frame(pose)
            height = ref / 0.118 if np.isfinite(ref) else None  # neck fraction of stature
        if not height:
            return QualityCheck("still", False, reason("no_motion_reference"))
        stack = np.stack([xy[ids] for _, xy in self._history])  # (T, K, 2)
        seen = np.isfinite(stack).all(axis=2).any(axis=0)  # key points seen at least once
        if not seen.any():
            return QualityCheck("still", True)
        stack = stack[:, seen]
        span = np.nanmax(stack, axis=0) - np.nanmin(stack, axis=0)
        motion = float(np.nanmax(span)) / height if np.isfinite(span).any() else 0.0
        if motion <= self.max_motion_frac:
            return QualityCheck("still", True)
        why = reason(
            "moving",
            motion_pct=round(100 * motion, 3),
            window_s=round(self.window_ms / 1000, 3),
            limit_pct=round(100 * self.max_motion_frac, 3),
        )
        return QualityCheck("still", False, why)
