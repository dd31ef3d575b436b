"""The patient report's words (the PDF for the patient file and the app's visit
overview): its headings and phrases, where an MDC comes from, the MDC judgement of a
change between visits, and the screening disclaimer every result carries.
"""

from __future__ import annotations

from typing import Any

from posture_cam.i18n import N_, _, localize
from posture_cam.wording.names import source_text


def screening_note() -> str:
    """The disclaimer every result carries."""
    return _("Screening aid, not a diagnosis.")


_REPORT_WORDS: dict[str, str] = {
    "title": N_("Posture report"),
    "practice": N_("Practice"),
    "patient": N_("Patient"),
    "name": N_("Name"),
    "born": N_("Born"),
    "visit": N_("Visit"),
    "date": N_("Date"),
    "setting": N_("Setting"),
    "therapist": N_("Therapist"),
    "clinic": N_("clinic"),
    "home": N_("home"),
    "views": N_("Views"),
    "snapshot": N_("snapshot"),
    "nth_of": N_("{n} of {total}"),
    "value": N_("Value ± uncertainty"),
    "unit": N_("Unit"),
    "band": N_("Normal band"),
    "status": N_("Status"),
    "source": N_("Source"),
    "change_title": N_("Change since the previous visit ({date})"),
    "no_previous": N_("No earlier visit with this view: no change to show."),
    "previous": N_("Previous"),
    "now": N_("Now"),
    "change": N_("Change"),
    "mdc": N_("MDC"),
    "judgement": N_("Judgement"),
    "pm_legend": N_(
        "± = uncertainty of the value (one SD): the spread over the averaged frames "
        "combined with the pose model's repeatability, √(SD² + SEM²); for stickers and "
        "points placed by hand also their placement. For a proxy it says how repeatable "
        "the value is, not how far it is from the clinical angle (a markerless CVA "
        "differed from the stickers' by 4.7° on one test video)."
    ),
    "pm_legend_sd": N_(
        "± … SD: a capture stored before the uncertainty was kept: frame spread (SD) "
        "only, without the model's repeatability."
    ),
    "progress": N_("Progress over all visits"),
    "progress_legend": N_(
        "Green: normal band. Grey: MDC band around the first visit. Filled circles: "
        "clinic visits; open diamonds: home checks. Error bars: the ± of each value. "
        "Green points: from skin markers or placed points; the line is broken where "
        "the way of measuring changes."
    ),
    "method": N_("Method"),
    "method_text": N_(
        "Angles and offsets from the MediaPipe pose model (33 landmarks; on photos also "
        "a second keypoint model where installed), from skin markers or from points "
        "placed by the therapist (the Source column). Each value is the median over the "
        "frames of an averaged capture that passed the quality gate; when none passed, "
        "over its frames with the patient, and the capture is marked below (a photo is "
        "one frame, averaged over mirrored and rotated copies). ± combines the spread "
        "over those frames with the model's repeatability and, for markers and placed "
        "points, their placement. Signed values name their side (R high) or direction "
        "(forward). A change counts only when it exceeds the metric's minimal detectable "
        "change (MDC)."
    ),
    "pose_model": N_("Pose model"),
    "profile": N_("Calibration profile"),
    "none": N_("none (angles only; lengths in % of body height)"),
    "quality": N_("Quality of each capture"),
    "quality_ok": N_("quality gate passed"),
    "quality_failed": N_("quality gate not passed"),
    "frames": N_("{used} of {seen} frame(s) used"),
    "mdc_sources": N_("MDC sources"),
    "screening": N_(
        "Screening, not diagnosis. Proxy measures from camera landmarks; interpret with "
        "the clinical examination."
    ),
    "page": N_("page {n} of {total}"),
    "no_image": N_("(no image stored)"),
}


def report_text(key: str, **fields: object) -> str:
    """A heading or phrase of the patient report (and the app's visit overview) in the
    current language; placeholders are filled after translating."""
    text = _(_REPORT_WORDS[key])
    return text.format(**fields) if fields else text


_MDC_KIND_WORDS: dict[str, str] = {
    "literature": N_("literature"),
    "own repeatability": N_("own repeatability"),
    "clinic retest": N_("this clinic's retest"),
}


def mdc_source_text(kind: str | None, source: str | None) -> str:
    """Where an MDC comes from, as the report's sources list shows it:
    ``literature; <citation> (smartphone app, intra-rater)``, ``own repeatability;
    bench/repeatability.py (this tool, …)`` (``metrics.mdc``; the kind and the words
    around a citation translated, the citation as published)."""
    kind_words = _(_MDC_KIND_WORDS[kind]) if kind in _MDC_KIND_WORDS else kind or "-"
    return f"{kind_words}; {localize(source)}" if source else kind_words


def change_verdict(beyond_error: bool | None, sources: tuple[str, str] | None = None) -> str:
    """The MDC judgement of a change between visits (``records.compare.Change``):
    beyond it only when |change| > MDC; None when the metric has no MDC. ``sources``
    (previous, current) given when the two values were measured two ways (from the
    pose model and from stickers or placed points): then they are not compared."""
    if sources is not None:
        return _("not compared: {before} → {now}").format(
            before=source_text(sources[0]), now=source_text(sources[1])
        )
    if beyond_error is None:
        return _("no MDC known")
    return _("beyond measurement error") if beyond_error else _("within measurement error")


def change_judgement(change: Any) -> str:
    """``change_verdict`` of a ``records.compare.Change`` (its MDC judgement, or why it
    was not compared); a change from a capture that failed the quality gate is not
    judged (the report says which capture and why above its table)."""
    if getattr(change, "gate_failed", False) and change.comparable and change.mdc is not None:
        return _("not judged: capture failed the quality check")
    return change_verdict(change.beyond_error, None if change.comparable else change.sources)
