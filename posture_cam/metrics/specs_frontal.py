"""Catalogue entries of the front / back views (see ``posture_cam.metrics.catalogue``)."""

from __future__ import annotations

from posture_cam.landmarks import LM as _L
from posture_cam.metrics.norms import (
    EAR_PROXY,
    FRONTAL,
    HIP_PROXY,
    MORELAND,
    RAINE,
    SH_PROXY,
    WORKING,
    MetricSpec,
    NormBand,
    shift_band,
    tilt_band,
)

_KNEE_BAND = NormBand(
    (-6.0, 6.0),
    (-10.0, 10.0),
    "working band, not a published norm; reference: " + MORELAND,
    "radiographic mechanical axis 1.2 ± 2.2° varus in normal adults (Moreland "
    "1987), but this 2-D landmark angle also varies with stance width, leg "
    "rotation and landmark placement: neutral standers in our test photos read "
    "−8° to +10°, so the band is wide",
)


def _knee_spec(side: str) -> MetricSpec:
    """``knee_angle_left`` / ``knee_angle_right``: the same definition per leg."""
    up = side.upper()
    en, nl = ("Left", "Linker") if side == "left" else ("Right", "Rechter")
    return MetricSpec(
        f"knee_angle_{side}",
        f"{en} knee (frontal)",
        f"{nl}knie (frontaal)",
        "angle",
        "positive = valgus (knee toward the midline), negative = varus",
        (_L[f"{up}_HIP"], _L[f"{up}_KNEE"], _L[f"{up}_ANKLE"]),
        _KNEE_BAND,
        True,
        "2-D projection of hip joint centre, knee and ankle; knee flexion or leg "
        "rotation inflates it",
        FRONTAL,
        f"180° minus the hip-knee-ankle angle of the {side} leg.",
        f"180° min de heup-knie-enkelhoek van het {nl.lower()}been.",
    )


FRONT_SPECS: tuple[MetricSpec, ...] = (
    MetricSpec(
        "head_tilt",
        "Head tilt",
        "Hoofdkanteling",
        "angle",
        "positive = patient's left ear higher",
        (_L.LEFT_EAR, _L.RIGHT_EAR),
        NormBand(
            (-2.0, 2.0),
            (-4.0, 4.0),
            RAINE,
            "centred on the ≈0° mean of Raine & Twomey; the width is a working band",
        ),
        True,
        EAR_PROXY,
        FRONTAL,
        "Ear line vs the horizontal.",
        "Lijn tussen de oren t.o.v. de horizontaal.",
    ),
    MetricSpec(
        "shoulder_tilt",
        "Shoulder tilt",
        "Schouderkanteling",
        "angle",
        "positive = patient's left shoulder higher",
        (_L.LEFT_SHOULDER, _L.RIGHT_SHOULDER),
        tilt_band(),
        True,
        SH_PROXY,
        FRONTAL,
        "Shoulder line vs the horizontal.",
        "Schouderlijn t.o.v. de horizontaal.",
    ),
    MetricSpec(
        "shoulder_height_diff",
        "Shoulder height difference",
        "Hoogteverschil schouders",
        "length",
        "positive = patient's left shoulder higher",
        (_L.LEFT_SHOULDER, _L.RIGHT_SHOULDER),
        NormBand((-1.0, 1.0), (-2.0, 2.0), WORKING, "in % of body height (1% ≈ 1.7 cm)"),
        True,
        SH_PROXY,
        FRONTAL,
        "Vertical distance between the shoulders.",
        "Verticaal verschil tussen de schouders.",
    ),
    MetricSpec(
        "pelvic_tilt",
        "Pelvic obliquity",
        "Bekkenscheefstand",
        "angle",
        "positive = patient's left hip higher",
        (_L.LEFT_HIP, _L.RIGHT_HIP),
        tilt_band(),
        True,
        HIP_PROXY,
        FRONTAL,
        "Hip line vs the horizontal (frontal pelvic obliquity).",
        "Heuplijn t.o.v. de horizontaal (bekkenscheefstand in het frontale vlak).",
    ),
    MetricSpec(
        "trunk_lean",
        "Trunk lean",
        "Rompzijwaartse helling",
        "angle",
        "positive = trunk leans toward the patient's left",
        (_L.LEFT_SHOULDER, _L.RIGHT_SHOULDER, _L.LEFT_HIP, _L.RIGHT_HIP),
        NormBand((-2.0, 2.0), (-4.0, 4.0), WORKING),
        True,
        f"{SH_PROXY}; {HIP_PROXY}",
        FRONTAL,
        "Hip-midpoint to shoulder-midpoint line vs the vertical.",
        "Lijn heupmidden-schoudermidden t.o.v. de verticaal.",
    ),
    MetricSpec(
        "head_shift",
        "Head shift",
        "Zijwaartse verplaatsing hoofd",
        "length",
        "positive = shifted toward the patient's left",
        (_L.LEFT_EAR, _L.RIGHT_EAR, _L.LEFT_ANKLE, _L.RIGHT_ANKLE),
        shift_band(),
        True,
        EAR_PROXY,
        FRONTAL,
        "Ear midpoint offset from the vertical through the ankle midpoint.",
        "Afstand van het oormidden tot de verticaal door het enkelmidden.",
    ),
    MetricSpec(
        "shoulder_shift",
        "Shoulder shift",
        "Zijwaartse verplaatsing schouders",
        "length",
        "positive = shifted toward the patient's left",
        (_L.LEFT_SHOULDER, _L.RIGHT_SHOULDER, _L.LEFT_ANKLE, _L.RIGHT_ANKLE),
        shift_band(),
        True,
        SH_PROXY,
        FRONTAL,
        "Shoulder midpoint offset from the vertical through the ankle midpoint.",
        "Afstand van het schoudermidden tot de verticaal door het enkelmidden.",
    ),
    MetricSpec(
        "pelvis_shift",
        "Pelvis shift",
        "Zijwaartse verplaatsing bekken",
        "length",
        "positive = shifted toward the patient's left",
        (_L.LEFT_HIP, _L.RIGHT_HIP, _L.LEFT_ANKLE, _L.RIGHT_ANKLE),
        shift_band(),
        True,
        HIP_PROXY,
        FRONTAL,
        "Hip midpoint offset from the vertical through the ankle midpoint.",
        "Afstand van het heupmidden tot de verticaal door het enkelmidden.",
    ),
    _knee_spec("left"),
    _knee_spec("right"),
    MetricSpec(
        "asymmetry_index",
        "Asymmetry index",
        "Asymmetrie-index",
        "index",
        "0 = symmetric; 1 = on average at the edge of the normal bands",
        (
            _L.LEFT_EAR,
            _L.RIGHT_EAR,
            _L.LEFT_SHOULDER,
            _L.RIGHT_SHOULDER,
            _L.LEFT_HIP,
            _L.RIGHT_HIP,
            _L.LEFT_KNEE,
            _L.RIGHT_KNEE,
        ),
        NormBand((0.0, 1.0), (0.0, 1.5), WORKING),
        True,
        "built from proxy metrics (head, shoulder, pelvic tilt, knees)",
        FRONTAL,
        "Mean of |head_tilt|/2°, |shoulder_tilt|/1.5°, |pelvic_tilt|/1.5° and "
        "|knee_angle_left - knee_angle_right|/4° over the available terms.",
        "Gemiddelde van |hoofdkanteling|/2°, |schouderkanteling|/1,5°, "
        "|bekkenscheefstand|/1,5° en |knie links - knie rechts|/4°.",
    ),
)
