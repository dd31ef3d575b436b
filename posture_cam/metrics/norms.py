"""Types of the metric catalogue (``NormBand``, ``Mdc``, ``MetricSpec``) and what the
frontal and side-view entries share: their view sets, the citations of the norm bands,
the band helpers and the proxy notes. The MDC values are in ``posture_cam.metrics.mdc``.

All norm bands are for screening, not diagnosis. Bands are in the metric's
scale-free unit (deg, %height, % trunk length, index); the engine converts cm values
to %height before judging them.
"""

from __future__ import annotations

from dataclasses import dataclass

from posture_cam.i18n import Text
from posture_cam.types import MetricStatus, View

#: The views a metric is measured in (``MetricSpec.views``).
FRONTAL_VIEWS = frozenset({View.FRONT, View.BACK})
SIDE_VIEWS = frozenset({View.LEFT, View.RIGHT})

#: ``NormBand.source`` of a band no publication gives (ours, for screening).
WORKING_BAND = Text("Working band, not a published norm.")

#: Citations of the norm bands (``NormBand.source``), named by first author.
LAU = "Lau HMC, Chiu TTW, Lam TH, Manual Therapy 2009;14(4):363-368"
KENDALL = "Kendall FP et al., Muscles: Testing and Function with Posture and Pain, 5th ed., 2005"
RAINE = "Raine S, Twomey LT, Arch Phys Med Rehabil 1997;78(11):1215-1223"
PREECE = "Preece SJ et al., J Man Manip Ther 2008;16(2):113-117"
SHAGHAYEGH = "Shaghayegh Fard B et al., Eur Spine J 2016;25(11):3577-3582"
ABBASZADEH = "Abbaszadeh-Amirdehi M et al., J Babol Univ Med Sci 2020;22(1)"
THIGPEN = "Thigpen CA et al., J Electromyogr Kinesiol 2010;20(4):701-709"
MORELAND = "Moreland JR, Bassett LW, Hanker GJ, J Bone Joint Surg Am 1987;69(5):745-749"


@dataclass(frozen=True, kw_only=True)
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


#: Where an MDC comes from: published for the clinical method, this tool's bench, or
#: this clinic's own retest (``metrics.clinic_mdc``).
MDC_KINDS = ("literature", "own repeatability", "clinic retest")


@dataclass(frozen=True, kw_only=True)
class Mdc:
    """Minimal detectable change (MDC95) of a metric: a change between two captures
    smaller than this is within measurement error.

    Attributes:
        value: MDC95 in the metric's scale-free unit (deg, %height, %, index).
        source: citation, or the bench that measured it.
        kind: ``literature`` (published for the clinical method), ``own repeatability``
            (this tool's model repeatability, bench/repeatability.py) or ``clinic
            retest`` (this clinic's ``posture-cam retest --save``).
        sem: standard error of measurement of one capture (same unit), when known;
            MDC95 = 1.96 * sqrt(2) * SEM.
    """

    value: float
    source: str
    kind: str
    sem: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in MDC_KINDS:
            raise ValueError(f"Mdc.kind must be one of {', '.join(MDC_KINDS)}, not {self.kind!r}")

    def to_json(self) -> dict[str, object]:
        return {"value": self.value, "source": self.source, "kind": self.kind, "sem": self.sem}


@dataclass(frozen=True, kw_only=True)
class MetricSpec:
    """One catalogue entry.

    Attributes:
        id: contract id (CLI JSON, snapshots, reports).
        label: short label (English msgid; shown through ``posture_cam.wording``).
        unit_kind: ``angle`` (deg), ``length`` (cm with a scale, else %height),
            ``length_trunk`` (cm with a scale, else % of trunk length, unit "%"),
            ``index`` (dimensionless).
        sign: plain-language sign convention (English msgid).
        landmarks: landmark ids used (side views list the LEFT-view set).
        norm: reference bands.
        proxy: True when MediaPipe landmarks stand in for clinical points.
        proxy_note: what stands in for what (English, translatable ``Text``).
        views: views the metric belongs to.
        definition: one-sentence definition (English msgid; GUI tooltips).
        mdc: minimal detectable change with its source (set by the catalogue from
            ``posture_cam.metrics.mdc``).
        repeatability: the model's per-capture SD (SEM) in the scale-free unit, from
            ``bench/repeatability.py``; combined with the frame spread into the ± of
            an averaged value.
    """

    id: str
    label: str
    unit_kind: str
    sign: str
    landmarks: tuple[int, ...]
    norm: NormBand
    proxy: bool
    proxy_note: str
    views: frozenset[View]
    definition: str
    mdc: Mdc | None = None
    repeatability: float | None = None

    def unit(self, cm_per_px: float | None) -> str:
        """Unit string of a value of this metric."""
        if self.unit_kind == "angle":
            return "deg"
        if self.unit_kind == "index":
            return "index"
        if cm_per_px:
            return "cm"
        return "%height" if self.unit_kind == "length" else "%"


def tilt_band() -> NormBand:
    return NormBand(
        normal=(-1.5, 1.5),
        borderline=(-3.0, 3.0),
        source=Text("Working band, not a published norm. About 1° asymmetry is normal."),
    )


def shift_band() -> NormBand:
    return NormBand(
        normal=(-2.0, 2.0),
        borderline=(-4.0, 4.0),
        source=WORKING_BAND,
        note=Text("in % of body height"),
    )


def plumb_band(lo: float, hi: float) -> NormBand:
    return NormBand(
        normal=(lo, hi),
        borderline=(lo - 2.0, hi + 2.0),
        source=Text("Working band, not a published norm. Ideal alignment after {ref}", ref=KENDALL),
        note=Text(
            "in % of body height; Kendall's plumb line passes slightly anterior to the "
            "lateral malleolus, so small positive offsets are ideal"
        ),
    )


#: ``MetricSpec.proxy_note``: which landmark stands in for which clinical point.
HIP_PROXY = Text("hip joint centres (23, 24) stand in for the iliac crests")
SHOULDER_PROXY = Text("shoulder joint centres (11, 12) stand in for the acromia")
EAR_PROXY = Text("ear landmarks (7, 8) stand in for the tragus")
