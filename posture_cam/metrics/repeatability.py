"""The model's repeatability of a metric in the unit its value is in (no Qt).

The catalogue gives it per capture in the metric's scale-free unit (``deg``,
``%height``, ``%`` of the trunk, ``index``: ``MetricSpec.repeatability``, from
``bench/repeatability.py``). A length measured in cm (a calibrated scale) gets it
through this patient's body height, or trunk length, in that frame and the frame's
scale: 0.17 % height of a 1700 px tall patient at 0.1 cm/px is 0.29 cm. The averaged
capture (``posture_cam.capture.averaging``) and the hand-corrected numbers
(``posture_cam.markers.uncertainty``) both take it from here, so a value gets the same
model part of its ± whichever way it was made.
"""

from __future__ import annotations

import math

from posture_cam.metrics.body import body_height, trunk_length_px
from posture_cam.metrics.catalogue import spec
from posture_cam.types import Pose


def repeatability_in_unit(
    metric_id: str, unit: str, pose: Pose | None, cm_per_px: float | None
) -> float | None:
    """The model's repeatability (SEM per capture) of ``metric_id`` in ``unit``.

    Args:
        metric_id: a catalogue metric id.
        unit: the value's unit (``cm`` or the metric's scale-free unit).
        pose: the measured pose of the frame (its body height or trunk length, for cm).
        cm_per_px: the frame's scale (for cm).

    Returns:
        None where the metric has no repeatability, or a cm value has no body height,
        trunk length or scale to convert it with.
    """
    rep = spec(metric_id).repeatability
    if rep is None:
        return None
    if unit != "cm":
        return float(rep)
    if pose is None or not cm_per_px:
        return None
    kind = spec(metric_id).unit_kind
    ref_px = body_height(pose).height_px if kind == "length" else trunk_length_px(pose)
    if ref_px is None or not math.isfinite(ref_px) or ref_px <= 0:
        return None
    return float(rep) / 100.0 * float(ref_px) * float(cm_per_px)
