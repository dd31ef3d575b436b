"""The metric catalogue: what each metric means, as data (ids are a contract).

Sign conventions (see docs/metrics.md for formulas and sources):
    * Frontal plane (front/back views): positive = the patient's LEFT side higher /
      shifted or leaning toward the patient's left, in both front and back views.
    * Sagittal plane (left/right views): positive = anterior (toward where the
      patient faces); ``cva`` is an elevation angle (90° = ear straight above shoulder).
    * Knees (frontal): positive = valgus (knee medial of the hip-ankle line).

All norm bands are for screening, not diagnosis. Bands are in the metric's
scale-free unit (deg, %height, % trunk length, index); the engine converts cm values
to %height before judging them.
"""

from __future__ import annotations

from dataclasses import replace

from posture_cam.metrics.mdc import MDC, REPEATABILITY
from posture_cam.metrics.norms import Mdc, MetricSpec, NormBand
from posture_cam.metrics.specs_frontal import FRONT_SPECS
from posture_cam.metrics.specs_side import SIDE_SPECS
from posture_cam.types import View

__all__ = ["CATALOGUE", "Mdc", "MetricSpec", "NormBand", "spec", "specs_for"]

#: Every metric, in report order: frontal-plane metrics first, then side-view ones;
#: each with its MDC and model repeatability (``posture_cam.metrics.mdc``).
CATALOGUE: tuple[MetricSpec, ...] = tuple(
    replace(s, mdc=MDC.get(s.id), repeatability=REPEATABILITY.get(s.id))
    for s in FRONT_SPECS + SIDE_SPECS
)
_BY_ID = {s.id: s for s in CATALOGUE}


def spec(metric_id: str) -> MetricSpec:
    """The catalogue entry of ``metric_id`` (KeyError names the unknown id)."""
    try:
        return _BY_ID[metric_id]
    except KeyError:
        raise KeyError(f"unknown metric id {metric_id!r}") from None


def is_proxy(metric_id: str, source: str | None, uses_landmarks: bool = False) -> bool:
    """Whether a value of ``metric_id`` from ``source`` is a proxy: model landmarks
    standing in for the clinical points (``MetricSpec.proxy``). Values from stickers
    or points placed by the therapist on those points are not, unless a landmark still
    stands in for one of its points (``uses_landmarks``: a C7 given, the ear for the
    tragus); an unknown id is not."""
    entry = _BY_ID.get(metric_id)
    model = (source or "model") == "model" or uses_landmarks
    return bool(entry is not None and entry.proxy and model)


def specs_for(view: View) -> tuple[MetricSpec, ...]:
    """Catalogue entries that belong to ``view``, in catalogue order."""
    return tuple(s for s in CATALOGUE if view in s.views)
