"""Catalogue entries of the side views (see ``posture_cam.metrics.catalogue``)."""

from __future__ import annotations

from posture_cam.i18n import N_, Text
from posture_cam.landmarks import LM as _L
from posture_cam.metrics.norms import (
    ABBASZADEH,
    EAR_PROXY,
    KENDALL,
    LAU,
    PREECE,
    SHAGHAYEGH,
    SHOULDER_PROXY,
    SIDE_VIEWS,
    THIGPEN,
    WORKING_BAND,
    MetricSpec,
    NormBand,
    plumb_band,
)

_SIDE_LMS = (_L.LEFT_SHOULDER, _L.LEFT_EAR)
SIDE_SPECS: tuple[MetricSpec, ...] = (
    MetricSpec(
        "cva",
        N_("Craniovertebral angle"),
        "angle",
        N_("90° = ear straight above C7; smaller = more forward head"),
        (*_SIDE_LMS, _L.LEFT_HIP),
        NormBand(
            (48.5, 90.0),
            (45.5, 90.0),
            Text("{ref}; severity cut-off 45.5° (Mostafaee et al.)", ref=LAU),
            Text(
                "controls 50.6 ± 2.1°, neck pain 43.9 ± 3.6°; normal = above control mean "
                "- 1 SD. Sitting and standing differ by 1-5° between studies, and not in "
                "the same direction ({ref}; {ref2}; docs/metrics.md): one band for both, so "
                "a value near the cut-off deserves a re-test in the other posture",
                ref=SHAGHAYEGH,
                ref2=ABBASZADEH,
            ),
        ),
        True,
        Text(
            "tragus-C7 line vs horizontal; without markers the ear stands in for the tragus "
            "and C7 is estimated from the shoulder and hip (docs/metrics.md)"
        ),
        SIDE_VIEWS,
        N_("C7-to-tragus line vs the horizontal (C7 estimated without markers)."),
    ),
    MetricSpec(
        "head_forward_angle",
        N_("Forward head angle"),
        "angle",
        N_("0 = ear above C7, positive = ear anterior"),
        (*_SIDE_LMS, _L.LEFT_HIP),
        NormBand(
            (-10.0, 41.5),
            (-15.0, 44.5),
            Text("derived from the CVA band ({ref})", ref=LAU),
            Text("90° minus the CVA band"),
        ),
        True,
        Text(
            "ear landmarks (7, 8) stand in for the tragus; C7 estimated from the shoulder and hip"
        ),
        SIDE_VIEWS,
        N_("C7-to-ear line vs the vertical."),
    ),
    MetricSpec(
        "shoulder_protraction",
        N_("Shoulder protraction"),
        "length_trunk",
        N_("positive = shoulder ahead of the line from the hip to the ear"),
        (_L.LEFT_SHOULDER, _L.LEFT_EAR, _L.LEFT_HIP),
        NormBand(
            (-18.0, 8.0),
            (-28.0, 15.0),
            Text(
                "Working band, not a published norm. Ideal: ear, acromion and greater "
                "trochanter on one line ({ref})",
                ref=KENDALL,
            ),
            Text(
                "in % of trunk length; the shoulder joint centre lies behind the acromion, "
                "so upright people read negative (shared upright sitters -7 to -17 %)"
            ),
        ),
        True,
        Text(
            "shoulder joint centre for the acromion, hip joint centre for the greater "
            "trochanter, ear for the ear lobe; a forward head hides protraction"
        ),
        SIDE_VIEWS,
        N_("Distance of the shoulder ahead of the hip-to-ear line."),
    ),
    MetricSpec(
        "trunk_inclination",
        N_("Trunk inclination"),
        "angle",
        N_("positive = trunk inclined forward"),
        (_L.LEFT_SHOULDER, _L.LEFT_HIP),
        NormBand((-5.0, 5.0), (-10.0, 10.0), WORKING_BAND),
        True,
        Text("hip and shoulder joint centres"),
        SIDE_VIEWS,
        N_("Hip-to-shoulder line vs the vertical."),
    ),
    MetricSpec(
        "ear_offset",
        N_("Ear plumb offset"),
        "length",
        N_("positive = anterior of the vertical through the ankle"),
        (_L.LEFT_EAR, _L.LEFT_ANKLE),
        plumb_band(-1.0, 3.0),
        True,
        EAR_PROXY,
        SIDE_VIEWS,
        N_("Horizontal offset of the ear from the vertical through the ankle."),
    ),
    MetricSpec(
        "shoulder_offset",
        N_("Shoulder plumb offset"),
        "length",
        N_("positive = anterior of the vertical through the ankle"),
        (_L.LEFT_SHOULDER, _L.LEFT_ANKLE),
        plumb_band(-1.0, 3.0),
        True,
        SHOULDER_PROXY,
        SIDE_VIEWS,
        N_("Horizontal offset of the shoulder from the vertical through the ankle."),
    ),
    MetricSpec(
        "hip_offset",
        N_("Hip plumb offset"),
        "length",
        N_("positive = anterior of the vertical through the ankle"),
        (_L.LEFT_HIP, _L.LEFT_ANKLE),
        plumb_band(-1.0, 3.0),
        True,
        Text("hip joint centre stands in for the greater trochanter"),
        SIDE_VIEWS,
        N_("Horizontal offset of the hip from the vertical through the ankle."),
    ),
    MetricSpec(
        "knee_offset",
        N_("Knee plumb offset"),
        "length",
        N_("positive = anterior of the vertical through the ankle"),
        (_L.LEFT_KNEE, _L.LEFT_ANKLE),
        plumb_band(-1.0, 2.0),
        True,
        Text("knee joint landmark"),
        SIDE_VIEWS,
        N_("Horizontal offset of the knee from the vertical through the ankle."),
    ),
    MetricSpec(
        "pelvic_tilt_sagittal",
        N_("Pelvic tilt (sagittal)"),
        "angle",
        N_("positive = anterior tilt (ASIS below PSIS)"),
        (),
        NormBand((8.0, 18.0), (3.0, 23.0), PREECE, Text("13 ± 5° anterior in asymptomatic adults")),
        True,
        Text("MediaPipe has no ASIS or PSIS point"),
        SIDE_VIEWS,
        N_("ASIS-PSIS line vs the horizontal (needs markers)."),
    ),
    MetricSpec(
        "forward_shoulder_angle",
        N_("Forward shoulder angle"),
        "angle",
        N_(
            "angle at the acromion between the backward horizontal and C7; smaller = "
            "shoulder further forward"
        ),
        (),
        NormBand(
            (52.0, 120.0),
            (47.0, 120.0),
            THIGPEN,
            Text(
                "forward shoulder posture below 52°; borderline band 5° below it is a working band"
            ),
        ),
        False,
        "",
        SIDE_VIEWS,
        N_("C7-acromion line vs the horizontal (needs markers)."),
    ),
)
