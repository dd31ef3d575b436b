"""The ± a stored value is shown with, and what it is made of.

Since records revision 0004 every capture metric keeps its ``uncertainty``: the spread
over the averaged frames combined with the model's repeatability, sqrt(SD² + SEM²)
(``posture_cam.capture.averaging``), with the stickers' and hand-placed points' share where they
were used (``posture_cam.markers.uncertainty``). That is the ± the report, the visit
overview, the CLI and the exports show.

A value of one frame (a photo) with no defensible ± (in cm; ``capture.averaging``) has
none and shows none. A record stored before that revision has no ``uncertainty``; it
falls back to its frame SD, and says so (``basis == "sd"``): the report prints
"± 0.4 SD" and a legend, never the SD silently in place of the combined ±. So does a
sticker value stored before the stickers' centroid error joined its ±: its stored ± is
the frame SD alone (``posture_cam.capture_summary.frame_sd_only``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from posture_cam.capture_summary import frame_sd_only

#: ``PlusMinus.basis`` of the stored uncertainty (frame spread ⊕ model repeatability).
COMBINED = "uncertainty"
#: ``PlusMinus.basis`` of the fallback for records without one: the frame SD alone.
FRAME_SD = "sd"


@dataclass(frozen=True)
class PlusMinus:
    """The ± of one stored value.

    Attributes:
        value: the ± in the value's unit, or None (nothing to show: not measured).
        basis: :data:`COMBINED` or :data:`FRAME_SD` (an older record).
    """

    value: float | None
    basis: str

    @property
    def fallback(self) -> bool:
        """True when only the frame SD is known (a record stored before 0004)."""
        return self.basis == FRAME_SD


def plus_minus(metric: Any) -> PlusMinus:
    """The ± of a stored metric (``CaptureMetric``) or one not stored yet
    (``records.ingest.MetricData``): its uncertainty, else its SD (flagged)."""
    uncertainty = getattr(metric, "uncertainty", None)
    sd = getattr(metric, "sd", None)
    source = getattr(metric, "source", None)
    if uncertainty is not None and not frame_sd_only(source, sd, uncertainty):
        return PlusMinus(float(uncertainty), COMBINED)
    if uncertainty is None and getattr(metric, "n", None) == 1:
        # One frame (a photo) without a ±: its SD of 0 is no spread to fall back on.
        return PlusMinus(None, COMBINED)
    return PlusMinus(None if sd is None else float(sd), FRAME_SD)


def exported_uncertainty(metric: Any) -> float | None:
    """The stored ± as ``visits --json`` and the CSV give it: None wherever only the
    frame SD is known (the value is then shown "± SD"), so that a null ``uncertainty``
    always means "see ``sd``", never an SD passed off as the combined ±."""
    pm = plus_minus(metric)
    return None if pm.fallback else pm.value
