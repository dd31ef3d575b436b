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
        id="cva",
        label=N_("Craniovertebral angle"),
        unit_kind="angle",
        sign=N_("90° = ear straight above C7; smaller = more forward head"),
        landmarks=(*_SIDE_LMS, _L.LEFT_HIP),
        norm=NormBand(
            normal=(48.5, 90.0),
            borderline=(45.5, 90.0),
            source=Text("{ref}; severity cut-off 45.5° (Mostafaee et al.)", ref=LAU),
            note=Text(
                "controls 50.6 ± 2.1°, neck pain 43.9 ± 3.6°; normal = above control mean "
                "- 1 SD. Sitting and standing differ by 1-5° between studies, and not in "
                "the same direction ({ref}; {ref2}; docs/metrics.md): one band for both, so "
                "a value near the cut-off deserves a re-test in the other posture",
                ref=SHAGHAYEGH,
                ref2=ABBASZADEH,
            ),
        ),
        proxy=True,
        proxy_note=Text(
            "tragus-C7 line vs horizontal; without markers the ear stands in for the tragus "
            "and C7 is estimated from the shoulder and hip (docs/metrics.md)"
        ),
        views=SIDE_VIEWS,
        definition=N_("C7-to-tragus line vs the horizontal (C7 estimated without markers)."),
    ),
    MetricSpec(
        id="head_forward_angle",
        label=N_("Forward head angle"),
        unit_kind="angle",
        sign=N_("0 = ear above C7, positive = ear anterior"),
        landmarks=(*_SIDE_LMS, _L.LEFT_HIP),
        norm=NormBand(
            normal=(-10.0, 41.5),
            borderline=(-15.0, 44.5),
            source=Text("derived from the CVA band ({ref})", ref=LAU),
            note=Text("90° minus the CVA band"),
        ),
        proxy=True,
        proxy_note=Text(
            "ear landmarks (7, 8) stand in for the tragus; C7 estimated from the shoulder and hip"
        ),
        views=SIDE_VIEWS,
        definition=N_("C7-to-ear line vs the vertical."),
    ),
    MetricSpec(
        id="shoulder_protraction",
        label=N_("Shoulder protraction"),
        unit_kind="length_trunk",
        sign=N_("positive = shoulder ahead of the line from the hip to the ear"),
        landmarks=(_L.LEFT_SHOULDER, _L.LEFT_EAR, _L.LEFT_HIP),
        norm=NormBand(
            normal=(-18.0, 8.0),
            borderline=(-28.0, 15.0),
            source=Text(
                "Working band, not a published norm. Ideal: ear, acromion and greater "
                "trochanter on one line ({ref})",
                ref=KENDALL,
            ),
            note=Text(
                "in % of trunk length; the shoulder joint centre lies behind the acromion, "
                "so upright people read negative (shared upright sitters -7 to -17 %)"
            ),
        ),
        proxy=True,
        proxy_note=Text(
            "shoulder joint centre for the acromion, hip joint centre for the greater "
            "trochanter, ear for the ear lobe; a forward head hides protraction"
        ),
        views=SIDE_VIEWS,
        definition=N_("Distance of the shoulder ahead of the hip-to-ear line."),
    ),
    MetricSpec(
        id="trunk_inclination",
        label=N_("Trunk inclination"),
        unit_kind="angle",
        sign=N_("positive = trunk inclined forward"),
        landmarks=(_L.LEFT_SHOULDER, _L.LEFT_HIP),
        norm=NormBand(normal=(-5.0, 5.0), borderline=(-10.0, 10.0), source=WORKING_BAND),
        proxy=True,
        proxy_note=Text("hip and shoulder joint centres"),
        views=SIDE_VIEWS,
        definition=N_("Hip-to-shoulder line vs the vertical."),
    ),
    MetricSpec(
        id="ear_offset",
        label=N_("Ear plumb offset"),
        unit_kind="length",
        sign=N_("positive = anterior of the vertical through the ankle"),
        landmarks=(_L.LEFT_EAR, _L.LEFT_ANKLE),
        norm=plumb_band(-1.0, 3.0),
        proxy=True,
        proxy_note=EAR_PROXY,
        views=SIDE_VIEWS,
        definition=N_("Horizontal offset of the ear from the vertical through the ankle."),
    ),
    MetricSpec(
        id="shoulder_offset",
        label=N_("Shoulder plumb offset"),
        unit_kind="length",
        sign=N_("positive = anterior of the vertical through the ankle"),
        landmarks=(_L.LEFT_SHOULDER, _L.LEFT_ANKLE),
        norm=plumb_band(-1.0, 3.0),
        proxy=True,
        proxy_note=SHOULDER_PROXY,
        views=SIDE_VIEWS,
        definition=N_("Horizontal offset of the shoulder from the vertical through the ankle."),
    ),
    MetricSpec(
        id="hip_offset",
        label=N_("Hip plumb offset"),
        unit_kind="length",
        sign=N_("positive = anterior of the vertical through the ankle"),
        landmarks=(_L.LEFT_HIP, _L.LEFT_ANKLE),
        norm=plumb_band(-1.0, 3.0),
        proxy=True,
        proxy_note=Text("hip joint centre stands in for the greater trochanter"),
        views=SIDE_VIEWS,
        definition=N_("Horizontal offset of the hip from the vertical through the ankle."),
    ),
    MetricSpec(
        id="knee_offset",
        label=N_("Knee plumb offset"),
        unit_kind="length",
        sign=N_("positive = anterior of the vertical through the ankle"),
        landmarks=(_L.LEFT_KNEE, _L.LEFT_ANKLE),
        norm=plumb_band(-1.0, 2.0),
        proxy=True,
        proxy_note=Text("knee joint landmark"),
        views=SIDE_VIEWS,
        definition=N_("Horizontal offset of the knee from the vertical through the ankle."),
    ),
    MetricSpec(
        id="pelvic_tilt_sagittal",
        label=N_("Pelvic tilt (sagittal)"),
        unit_kind="angle",
        sign=N_("positive = anterior tilt (ASIS below PSIS)"),
        landmarks=(),
        norm=NormBand(
            normal=(8.0, 18.0),
            borderline=(3.0, 23.0),
            source=PREECE,
            note=Text("13 ± 5° anterior in asymptomatic adults"),
        ),
        proxy=True,
        proxy_note=Text("MediaPipe has no ASIS or PSIS point"),
        views=SIDE_VIEWS,
        definition=N_("ASIS-PSIS line vs the horizontal (needs markers)."),
    ),
    MetricSpec(
        id="forward_shoulder_angle",
        label=N_("Forward shoulder angle"),
        unit_kind="angle",
        sign=N_(
            "angle at the acromion between the backward horizontal and C7; smaller = "
            "shoulder further forward"
        ),
        landmarks=(),
        norm=NormBand(
            normal=(52.0, 120.0),
            borderline=(47.0, 120.0),
            source=THIGPEN,
            note=Text(
                "forward shoulder posture below 52°; borderline band 5° below it is a working band"
            ),
        ),
        proxy=False,
        proxy_note="",
        views=SIDE_VIEWS,
        definition=N_("C7-acromion line vs the horizontal (needs markers)."),
    ),
)
