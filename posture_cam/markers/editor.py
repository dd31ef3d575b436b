"""Points moved or placed by hand on a frozen capture, and its numbers recomputed (no Qt).

The therapist freezes a capture (one frame, or a snapshot's median pose), drags any
model landmark or places a named point (:data:`~posture_cam.markers.points.MARKER_NAMES`),
and every metric is computed again by the same :class:`~posture_cam.metrics.MetricsEngine`
the pipeline uses, with the same rules as ``analyze --point``: a moved landmark or a
placed point makes the metrics that use it ``source: point``.

Coordinates are *image* pixels of the frozen frame (what the therapist sees); the
calibration (roll, lens) maps them to measurement pixels exactly as in the pipeline.
The view stays the frozen one: moving a point never changes which metrics apply.

Every point keeps its own history, so one point's edit is undone or reset without
touching the others; :meth:`PointEditor.undo` without a name undoes the last change of
any point. The audit trail (:meth:`PointEditor.audit`) says per point where the model
(or the detected sticker) had it, where it is now, and how far apart they are in pixels
and as a fraction of the estimated body height (``posture_cam.metrics.body``). A named
point without a model counterpart is measured from where the marker labeller expects it
(``posture_cam.markers.label.expected_positions``), when the view allows that.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Protocol

import numpy as np

from posture_cam.landmarks import LANDMARK_NAMES
from posture_cam.markers.label import expected_positions
from posture_cam.markers.points import MARKER_NAMES, PointEdits
from posture_cam.markers.stage import FramePoints, measured_points
from posture_cam.metrics.body import body_height
from posture_cam.metrics.engine import MetricsEngine
from posture_cam.types import FrameResult, Metric, Pose

#: Every name the editor accepts: the 33 landmarks, then the named (marker) points.
EDITABLE_NAMES: tuple[str, ...] = (*LANDMARK_NAMES, *MARKER_NAMES)
#: Who made an edit, in the audit trail (the app has no user accounts).
EDITED_BY = "therapist"


class Corrector(Protocol):
    """The calibration of the frozen frame (``CalibrationProfile.for_resolution``)."""

    def correct_pose(self, pose: Pose) -> Pose: ...

    def correct_points(self, xy_px: np.ndarray, resolution_wh: tuple[int, int]) -> np.ndarray: ...


XY = tuple[float, float]


class PointEditor:
    """Hand edits of one frozen capture.

    Args:
        frozen: the frozen frame's result; ``pose_image`` is the pose to edit (for a
            snapshot, its median pose), ``view`` and ``cm_per_px`` are kept.
        corrector: the calibration that applied to the frame, or None.
        engine: the metrics engine (default: a new one, as in the pipeline).

    Raises:
        ValueError: the frozen result has no person.
    """

    def __init__(
        self,
        frozen: FrameResult,
        corrector: Corrector | None = None,
        engine: MetricsEngine | None = None,
    ) -> None:
        if frozen.pose_image is None:
            raise ValueError("the frozen capture has no person to edit")
        self.frozen = frozen
        #: The frozen pose (image pixels) every edit starts from.
        self._pose: Pose = frozen.pose_image
        self._corrector = corrector
        self._engine = engine or MetricsEngine()
        self._history: dict[str, list[XY]] = {}
        self._order: list[str] = []  # names in the order they were changed (global undo)
        self._changed_at: dict[str, dt.datetime] = {}
        self.height_px: float | None = body_height(self._pose).height_px
        self._expected, _trunk = expected_positions(self._pose, frozen.view.view, MARKER_NAMES)
        self.before: FrameResult = self._build()
        self.result: FrameResult = self.before

    # -- positions ----------------------------------------------------------------------

    @property
    def edited_names(self) -> tuple[str, ...]:
        """Names moved or placed, in :data:`EDITABLE_NAMES` order."""
        return tuple(n for n in EDITABLE_NAMES if n in self._history)

    def model_xy(self, name: str) -> XY | None:
        """Where the model (a landmark) or a detected sticker has ``name``, else None."""
        if name in LANDMARK_NAMES:
            p = self._pose.xy_px[LANDMARK_NAMES.index(name)]
            return (float(p[0]), float(p[1])) if np.isfinite(p).all() else None
        found = self.frozen.markers.markers if self.frozen.markers is not None else None
        if found is not None and name in found.points:
            x, y = found.points[name].xy_px
            return float(x), float(y)
        return None

    def reference_xy(self, name: str) -> XY | None:
        """What an edit of ``name`` is measured from: the model / sticker position or,
        for a named point without one, where the labeller expects it."""
        xy = self.model_xy(name)
        if xy is None and name in self._expected:
            ex = self._expected[name]
            xy = (float(ex[0]), float(ex[1]))
        return xy

    def xy(self, name: str) -> XY | None:
        """Where ``name`` is now (edited, else the model's), or None (not placed)."""
        history = self._history.get(name)
        return history[-1] if history else self.model_xy(name)

    def is_edited(self, name: str) -> bool:
        return name in self._history

    # -- edits --------------------------------------------------------------------------

    def set_point(self, name: str, xy: XY, *, new_step: bool = True) -> FrameResult:
        """Move a landmark or place a named point at ``xy`` (image pixels).

        Args:
            name: a landmark name (``left_shoulder``) or a marker name (``c7``).
            xy: the new position.
            new_step: start a new undo step; False replaces the last one (the moves of
                one drag, a run of arrow-key nudges).

        Returns:
            The recomputed result.
        """
        if name not in EDITABLE_NAMES:
            raise ValueError(f"unknown point {name!r}; known: {', '.join(EDITABLE_NAMES)}")
        x, y = float(xy[0]), float(xy[1])
        if not (np.isfinite(x) and np.isfinite(y)):
            raise ValueError(f"point {name} needs finite pixel coordinates, not {xy!r}")
        history = self._history.setdefault(name, [])
        if new_step or not history or not self._order or self._order[-1] != name:
            history.append((x, y))
            self._order.append(name)
        else:
            history[-1] = (x, y)
        self._changed_at[name] = dt.datetime.now(dt.UTC)
        return self._refresh()

    def nudge(self, name: str, dx: float, dy: float, *, new_step: bool = True) -> FrameResult:
        """Move ``name`` by (dx, dy) image pixels from where it is now (arrow keys)."""
        now = self.xy(name) or self.reference_xy(name)
        if now is None:
            raise ValueError(f"point {name} is not placed yet")
        return self.set_point(name, (now[0] + dx, now[1] + dy), new_step=new_step)

    def undo(self, name: str | None = None) -> FrameResult:
        """Undo the last step of ``name`` (default: the last step of any point)."""
        if name is None:
            if not self._order:
                return self.result
            name = self._order[-1]
        history = self._history.get(name)
        if not history:
            return self.result
        history.pop()
        # The newest step of ``name`` in the global order goes with it.
        last = len(self._order) - 1 - self._order[::-1].index(name)
        del self._order[last]
        if not history:
            del self._history[name]
            self._changed_at.pop(name, None)
        return self._refresh()

    def reset(self, name: str) -> FrameResult:
        """Back to the model's point (a placed point is removed)."""
        self._history.pop(name, None)
        self._changed_at.pop(name, None)
        self._order = [n for n in self._order if n != name]
        return self._refresh()

    def reset_all(self) -> FrameResult:
        self._history.clear()
        self._changed_at.clear()
        self._order.clear()
        return self._refresh()

    @property
    def can_undo(self) -> bool:
        return bool(self._order)

    def point_edits(self) -> PointEdits:
        """The current edits, as ``analyze --point`` would take them."""
        return PointEdits(tuple((n, *self._history[n][-1]) for n in self.edited_names))

    def metrics_with(self, name: str, xy: XY) -> dict[str, Metric]:
        """The metrics were ``name`` at ``xy`` (the edits stay as they are): how much a
        number depends on where a point was placed (``markers.uncertainty``)."""
        edits = {n: (x, y) for n, x, y in self.point_edits().points}
        edits[name] = (float(xy[0]), float(xy[1]))
        ordered = tuple((n, *edits[n]) for n in EDITABLE_NAMES if n in edits)
        return self._build(PointEdits(ordered)).metrics

    # -- numbers and audit --------------------------------------------------------------

    def changed_metrics(self) -> dict[str, tuple[float | None, float | None]]:
        """metric id -> (value before, value now) for every metric whose value changed."""
        out = {}
        for metric_id, now in self.result.metrics.items():
            old = self.before.metrics.get(metric_id)
            was = old.value if old is not None else None
            if was != now.value:
                out[metric_id] = (was, now.value)
        return out

    def audit(self) -> list[dict[str, Any]]:
        """One entry per point moved or placed (see module docstring).

        Entry fields: ``landmark`` (the name), ``landmark_id`` (BlazePose id, None for a
        named point), ``kind`` (``moved`` / ``placed``), ``from_xy`` (the model's or the
        sticker's position, None when there was none), ``reference`` (``model``,
        ``marker``, ``expected`` or None) and ``reference_xy``, ``to_xy``, ``moved_px``
        and ``moved_fraction_of_height`` (distance from the reference; None without
        one), ``steps`` (undo steps), ``by`` and ``at`` (UTC, ISO 8601), ``source``
        (``point``). Pixels are image pixels of the frozen frame.
        """
        entries = []
        for name in self.edited_names:
            to_xy = self._history[name][-1]
            model = self.model_xy(name)
            ref = self.reference_xy(name)
            if name in LANDMARK_NAMES:
                reference = "model" if model is not None else None
            else:
                reference = "marker" if model is not None else "expected" if ref else None
            moved = None if ref is None else float(np.hypot(to_xy[0] - ref[0], to_xy[1] - ref[1]))
            fraction = moved / self.height_px if moved is not None and self.height_px else None
            entries.append(
                {
                    "landmark": name,
                    "landmark_id": LANDMARK_NAMES.index(name) if name in LANDMARK_NAMES else None,
                    "kind": "moved" if model is not None else "placed",
                    "from_xy": _rounded(model),
                    "reference": reference,
                    "reference_xy": _rounded(ref),
                    "to_xy": _rounded(to_xy),
                    "moved_px": None if moved is None else round(moved, 2),
                    "moved_fraction_of_height": None if fraction is None else round(fraction, 5),
                    "steps": len(self._history[name]),
                    "by": EDITED_BY,
                    "at": self._changed_at[name].isoformat(timespec="seconds"),
                    "source": "point",
                }
            )
        return entries

    def to_json(self) -> dict[str, Any]:
        """The ``points`` block of a snapshot sidecar: the audit and what it rests on."""
        return {
            "edits": self.audit(),
            "body_height_px": None if self.height_px is None else round(self.height_px, 1),
            "changed_metrics": {
                k: {"before": _round(a), "after": _round(b)}
                for k, (a, b) in self.changed_metrics().items()
            },
            "coordinates": "image pixels of the frozen frame (x right, y down)",
        }

    # -- recompute ----------------------------------------------------------------------

    def _refresh(self) -> FrameResult:
        self.result = self._build()
        return self.result

    def _build(self, edits: PointEdits | None = None) -> FrameResult:
        """The frozen result with ``edits`` (default: the current ones) applied and every
        metric recomputed."""
        frozen = self.frozen
        edits = self.point_edits() if edits is None else edits
        pose_image, moved, log = edits.apply(self._pose)
        corrector = self._corrector
        measured = corrector.correct_pose(pose_image) if corrector else pose_image
        found = frozen.markers.markers if frozen.markers is not None else None
        points = FramePoints(found, edits.named(), log, moved)
        size_wh = pose_image.resolution_wh
        correct = (lambda xy: corrector.correct_points(xy, size_wh)) if corrector else None
        named = measured_points(points, correct) if points.points else None
        if named:
            points = dataclasses.replace(points, measured=named)
        metrics = self._engine.compute(measured, frozen.view, frozen.cm_per_px, named, moved)
        if frozen.view.forced and frozen.view.reason:
            # As in the pipeline: nothing is judged in a plane the body contradicts.
            metrics = {
                k: Metric.not_measurable(k, m.unit, frozen.view.reason, m.landmarks)
                for k, m in metrics.items()
            }
        has_points = frozen.markers is not None or bool(edits)
        return dataclasses.replace(
            frozen,
            pose_image=pose_image,
            pose_measured=measured,
            metrics=metrics,
            markers=points if has_points else None,
        )


def _rounded(xy: XY | None) -> list[float] | None:
    return None if xy is None else [round(float(xy[0]), 2), round(float(xy[1]), 2)]


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)
