"""Small annotators: settings in ``__init__``, ``annotate(scene, result) -> scene`` draws.

Like ``supervision/key_points/annotators.py``, each annotator draws one thing onto
``scene`` (a BGR uint8 image, modified in place and returned) from a
:class:`~posture_cam.types.FrameResult`. Annotators read ``result.pose_image`` and
``result.roll_deg`` *in the scene's coordinates*: :class:`~posture_cam.overlay.OverlayRenderer`
hands them a result already mirrored and scaled for display, so annotators never need
to know about mirror mode. Sizes come from :class:`~posture_cam.overlay.style.OverlayStyle`
for the scene's size.

The angle annotators (plumb line, frontal lines, side view) live in
:mod:`posture_cam.overlay.references`.
"""

from __future__ import annotations

import numpy as np

from posture_cam.i18n import N_, _, check_language, using_language
from posture_cam.landmarks import LM, SKELETON_EDGES, side_of
from posture_cam.overlay import style as st
from posture_cam.types import FrameResult, View

#: Face landmarks (nose, eyes, ears, mouth) are drawn smaller: they sit close together.
_FACE_IDS = frozenset(range(11))
#: Hands and feet tips only clutter a posture overlay.
_SKIPPED_IDS = frozenset((LM.LEFT_PINKY, LM.RIGHT_PINKY, LM.LEFT_THUMB, LM.RIGHT_THUMB))
_LEGEND = (
    (N_("L = patient's left"), st.LEFT_COLOR),
    (N_("R = patient's right"), st.RIGHT_COLOR),
)


class SkeletonAnnotator:
    """Skeleton coloured by anatomical side: edges as lines, joints as dots.

    Args:
        line_scale: multiplies the style's line thickness.
        dot_scale: multiplies the style's joint radius.
    """

    def __init__(self, line_scale: float = 1.0, dot_scale: float = 1.0) -> None:
        self.line_scale = line_scale
        self.dot_scale = dot_scale
        sides = [side_of(a) if side_of(a) == side_of(b) else "center" for a, b in SKELETON_EDGES]
        edges = [
            (a, b, st.SIDE_COLORS[side]) for (a, b), side in zip(SKELETON_EDGES, sides, strict=True)
        ]
        # Side views: draw the far side first so the camera-side limbs stay on top.
        self._edges = {
            None: edges,
            View.LEFT: [e for e, sd in zip(edges, sides, strict=True) if sd != "left"]
            + [e for e, sd in zip(edges, sides, strict=True) if sd == "left"],
            View.RIGHT: [e for e, sd in zip(edges, sides, strict=True) if sd != "right"]
            + [e for e, sd in zip(edges, sides, strict=True) if sd == "right"],
        }

    def annotate(self, scene: np.ndarray, result: FrameResult) -> np.ndarray:
        pose = result.pose_image
        if pose is None:
            return scene
        style = st.OverlayStyle.for_frame(scene.shape[1], scene.shape[0])
        thickness = max(1, round(style.line_px * self.line_scale))
        radius = max(1, round(style.dot_px * self.dot_scale))
        xy = pose.xy_px
        ok = np.isfinite(xy).all(axis=1)
        edges = self._edges.get(result.view.view, self._edges[None])
        # All shadows first, so a shadow never cuts through an already drawn edge.
        for a, b, _side in edges:
            if ok[a] and ok[b]:
                st.line(scene, xy[a], xy[b], st.SHADOW_COLOR, thickness + 2)
        for a, b, color in edges:
            if ok[a] and ok[b]:
                st.line(scene, xy[a], xy[b], color, thickness)
        for i in np.flatnonzero(ok):
            if i in _SKIPPED_IDS:
                continue
            r = max(1, round(radius * 0.6)) if i in _FACE_IDS else radius
            st.dot(scene, xy[i], r, st.SIDE_COLORS[side_of(int(i))])
        return scene


class SideLabelAnnotator:
    """ "L" / "R" (patient's left / right) beside the shoulders and hips, plus a legend.

    The letter is placed on the outer side of each joint, away from the body's midline,
    so in a mirrored display "L" still sits next to the patient's left shoulder.

    Args:
        legend: draw the small colour legend in the top-left corner.
        language: ``en`` or ``nl``.
    """

    def __init__(self, legend: bool = True, language: str = "en") -> None:
        self.legend = legend
        self.language = check_language(language)

    def annotate(self, scene: np.ndarray, result: FrameResult) -> np.ndarray:
        pose = result.pose_image
        if pose is None:
            return scene
        style = st.OverlayStyle.for_frame(scene.shape[1], scene.shape[0])
        scale = style.font_scale * 1.15
        for left_id, right_id in (
            (LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER),
            (LM.LEFT_HIP, LM.RIGHT_HIP),
        ):
            self._label_pair(scene, result, left_id, right_id, style, scale)
        if self.legend:
            self._draw_legend(scene, style)
        return scene

    def _label_pair(self, scene, result, left_id, right_id, style, scale) -> None:
        pose = result.pose_image
        pts = {"L": pose.point(left_id), "R": pose.point(right_id)}
        present = {k: p for k, p in pts.items() if np.isfinite(p).all()}
        if not present:
            return
        gap = 3.0 * style.dot_px + 4.0 * style.unit
        xy = pose.xy_px[np.isfinite(pose.xy_px).all(axis=1)]
        if result.view.view.is_side:
            # The far-side joint hides behind the body: label only the near side, and put
            # the letter behind the body (away from the nose), clear of the CVA and trunk
            # annotations in front.
            near = "L" if result.view.view == View.LEFT else "R"
            if near in present:
                present = {near: present[near]}
            nose = pose.point(LM.NOSE)
            ref_x = float(np.mean([p[0] for p in present.values()]))
            facing = 1.0 if not np.isfinite(nose).all() or nose[0] >= ref_x else -1.0
            outward = {k: -facing for k in present}
        else:
            if len(present) == 2 and abs(present["L"][0] - present["R"][0]) > 2.0 * gap:
                ref_x = (present["L"][0] + present["R"][0]) / 2.0
            else:
                ref_x = float(xy[:, 0].mean())
            outward = {k: 1.0 if p[0] >= ref_x else -1.0 for k, p in present.items()}
        for key, p in present.items():
            color = st.LEFT_COLOR if key == "L" else st.RIGHT_COLOR
            anchor = "left" if outward[key] > 0 else "right"
            h = style.text_height_px
            st.put_text(
                scene,
                key,
                # Below the joint: the measured shoulder / hip lines pass through it.
                (p[0] + outward[key] * 0.6 * gap, p[1] + 1.1 * h + gap * 0.5),
                scale,
                color,
                style.text_px + 1,
                anchor=anchor,
            )

    def _draw_legend(self, scene: np.ndarray, style: st.OverlayStyle) -> None:
        scale = style.font_scale * 0.85
        h = st.measure_text("L", scale, style.text_px)[1]
        x = round(8 * style.unit + 6)
        y = round(8 * style.unit + 6) + h
        r = max(2, round(h * 0.4))
        for msgid, color in _LEGEND:
            st.dot(scene, (x + r, y - h / 2.0), r, color)
            with using_language(self.language):
                text = _(msgid)
            st.put_text(
                scene,
                text,
                (x + 2 * r + 6, y),
                scale,
                st.TEXT_COLOR,
                style.text_px,
            )
            y += round(h * 1.8)


class NoPersonAnnotator:
    """A discreet "No person detected" note at the top centre when no pose was found.

    Args:
        language: ``en`` or ``nl``.
    """

    def __init__(self, language: str = "en") -> None:
        self.language = check_language(language)

    def annotate(self, scene: np.ndarray, result: FrameResult) -> np.ndarray:
        if result.pose_image is not None:
            return scene
        style = st.OverlayStyle.for_frame(scene.shape[1], scene.shape[0])
        h = style.text_height_px
        org = (scene.shape[1] / 2.0, 2.0 * h + 4.0 * style.unit)
        with using_language(self.language):
            text = _("No person detected")
        st.put_text(
            scene,
            text,
            org,
            style.font_scale,
            st.TEXT_COLOR,
            style.text_px,
            anchor="center",
        )
        return scene
