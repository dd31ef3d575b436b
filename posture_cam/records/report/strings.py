"""Words and number formats of the report, English and Dutch.

One table per language; the keys are the English texts' ids. When ``posture_cam.i18n``
lands, these move into its catalogue.
"""

from __future__ import annotations

LANGUAGES = ("en", "nl")

TEXT: dict[str, dict[str, str]] = {
    "title": {"en": "Posture report", "nl": "Houdingsrapport"},
    "practice": {"en": "Practice", "nl": "Praktijk"},
    "patient": {"en": "Patient", "nl": "Patiënt"},
    "name": {"en": "Name", "nl": "Naam"},
    "born": {"en": "Born", "nl": "Geboortejaar"},
    "visit": {"en": "Visit", "nl": "Bezoek"},
    "date": {"en": "Date", "nl": "Datum"},
    "setting": {"en": "Setting", "nl": "Plaats"},
    "therapist": {"en": "Therapist", "nl": "Therapeut"},
    "clinic": {"en": "clinic", "nl": "praktijk"},
    "home": {"en": "home", "nl": "thuis"},
    "views": {"en": "Views", "nl": "Aanzichten"},
    "view_front": {"en": "Front view", "nl": "Vooraanzicht"},
    "view_back": {"en": "Back view", "nl": "Achteraanzicht"},
    "view_left": {"en": "Left side", "nl": "Linkerzijde"},
    "view_right": {"en": "Right side", "nl": "Rechterzijde"},
    "metric": {"en": "Measure", "nl": "Meting"},
    "value": {"en": "Value ± SD", "nl": "Waarde ± SD"},
    "unit": {"en": "Unit", "nl": "Eenheid"},
    "band": {"en": "Normal band", "nl": "Normaalgebied"},
    "status": {"en": "Status", "nl": "Status"},
    "source": {"en": "Source", "nl": "Bron"},
    "normal": {"en": "normal", "nl": "normaal"},
    "borderline": {"en": "borderline", "nl": "grensgebied"},
    "outside": {"en": "outside", "nl": "afwijkend"},
    "not_measurable": {"en": "not measurable", "nl": "niet meetbaar"},
    "model": {"en": "model", "nl": "model"},
    "marker": {"en": "marker", "nl": "marker"},
    "point": {"en": "point", "nl": "punt"},
    "change_title": {
        "en": "Change since the previous visit ({date})",
        "nl": "Verandering sinds het vorige bezoek ({date})",
    },
    "no_previous": {
        "en": "No earlier visit with this view: no change to show.",
        "nl": "Geen eerder bezoek met dit aanzicht: geen verandering te tonen.",
    },
    "previous": {"en": "Previous", "nl": "Vorige"},
    "now": {"en": "Now", "nl": "Nu"},
    "change": {"en": "Change", "nl": "Verandering"},
    "mdc": {"en": "MDC", "nl": "MDC"},
    "judgement": {"en": "Judgement", "nl": "Oordeel"},
    "beyond": {"en": "beyond measurement error", "nl": "groter dan de meetfout"},
    "within": {"en": "within measurement error", "nl": "binnen de meetfout"},
    "no_mdc": {"en": "no MDC known", "nl": "geen MDC bekend"},
    "progress": {"en": "Progress over all visits", "nl": "Verloop over alle bezoeken"},
    "progress_legend": {
        "en": "Green: normal band. Grey: MDC band around the first visit. "
        "Filled circles: clinic visits; open diamonds: home checks.",
        "nl": "Groen: normaalgebied. Grijs: MDC-band rond het eerste bezoek. "
        "Gevulde cirkels: bezoeken in de praktijk; open ruiten: thuismetingen.",
    },
    "method": {"en": "Method", "nl": "Methode"},
    "method_text": {
        "en": "Angles and offsets from the MediaPipe pose model (33 landmarks); each "
        "value is the median over the frames of an averaged capture that passed the "
        "quality gate (a photo is one frame, averaged over mirrored and rotated copies). "
        "± is the SD over those frames. A change counts only when it exceeds the "
        "metric's minimal detectable change (MDC).",
        "nl": "Hoeken en afstanden uit het MediaPipe-houdingsmodel (33 punten); elke "
        "waarde is de mediaan over de beelden van een gemiddelde opname die de "
        "kwaliteitscontrole doorstond (een foto is één beeld, gemiddeld over gespiegelde "
        "en gedraaide kopieën). ± is de SD over die beelden. Een verandering telt pas "
        "als ze groter is dan de kleinste meetbare verandering (MDC) van de meting.",
    },
    "pose_model": {"en": "Pose model", "nl": "Houdingsmodel"},
    "profile": {"en": "Calibration profile", "nl": "Kalibratieprofiel"},
    "none": {
        "en": "none (angles only; lengths in % of body height)",
        "nl": "geen (alleen hoeken; lengtes in % van de lichaamslengte)",
    },
    "quality": {"en": "Quality of each capture", "nl": "Kwaliteit van elke opname"},
    "quality_ok": {"en": "quality gate passed", "nl": "kwaliteitscontrole geslaagd"},
    "quality_failed": {"en": "quality gate not passed", "nl": "kwaliteitscontrole niet geslaagd"},
    "frames": {
        "en": "{used} of {seen} frame(s) used",
        "nl": "{used} van {seen} beeld(en) gebruikt",
    },
    "mdc_sources": {"en": "MDC sources", "nl": "Bronnen van de MDC"},
    "screening": {
        "en": "Screening, not diagnosis. Proxy measures from camera landmarks; "
        "interpret with the clinical examination.",
        "nl": "Screening, geen diagnose. Benaderende metingen uit camerapunten; "
        "interpreteer samen met het klinisch onderzoek.",
    },
    "page": {"en": "page {n} of {total}", "nl": "pagina {n} van {total}"},
    "no_image": {"en": "(no image stored)", "nl": "(geen afbeelding opgeslagen)"},
}


def t(key: str, lang: str, **fields: object) -> str:
    text = TEXT[key].get(lang) or TEXT[key]["en"]
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
