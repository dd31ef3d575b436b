"""Words and number formats of the report.

Every text is an English msgid marked with ``N_`` and translated through the one
gettext catalogue (``posture_cam.i18n``) in the report's own language
(``using_language``), so the app's language is untouched.

Numbers are formatted here, not with ``posture_cam.i18n.format_number``: the report's
numbers must read back (``pdftotext``) exactly as ``visits --json`` prints them, so a
negative value keeps the ASCII hyphen-minus instead of the typographic minus sign; Dutch
still gets its decimal comma.
"""

from __future__ import annotations

from posture_cam.i18n import N_, _, using_language

LANGUAGES = ("en", "nl")

TEXT: dict[str, str] = {
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
    "view_front": N_("Front view"),
    "view_back": N_("Back view"),
    "view_left": N_("Left side"),
    "view_right": N_("Right side"),
    "metric": N_("Measure"),
    "value": N_("Value ± SD"),
    "unit": N_("Unit"),
    "band": N_("Normal band"),
    "status": N_("Status"),
    "source": N_("Source"),
    "normal": N_("normal"),
    "borderline": N_("borderline"),
    "outside": N_("outside"),
    "not_measurable": N_("not measurable"),
    "model": N_("model"),
    "marker": N_("marker"),
    "point": N_("point"),
    "change_title": N_("Change since the previous visit ({date})"),
    "no_previous": N_("No earlier visit with this view: no change to show."),
    "previous": N_("Previous"),
    "now": N_("Now"),
    "change": N_("Change"),
    "mdc": N_("MDC"),
    "judgement": N_("Judgement"),
    "progress": N_("Progress over all visits"),
    "progress_legend": N_(
        "Green: normal band. Grey: MDC band around the first visit. Filled circles: "
        "clinic visits; open diamonds: home checks."
    ),
    "method": N_("Method"),
    "method_text": N_(
        "Angles and offsets from the MediaPipe pose model (33 landmarks); each value is "
        "the median over the frames of an averaged capture that passed the quality gate "
        "(a photo is one frame, averaged over mirrored and rotated copies). ± is the SD "
        "over those frames. A change counts only when it exceeds the metric's minimal "
        "detectable change (MDC)."
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


def t(key: str, lang: str, **fields: object) -> str:
    """``TEXT[key]`` in ``lang``, placeholders filled after translating."""
    with using_language(lang):
        text = _(TEXT[key])
    return text.format(**fields) if fields else text


def number(value: float | None, lang: str, decimals: int = 1) -> str:
    """A number as printed: ``1.5`` (en) / ``1,5`` (nl); ``-`` for None; never ``-0.0``."""
    if value is None:
        return "-"
    rounded = round(float(value), decimals)
    if rounded == 0:
        rounded = 0.0
    text = f"{rounded:.{decimals}f}"
    return text.replace(".", ",") if lang == "nl" else text


def signed(value: float, lang: str) -> str:
    text = number(value, lang)
    return text if text.startswith("-") else f"+{text}"


def metric_label(metric_id: str, lang: str) -> str:
    """The catalogue's label of a metric in ``lang``; the id itself when unknown."""
    from posture_cam import wording
    from posture_cam.i18n import using_language

    with using_language(lang):
        return wording.metric_label(metric_id)
