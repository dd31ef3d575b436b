"""The pipeline stage for skin markers and hand-given points.

Order in :class:`~posture_cam.pipeline.Pipeline`: hand edits of landmarks are applied to
the (smoothed) pose in image pixels; markers are found in the un-mirrored frame and
named against that pose and the view; then markers and placed points go through the
same calibration correction as the landmarks before the metrics see them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from posture_cam.errors import InputError
from posture_cam.i18n import _
from posture_cam.markers.detect import MarkerColour
from posture_cam.markers.label import MarkerLocator, MarkerResult
from posture_cam.markers.points import NamedPoint, PointEdit, PointEdits, merge_points
from posture_cam.types import Pose, View


@dataclass(frozen=True)
class FramePoints:
    """Markers and placed points of one frame, image pixels.

    Attributes:
        markers: what the detector found and named (None when no markers were asked for).
        placed: named points given by hand (source ``point``).
        edits: audit trail of every hand edit (moved landmarks, placed points).
        moved: ids of landmarks moved by hand.
        measured: the named points as the metrics saw them (measurement pixels, after
            the calibration), set by the pipeline; None before that. The stickers'
            share of a metric's ± is found by moving these
            (``posture_cam.markers.sticker_error``).
    """

    markers: MarkerResult | None = None
    placed: dict[str, NamedPoint] = field(default_factory=dict)
    edits: tuple[PointEdit, ...] = ()
    moved: frozenset[int] = frozenset()
    measured: dict[str, NamedPoint] | None = None

    @property
    def points(self) -> dict[str, NamedPoint]:
        """Every named point, a placed one winning over a marker of the same name."""
        return merge_points(self.markers.points if self.markers else {}, self.placed)

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"points": {n: p.to_json() for n, p in self.points.items()}}
        if self.markers is not None:
            doc["missing"] = list(self.markers.missing)
            doc["blobs"] = len(self.markers.blobs)
            doc["reason"] = self.markers.reason
            sticker_px = self.markers.sticker_px
            doc["sticker_20mm_px"] = None if sticker_px is None else round(sticker_px, 1)
            doc["too_small"] = self.markers.too_small
        doc["edits"] = [e.to_json() for e in self.edits]
        return doc


class PointStage:
    """Applies hand edits and finds markers (see module docstring).

    Args:
        markers: names of the stickers placed.
        colour: sticker colour text (``green``, ``#RRGGBB``, ``h,s,v``).
        points: ``NAME=X,Y`` texts.
    """

    def __init__(self, markers: tuple[str, ...], colour: str, points: tuple[str, ...]) -> None:
        self.edits = PointEdits.from_args(points)
        self.locator = MarkerLocator(markers, MarkerColour.parse(colour)) if markers else None

    @property
    def active(self) -> bool:
        return bool(self.edits) or self.locator is not None

    def reset(self) -> None:
        if self.locator is not None:
            self.locator.reset()

    def check_inside(self, size_wh: tuple[int, int], source_id: str) -> None:
        """Refuse a given point outside the picture (a typo, or another photo's pixels).

        Raises:
            InputError: naming ``source_id``, the point and the picture's size.
        """
        w, h = size_wh
        for name, x, y in self.edits.points:
            if not (0.0 <= x <= w and 0.0 <= y <= h):
                raise InputError(
                    source_id,
                    _(
                        "--point {name}={x:g},{y:g} is outside the picture ({w} x {h} px): "
                        "give pixels inside it"
                    ).format(name=name, x=x, y=y, w=w, h=h),
                )

    def edit_pose(self, pose: Pose) -> tuple[Pose, frozenset[int], tuple[PointEdit, ...]]:
        """The pose with hand-moved landmarks (image pixels)."""
        return self.edits.apply(pose)

    def find(
        self,
        image_bgr: np.ndarray,
        pose: Pose | None,
        view: View,
        t_ms: float,
        moved: frozenset[int],
        log: tuple[PointEdit, ...],
    ) -> FramePoints:
        """Markers of this frame plus the placed points (image pixels)."""
        found = self.locator.locate(image_bgr, pose, view, t_ms) if self.locator else None
        return FramePoints(found, self.edits.named(), log, moved)


def measured_points(
    fp: FramePoints, correct: Callable[[np.ndarray], np.ndarray] | None
) -> dict[str, NamedPoint]:
    """The named points in measurement coordinates (``correct`` maps (N, 2) pixels)."""
    pts = fp.points
    if correct is None or not pts:
        return pts
    xy = correct(np.array([p.xy_px for p in pts.values()]))
    return {n: NamedPoint(n, xy[i], p.source, p.radius_px) for i, (n, p) in enumerate(pts.items())}
