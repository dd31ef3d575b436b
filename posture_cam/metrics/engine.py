"""MetricsEngine: computes the catalogue's metrics for one pose and view.

Conventions (the contract; formulas in docs/metrics.md):
    * Frontal views: positive = the patient's LEFT side higher / toward the patient's
      left, in front AND back views. When the model's left/right labels contradict the
      view (the patient's left shoulder must be image-right in a front view, image-left
      in a back view) the labels are exchanged first, so a mirrored pose swaps the
      knees and flips the sign of tilts, shifts and lean.
    * Side views: positive = anterior. LEFT view = the patient faces image-left.
      Measured on the side facing the camera (LEFT view: 7, 11, 23, 25, 27; RIGHT
      view: 8, 12, 24, 26, 28); when those points are missing the other side is used
      and the reason says so.
    * Lengths: cm with ``cm_per_px``, else % of body height (``shoulder_protraction``:
      % of trunk length). Status of a cm value is judged on its %height equivalent.
    * A metric of the view is always present; without its landmarks it is
      ``not_measurable`` with a reason naming them. View UNKNOWN returns {}.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from posture_cam.landmarks import LM
from posture_cam.metrics import geometry as g
from posture_cam.metrics.body import BodyHeight, body_height, landmarks_at_edge, trunk_length_px
from posture_cam.metrics.catalogue import MetricSpec, specs_for
from posture_cam.metrics.proxies import estimate_c7, shoulder_ahead_of_ear_hip_px
from posture_cam.metrics.view import (
    facing_dir_x,
    labels_contradict_view,
    left_dir_x,
    swap_sides,
)
from posture_cam.named_points import NamedPoint, strongest
from posture_cam.reasons import Reason, join, landmark_names, missing_landmarks, reason
from posture_cam.types import Metric, Pose, View, ViewEstimate

#: Adult stature assumed to judge a cm value when no body height is measurable.
NOMINAL_HEIGHT_CM = 170.0
#: Side-view knee angle (hip-knee-ankle, deg) below which the patient counts as seated.
SEATED_KNEE_DEG = 140.0
_NOMINAL = reason("nominal_height", height_cm=NOMINAL_HEIGHT_CM)
#: Side views: a trunk reclined further back than this (deg) gets no markerless CVA
#: (shared photos: upright sitters -12..+7°, reclined and slumped sitters -33 and -39°).
RECLINED_TRUNK_DEG = 20.0
#: Two named points closer than this (px) define no direction: an angle between them
#: would be noise (two points given at one place read CVA 0.0° ±180°).
MIN_SEGMENT_PX = 3.0


class NotMeasurable(Exception):
    """Raised by a metric function: ``args[0]`` is the :class:`Reason` (what is missing)."""


@dataclass(frozen=True)
class _Ctx:
    pose: Pose
    view: View
    sign_x: float  # +1/-1: image-x direction of the patient's left (frontal) or facing (side)
    height: BodyHeight
    cm_per_px: float | None
    side: str  # side views: "left"/"right" labels measured on
    note: Reason | None  # side views: why the other side was used
    points: Mapping[str, NamedPoint] = field(default_factory=dict)  # markers / placed points
    edited: frozenset[int] = frozenset()  # landmark ids moved by hand
    at_edge: frozenset[int] = frozenset()  # landmark ids at the image edge (not moved by hand)

    def named(self, *names: str) -> list[NamedPoint] | None:
        """The named points when all are present, else None; refuses two of them at
        (nearly) one place (``MIN_SEGMENT_PX``), whose line has no direction."""
        if not all(n in self.points for n in names):
            return None
        found = [self.points[n] for n in names]
        for a, b in itertools.pairwise(found):
            _apart(a, b.xy_px, a.name, b.name)
        return found


#: A metric function returns (value, landmark ids), (value, ids, source) or
#: (value, ids, source, note): a note on the value, e.g. the stand-in left beside a point.
_Result = (
    tuple[float, tuple[int, ...]]
    | tuple[float, tuple[int, ...], str]
    | tuple[float, tuple[int, ...], str, Reason | None]
)


def _need(ctx: _Ctx, *ids: int) -> list[np.ndarray]:
    missing = tuple(i for i in ids if not ctx.pose.has(i))
    if missing:
        raise NotMeasurable(missing_landmarks(missing))
    return [ctx.pose.point(i) for i in ids]


# ---- frontal -----------------------------------------------------------------------


def _tilt(left: int, right: int) -> Callable[[_Ctx], tuple[float, tuple[int, ...]]]:
    def fn(ctx: _Ctx) -> tuple[float, tuple[int, ...]]:
        lp, rp = _need(ctx, left, right)
        return g.frontal_tilt_deg(lp, rp, ctx.sign_x), (left, right)

    return fn


def _shoulder_height_diff(ctx: _Ctx) -> tuple[float, tuple[int, ...]]:
    lp, rp = _need(ctx, LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER)
    return float(rp[1] - lp[1]), (LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER)


def _trunk_lean(ctx: _Ctx) -> tuple[float, tuple[int, ...]]:
    ids = (LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, LM.LEFT_HIP, LM.RIGHT_HIP)
    ls, rs, lh, rh = _need(ctx, *ids)
    return g.angle_from_vertical_deg(g.midpoint(lh, rh), g.midpoint(ls, rs), ctx.sign_x), ids


def _shift(left: int, right: int) -> Callable[[_Ctx], tuple[float, tuple[int, ...]]]:
    def fn(ctx: _Ctx) -> tuple[float, tuple[int, ...]]:
        ids = (left, right, LM.LEFT_ANKLE, LM.RIGHT_ANKLE)
        lp, rp, la, ra = _need(ctx, *ids)
        return ctx.sign_x * float(g.midpoint(lp, rp)[0] - g.midpoint(la, ra)[0]), ids

    return fn


def _knee(side: str) -> Callable[[_Ctx], tuple[float, tuple[int, ...]]]:
    if side == "left":
        ids = (LM.LEFT_HIP, LM.LEFT_KNEE, LM.LEFT_ANKLE)
    else:
        ids = (LM.RIGHT_HIP, LM.RIGHT_KNEE, LM.RIGHT_ANKLE)

    def fn(ctx: _Ctx) -> tuple[float, tuple[int, ...]]:
        hip, knee, ankle = _need(ctx, *ids)
        # Medial = toward the midline: toward the patient's right for the left leg.
        medial = -ctx.sign_x if side == "left" else ctx.sign_x
        return g.knee_deviation_deg(hip, knee, ankle, medial), ids

    return fn


#: asymmetry_index terms: metric id -> normalising tolerance (deg), see the catalogue.
ASYMMETRY_TERMS = (("head_tilt", 2.0), ("shoulder_tilt", 1.5), ("pelvic_tilt", 1.5))
ASYMMETRY_KNEE_DEG = 4.0


def _asymmetry(ctx: _Ctx, done: dict[str, Metric]) -> tuple[float, tuple[int, ...]]:
    terms: list[float] = []
    ids: list[int] = []
    for metric_id, tol in ASYMMETRY_TERMS:
        m = done.get(metric_id)
        if m is not None and m.value is not None:
            terms.append(abs(m.value) / tol)
            ids.extend(m.landmarks)
    kl, kr = done.get("knee_angle_left"), done.get("knee_angle_right")
    if kl and kr and kl.value is not None and kr.value is not None:
        terms.append(abs(kl.value - kr.value) / ASYMMETRY_KNEE_DEG)
        ids.extend(kl.landmarks + kr.landmarks)
    if len(terms) < 2:
        raise NotMeasurable(reason("too_few_terms"))
    return float(np.mean(terms)), tuple(dict.fromkeys(ids))


# ---- side --------------------------------------------------------------------------


def _sid(ctx: _Ctx, left_id: int) -> int:
    """The measured side's id for a left-side landmark id."""
    return left_id if ctx.side == "left" else left_id + 1


def _cva(ctx: _Ctx) -> _Result:
    """The tragus-C7 line vs the horizontal (the true CVA with both points given)."""
    c7, top, ids, source, note = _neck_line(ctx)
    return g.elevation_deg(c7, top, ctx.sign_x), ids, source, note


def _head_forward(ctx: _Ctx) -> _Result:
    c7, top, ids, source, note = _neck_line(ctx)
    return g.angle_from_vertical_deg(c7, top, ctx.sign_x), ids, source, note


def _neck_line(
    ctx: _Ctx,
) -> tuple[np.ndarray, np.ndarray, tuple[int, ...], str, Reason | None]:
    """C7, the tragus, the landmark ids used, the source and a note.

    Each end is the sticker or placed point where there is one: both given, the true
    CVA; one given, it replaces its stand-in and the note says which stand-in is left
    (the ear landmark for the tragus, or C7 estimated from the trunk); none, C7
    estimated from the trunk and the ear (``_c7_and_ear``).
    """
    marked = ctx.named("c7", "tragus")
    if marked:
        return marked[0].xy_px, marked[1].xy_px, (), _src(marked), None
    c7_point, tragus = ctx.points.get("c7"), ctx.points.get("tragus")
    if c7_point is not None:
        ear_id = _sid(ctx, LM.LEFT_EAR)
        (ear,) = _need(ctx, ear_id)
        _apart(c7_point, ear, "c7", "ear")
        return c7_point.xy_px, ear, (ear_id,), c7_point.source, reason("ear_for_tragus")
    ids, c7, _ear = _c7_and_ear(ctx)
    if tragus is not None:
        _apart(tragus, c7, "tragus", "c7")
        used = tuple(i for i in ids if i != _sid(ctx, LM.LEFT_EAR))
        return c7, tragus.xy_px, used, tragus.source, reason("c7_estimated")
    return c7, _ear, ids, "model", None


def _apart(point: NamedPoint, other_xy: np.ndarray, first: str, second: str) -> None:
    """Refuse a given point (nearly) on the landmark or estimate it is measured to."""
    if float(np.hypot(*(point.xy_px - other_xy))) < MIN_SEGMENT_PX:
        raise NotMeasurable(
            reason("points_too_close", first=first, second=second, px=MIN_SEGMENT_PX)
        )


def _c7_and_ear(ctx: _Ctx) -> tuple[tuple[int, ...], np.ndarray, np.ndarray]:
    """Landmark ids, estimated C7 and the ear (``posture_cam.metrics.proxies``).

    Refuses a trunk reclined more than ``RECLINED_TRUNK_DEG``: leaning back turns the
    neck line up with the trunk, so a forward head reads as a high, "normal" CVA (the
    slumped woman of the shared photos: 65° with the trunk 39° back), and the CVA
    norms were taken with the trunk upright.
    """
    ids = (_sid(ctx, LM.LEFT_SHOULDER), _sid(ctx, LM.LEFT_EAR), _sid(ctx, LM.LEFT_HIP))
    sh, ear, hip = _need(ctx, *ids)
    trunk_deg = g.angle_from_vertical_deg(hip, sh, ctx.sign_x)
    if trunk_deg < -RECLINED_TRUNK_DEG:
        raise NotMeasurable(reason("trunk_reclined", trunk_deg=round(-trunk_deg, 1)))
    return ids, estimate_c7(hip, sh, ctx.sign_x), ear


def _src(points: list[NamedPoint]) -> str:
    return strongest(p.source for p in points)


def _forward_shoulder(ctx: _Ctx) -> _Result:
    marked = ctx.named("acromion", "c7")
    if not marked:
        raise NotMeasurable(reason("needs_shoulder_markers"))
    acromion, c7 = marked
    d = c7.xy_px - acromion.xy_px
    # Angle at the acromion between the horizontal pointing BACK and the line to C7:
    # C7 straight above -> 90°, shoulder far ahead of C7 -> small angle.
    return float(np.degrees(np.arctan2(-d[1], -ctx.sign_x * d[0]))), (), _src(marked)


def _protraction(ctx: _Ctx) -> _Result:
    ids = (_sid(ctx, LM.LEFT_SHOULDER), _sid(ctx, LM.LEFT_EAR), _sid(ctx, LM.LEFT_HIP))
    sh, ear, hip = _need(ctx, *ids)
    return shoulder_ahead_of_ear_hip_px(ear, sh, hip, ctx.sign_x), ids


def _trunk_incl(ctx: _Ctx) -> tuple[float, tuple[int, ...]]:
    ids = (_sid(ctx, LM.LEFT_SHOULDER), _sid(ctx, LM.LEFT_HIP))
    sh, hip = _need(ctx, *ids)
    return g.angle_from_vertical_deg(hip, sh, ctx.sign_x), ids


#: Plumb-line point -> the marker that replaces its landmark.
_PLUMB_MARKER = {
    LM.LEFT_EAR: "tragus",
    LM.LEFT_SHOULDER: "acromion",
    LM.LEFT_HIP: "trochanter",
    LM.LEFT_KNEE: "knee",
}


def _plumb(left_id: int) -> Callable[[_Ctx], _Result]:
    def fn(ctx: _Ctx) -> _Result:
        hip, knee, ankle = (_sid(ctx, i) for i in (LM.LEFT_HIP, LM.LEFT_KNEE, LM.LEFT_ANKLE))
        point_m = ctx.points.get(_PLUMB_MARKER[LM(left_id)])
        ankle_m = ctx.points.get("malleolus")
        ids = tuple(i for i, m in ((_sid(ctx, left_id), point_m), (ankle, ankle_m)) if m is None)
        _need(ctx, *ids)
        point = point_m.xy_px if point_m else ctx.pose.point(_sid(ctx, left_id))
        ankle_xy = ankle_m.xy_px if ankle_m else ctx.pose.point(ankle)
        if ctx.pose.has(hip, knee):
            knee_deg = g.interior_angle_deg(ctx.pose.point(hip), ctx.pose.point(knee), ankle_xy)
            if knee_deg < SEATED_KNEE_DEG:
                raise NotMeasurable(reason("not_standing", knee_deg=round(knee_deg, 1)))
        marked = [m for m in (point_m, ankle_m) if m is not None]
        value = ctx.sign_x * float(point[0] - ankle_xy[0])
        return (value, ids, _src(marked)) if marked else (value, ids)

    return fn


def _pelvic_sagittal(ctx: _Ctx) -> _Result:
    marked = ctx.named("asis", "psis")
    if not marked:
        raise NotMeasurable(reason("needs_pelvis_markers"))
    asis, psis = marked
    d = asis.xy_px - psis.xy_px
    # + = anterior tilt: the ASIS lower (larger image y) than the PSIS.
    return float(np.degrees(np.arctan2(d[1], ctx.sign_x * d[0]))), (), _src(marked)


# (value, landmark ids) or, for a value from markers / placed points, (value, ids, source).
_FUNCS: dict[str, Callable[[_Ctx], _Result]] = {
    "head_tilt": _tilt(LM.LEFT_EAR, LM.RIGHT_EAR),
    "shoulder_tilt": _tilt(LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER),
    "shoulder_height_diff": _shoulder_height_diff,
    "pelvic_tilt": _tilt(LM.LEFT_HIP, LM.RIGHT_HIP),
    "trunk_lean": _trunk_lean,
    "head_shift": _shift(LM.LEFT_EAR, LM.RIGHT_EAR),
    "shoulder_shift": _shift(LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER),
    "pelvis_shift": _shift(LM.LEFT_HIP, LM.RIGHT_HIP),
    "knee_angle_left": _knee("left"),
    "knee_angle_right": _knee("right"),
    "cva": _cva,
    "head_forward_angle": _head_forward,
    "shoulder_protraction": _protraction,
    "trunk_inclination": _trunk_incl,
    "ear_offset": _plumb(LM.LEFT_EAR),
    "shoulder_offset": _plumb(LM.LEFT_SHOULDER),
    "hip_offset": _plumb(LM.LEFT_HIP),
    "knee_offset": _plumb(LM.LEFT_KNEE),
    "pelvic_tilt_sagittal": _pelvic_sagittal,
    "forward_shoulder_angle": _forward_shoulder,
}

_SIDE_CHAIN = (LM.LEFT_EAR, LM.LEFT_SHOULDER, LM.LEFT_HIP, LM.LEFT_KNEE, LM.LEFT_ANKLE)


def _choose_side(pose: Pose, view: View) -> tuple[str, Reason | None]:
    """Side labels to measure on in a side view, and a note when not the view's own."""
    own = "left" if view is View.LEFT else "right"
    other = "right" if own == "left" else "left"
    if labels_contradict_view(pose, view):
        return other, reason("other_side_labels", side=other)

    def count(side: str) -> int:
        return sum(pose.has(i if side == "left" else i + 1) for i in _SIDE_CHAIN)

    if count(own) < count(other):
        return other, reason("near_side_missing", side=other)
    return own, None


class MetricsEngine:
    """Turns a pose and its view into catalogue metrics (see module docstring)."""

    def compute(
        self,
        pose: Pose,
        view: ViewEstimate,
        cm_per_px: float | None,
        points: Mapping[str, NamedPoint] | None = None,
        edited: frozenset[int] = frozenset(),
    ) -> dict[str, Metric]:
        """Metrics of the view, in catalogue order.

        Args:
            pose: landmarks in (levelled) image pixels.
            view: the detected or forced view.
            cm_per_px: scale at the patient's plane, or None (lengths in %height).
            points: named markers / placed points in the same pixels; a marked point
                wins over the landmark it stands for (``posture_cam.markers``).
            edited: ids of landmarks moved by hand (their metrics' source is ``point``).

        A metric that needs a landmark at the image edge (``landmarks_at_edge``, the
        quality gate's ``in_frame`` margin) and not moved by hand is not measurable
        (reason ``at_image_edge``): the body runs on past the picture there.

        Returns:
            metric id -> Metric; {} for View.UNKNOWN.
        """
        v = view.view
        if v is View.UNKNOWN:
            return {}
        side, note = "left", None
        if v.is_frontal:
            if labels_contradict_view(pose, v):
                pose = swap_sides(pose)
            sign_x = left_dir_x(v)
        else:
            side, note = _choose_side(pose, v)
            sign_x = facing_dir_x(v)
        ctx = _Ctx(
            pose,
            v,
            sign_x,
            body_height(pose),
            cm_per_px,
            side,
            note,
            dict(points or {}),
            edited,
            landmarks_at_edge(pose) - edited,
        )
        out: dict[str, Metric] = {}
        for s in specs_for(v):
            out[s.id] = self._one(s, ctx, out)
        return out

    def _one(self, s: MetricSpec, ctx: _Ctx, done: dict[str, Metric]) -> Metric:
        unit = s.unit(ctx.cm_per_px)
        try:
            got = _asymmetry(ctx, done) if s.id == "asymmetry_index" else _FUNCS[s.id](ctx)
        except NotMeasurable as exc:
            return Metric.not_measurable(s.id, unit, exc.args[0], s.landmarks)
        raw, ids = got[0], got[1]
        cut = [i for i in ids if i in ctx.at_edge]
        if cut:
            # The body runs on past the picture there: the model guessed the point (hips
            # on the bottom edge of a torso photo gave a pelvic obliquity of 2.0°).
            at_edge = reason("at_image_edge", landmarks=landmark_names(cut))
            return Metric.not_measurable(s.id, unit, at_edge, tuple(int(i) for i in ids))
        source = strongest(
            [got[2] if len(got) > 2 else "model"] + (["point"] if ctx.edited & set(ids) else [])
        )
        notes = [ctx.note] if ctx.view.is_side and ctx.note else []
        if len(got) > 3 and got[3] is not None:
            notes.append(got[3])  # e.g. which stand-in is left beside a given point
        value, judged = raw, raw
        if s.unit_kind not in ("angle", "index"):
            length, band_value, why = self._length(s, ctx, raw, ids)
            if length is None or band_value is None:
                return Metric.not_measurable(s.id, unit, why or reason("not_measured"), ids)
            value, judged = length, band_value
            if why:
                notes.append(why)
        return Metric(
            s.id,
            float(value),
            unit,
            s.norm.status(float(judged)),
            join(notes),
            tuple(int(i) for i in ids),
            source,
        )

    @staticmethod
    def _length(
        s: MetricSpec, ctx: _Ctx, raw_px: float, ids: tuple[int, ...]
    ) -> tuple[float | None, float | None, Reason | None]:
        """(value in the output unit, value in the band's unit, note or reason)."""
        if s.unit_kind == "length_trunk":
            trunk = trunk_length_px(ctx.pose, ctx.side if ctx.view.is_side else None)
            if trunk is None:
                return None, None, reason("no_trunk_length")
            rel: float | None = 100.0 * raw_px / trunk
            return (raw_px * ctx.cm_per_px if ctx.cm_per_px else rel), rel, None
        h = ctx.height
        rel = None if h.height_px is None else 100.0 * raw_px / h.height_px
        if ctx.cm_per_px:
            cm = raw_px * ctx.cm_per_px
            judged = rel if rel is not None else 100.0 * cm / NOMINAL_HEIGHT_CM
            return cm, judged, h.note if rel is not None else _NOMINAL
        if rel is None:
            return None, None, h.note
        return rel, rel, h.note
