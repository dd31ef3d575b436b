"""Catalogue entries of the front / back views (see ``posture_cam.metrics.catalogue``)."""

from __future__ import annotations

from posture_cam.i18n import N_, Text
from posture_cam.landmarks import LM as _L
from posture_cam.metrics.norms import (
    EAR_PROXY,
    FRONTAL_VIEWS,
    HIP_PROXY,
    MORELAND,
    RAINE,
    SHOULDER_PROXY,
    WORKING_BAND,
    MetricSpec,
    NormBand,
    shift_band,
    tilt_band,
)

_KNEE_BAND = NormBand(
    (-6.0, 6.0),
    (-10.0, 10.0),
    Text("Working band, not a published norm; reference: {ref}", ref=MORELAND),
    Text(
        "radiographic mechanical axis 1.2 ± 2.2° varus in normal adults (Moreland "
        "1987), but this 2-D landmark angle also varies with stance width, leg "
        "rotation and landmark placement: neutral standers in our test photos read "
        "−8° to +10°, so the band is wide"
    ),
)


def _knee_spec(side: str) -> MetricSpec:
    """``knee_angle_left`` / ``knee_angle_right``: the same definition per leg."""
    up = side.upper()
    left = side == "left"
    return MetricSpec(
        f"knee_angle_{side}",
        N_("Left knee (frontal)") if left else N_("Right knee (frontal)"),
        "angle",
        N_("positive = valgus (knee toward the midline), negative = varus"),
        (_L[f"{up}_HIP"], _L[f"{up}_KNEE"], _L[f"{up}_ANKLE"]),
        _KNEE_BAND,
        True,
        Text(
            "2-D projection of hip joint centre, knee and ankle; knee flexion or leg "
            "rotation inflates it"
        ),
        FRONTAL_VIEWS,
        N_("180° minus the hip-knee-ankle angle of the left leg.")
        if left
        else N_("180° minus the hip-knee-ankle angle of the right leg."),
    )


FRONT_SPECS: tuple[MetricSpec, ...] = (
    MetricSpec(
        "head_tilt",
        N_("Head tilt"),
        "angle",
        N_("positive = patient's left ear higher"),
        (_L.LEFT_EAR, _L.RIGHT_EAR),
        NormBand(
            (-2.0, 2.0),
            (-4.0, 4.0),
            RAINE,
            Text("centred on the ≈0° mean of Raine & Twomey; the width is a working band"),
        ),
        True,
        EAR_PROXY,
        FRONTAL_VIEWS,
        N_("Ear line vs the horizontal."),
    ),
    MetricSpec(
        "shoulder_tilt",
        N_("Shoulder tilt"),
        "angle",
        N_("positive = patient's left shoulder higher"),
        (_L.LEFT_SHOULDER, _L.RIGHT_SHOULDER),
        tilt_band(),
        True,
        SHOULDER_PROXY,
        FRONTAL_VIEWS,
        N_("Shoulder line vs the horizontal."),
    ),
    MetricSpec(
        "shoulder_height_diff",
        N_("Shoulder height difference"),
        "length",
        N_("positive = patient's left shoulder higher"),
        (_L.LEFT_SHOULDER, _L.RIGHT_SHOULDER),
        NormBand((-1.0, 1.0), (-2.0, 2.0), WORKING_BAND, Text("in % of body height (1% ≈ 1.7 cm)")),
        True,
        SHOULDER_PROXY,
        FRONTAL_VIEWS,
        N_("Vertical distance between the shoulders."),
    ),
    MetricSpec(
        "pelvic_tilt",
        N_("Pelvic obliquity"),
        "angle",
        N_("positive = patient's left hip higher"),
        (_L.LEFT_HIP, _L.RIGHT_HIP),
        tilt_band(),
        True,
        HIP_PROXY,
        FRONTAL_VIEWS,
        N_("Hip line vs the horizontal (frontal pelvic obliquity)."),
    ),
    MetricSpec(
        "trunk_lean",
        N_("Trunk lean"),
        "angle",
        N_("positive = trunk leans toward the patient's left"),
        (_L.LEFT_SHOULDER, _L.RIGHT_SHOULDER, _L.LEFT_HIP, _L.RIGHT_HIP),
        NormBand((-2.0, 2.0), (-4.0, 4.0), WORKING_BAND),
        True,
        Text(
            "shoulder joint centres (11, 12) stand in for the acromia; hip joint centres "
            "(23, 24) stand in for the iliac crests"
        ),
        FRONTAL_VIEWS,
        N_("Hip-midpoint to shoulder-midpoint line vs the vertical."),
    ),
    MetricSpec(
        "head_shift",
        N_("Head shift"),
        "length",
        N_("positive = shifted toward the patient's left"),
        (_L.LEFT_EAR, _L.RIGHT_EAR, _L.LEFT_ANKLE, _L.RIGHT_ANKLE),
        shift_band(),
        True,
        EAR_PROXY,
        FRONTAL_VIEWS,
        N_("Ear midpoint offset from the vertical through the ankle midpoint."),
    ),
    MetricSpec(
        "shoulder_shift",
        N_("Shoulder shift"),
        "length",
        N_("positive = shifted toward the patient's left"),
        (_L.LEFT_SHOULDER, _L.RIGHT_SHOULDER, _L.LEFT_ANKLE, _L.RIGHT_ANKLE),
        shift_band(),
        True,
        SHOULDER_PROXY,
        FRONTAL_VIEWS,
        N_("Shoulder midpoint offset from the vertical through the ankle midpoint."),
    ),
    MetricSpec(
        "pelvis_shift",
        N_("Pelvis shift"),
        "length",
        N_("positive = shifted toward the patient's left"),
        (_L.LEFT_HIP, _L.RIGHT_HIP, _L.LEFT_ANKLE, _L.RIGHT_ANKLE),
        shift_band(),
        True,
        HIP_PROXY,
        FRONTAL_VIEWS,
        N_("Hip midpoint offset from the vertical through the ankle midpoint."),
    ),
    _knee_spec("left"),
    _knee_spec("right"),
    MetricSpec(
        "asymmetry_index",
        N_("Asymmetry index"),
        "index",
        N_("0 = symmetric; 1 = on average at the edge of the normal bands"),
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
        NormBand((0.0, 1.0), (0.0, 1.5), WORKING_BAND),
        True,
        Text("built from proxy metrics (head, shoulder, pelvic tilt, knees)"),
        FRONTAL_VIEWS,
        N_(
            "Mean of |head_tilt|/2°, |shoulder_tilt|/1.5°, |pelvic_tilt|/1.5° and "
            "|knee_angle_left - knee_angle_right|/4° over the available terms."
        ),
    ),
)
