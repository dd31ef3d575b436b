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
    normal=(-6.0, 6.0),
    borderline=(-10.0, 10.0),
    source=Text("Working band, not a published norm; reference: {ref}", ref=MORELAND),
    note=Text(
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
        id=f"knee_angle_{side}",
        label=N_("Left knee (frontal)") if left else N_("Right knee (frontal)"),
        unit_kind="angle",
        sign=N_("positive = valgus (knee toward the midline), negative = varus"),
        landmarks=(_L[f"{up}_HIP"], _L[f"{up}_KNEE"], _L[f"{up}_ANKLE"]),
        norm=_KNEE_BAND,
        proxy=True,
        proxy_note=Text(
            "2-D projection of hip joint centre, knee and ankle; knee flexion or leg "
            "rotation inflates it"
        ),
        views=FRONTAL_VIEWS,
        definition=N_("180° minus the hip-knee-ankle angle of the left leg.")
        if left
        else N_("180° minus the hip-knee-ankle angle of the right leg."),
    )


FRONT_SPECS: tuple[MetricSpec, ...] = (
    MetricSpec(
        id="head_tilt",
        label=N_("Head tilt"),
        unit_kind="angle",
        sign=N_("positive = patient's left ear higher"),
        landmarks=(_L.LEFT_EAR, _L.RIGHT_EAR),
        norm=NormBand(
            normal=(-2.0, 2.0),
            borderline=(-4.0, 4.0),
            source=RAINE,
            note=Text("centred on the ≈0° mean of Raine & Twomey; the width is a working band"),
        ),
        proxy=True,
        proxy_note=EAR_PROXY,
        views=FRONTAL_VIEWS,
        definition=N_("Ear line vs the horizontal."),
    ),
    MetricSpec(
        id="shoulder_tilt",
        label=N_("Shoulder tilt"),
        unit_kind="angle",
        sign=N_("positive = patient's left shoulder higher"),
        landmarks=(_L.LEFT_SHOULDER, _L.RIGHT_SHOULDER),
        norm=tilt_band(),
        proxy=True,
        proxy_note=SHOULDER_PROXY,
        views=FRONTAL_VIEWS,
        definition=N_("Shoulder line vs the horizontal."),
    ),
    MetricSpec(
        id="shoulder_height_diff",
        label=N_("Shoulder height difference"),
        unit_kind="length",
        sign=N_("positive = patient's left shoulder higher"),
        landmarks=(_L.LEFT_SHOULDER, _L.RIGHT_SHOULDER),
        norm=NormBand(
            normal=(-1.0, 1.0),
            borderline=(-2.0, 2.0),
            source=WORKING_BAND,
            note=Text("in % of body height (1% ≈ 1.7 cm)"),
        ),
        proxy=True,
        proxy_note=SHOULDER_PROXY,
        views=FRONTAL_VIEWS,
        definition=N_("Vertical distance between the shoulders."),
    ),
    MetricSpec(
        id="pelvic_tilt",
        label=N_("Pelvic obliquity"),
        unit_kind="angle",
        sign=N_("positive = patient's left hip higher"),
        landmarks=(_L.LEFT_HIP, _L.RIGHT_HIP),
        norm=tilt_band(),
        proxy=True,
        proxy_note=HIP_PROXY,
        views=FRONTAL_VIEWS,
        definition=N_("Hip line vs the horizontal (frontal pelvic obliquity)."),
    ),
    MetricSpec(
        id="trunk_lean",
        label=N_("Trunk lean"),
        unit_kind="angle",
        sign=N_("positive = trunk leans toward the patient's left"),
        landmarks=(_L.LEFT_SHOULDER, _L.RIGHT_SHOULDER, _L.LEFT_HIP, _L.RIGHT_HIP),
        norm=NormBand(normal=(-2.0, 2.0), borderline=(-4.0, 4.0), source=WORKING_BAND),
        proxy=True,
        proxy_note=Text(
            "shoulder joint centres (11, 12) stand in for the acromia; hip joint centres "
            "(23, 24) stand in for the iliac crests"
        ),
        views=FRONTAL_VIEWS,
        definition=N_("Hip-midpoint to shoulder-midpoint line vs the vertical."),
    ),
    MetricSpec(
        id="head_shift",
        label=N_("Head shift"),
        unit_kind="length",
        sign=N_("positive = shifted toward the patient's left"),
        landmarks=(_L.LEFT_EAR, _L.RIGHT_EAR, _L.LEFT_ANKLE, _L.RIGHT_ANKLE),
        norm=shift_band(),
        proxy=True,
        proxy_note=EAR_PROXY,
        views=FRONTAL_VIEWS,
        definition=N_("Ear midpoint offset from the vertical through the ankle midpoint."),
    ),
    MetricSpec(
        id="shoulder_shift",
        label=N_("Shoulder shift"),
        unit_kind="length",
        sign=N_("positive = shifted toward the patient's left"),
        landmarks=(_L.LEFT_SHOULDER, _L.RIGHT_SHOULDER, _L.LEFT_ANKLE, _L.RIGHT_ANKLE),
        norm=shift_band(),
        proxy=True,
        proxy_note=SHOULDER_PROXY,
        views=FRONTAL_VIEWS,
        definition=N_("Shoulder midpoint offset from the vertical through the ankle midpoint."),
    ),
    MetricSpec(
        id="pelvis_shift",
        label=N_("Pelvis shift"),
        unit_kind="length",
        sign=N_("positive = shifted toward the patient's left"),
        landmarks=(_L.LEFT_HIP, _L.RIGHT_HIP, _L.LEFT_ANKLE, _L.RIGHT_ANKLE),
        norm=shift_band(),
        proxy=True,
        proxy_note=HIP_PROXY,
        views=FRONTAL_VIEWS,
        definition=N_("Hip midpoint offset from the vertical through the ankle midpoint."),
    ),
    _knee_spec("left"),
    _knee_spec("right"),
    MetricSpec(
        id="asymmetry_index",
        label=N_("Asymmetry index"),
        unit_kind="index",
        sign=N_("0 = symmetric; 1 = on average at the edge of the normal bands"),
        landmarks=(
            _L.LEFT_EAR,
            _L.RIGHT_EAR,
            _L.LEFT_SHOULDER,
            _L.RIGHT_SHOULDER,
            _L.LEFT_HIP,
            _L.RIGHT_HIP,
            _L.LEFT_KNEE,
            _L.RIGHT_KNEE,
        ),
        norm=NormBand(normal=(0.0, 1.0), borderline=(0.0, 1.5), source=WORKING_BAND),
        proxy=True,
        proxy_note=Text("built from proxy metrics (head, shoulder, pelvic tilt, knees)"),
        views=FRONTAL_VIEWS,
        definition=N_(
            "Mean of |head_tilt|/2°, |shoulder_tilt|/1.5°, |pelvic_tilt|/1.5° and "
            "|knee_angle_left - knee_angle_right|/4° over the available terms."
        ),
    ),
)
