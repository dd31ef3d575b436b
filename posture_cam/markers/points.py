"""Points given by hand: ``--point NAME=X,Y`` parsed, landmark edits applied to a pose
with their audit trail (:class:`PointEdits`), markers and placed points merged, and the
marker names in words. The point type itself, :class:`NamedPoint`, is plain data in
:mod:`posture_cam.named_points` (re-exported here).

The SAPO photogrammetry protocol marks palpated landmarks with small round stickers.
Names (a contract, used by ``--markers`` and ``--point``):

    tragus, c7, acromion, asis, psis, trochanter, knee, malleolus

``source`` says where a point came from: ``marker`` (a detected sticker) or ``point``
(typed on the command line or placed/dragged in the app). A point wins over a marker,
and both win over a model landmark.

Hand edits of model landmarks use the landmark names of ``posture_cam.landmarks``
(``left_shoulder=412,300``); :class:`PointEdits` applies them to a pose and keeps, for
the record, what was moved or placed and by how much.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from posture_cam.errors import InputError
from posture_cam.i18n import N_, _
from posture_cam.landmarks import LANDMARK_NAMES

# The point type and its names live below metrics and markers (both use them).
from posture_cam.named_points import MARKER_NAMES, NamedPoint
from posture_cam.types import Pose

#: The names in plain words (English msgids; translate with ``posture_cam.i18n._``).
MARKER_WORDS: dict[str, str] = {
    "tragus": N_("tragus"),
    "c7": N_("C7 (spinous process)"),
    "acromion": N_("acromion"),
    "asis": N_("ASIS (front of the pelvis)"),
    "psis": N_("PSIS (back of the pelvis)"),
    "trochanter": N_("greater trochanter"),
    "knee": N_("lateral knee joint line"),
    "malleolus": N_("lateral malleolus"),
}


def parse_point(text: str) -> tuple[str, float, float]:
    """Parse ``NAME=X,Y`` (pixels) from the command line.

    NAME is a marker name (:data:`MARKER_NAMES`) or a landmark name
    (``left_shoulder``...). Raises :class:`InputError` with the fix on bad input.
    """
    name, sep, rest = text.partition("=")
    name = name.strip().lower()
    parts = rest.split(",")
    known = (*MARKER_NAMES, *LANDMARK_NAMES)
    if not sep or len(parts) != 2 or name not in known:
        raise InputError(
            f"--point {text}",
            _(
                "expected NAME=X,Y in pixels with NAME one of {names} or a landmark name "
                "such as left_shoulder"
            ).format(names=", ".join(MARKER_NAMES)),
        )
    try:
        x, y = float(parts[0]), float(parts[1])
    except ValueError:
        raise InputError(f"--point {text}", _("X and Y must be numbers (pixels)")) from None
    if not (np.isfinite(x) and np.isfinite(y)):
        raise InputError(f"--point {text}", _("X and Y must be finite numbers (pixels)"))
    return name, x, y


@dataclass(frozen=True)
class PointEdit:
    """One hand edit: a landmark moved (``moved``) or a named point placed (``placed``).

    Attributes:
        name: landmark name (``left_shoulder``) or marker name (``c7``).
        xy_px: where it is now (image pixels).
        before_xy_px: where the model had it (None when it had none or for a named point).
        kind: ``moved`` or ``placed``.
    """

    name: str
    xy_px: tuple[float, float]
    before_xy_px: tuple[float, float] | None
    kind: str

    @property
    def moved_px(self) -> float | None:
        if self.before_xy_px is None:
            return None
        return float(np.hypot(*np.subtract(self.xy_px, self.before_xy_px)))

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "xy_px": [round(v, 6) for v in self.xy_px],
            "before_xy_px": None
            if self.before_xy_px is None
            else [round(v, 3) for v in self.before_xy_px],
            "moved_px": None if self.moved_px is None else round(self.moved_px, 3),
        }


@dataclass(frozen=True)
class PointEdits:
    """Hand-given points: named points and landmark corrections, in image pixels.

    Attributes:
        points: name -> (x, y) for marker names and landmark names alike.
    """

    points: tuple[tuple[str, float, float], ...] = ()

    @classmethod
    def from_args(cls, texts: Iterable[str]) -> PointEdits:
        """From repeated ``--point NAME=X,Y`` arguments (later ones win)."""
        merged: dict[str, tuple[float, float]] = {}
        for text in texts:
            name, x, y = parse_point(text)
            merged[name] = (x, y)
        return cls(tuple((n, x, y) for n, (x, y) in merged.items()))

    def __bool__(self) -> bool:
        return bool(self.points)

    def named(self) -> dict[str, NamedPoint]:
        """The marker-named points as :class:`NamedPoint` (source ``point``)."""
        return {
            n: NamedPoint(n, np.array([x, y]), "point")
            for n, x, y in self.points
            if n in MARKER_NAMES
        }

    def apply(self, pose: Pose) -> tuple[Pose, frozenset[int], tuple[PointEdit, ...]]:
        """The pose with moved landmarks, their ids, and the audit entries of every edit."""
        xy = pose.xy_px.copy()
        moved: set[int] = set()
        log: list[PointEdit] = []
        for n, x, y in self.points:
            if n in MARKER_NAMES:
                log.append(PointEdit(n, (x, y), None, "placed"))
                continue
            i = LANDMARK_NAMES.index(n)
            before = xy[i]
            prev = (float(before[0]), float(before[1])) if np.isfinite(before).all() else None
            xy[i] = (x, y)
            moved.add(i)
            log.append(PointEdit(n, (x, y), prev, "moved"))
        if not moved:
            return pose, frozenset(), tuple(log)
        # A hand-placed point is certain: the gate must not refuse it as invisible.
        vis, pres = pose.visibility.copy(), pose.presence.copy()
        vis[list(moved)] = 1.0
        pres[list(moved)] = 1.0
        edited = dataclasses.replace(pose, xy_px=xy, visibility=vis, presence=pres)
        return edited, frozenset(moved), tuple(log)


def merge_points(
    markers: Mapping[str, NamedPoint], placed: Mapping[str, NamedPoint]
) -> dict[str, NamedPoint]:
    """Markers overlaid with placed points (a placed point wins), in protocol order."""
    both = {**markers, **placed}
    return {n: both[n] for n in MARKER_NAMES if n in both}
