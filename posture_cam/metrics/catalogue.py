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

from dataclasses import dataclass

from posture_cam.landmarks import LM
from posture_cam.types import MetricStatus, View

FRONTAL = frozenset({View.FRONT, View.BACK})
SIDE = frozenset({View.LEFT, View.RIGHT})

SCREENING = "Screening, not diagnosis."
WORKING = "Working band, not a published norm."

LAU = "Lau KT et al., Manual Therapy 2010;15(5):457-462"
KENDALL = "Kendall FP et al., Muscles: Testing and Function with Posture and Pain, 5th ed., 2005"
RAINE = "Raine S, Twomey LT, Arch Phys Med Rehabil 1997;78(11):1215-1223"
PREECE = "Preece SJ et al., J Man Manip Ther 2008;16(2):113-117"
MORELAND = "Moreland JR, Bassett LW, Hanker GJ, J Bone Joint Surg Am 1987;69(5):745-749"


@dataclass(frozen=True)
class NormBand:
    """Reference bands; status = NORMAL inside ``normal``, BORDERLINE inside
    ``borderline`` (wider), else OUTSIDE.

    Attributes:
        normal: (lo, hi) inclusive, in the metric's scale-free unit.
        borderline: (lo, hi) inclusive, contains ``normal``.
        source: citation, or "working band" when no published norm fits.
        note: how the band was derived.
    """

    normal: tuple[float, float]
    borderline: tuple[float, float]
    source: str
    note: str = ""

    def status(self, value: float) -> MetricStatus:
        lo, hi = self.normal
        if lo <= value <= hi:
            return MetricStatus.NORMAL
        lo, hi = self.borderline
        if lo <= value <= hi:
            return MetricStatus.BORDERLINE
        return MetricStatus.OUTSIDE


@dataclass(frozen=True)
class MetricSpec:
    """One catalogue entry.

    Attributes:
        id: contract id (CLI JSON, snapshots, reports).
        label_en, label_nl: short labels (English, Dutch).
        unit_kind: ``angle`` (deg), ``length`` (cm with a scale, else %height),
            ``length_trunk`` (cm with a scale, else % of trunk length, unit "%"),
            ``index`` (dimensionless).
        sign: plain-language sign convention.
        landmarks: landmark ids used (side views list the LEFT-view set).
        norm: reference bands.
        proxy: True when MediaPipe landmarks stand in for clinical points.
        proxy_note: what stands in for what.
        views: views the metric belongs to.
        definition_en, definition_nl: one-sentence definitions (GUI tooltips).
    """

    id: str
    label_en: str
    label_nl: str
    unit_kind: str
    sign: str
    landmarks: tuple[int, ...]
    norm: NormBand
    proxy: bool
    proxy_note: str
    views: frozenset[View]
    definition_en: str
    definition_nl: str

    def unit(self, cm_per_px: float | None) -> str:
        """Unit string of a value of this metric."""
        if self.unit_kind == "angle":
            return "deg"
        if self.unit_kind == "index":
            return "index"
        if cm_per_px:
            return "cm"
        return "%height" if self.unit_kind == "length" else "%"


def _tilt_band() -> NormBand:
    return NormBand((-1.5, 1.5), (-3.0, 3.0), f"{WORKING} About 1° asymmetry is normal.")


def _shift_band() -> NormBand:
    return NormBand((-2.0, 2.0), (-4.0, 4.0), WORKING, "in % of body height")


def _plumb_band(lo: float, hi: float) -> NormBand:
    return NormBand(
        (lo, hi),
        (lo - 2.0, hi + 2.0),
        f"{WORKING} Ideal alignment after {KENDALL}",
        "in % of body height; Kendall's plumb line passes slightly anterior to the "
        "lateral malleolus, so small positive offsets are ideal",
    )


_HIP_PROXY = "hip joint centres (23, 24) stand in for the iliac crests"
_SH_PROXY = "shoulder joint centres (11, 12) stand in for the acromia"
_EAR_PROXY = "ear landmarks (7, 8) stand in for the tragus"
_L = LM

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


_FRONT_SPECS: tuple[MetricSpec, ...] = (
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
        _EAR_PROXY,
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
        _tilt_band(),
        True,
        _SH_PROXY,
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
        _SH_PROXY,
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
        _tilt_band(),
        True,
        _HIP_PROXY,
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
        f"{_SH_PROXY}; {_HIP_PROXY}",
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
        _shift_band(),
        True,
        _EAR_PROXY,
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
        _shift_band(),
        True,
        _SH_PROXY,
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
        _shift_band(),
        True,
        _HIP_PROXY,
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

_SIDE_LMS = (_L.LEFT_EAR, _L.LEFT_SHOULDER)
_SIDE_SPECS: tuple[MetricSpec, ...] = (
    MetricSpec(
        "cva",
        "Craniovertebral angle",
        "Craniovertebrale hoek",
        "angle",
        "90° = ear straight above the shoulder; smaller = more forward head",
        _SIDE_LMS,
        NormBand(
            (48.5, 90.0),
            (45.5, 90.0),
            f"{LAU}; severity cut-off 45.5° (Mostafaee et al.)",
            "controls 50.6 ± 2.1°, neck pain 43.9 ± 3.6°; normal = above control mean - 1 SD",
        ),
        True,
        "shoulder joint centre stands in for C7 and the ear for the tragus: the "
        "shoulder lies anterior to C7, so the proxy reads higher than a clinical CVA",
        SIDE,
        "Shoulder-to-ear line vs the horizontal.",
        "Lijn schouder-oor t.o.v. de horizontaal.",
    ),
    MetricSpec(
        "head_forward_angle",
        "Forward head angle",
        "Voorwaartse hoofdhoek",
        "angle",
        "0 = ear above the shoulder, positive = ear anterior",
        _SIDE_LMS,
        NormBand(
            (-10.0, 41.5),
            (-15.0, 44.5),
            f"derived from the CVA band ({LAU})",
            "90° minus the CVA band",
        ),
        True,
        f"{_EAR_PROXY}; shoulder joint centre for C7",
        SIDE,
        "Shoulder-to-ear line vs the vertical.",
        "Lijn schouder-oor t.o.v. de verticaal.",
    ),
    MetricSpec(
        "shoulder_protraction",
        "Shoulder protraction",
        "Schouderprotractie",
        "length_trunk",
        "positive = shoulder ahead of the plumb line through the hip",
        (_L.LEFT_SHOULDER, _L.LEFT_HIP),
        NormBand(
            (-8.0, 8.0),
            (-15.0, 15.0),
            f"{WORKING} Ideal: acromion over the greater trochanter ({KENDALL})",
            "in % of trunk length (hip to shoulder)",
        ),
        True,
        "shoulder joint centre stands in for the acromion, hip joint centre for the "
        "greater trochanter",
        SIDE,
        "Horizontal offset of the shoulder from the vertical through the hip.",
        "Horizontale afstand van de schouder tot de verticaal door de heup.",
    ),
    MetricSpec(
        "trunk_inclination",
        "Trunk inclination",
        "Rompinclinatie",
        "angle",
        "positive = trunk inclined forward",
        (_L.LEFT_SHOULDER, _L.LEFT_HIP),
        NormBand((-5.0, 5.0), (-10.0, 10.0), WORKING),
        True,
        "hip and shoulder joint centres",
        SIDE,
        "Hip-to-shoulder line vs the vertical.",
        "Lijn heup-schouder t.o.v. de verticaal.",
    ),
    MetricSpec(
        "ear_offset",
        "Ear plumb offset",
        "Oor t.o.v. schietlood",
        "length",
        "positive = anterior of the vertical through the ankle",
        (_L.LEFT_EAR, _L.LEFT_ANKLE),
        _plumb_band(-1.0, 3.0),
        True,
        _EAR_PROXY,
        SIDE,
        "Horizontal offset of the ear from the vertical through the ankle.",
        "Horizontale afstand van het oor tot de verticaal door de enkel.",
    ),
    MetricSpec(
        "shoulder_offset",
        "Shoulder plumb offset",
        "Schouder t.o.v. schietlood",
        "length",
        "positive = anterior of the vertical through the ankle",
        (_L.LEFT_SHOULDER, _L.LEFT_ANKLE),
        _plumb_band(-1.0, 3.0),
        True,
        _SH_PROXY,
        SIDE,
        "Horizontal offset of the shoulder from the vertical through the ankle.",
        "Horizontale afstand van de schouder tot de verticaal door de enkel.",
    ),
    MetricSpec(
        "hip_offset",
        "Hip plumb offset",
        "Heup t.o.v. schietlood",
        "length",
        "positive = anterior of the vertical through the ankle",
        (_L.LEFT_HIP, _L.LEFT_ANKLE),
        _plumb_band(-1.0, 3.0),
        True,
        "hip joint centre stands in for the greater trochanter",
        SIDE,
        "Horizontal offset of the hip from the vertical through the ankle.",
        "Horizontale afstand van de heup tot de verticaal door de enkel.",
    ),
    MetricSpec(
        "knee_offset",
        "Knee plumb offset",
        "Knie t.o.v. schietlood",
        "length",
        "positive = anterior of the vertical through the ankle",
        (_L.LEFT_KNEE, _L.LEFT_ANKLE),
        _plumb_band(-1.0, 2.0),
        True,
        "knee joint landmark",
        SIDE,
        "Horizontal offset of the knee from the vertical through the ankle.",
        "Horizontale afstand van de knie tot de verticaal door de enkel.",
    ),
    MetricSpec(
        "pelvic_tilt_sagittal",
        "Pelvic tilt (sagittal)",
        "Bekkenkanteling (sagittaal)",
        "angle",
        "positive = anterior tilt (ASIS below PSIS)",
        (),
        NormBand((8.0, 18.0), (3.0, 23.0), PREECE, "13 ± 5° anterior in asymptomatic adults"),
        True,
        "MediaPipe has no ASIS or PSIS point",
        SIDE,
        "ASIS-PSIS line vs the horizontal (needs markers).",
        "Lijn SIAS-SIPS t.o.v. de horizontaal (vereist markers).",
    ),
)

#: Every metric, in report order: frontal-plane metrics first, then side-view ones.
CATALOGUE: tuple[MetricSpec, ...] = _FRONT_SPECS + _SIDE_SPECS
_BY_ID = {s.id: s for s in CATALOGUE}


def spec(metric_id: str) -> MetricSpec:
    """The catalogue entry of ``metric_id`` (KeyError names the unknown id)."""
    try:
        return _BY_ID[metric_id]
    except KeyError:
        raise KeyError(f"unknown metric id {metric_id!r}") from None


def specs_for(view: View) -> tuple[MetricSpec, ...]:
    """Catalogue entries that belong to ``view``, in catalogue order."""
    return tuple(s for s in CATALOGUE if view in s.views)
