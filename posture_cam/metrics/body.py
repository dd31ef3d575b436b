"""Body-size references for lengths without a calibrated scale.

Body height H (pixels) is estimated from segment lengths, using the segment
proportions of Drillis & Contini (1966) as tabulated in Winter DA, *Biomechanics and
Motor Control of Human Movement*, 4th ed., Wiley 2009 (fractions of stature H):
shank (ankle->knee) 0.246, thigh (knee->hip) 0.245, trunk (hip->shoulder) 0.288,
shoulder->eye/ear level 0.118, ankle height 0.039, eye level->vertex 0.064.

    * Full chain (a leg, both hips or one, shoulders, ears or eyes visible):
      H = (shank + thigh + trunk + shoulder->head) / 0.897. Summing segments instead of
      taking the vertical extent keeps H right for seated or bent postures and under
      image rotation.
    * Legs not visible: H = trunk / 0.288 (a coarser fallback; the metric's reason
      says so).
    * No trunk (hips or shoulders missing): no reference -> length metrics are not
      measurable.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from posture_cam.landmarks import LM
from posture_cam.metrics.geometry import distance_px
from posture_cam.reasons import Reason, reason
from posture_cam.types import Pose

SHANK_FRACTION = 0.246
THIGH_FRACTION = 0.245
TRUNK_FRACTION = 0.288
NECK_HEAD_FRACTION = 0.118
CHAIN_FRACTION = SHANK_FRACTION + THIGH_FRACTION + TRUNK_FRACTION + NECK_HEAD_FRACTION
#: Margin at the image edges (fraction of width / height) inside which a landmark counts
#: as cut off: the quality gate's ``in_frame`` check and the engine's metrics share it.
EDGE_FRAC = 0.01


@dataclass(frozen=True)
class BodyHeight:
    """Estimated stature in pixels and how it was obtained.

    Attributes:
        height_px: body height in pixels, or None when not measurable.
        method: ``segments``, ``trunk`` or ``none``.
        note: the metric's note or reason (None for the full chain).
    """

    height_px: float | None
    method: str
    note: Reason | None


def _mean_present(pose: Pose, ids: tuple[int, ...]) -> np.ndarray:
    pts = pose.xy_px[list(ids)]
    ok = np.isfinite(pts).all(axis=1)
    return pts[ok].mean(axis=0) if ok.any() else np.full(2, np.nan)


def trunk_length_px(pose: Pose, side: str | None = None) -> float | None:
    """Hip->shoulder distance in pixels (midpoints, or one side's points)."""
    if side == "left":
        sh, hip = pose.point(LM.LEFT_SHOULDER), pose.point(LM.LEFT_HIP)
    elif side == "right":
        sh, hip = pose.point(LM.RIGHT_SHOULDER), pose.point(LM.RIGHT_HIP)
    else:
        sh = _mean_present(pose, (LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER))
        hip = _mean_present(pose, (LM.LEFT_HIP, LM.RIGHT_HIP))
    d = distance_px(hip, sh)
    return d if np.isfinite(d) and d > 0 else None


def _leg_px(pose: Pose) -> float | None:
    """Mean shank + thigh length over the legs that are fully visible."""
    legs = []
    for hip, knee, ankle in (
        (LM.LEFT_HIP, LM.LEFT_KNEE, LM.LEFT_ANKLE),
        (LM.RIGHT_HIP, LM.RIGHT_KNEE, LM.RIGHT_ANKLE),
    ):
        if pose.has(hip, knee, ankle):
            legs.append(
                distance_px(pose.point(ankle), pose.point(knee))
                + distance_px(pose.point(knee), pose.point(hip))
            )
    return float(np.mean(legs)) if legs else None


def body_height(pose: Pose) -> BodyHeight:
    """Estimate body height in pixels (see module docstring)."""
    trunk = trunk_length_px(pose)
    if trunk is None:
        return BodyHeight(None, "none", reason("no_body_size_reference"))
    legs = _leg_px(pose)
    sh = _mean_present(pose, (LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER))
    head = _mean_present(pose, (LM.LEFT_EAR, LM.RIGHT_EAR))
    if not np.isfinite(head).all():
        head = _mean_present(pose, (LM.LEFT_EYE, LM.RIGHT_EYE))
    neck = distance_px(sh, head)
    if legs is not None and np.isfinite(neck):
        return BodyHeight((legs + trunk + neck) / CHAIN_FRACTION, "segments", None)
    return BodyHeight(
        trunk / TRUNK_FRACTION,
        "trunk",
        reason("height_from_trunk"),
    )


def landmarks_at_edge(pose: Pose, frac: float = EDGE_FRAC) -> frozenset[int]:
    """Ids of the visible landmarks within ``frac`` of an image edge: the body runs on
    past the picture there, and the model guesses where the point is."""
    w, h = pose.resolution_wh
    xy = pose.xy_px
    seen = np.isfinite(xy).all(axis=1)
    mx, my = frac * w, frac * h
    with np.errstate(invalid="ignore"):
        edge = (xy[:, 0] < mx) | (xy[:, 0] > w - 1 - mx) | (xy[:, 1] < my) | (xy[:, 1] > h - 1 - my)
    return frozenset(int(i) for i in np.flatnonzero(seen & edge))
