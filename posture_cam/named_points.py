"""Named anatomical points (skin markers or placed by hand): the plain data that the
marker stage produces and the metrics engine consumes.

Names are a contract (``--markers``, ``--point``, records): the SAPO photogrammetry
protocol's palpated landmarks, see :mod:`posture_cam.markers`. ``source`` says where a
point came from: ``marker`` (a detected sticker) or ``point`` (placed by hand); a point
wins over a marker, and both win over a model landmark.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

# Marker names in head-to-foot order (SAPO protocol, lateral view): defined beside the
# pipeline config, which checks them without NumPy.
from posture_cam.config import MARKER_NAMES

#: Strength of a source: a stronger one wins when a metric mixes them.
SOURCE_RANK = {"model": 0, "marker": 1, "point": 2}


@dataclass(frozen=True)
class NamedPoint:
    """One named anatomical point.

    Attributes:
        name: one of :data:`MARKER_NAMES`.
        xy_px: (2,) float64, image pixels (x right, y down).
        source: ``marker`` or ``point``.
        radius_px: the sticker's radius (markers), else None.
    """

    name: str
    xy_px: np.ndarray
    source: str
    radius_px: float | None = None

    def __post_init__(self) -> None:
        if self.name not in MARKER_NAMES:
            raise ValueError(f"unknown point name {self.name!r}; known: {', '.join(MARKER_NAMES)}")
        if self.source not in ("marker", "point"):
            raise ValueError(f"source must be marker or point, not {self.source!r}")
        object.__setattr__(self, "xy_px", np.asarray(self.xy_px, dtype=np.float64).reshape(2))

    def to_json(self) -> dict[str, Any]:
        x, y = (float(v) for v in self.xy_px)
        doc: dict[str, Any] = {"x": round(x, 6), "y": round(y, 6), "source": self.source}
        if self.radius_px is not None:
            doc["radius_px"] = round(float(self.radius_px), 2)
        return doc


def strongest(sources: Iterable[str]) -> str:
    """The strongest of ``sources`` (point > marker > model); ``model`` when empty."""
    return max(sources, key=SOURCE_RANK.__getitem__, default="model")
