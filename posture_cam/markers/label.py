"""Name detected stickers by where they sit on the body (side views).

Each expected marker has an expected position built from the pose landmarks, the
trunk length T (hip-shoulder) and the facing direction f (+1 = the patient faces
image-right); up is -y:

    =========== ======================================= ===============================
    marker      expected position                       why
    =========== ======================================= ===============================
    tragus      ear + 0.02 T f                          just in front of the ear canal
    c7          shoulder - 0.15 T f - 0.15 T up         back of the neck base
    acromion    shoulder + 0.07 T up                    top of the shoulder
    asis        hip + 0.18 T f + 0.12 T up              front of the pelvis
    psis        hip - 0.20 T f + 0.15 T up              back of the pelvis
    trochanter  hip                                     side of the hip joint
    knee        knee                                    lateral joint line
    malleolus   ankle                                   lateral ankle
    =========== ======================================= ===============================

Blobs are assigned to the expected names by minimising the summed squared distance
(greedy, then pairwise swaps until none helps; at most eight names). With squared
distances two markers are kept in the right order whenever the vector between them
points the way the expected one does (ASIS ahead of PSIS, tragus above and ahead of
C7), whatever the exact offsets. A blob farther than 0.8 T from its expected place is
not taken; an expected marker without a blob is reported missing.

In a stream the previous frame's marker positions (within 0.5 s) are the expected
positions instead, so labels stay on their stickers while the patient moves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from posture_cam.i18n import N_
from posture_cam.landmarks import LM
from posture_cam.markers.detect import Blob, MarkerColour, detect_blobs
from posture_cam.markers.points import MARKER_NAMES, NamedPoint
from posture_cam.metrics.body import trunk_length_px
from posture_cam.metrics.view import facing_dir_x
from posture_cam.types import Pose, View

#: (landmark pair, forward offset in T, upward offset in T) per marker name.
_EXPECTED: dict[str, tuple[tuple[int, int], float, float]] = {
    "tragus": ((LM.LEFT_EAR, LM.RIGHT_EAR), 0.02, 0.0),
    "c7": ((LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER), -0.15, 0.15),
    "acromion": ((LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER), 0.0, 0.07),
    "asis": ((LM.LEFT_HIP, LM.RIGHT_HIP), 0.18, 0.12),
    "psis": ((LM.LEFT_HIP, LM.RIGHT_HIP), -0.20, 0.15),
    "trochanter": ((LM.LEFT_HIP, LM.RIGHT_HIP), 0.0, 0.0),
    "knee": ((LM.LEFT_KNEE, LM.RIGHT_KNEE), 0.0, 0.0),
    "malleolus": ((LM.LEFT_ANKLE, LM.RIGHT_ANKLE), 0.0, 0.0),
}
GATE_OF_TRUNK = 0.8
TRACK_MS = 500.0
#: A 20 mm sticker's diameter as a share of the trunk (hip-shoulder, about 50 cm).
STICKER_20MM_OF_TRUNK = 0.04
#: Stickers narrower than this (px) are not found reliably (3.5 px lossless, 4.5 px
#: as JPEG in the composite sweep of docs/metrics.md): a missing one is then said to
#: be too small.
RELIABLE_STICKER_PX = 5.0


def parse_names(text: str) -> tuple[str, ...]:
    """``asis,psis,c7,tragus`` -> names in protocol order (ValueError names the bad one)."""
    names = {n.strip().lower() for n in text.split(",") if n.strip()}
    bad = sorted(names - set(MARKER_NAMES))
    if bad:
        raise ValueError(f"unknown marker {', '.join(bad)}; known: {', '.join(MARKER_NAMES)}")
    return tuple(n for n in MARKER_NAMES if n in names)


def expected_positions(pose: Pose, view: View, names: Sequence[str]) -> tuple[dict, float | None]:
    """name -> expected (2,) position for the names the pose can place; and T (px)."""
    trunk = trunk_length_px(pose)
    if trunk is None or not view.is_side:
        return {}, trunk
    f = facing_dir_x(view)
    out = {}
    for name in names:
        (a, b), fwd, up = _EXPECTED[name]
        pts = pose.xy_px[[a, b]]
        ok = np.isfinite(pts).all(axis=1)
        if not ok.any():
            continue
        base = pts[ok].mean(axis=0)
        out[name] = base + np.array([fwd * trunk * f, -up * trunk])
    return out, trunk


def assign(expected: dict[str, np.ndarray], blobs: Sequence[Blob], gate_px: float) -> dict:
    """name -> blob index minimising the summed squared distance (see module docstring)."""
    names = list(expected)
    if not names or not blobs:
        return {}
    pos = np.array([b.xy_px for b in blobs])
    cost = np.array([[float(np.sum((p - expected[n]) ** 2)) for p in pos] for n in names])
    big = 1e18
    cost = np.where(cost <= gate_px * gate_px, cost, big)
    chosen: dict[int, int] = {}
    for flat in np.argsort(cost, axis=None):
        i, j = divmod(int(flat), len(blobs))
        if cost[i, j] >= big:
            break
        if i not in chosen and j not in chosen.values():
            chosen[i] = j
    improved = True
    while improved:
        improved = False
        keys = list(chosen)
        for x in range(len(keys)):
            for y in range(x + 1, len(keys)):
                a, b = keys[x], keys[y]
                ja, jb = chosen[a], chosen[b]
                if cost[a, jb] + cost[b, ja] < cost[a, ja] + cost[b, jb]:
                    chosen[a], chosen[b] = jb, ja
                    improved = True
    return {names[i]: j for i, j in chosen.items() if cost[i, j] < big}


@dataclass(frozen=True)
class MarkerResult:
    """Markers found in one frame.

    Attributes:
        points: name -> NamedPoint (source ``marker``), in protocol order.
        missing: expected names without a sticker.
        blobs: every round blob of the colour (for the overlay).
        reason: why nothing could be labelled (not a side view, no pose), else None.
        sticker_px: how wide a 20 mm sticker is in this frame (px, from the trunk
            length), None without a pose.
    """

    points: dict[str, NamedPoint] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    blobs: tuple[Blob, ...] = ()
    reason: str | None = None
    sticker_px: float | None = None

    @property
    def too_small(self) -> bool:
        """Stickers are missing and would be narrower than can be found reliably."""
        return (
            bool(self.missing)
            and self.sticker_px is not None
            and self.sticker_px < RELIABLE_STICKER_PX
        )

    def to_json(self) -> dict:
        return {
            "found": {n: p.to_json() for n, p in self.points.items()},
            "missing": list(self.missing),
            "blobs": len(self.blobs),
            "reason": self.reason,
        }


class MarkerLocator:
    """Detects and names the expected stickers frame by frame, tracking them in streams.

    Args:
        names: the stickers placed (protocol names).
        colour: their colour.
    """

    def __init__(self, names: Sequence[str], colour: MarkerColour) -> None:
        self.names = tuple(n for n in MARKER_NAMES if n in set(names))
        self.colour = colour
        self._last: dict[str, np.ndarray] = {}
        self._last_t_ms: float | None = None

    def reset(self) -> None:
        self._last.clear()
        self._last_t_ms = None

    def locate(
        self, image_bgr: np.ndarray, pose: Pose | None, view: View, t_ms: float
    ) -> MarkerResult:
        """Stickers in one frame (``pose`` in the same image pixels)."""
        if not self.names:
            return MarkerResult()
        trunk = trunk_length_px(pose) if pose is not None else None
        blobs = tuple(detect_blobs(image_bgr, self.colour, trunk))
        if pose is None:
            return MarkerResult({}, self.names, blobs, N_("no person found"))
        expected, trunk = expected_positions(pose, view, self.names)
        if not expected:
            why = (
                N_("markers are named in side views only")
                if not view.is_side
                else N_("trunk not visible")
            )
            return MarkerResult({}, self.names, blobs, why)
        recent = self._last_t_ms is not None and 0 <= t_ms - self._last_t_ms <= TRACK_MS
        if recent:
            expected = {n: self._last.get(n, e) for n, e in expected.items()}
        found = assign(expected, blobs, GATE_OF_TRUNK * float(trunk or 0.0))
        points = {
            n: NamedPoint(n, blobs[j].xy_px, "marker", blobs[j].radius_px)
            for n in self.names
            if (j := found.get(n)) is not None
        }
        if points:
            self._last = {n: p.xy_px for n, p in points.items()}
            self._last_t_ms = t_ms
        missing = tuple(n for n in self.names if n not in points)
        sticker_px = STICKER_20MM_OF_TRUNK * float(trunk) if trunk else None
        return MarkerResult(points, missing, blobs, None, sticker_px)
