"""Minimal detectable changes (MDC95) and model repeatability per metric, as data.

Two kinds (``Mdc.kind``):

* ``literature``: published for the clinical measurement the metric stands for.
* ``own repeatability``: this tool's own repeatability, measured by
  ``bench/repeatability.py`` (one model pass on 24 re-framed copies of each of 7 frontal
  and 8 side photos from the shared media; SEM = pooled within-photo SD,
  MDC95 = 1.96 * sqrt(2) * SEM). Re-run the bench after changing a definition.

``REPEATABILITY`` is the model's SEM per capture (scale-free unit) from the same bench;
it enters the ± of every averaged value (``posture_cam.capture.averaging``).

A change is judged against the MDC of how both values were measured (``mdc_for``): on
the clinical points (stickers or placed points), the declared one; from the pose model,
the larger of the declared one and this tool's own, since a literature MDC measured with
another instrument cannot be smaller than what the model's own estimate varies by (the
markerless CVA: 6.82° own against 4.96° for a smartphone app). A clinic that measured
its own set-up with ``posture-cam retest --save`` judges values from the model against
its own MDCs instead (``metrics.clinic_mdc``).
"""

from __future__ import annotations

from math import sqrt

from posture_cam.i18n import Text
from posture_cam.metrics.norms import Mdc

# The sources are ``Text``: English in JSON and docs, translated where shown (the
# report's sources list); the citations themselves stay as published.
_GALLEGO_CITATION = "Gallego-Izquierdo T et al., Int J Environ Res Public Health 2020;17(18):6521"
GALLEGO = Text("{citation} (smartphone app, intra-rater)", citation=_GALLEGO_CITATION)
HERRINGTON = Text(
    "{citation} (PALM palpation meter, SEM 1.1 deg, MDC95 = 2.77 x SEM)",
    citation="Herrington L, Man Ther 2011;16(6):646-648",
)
BENCH = Text("{script} (this tool, one model pass per capture)", script="bench/repeatability.py")
#: Every MDC is declared to 0.01 (as the literature gives it; own values rounded so), and
#: printed so everywhere (report, overview, sources list): "4.96", never "5.0".
MDC_DECIMALS = 2


def _own(sem: float) -> Mdc:
    return Mdc(
        value=round(1.96 * sqrt(2.0) * sem, MDC_DECIMALS),
        source=BENCH,
        kind="own repeatability",
        sem=sem,
    )


#: Model SEM per capture (bench/repeatability.py, 2026-11-30, pose_landmarker_full).
REPEATABILITY: dict[str, float] = {
    "head_tilt": 1.10,
    "shoulder_tilt": 0.78,
    "shoulder_height_diff": 0.25,
    "pelvic_tilt": 0.58,
    "trunk_lean": 0.30,
    "head_shift": 0.17,
    "shoulder_shift": 0.17,
    "pelvis_shift": 0.19,
    "knee_angle_left": 1.02,
    "knee_angle_right": 1.02,
    "asymmetry_index": 0.21,
    "cva": 2.46,
    "head_forward_angle": 2.46,
    "shoulder_protraction": 0.93,
    "trunk_inclination": 0.78,
    "ear_offset": 0.38,
    "shoulder_offset": 0.41,
    "hip_offset": 0.36,
    "knee_offset": 0.35,
}

_LITERATURE: dict[str, Mdc] = {
    "cva": Mdc(value=4.96, source=GALLEGO, kind="literature"),
    # Same shoulder/C7-ear line against the vertical: the CVA's MDC carries over.
    "head_forward_angle": Mdc(
        value=4.96, source=Text("{source}; same line as the CVA", source=GALLEGO), kind="literature"
    ),
    "pelvic_tilt_sagittal": Mdc(value=3.05, source=HERRINGTON, kind="literature", sem=1.1),
}

#: metric id -> MDC95; literature where it exists, else the bench.
MDC: dict[str, Mdc] = {
    **{mid: _own(sem) for mid, sem in REPEATABILITY.items()},
    **_LITERATURE,
}


def mdc_for(metric_id: str, how: str) -> Mdc | None:
    """The MDC95 a change of ``metric_id`` is judged against when both values were
    measured ``how``: ``points`` (stickers or placed points: the declared MDC) or
    ``model`` (this clinic's own from ``posture-cam retest --save`` when saved, else the
    larger of the declared MDC and this tool's own repeatability). None when the
    metric has none."""
    from posture_cam.metrics.clinic_mdc import load_clinic_mdc

    declared = MDC.get(metric_id)
    if how == "model":
        clinic = load_clinic_mdc().get(metric_id)
        if clinic is not None:
            return clinic
    if how != "model" or declared is None or declared.kind != "literature":
        return declared
    sem = REPEATABILITY.get(metric_id)
    if sem is None:
        return declared
    own = _own(sem)
    return own if own.value > declared.value else declared
