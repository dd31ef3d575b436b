"""Annotators for the gravity references and the measured posture angles.

"Vertical" and "horizontal" mean the TRUE vertical / horizontal: with a camera roll
(``result.roll_deg``, a true horizontal appears rotated counter-clockwise by that
angle as displayed, image y down) the references are drawn rotated to match, so the
drawing shows what the metrics measured (they are computed on the levelled pose).

A metric's annotation is drawn only when the metric is in ``result.metrics`` with a
value; the plumb line itself is a reference and is drawn for any known view.

A metric computed from skin markers or placed points (``Metric.source`` ``marker`` or
``point``, the points in ``result.markers``) is drawn from those points, as the metrics
engine measured it: the CVA from C7 to the tragus, the forward shoulder angle from the
acromion to C7, the sagittal pelvic tilt from the PSIS to the ASIS, the plumb-line
offsets from the tragus / acromion / trochanter / knee to the vertical through the
malleolus. The true horizontal each angle is measured from is the ray on the side
that gives the metric's own value (for the CVA, toward the face), so mirror mode and
the camera roll need no special case.
"""

from __future__ import annotations

import numpy as np

from posture_cam.i18n import N_, _, check_language, using_language
from posture_cam.landmarks import LM
from posture_cam.metrics.proxies import estimate_c7
from posture_cam.metrics.view import facing_dir_x
from posture_cam.overlay import style as st
from posture_cam.overlay.points import marked, named_points, point_ring_radius
from posture_cam.types import FrameResult, Metric, Pose, View
from posture_cam.wording import format_value, value_in_words

#: Front / back views: metric id -> (left id, right id) of the measured line.
FRONTAL_LINES: tuple[tuple[str, int, int], ...] = (
    ("head_tilt", LM.LEFT_EAR, LM.RIGHT_EAR),
    ("shoulder_tilt", LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER),
    ("pelvic_tilt", LM.LEFT_HIP, LM.RIGHT_HIP),
)
#: Front / back views: shift metric id -> the pair whose midpoint is offset from the plumb line.
FRONTAL_SHIFTS: tuple[tuple[str, int, int], ...] = (
    ("head_shift", LM.LEFT_EAR, LM.RIGHT_EAR),
    ("shoulder_shift", LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER),
    ("pelvis_shift", LM.LEFT_HIP, LM.RIGHT_HIP),
)
#: Side views: offset metric id -> the (left id, right id) pair; the near side is used.
SIDE_OFFSETS: tuple[tuple[str, int, int], ...] = (
    ("ear_offset", LM.LEFT_EAR, LM.RIGHT_EAR),
    ("shoulder_offset", LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER),
    ("hip_offset", LM.LEFT_HIP, LM.RIGHT_HIP),
    ("knee_offset", LM.LEFT_KNEE, LM.RIGHT_KNEE),
)
#: Side views: offset metric id -> the marker that replaces its landmark (as the engine).
SIDE_OFFSET_MARKERS: dict[str, str] = {
    "ear_offset": "tragus",
    "shoulder_offset": "acromion",
    "hip_offset": "trochanter",
    "knee_offset": "knee",
}


def measurable(result: FrameResult, metric_id: str) -> Metric | None:
    """The metric when it is present with a value, else None."""
    metric = result.metrics.get(metric_id)
    if metric is None or metric.value is None:
        return None
    return metric


def near_point(pose: Pose, view: View, left_id: int, right_id: int) -> np.ndarray | None:
    """The camera-side point of a pair in a side view (the other side as a fallback)."""
    order = (left_id, right_id) if view != View.RIGHT else (right_id, left_id)
    for i in order:
        if pose.has(i):
            return pose.point(i)
    return None


def pair_midpoint(pose: Pose, left_id: int, right_id: int) -> np.ndarray | None:
    return (
        (pose.point(left_id) + pose.point(right_id)) / 2.0 if pose.has(left_id, right_id) else None
    )


def plumb_anchor(pose: Pose, view: View) -> np.ndarray | None:
    """Where the plumb line passes: ankle midpoint (front/back) or the near ankle (side),
    with the hips as a fallback when the ankles are out of the picture."""
    if view.is_frontal:
        for a, b in ((LM.LEFT_ANKLE, LM.RIGHT_ANKLE), (LM.LEFT_HIP, LM.RIGHT_HIP)):
            mid = pair_midpoint(pose, a, b)
            if mid is not None:
                return mid
        return None
    if view.is_side:
        for a, b in ((LM.LEFT_ANKLE, LM.RIGHT_ANKLE), (LM.LEFT_HIP, LM.RIGHT_HIP)):
            p = near_point(pose, view, a, b)
            if p is not None:
                return p
    return None


def _far(scene: np.ndarray) -> float:
    """A length that reaches across the whole scene (lines are clipped by OpenCV)."""
    return 2.0 * float(np.hypot(scene.shape[0], scene.shape[1]))


def _angle_text(scene, text, anchor_pt, direction, style, color) -> None:
    """Text just beyond ``anchor_pt`` along ``direction``, flipped inward near the border."""
    w, h = st.measure_text(text, style.font_scale, style.text_px)
    pad = 4.0 * style.unit + 3.0
    right = direction[0] >= 0
    x = anchor_pt[0] + (pad if right else -pad)
    if right and x + w > scene.shape[1] - 2:
        right, x = False, scene.shape[1] - 2.0
    elif not right and x - w < 2:
        right, x = True, 2.0
    y = min(max(anchor_pt[1] + h / 2.0, h + 2.0), scene.shape[0] - 3.0)
    st.put_text(
        scene,
        text,
        (x, y),
        style.font_scale,
        color,
        style.text_px,
        anchor="left" if right else "right",
    )


def plumb_foot(result: FrameResult) -> np.ndarray | None:
    """Where the drawn plumb line passes: the malleolus marker in a side view (the
    engine's plumb foot when there is one), else :func:`plumb_anchor`."""
    view = result.view.view
    if view.is_side:
        ankle = marked(result, "malleolus")
        if ankle is not None:
            return ankle[0]
    return plumb_anchor(result.pose_image, view) if result.pose_image is not None else None


def marked_for(result: FrameResult, metric: Metric, *names: str) -> list[np.ndarray] | None:
    """The named points a ``marker`` / ``point`` metric was computed from, else None."""
    if metric.source not in ("marker", "point"):
        return None
    return marked(result, *names)


def _facing_x(pose: Pose, view: View, ear: np.ndarray) -> float:
    """+1 when the patient faces the picture's right, -1 its left: from the nose ahead
    of the ear as drawn (a mirrored display turns it), else from the view."""
    nose = pose.xy_px[LM.NOSE]
    if np.isfinite(nose).all() and abs(float(nose[0] - ear[0])) > 0:
        return 1.0 if nose[0] > ear[0] else -1.0
    return facing_dir_x(view)


def reference_ray(
    vertex: np.ndarray, tip: np.ndarray, horizontal: np.ndarray, value_deg: float
) -> np.ndarray:
    """The true-horizontal ray from ``vertex`` that makes ``value_deg`` with vertex->tip.

    The angle between a horizontal ray and the line is at most 90° on the tip's side,
    so an angle of more than 90° is measured from the other ray.
    """
    toward = horizontal if float(np.dot(tip - vertex, horizontal)) >= 0 else -horizontal
    return toward if abs(value_deg) <= 90.0 else -toward


class PlumbLineAnnotator:
    """True vertical through the ankles (or hips), plus the measured plumb-line offsets.

    Args:
        offsets: draw a short horizontal tick from each measured midpoint (front/back:
            ``head_shift``, ``shoulder_shift``, ``pelvis_shift``; side: ``ear_offset`` ...)
            to the plumb line, coloured by the metric's status.
    """

    def __init__(self, offsets: bool = True) -> None:
        self.offsets = offsets

    def annotate(self, scene: np.ndarray, result: FrameResult) -> np.ndarray:
        if result.pose_image is None:
            return scene
        anchor = plumb_foot(result)
        if anchor is None:
            return scene
        style = st.OverlayStyle.for_frame(scene.shape[1], scene.shape[0])
        _, vertical = st.true_axes(result.roll_deg)
        far = _far(scene)
        st.shadowed_line(
            scene,
            anchor - vertical * far,
            anchor + vertical * far,
            st.REFERENCE_COLOR,
            style.thin_px,
        )
        if self.offsets:
            self._draw_offsets(scene, result, anchor, vertical, style)
        return scene

    @staticmethod
    def _draw_offsets(scene, result, anchor, vertical, style) -> None:
        pose, view = result.pose_image, result.view.view
        table = FRONTAL_SHIFTS if view.is_frontal else SIDE_OFFSETS
        points = named_points(result) if view.is_side else {}
        for metric_id, a, b in table:
            metric = measurable(result, metric_id)
            if metric is None:
                continue
            if view.is_frontal:
                p = pair_midpoint(pose, a, b)
            elif SIDE_OFFSET_MARKERS[metric_id] in points:
                p = points[SIDE_OFFSET_MARKERS[metric_id]].xy_px
            else:
                p = near_point(pose, view, a, b)
            if p is None:
                continue
            foot = anchor + vertical * float(np.dot(p - anchor, vertical))
            color = st.status_color(metric.status)
            st.shadowed_line(scene, p, foot, color, style.thin_px)
            st.dot(scene, foot, max(2, style.dot_px - 1), color)


class FrontalLinesAnnotator:
    """Front / back views: ear, shoulder and hip lines against the true horizontal.

    For each of ``head_tilt``, ``shoulder_tilt`` and ``pelvic_tilt`` that is measurable:
    the dashed true horizontal through the pair's midpoint, the measured line through
    the left and right points (status colour), a small arc between them and the value
    ("2.1° L high": the patient's side that is higher, so mirroring never changes it).

    Args:
        reference: draw the dashed true horizontals.
        angles: draw the arc and the value.
        language: ``en`` or ``nl``.
    """

    def __init__(self, reference: bool = True, angles: bool = True, language: str = "en") -> None:
        self.reference = reference
        self.angles = angles
        self.language = check_language(language)

    def annotate(self, scene: np.ndarray, result: FrameResult) -> np.ndarray:
        pose = result.pose_image
        if pose is None or not result.view.view.is_frontal:
            return scene
        style = st.OverlayStyle.for_frame(scene.shape[1], scene.shape[0])
        horizontal, _ = st.true_axes(result.roll_deg)
        for metric_id, left_id, right_id in FRONTAL_LINES:
            metric = measurable(result, metric_id)
            if metric is None or not pose.has(left_id, right_id):
                continue
            self._draw_pair(
                scene, metric, pose.point(left_id), pose.point(right_id), horizontal, style
            )
        return scene

    def _draw_pair(self, scene, metric, p_left, p_right, horizontal, style) -> None:
        a, b = (p_left, p_right) if p_left[0] <= p_right[0] else (p_right, p_left)
        mid = (a + b) / 2.0
        span = float(np.hypot(*(b - a)))
        if span < 1.0:
            return
        along = (b - a) / span
        half = span / 2.0 + 0.35 * span + 10.0 * style.unit
        color = st.status_color(metric.status)
        if self.reference:
            st.dashed_line(
                scene,
                mid - horizontal * half,
                mid + horizontal * half,
                st.REFERENCE_COLOR,
                style.thin_px,
                6.0 * style.unit + 2,
            )
        st.shadowed_line(scene, mid - along * half, mid + along * half, color, style.line_px)
        if not self.angles:
            return
        radius = span / 2.0 + 0.2 * span
        st.arc(
            scene,
            mid,
            radius,
            st.direction_deg(horizontal),
            st.direction_deg(along),
            color,
            style.thin_px + 1,
        )
        with using_language(self.language):
            text = value_in_words(metric)  # "2.1° R high": the side in words
        end = mid + along * half
        _angle_text(scene, text, end, along, style, color)


_SHOULDER_LABEL = N_("Shoulder angle {value}")
_PELVIS_LABEL = N_("Pelvis {value}")


class SideViewAnnotator:
    """Side views: the CVA line and arc, the trunk line, and the marker angles.

    ``cva``: the line from C7 estimated from the trunk (``metrics.proxies``) to the near
    ear (from the C7 to the tragus sticker or point when the CVA came from those), the
    dashed true horizontal toward the face, an arc between them and "CVA 48.2°".
    ``trunk_inclination``: the hip to shoulder line, the dashed true vertical up from
    the hip, an arc and the value.
    From markers or placed points only: ``forward_shoulder_angle`` (acromion to C7
    against the horizontal pointing back) and ``pelvic_tilt_sagittal`` (PSIS to ASIS
    against the horizontal pointing forward, "Pelvis 14.0° anterior").

    Args:
        reference: draw the dashed true horizontal / vertical.
        angles: draw the arcs and the values.
        language: ``en`` or ``nl``.
    """

    def __init__(self, reference: bool = True, angles: bool = True, language: str = "en") -> None:
        self.reference = reference
        self.angles = angles
        self.language = check_language(language)

    def annotate(self, scene: np.ndarray, result: FrameResult) -> np.ndarray:
        pose, view = result.pose_image, result.view.view
        if pose is None or not view.is_side:
            return scene
        style = st.OverlayStyle.for_frame(scene.shape[1], scene.shape[0])
        horizontal, vertical = st.true_axes(result.roll_deg)
        shoulder = near_point(pose, view, LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER)
        cva = measurable(result, "cva")
        if cva is not None:
            self._draw_cva(scene, result, cva, shoulder, horizontal, style)
        trunk = measurable(result, "trunk_inclination")
        hip = near_point(pose, view, LM.LEFT_HIP, LM.RIGHT_HIP)
        if trunk is not None and hip is not None and shoulder is not None:
            with using_language(self.language):
                label = _("Trunk {value}").format(value=value_in_words(trunk))
            self._draw_angle(scene, trunk, hip, shoulder, -vertical, label, style)
        for metric_id, names, msgid in (
            ("forward_shoulder_angle", ("acromion", "c7"), _SHOULDER_LABEL),
            ("pelvic_tilt_sagittal", ("psis", "asis"), _PELVIS_LABEL),
        ):
            below = metric_id == "pelvic_tilt_sagittal"  # a short line between two names
            metric = measurable(result, metric_id)
            points = marked_for(result, metric, *names) if metric is not None else None
            if metric is None or metric.value is None or points is None:
                continue
            vertex, tip = points
            with using_language(self.language):
                label = _(msgid).format(value=value_in_words(metric))
            ref = reference_ray(vertex, tip, horizontal, metric.value)
            # below the line: clear of the rings drawn at its two points
            pts = named_points(result)
            clear = max(point_ring_radius(pts[n], style) for n in names) if below else 0.0
            self._draw_angle(scene, metric, vertex, tip, ref, label, style, below, clear)
        return scene

    def _draw_cva(self, scene, result, cva, shoulder, horizontal, style) -> None:
        with using_language(self.language):
            label = _("CVA {value}").format(value=format_value(cva.value, cva.unit, signed=False))
        points = marked_for(result, cva, "c7", "tragus")
        if points is not None:  # the true CVA, as measured: C7 -> tragus
            c7, tragus = points
            forward = reference_ray(c7, tragus, horizontal, cva.value)
            self._draw_angle(scene, cva, c7, tragus, forward, label, style)
            return
        # Without markers the CVA is measured from C7 estimated from the trunk
        # (``metrics.proxies.estimate_c7``): drawn from there, not from the shoulder.
        # One end given (a C7 or tragus sticker or point), the other its stand-in.
        pose, view = result.pose_image, result.view.view
        given = named_points(result) if cva.source in ("marker", "point") else {}
        ear = near_point(pose, view, LM.LEFT_EAR, LM.RIGHT_EAR)
        hip = near_point(pose, view, LM.LEFT_HIP, LM.RIGHT_HIP)
        top = given["tragus"].xy_px if "tragus" in given else ear
        if "c7" in given:
            c7 = given["c7"].xy_px
        elif shoulder is not None and hip is not None and top is not None:
            c7 = estimate_c7(hip, shoulder, _facing_x(pose, view, top))
        else:
            return
        if top is None:
            return
        forward = reference_ray(c7, top, horizontal, cva.value)
        self._draw_angle(scene, cva, c7, top, forward, label, style)

    def _draw_angle(
        self, scene, metric, vertex, tip, ref_dir, label, style, below=False, clear_px=0.0
    ) -> None:
        """Measured line vertex->tip, reference ray from the vertex, arc and label (beside
        the arc, or with ``below`` centred under the line, clear of the points' names
        and of rings ``clear_px`` in radius around them)."""
        length = float(np.hypot(*(tip - vertex)))
        if length < 1.0:
            return
        along = (tip - vertex) / length
        color = st.status_color(metric.status)
        ref_len = 1.15 * length
        if self.reference:
            st.dashed_line(
                scene,
                vertex,
                vertex + ref_dir * ref_len,
                st.REFERENCE_COLOR,
                style.thin_px,
                6.0 * style.unit + 2,
            )
        st.shadowed_line(scene, vertex, vertex + along * 1.1 * length, color, style.line_px)
        if not self.angles:
            return
        radius = 0.45 * length
        st.arc(
            scene,
            vertex,
            radius,
            st.direction_deg(ref_dir),
            st.direction_deg(along),
            color,
            style.thin_px + 1,
        )
        if below:
            h = style.text_height_px
            y = max(vertex[1], tip[1]) + max(
                0.3 * length,
                3.0 * style.dot_px + 6.0 * style.unit,
                clear_px + 3.0 * style.unit + 3.0,  # the text's top below the rings
            )
            x = (vertex[0] + tip[0]) / 2.0
            st.put_text(
                scene, label, (x, y + h), style.font_scale, color, style.text_px, anchor="center"
            )
            return
        bisector = ref_dir + along
        norm = float(np.hypot(*bisector))
        bisector = bisector / norm if norm > 1e-6 else ref_dir
        _angle_text(scene, label, vertex + bisector * radius, bisector, style, color)
