"""Skin markers and hand-placed points on the overlay: a named ring at each.

Every named point of ``result.markers`` (``posture_cam.markers.FramePoints``) is drawn
where the metrics took it from, so a therapist can check the labelling:

    * a detected sticker (source ``marker``): a green ring around the sticker;
    * a point placed by hand (source ``point``): a yellow ring with a cross-hair whose
      centre is the exact point;
    * a round blob of the sticker colour that was not named, or whose name a placed
      point took over: a thin grey ring;

with the point's short name beside it ("C7", "tragus", "ASIS") on the side away from
the trunk. The rings are not camera pixels: the skeleton-only privacy export draws them
too. Names of the protocol's points stay as the short names docs/metrics.md uses; the
words among them are translated.

:func:`display_points` maps the points onto the display (mirror, resize) the same way
:func:`~posture_cam.overlay.renderer.display_result` maps the pose.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np

from posture_cam.i18n import N_, _, check_language, using_language
from posture_cam.landmarks import LM
from posture_cam.named_points import NamedPoint
from posture_cam.overlay import style as st
from posture_cam.types import FrameResult

if TYPE_CHECKING:
    from posture_cam.markers.stage import FramePoints

#: BGR. Stickers green as in the point editor; placed points yellow, not the editor's
#: magenta, which would read as the skeleton's pink (patient's right).
MARKER_COLOR: st.Color = (60, 255, 60)
PLACED_COLOR: st.Color = (0, 225, 255)
BLOB_COLOR: st.Color = (170, 170, 170)

#: Short names drawn beside the rings (msgids where the name is a word).
SHORT_NAMES: dict[str, str] = {
    "tragus": N_("tragus"),
    "c7": "C7",
    "acromion": N_("acromion"),
    "asis": "ASIS",
    "psis": "PSIS",
    "trochanter": N_("trochanter"),
    "knee": N_("knee"),
    "malleolus": N_("malleolus"),
}
_LEGEND = {"marker": N_("sticker found"), "point": N_("point placed by hand")}
_TRUNK_IDS = (LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, LM.LEFT_HIP, LM.RIGHT_HIP)


def named_points(result: FrameResult) -> dict[str, NamedPoint]:
    """The frame's named points (a placed point winning over a sticker), {} without any."""
    fp = result.markers
    return dict(fp.points) if fp is not None else {}


def marked(result: FrameResult, *names: str) -> list[np.ndarray] | None:
    """(2,) positions of the named points when all of ``names`` are there, else None."""
    pts = named_points(result)
    if not all(n in pts for n in names):
        return None
    return [pts[n].xy_px for n in names]


def ring_radius(sticker_px: float | None, style: st.OverlayStyle) -> float:
    """Radius (px) of the ring drawn at a point: around the sticker (``sticker_px`` its
    radius; None for a placed point), never smaller than legible at this frame size."""
    least = 2.5 * style.dot_px + 2.0
    return max(least, (sticker_px or 0.0) + 2.0 * style.unit + 2.0)


def point_ring_radius(point: NamedPoint, style: st.OverlayStyle) -> float:
    """The ring radius :class:`PointsAnnotator` draws at ``point``."""
    return ring_radius(None if point.source == "point" else point.radius_px, style)


def display_points(
    fp: FramePoints, src_wh: tuple[int, int], dst_wh: tuple[int, int], *, mirror: bool = False
) -> FramePoints:
    """The markers, blobs and placed points as shown on a (W, H) display.

    Mirrored first in the source pixels (``x -> W - 1 - x``, like ``Pose.mirrored``),
    then scaled, so they land exactly on the displayed pose. ``measured`` stays in
    measurement pixels (it is for the stickers' ±, not for drawing).

    Args:
        fp: the frame's points in image pixels of the un-mirrored frame.
        src_wh: (W, H) of those pixels.
        dst_wh: (W, H) of the image being drawn on.
        mirror: the display is flipped horizontally.
    """
    sw, sh = src_wh
    dw, dh = dst_wh
    scale = np.array([dw / sw, dh / sh])
    if not mirror and (sw, sh) == (dw, dh):
        return fp

    def xy(p: np.ndarray) -> np.ndarray:
        q = np.array(p, dtype=np.float64)
        if mirror:
            q[0] = (sw - 1) - q[0]
        return q * scale

    def radius(r: float | None) -> float | None:
        return None if r is None else float(r) * float(scale.mean())

    def named(points: dict[str, NamedPoint]) -> dict[str, NamedPoint]:
        return {
            n: NamedPoint(n, xy(p.xy_px), p.source, radius(p.radius_px)) for n, p in points.items()
        }

    markers = fp.markers
    if markers is not None:
        blobs = tuple(
            dataclasses.replace(b, xy_px=xy(b.xy_px), radius_px=b.radius_px * float(scale.mean()))
            for b in markers.blobs
        )
        markers = dataclasses.replace(markers, points=named(markers.points), blobs=blobs)
    return dataclasses.replace(fp, markers=markers, placed=named(fp.placed))


class PointsAnnotator:
    """A ring and the short name at every marker and placed point (see module docstring).

    Args:
        blobs: also ring the sticker-coloured blobs that were not named.
        legend: say under the colour legend what the two ring styles mean.
        language: ``en`` or ``nl``.
    """

    def __init__(self, blobs: bool = True, legend: bool = True, language: str = "en") -> None:
        self.blobs = blobs
        self.legend = legend
        self.language = check_language(language)

    def annotate(self, scene: np.ndarray, result: FrameResult) -> np.ndarray:
        fp = result.markers
        if fp is None:
            return scene
        style = st.OverlayStyle.for_frame(scene.shape[1], scene.shape[0])
        points = fp.points
        if self.blobs and fp.markers is not None:
            # A sticker a placed point overrides is left as a grey ring: it was found.
            taken = [p.xy_px for p in points.values()]
            for blob in fp.markers.blobs:
                if not any(np.hypot(*(blob.xy_px - t)) < 1.0 for t in taken):
                    r = ring_radius(blob.radius_px, style)
                    ring(scene, blob.xy_px, r, BLOB_COLOR, style.thin_px)
        ref_x = _trunk_x(result, points)
        for p in points.values():
            self._draw(scene, p, ref_x, style)
        if self.legend and points:
            self._draw_legend(scene, {p.source for p in points.values()}, style)
        return scene

    def _draw(self, scene, p: NamedPoint, ref_x: float, style: st.OverlayStyle) -> None:
        placed = p.source == "point"
        r = point_ring_radius(p, style)
        color = PLACED_COLOR if placed else MARKER_COLOR
        ring(scene, p.xy_px, r, color, style.line_px)
        if placed:
            _cross_hair(scene, p.xy_px, r, color, style)
        outward = 1.0 if p.xy_px[0] >= ref_x else -1.0
        with using_language(self.language):
            name = _(SHORT_NAMES[p.name])  # "C7", "ASIS" and "PSIS" have no entry: kept
        # Beside the ring, on the side away from the trunk, centred on the point's height:
        # the measured lines leave the point toward or away from the trunk, not sideways.
        h = style.text_height_px
        gap = r + 3.0 * style.unit + 3.0
        st.put_text(
            scene,
            name,
            (p.xy_px[0] + outward * gap, p.xy_px[1] + h / 2.0),
            style.font_scale,
            color,
            style.text_px,
            anchor="left" if outward > 0 else "right",
        )

    def _draw_legend(self, scene, sources: set[str], style: st.OverlayStyle) -> None:
        # Below the "L / R" colour legend of SideLabelAnnotator (two rows, same layout).
        scale = style.font_scale * 0.85
        h = st.measure_text("L", scale, style.text_px)[1]
        x = round(8 * style.unit + 6)
        y = round(8 * style.unit + 6) + h + 2 * round(h * 1.8)
        r = max(3, round(h * 0.55))
        for source in ("marker", "point"):
            if source not in sources:
                continue
            centre = (x + r, y - h / 2.0)
            color = PLACED_COLOR if source == "point" else MARKER_COLOR
            ring(scene, centre, r, color, max(1, style.thin_px))
            if source == "point":
                _cross_hair(scene, centre, r, color, style, thin=True)
            with using_language(self.language):
                text = _(_LEGEND[source])
            st.put_text(scene, text, (x + 2 * r + 6, y), scale, st.TEXT_COLOR, style.text_px)
            y += round(h * 1.8)


def ring(scene: np.ndarray, centre, radius: float, color: st.Color, thickness: int) -> None:
    """An antialiased sub-pixel ring with a dark border (visible on any background)."""
    one = 1 << st.SHIFT
    c = (round(float(centre[0]) * one), round(float(centre[1]) * one))
    r = max(1, round(float(radius) * one))
    cv2.circle(scene, c, r, st.SHADOW_COLOR, thickness + 2, cv2.LINE_AA, st.SHIFT)
    cv2.circle(scene, c, r, color, thickness, cv2.LINE_AA, st.SHIFT)


def _cross_hair(scene, centre, r: float, color, style: st.OverlayStyle, thin: bool = False) -> None:
    """Four ticks from just inside the ring to just outside it: the exact point stays
    visible in the middle."""
    c = np.asarray(centre, dtype=np.float64)
    thickness = max(1, style.thin_px) if thin else style.line_px
    for d in ((1.0, 0.0), (-1.0, 0.0), (0.0, 1.0), (0.0, -1.0)):
        v = np.array(d)
        st.shadowed_line(scene, c + v * 0.4 * r, c + v * 1.5 * r, color, thickness)


def _trunk_x(result: FrameResult, points: dict[str, Any]) -> float:
    """x of the trunk's middle (shoulders and hips), or of the named points without a
    pose: a name is written on the side of its point away from it."""
    pose = result.pose_image
    if pose is not None:
        xy = pose.xy_px[list(_TRUNK_IDS)]
        ok = np.isfinite(xy).all(axis=1)
        if ok.any():
            return float(xy[ok, 0].mean())
    if not points:
        return 0.0
    return float(np.mean([p.xy_px[0] for p in points.values()]))
