"""Annotators for the gravity references and the measured posture angles.

"Vertical" and "horizontal" mean the TRUE vertical / horizontal: with a camera roll
(``result.roll_deg``, a true horizontal appears rotated counter-clockwise by that
angle as displayed, image y down) the references are drawn rotated to match, so the
drawing shows what the metrics measured (they are computed on the levelled pose).

A metric's annotation is drawn only when the metric is in ``result.metrics`` with a
value; the plumb line itself is a reference and is drawn for any known view.
"""

from __future__ import annotations

import numpy as np

from posture_cam.i18n import _, check_language, using_language
from posture_cam.landmarks import LM
from posture_cam.overlay import style as st
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
        pose, view = result.pose_image, result.view.view
        if pose is None:
            return scene
        anchor = plumb_anchor(pose, view)
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
        for metric_id, a, b in table:
            metric = measurable(result, metric_id)
            if metric is None:
                continue
            p = pair_midpoint(pose, a, b) if view.is_frontal else near_point(pose, view, a, b)
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


class SideViewAnnotator:
    """Side views: the ear-shoulder line with the CVA arc, and the hip-shoulder trunk line.

    ``cva``: the line from the near shoulder to the near ear, the dashed true horizontal
    from the shoulder toward the face, an arc between them and "CVA 48.2°".
    ``trunk_inclination``: the hip to shoulder line, the dashed true vertical up from the
    hip, an arc and the value.

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
        if shoulder is None:
            return scene
        cva = measurable(result, "cva")
        ear = near_point(pose, view, LM.LEFT_EAR, LM.RIGHT_EAR)
        if cva is not None and ear is not None:
            forward = horizontal if np.dot(ear - shoulder, horizontal) >= 0 else -horizontal
            with using_language(self.language):
                label = _("CVA {value}").format(
                    value=format_value(cva.value, cva.unit, signed=False)
                )
            self._draw_angle(scene, cva, shoulder, ear, forward, label, style)
        trunk = measurable(result, "trunk_inclination")
        hip = near_point(pose, view, LM.LEFT_HIP, LM.RIGHT_HIP)
        if trunk is not None and hip is not None:
            with using_language(self.language):
                label = _("Trunk {value}").format(value=value_in_words(trunk))
            self._draw_angle(scene, trunk, hip, shoulder, -vertical, label, style)
        return scene

    def _draw_angle(self, scene, metric, vertex, tip, ref_dir, label, style) -> None:
        """Measured line vertex->tip, reference ray from the vertex, arc and label."""
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
        bisector = ref_dir + along
        norm = float(np.hypot(*bisector))
        bisector = bisector / norm if norm > 1e-6 else ref_dir
        _angle_text(scene, label, vertex + bisector * radius, bisector, style, color)
