"""The report for the patient file: A4 PDF, searchable, English or Dutch.

Drawn with matplotlib's ``PdfPages`` rather than Qt's ``QPdfWriter``: the report is
built by the CLI on servers without a display and by the app alike, and only
``posture_cam/ui`` may import Qt; matplotlib is already installed (mediapipe needs it),
embeds DejaVu Sans as TrueType (searchable, Dutch diacritics) and draws the progress
charts on the same pages.

Pages: a cover with the practice, patient code (name only when asked), visit date,
setting and therapist; per view the annotated image (plumb line, angle labels: the
privacy mode asked for, else one that shows less, said under it: a home check has only
its skeleton picture, in the patient's language), the
measurements (value ± its uncertainty, unit, normal band, status, source; the
legend says what the ± combines) and the change since the
previous visit judged against the MDC; progress charts; the method and each capture's
quality. Every page says "screening, not diagnosis". Values are printed with the same
rounding as ``visits --json`` (``posture_cam.records.store.DECIMALS``); an MDC as
declared (``posture_cam.metrics.mdc.MDC_DECIMALS``), in the change table and the sources
list alike, and a change is judged as printed (``records.compare``).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from posture_cam import reasons, wording
from posture_cam.errors import InputError, OutputError
from posture_cam.i18n import _, localize, using_language
from posture_cam.metrics.catalogue import is_proxy
from posture_cam.metrics.mdc import MDC_DECIMALS
from posture_cam.records import files
from posture_cam.records.compare import (
    compare_captures,
    metric_mdc,
    passed_gate,
    previous_capture,
)
from posture_cam.records.errors import UnknownRecordError
from posture_cam.records.models import SHOWS_NO_MORE_THAN, Capture, CaptureImage, Patient, Visit
from posture_cam.records.report.layout import A4_WH_IN, MARGIN_IN, Page, wrap_to_width
from posture_cam.records.report.numbers import (
    LANGUAGES,
    metric_label,
    number,
    say,
    side_value,
    signed,
    t,
    value_cell,
)
from posture_cam.records.spread import plus_minus
from posture_cam.records.store import Store

PRACTICE_ENV = "POSTURE_CAM_PRACTICE"
_IMAGE_HEIGHT_IN = 3.9
#: A view page's picture shrinks down to this so that its text ends above the footer.
_IMAGE_MIN_HEIGHT_IN = 2.0
_BOTTOM_IN = A4_WH_IN[1] - MARGIN_IN - 0.35
#: Where a cover value starts (inches from the margin): its key is left of it.
_COVER_VALUE_X_IN = 1.8


@dataclass(frozen=True)
class ReportOptions:
    """What goes into a report.

    Attributes:
        visit_id: the visit to report (None = the latest).
        language: ``en`` or ``nl``.
        privacy: which stored image: ``full``, ``blur`` or ``skeleton``.
        practice: practice name on the cover (default: ``POSTURE_CAM_PRACTICE``).
        with_name: print the patient's name (else the code only).
    """

    visit_id: int | None = None
    language: str = "en"
    privacy: str = "full"
    practice: str | None = None
    with_name: bool = False


def norm_band(metric_id: str, unit: str, lang: str) -> str:
    """The normal band as every table shows it beside a value in ``unit``
    (``wording.band_for_value``: ``±2.0°``, ``8.0 … 18.0 % height``) in ``lang``; ``-``
    for a metric the catalogue does not know and for a value in cm: its band is set in
    % of body height, and a visit keeps neither the scale nor the body height that
    would convert it (a cm value is never shown against a %-height band; the
    ``visits`` table leaves it empty)."""
    return say(lang, wording.band_for_value, metric_id, unit) or "-"


def write_report(store: Store, code: str, out: str | Path, options: ReportOptions) -> Path:
    """Render the report of one visit of ``code`` to ``out`` (atomically).

    Raises:
        UnknownRecordError: unknown patient, no visits, or an unknown visit id.
        InputError: an unsupported language or privacy mode.
        OutputError: ``out`` cannot be written.
    """
    if options.language not in LANGUAGES:
        raise InputError(
            options.language,
            _("no report in this language"),
            _("use one of {languages}").format(languages=", ".join(LANGUAGES)),
        )
    if options.privacy not in ("full", "blur", "skeleton"):
        raise InputError(options.privacy, _("not a privacy mode"), _("use full, blur or skeleton"))
    with store.session() as s:
        patient, visits = store.load_visits(s, code)
    if not visits:
        raise UnknownRecordError(
            _("patient {code} has no visits yet (add one with `visit add`)").format(code=code)
        )
    if options.visit_id is None:
        visit = visits[-1]
    else:
        chosen = next((v for v in visits if v.id == options.visit_id), None)
        if chosen is None:
            raise UnknownRecordError(
                _(
                    "patient {code} has no visit {visit_id} (see `posture-cam visits {code}`)"
                ).format(code=code, visit_id=options.visit_id)
            )
        visit = chosen
    pages = _pages(patient, visit, visits, options)
    return _save(pages, Path(out), patient, visit)


def _pages(
    patient: Patient, visit: Visit, visits: list[Visit], options: ReportOptions
) -> list[Page]:
    from posture_cam.records.report.charts import progress_pages

    lang = options.language
    pages = [_cover(patient, visit, options)]
    for capture in visit.captures:
        page = _view_page(capture, visit, visits, options)
        if page.y_in > _BOTTOM_IN:  # long notes and tables: a smaller picture, one page
            smaller = max(_IMAGE_MIN_HEIGHT_IN, _IMAGE_HEIGHT_IN - (page.y_in - _BOTTOM_IN))
            page = _view_page(capture, visit, visits, options, image_height_in=smaller)
        pages.append(page)
    upto = [v for v in visits if (v.date_time, v.id) <= (visit.date_time, visit.id)]
    pages.extend(progress_pages(upto, [c.view for c in visit.captures], lang))
    pages.append(_method_page(visit, lang))
    footer = f"{t('screening', lang)}  {t('patient', lang)} {patient.code}"
    for n, page in enumerate(pages, 1):
        page.footer(footer, t("page", lang, n=n, total=len(pages)))
    return pages


def _cover(patient: Patient, visit: Visit, options: ReportOptions) -> Page:
    lang = options.language
    page = Page()
    page.line(t("title", lang), size=18, bold=True, gap_in=0.15)
    practice = options.practice or os.environ.get(PRACTICE_ENV, "").strip()
    rows = []
    if practice:
        rows.append((t("practice", lang), practice))
    rows.append((t("patient", lang), patient.code))
    if options.with_name and patient.name:
        rows.append((t("name", lang), patient.name))
        if patient.birth_year:
            rows.append((t("born", lang), str(patient.birth_year)))
    rows += [
        (t("visit", lang), str(visit.id)),
        (t("date", lang), visit.date_time.strftime("%Y-%m-%d %H:%M")),
        (t("setting", lang), t(visit.setting, lang)),
        (t("therapist", lang), visit.therapist or "-"),
        # each view once; a view captured twice is numbered on its pages
        (t("views", lang), ", ".join(say(lang, wording.view_name, v) for v in _views(visit))),
    ]
    for key, value in rows:
        page.text(f"{key}:", size=10, bold=True)
        # A long practice or therapist name wraps within the margin (it ran off the page).
        lines = wrap_to_width(value, page.width_in - _COVER_VALUE_X_IN, 10)
        for k, row in enumerate(lines):
            page.text(row, size=10, x_in=_COVER_VALUE_X_IN, y_in=page.y_in + k * 0.17)
        page.y_in += 0.22 + 0.17 * (len(lines) - 1)
    page.y_in += 0.2
    page.paragraph(t("screening", lang), size=9)
    page.paragraph(t("method_text", lang), size=8.5)
    return page


def _view_page(
    capture: Capture,
    visit: Visit,
    visits: list[Visit],
    options: ReportOptions,
    image_height_in: float = _IMAGE_HEIGHT_IN,
) -> Page:
    lang = options.language
    page = Page()
    page.title(_capture_title(capture, visit, lang), capture.source_file or "-")
    picture = _picture(capture, options.privacy, lang)
    if picture is not None:
        image, rgb = picture
        page.image(rgb, height_in=image_height_in)
        caption = " ".join(
            part
            for part in (
                _picture_caption(capture, image, options.privacy, lang),
                _frame_caption(capture, lang),
            )
            if part
        )
        if caption:
            page.paragraph(caption, size=7.5, width_chars=125)
    else:
        page.line(t("no_image", lang))
    rows = []
    fallback = False
    no_cm_band = False  # a value in cm printed without its %-height band
    unmeasured: dict[str, list[str]] = {}  # why -> the measures it holds back
    for m in capture.metrics:
        label = metric_label(m.metric_id, lang)
        if m.median is not None:
            pm = plus_minus(m)
            fallback = fallback or pm.fallback
            value = value_cell(m.median, pm, lang, m.metric_id)
            source = say(lang, wording.source_text, m.source, is_proxy(m.metric_id, m.source))
            no_cm_band = no_cm_band or wording.band_left_out(m.metric_id, m.unit or "")
        else:
            value = say(lang, wording.status_text, "not_measurable")
            source = "-"  # nothing was measured, from anywhere
            why = m.why  # rebuilt from its codes: in the report's language
            if why:
                unmeasured.setdefault(say(lang, localize, why), []).append(label)
        rows.append(
            (
                label,
                value,
                say(lang, wording.unit_text, m.unit or "") or "-",  # °, % height: as everywhere
                norm_band(m.metric_id, m.unit or "", lang),
                _status(m.status, lang),
                source,
            )
        )
    page.table(
        [
            say(lang, wording.measurement_heading),
            t("value", lang),
            t("unit", lang),
            t("band", lang),
            t("status", lang),
            t("source", lang),
        ],
        rows,
        # The value: "16.2 ± 0.9 backward"; the band: "−18.0 … +8.0 % trunk".
        [0.28, 0.21, 0.08, 0.18, 0.13, 0.12],
    )
    # Why a measure is missing, as `visits` and the app say it ("Ear plumb offset, …:
    # plumb-line offsets need a standing posture (knee angle 84°)").
    for why, labels in unmeasured.items():
        page.paragraph(f"{', '.join(labels)}: {why}", size=7.5, width_chars=125)
    if no_cm_band:
        page.paragraph(say(lang, wording.no_cm_band_note), size=7.5, width_chars=125)
    page.paragraph(t("pm_legend", lang), size=7.5, width_chars=125)
    if fallback:
        page.paragraph(t("pm_legend_sd", lang), size=7.5, width_chars=125)
    found = previous_capture(visits, visit, capture.view)
    if found is None:
        page.line(t("no_previous", lang), size=8.5)
        return page
    before_visit, before = found
    # With the time when both visits fall on one day (several home checks a day).
    before_date = before_visit.date_time.strftime(
        "%Y-%m-%d %H:%M" if before_visit.date_time.date() == visit.date_time.date() else "%Y-%m-%d"
    )
    page.line(t("change_title", lang, date=before_date), size=10, bold=True)
    # A capture that failed the quality gate (a front photo turned 25° from square):
    # said right here, and its changes get no MDC verdict.
    gate_notes = _gate_notes(capture, before, before_date, lang)
    for note in gate_notes:
        for row in wrap_to_width(note, page.width_in, 8.5, bold=True):
            page.line(row, size=8.5, bold=True, gap_in=0.0)
        page.y_in += 0.06
    change_rows = []
    changes = compare_captures(before, capture)
    for c in changes:
        # "not judged" when a capture failed the gate (the notes above say which)
        verdict = say(lang, wording.change_judgement, c)
        change_rows.append(
            (
                metric_label(c.metric_id, lang),
                # With its side or direction, as the value table ("6.9 R high"); the
                # change stays signed, so the columns add up (legend below).
                side_value(c.previous, lang, c.metric_id),
                side_value(c.current, lang, c.metric_id),
                signed(c.shown_change, lang) if c.comparable else "-",
                number(c.mdc, lang, MDC_DECIMALS) if c.mdc is not None and c.comparable else "-",
                verdict,
            )
        )
    page.table(
        [
            say(lang, wording.measurement_heading),
            t("previous", lang),
            t("now", lang),
            t("change", lang),
            t("mdc", lang),
            t("judgement", lang),
        ],
        change_rows,
        [0.34, 0.1, 0.1, 0.12, 0.08, 0.26],
    )
    legend = _sign_legend([c.metric_id for c in changes if c.comparable], lang)
    if legend:
        page.paragraph(legend, size=7.5, width_chars=125)
    return page


def _gate_failures(capture: Capture, lang: str) -> list[str]:
    """Why ``capture`` did not pass the quality gate, in ``lang`` (rebuilt from the
    stored reason codes; older records: their English msgids); [] when nothing failed."""
    return [say(lang, localize, f) for f in reasons.failed_checks(capture.quality)]


def _gate_notes(capture: Capture, before: Capture, before_date: str, lang: str) -> list[str]:
    """One line per capture of a change table that did not pass the quality gate: which
    one, why, and that its changes are no reliable verdict; [] when both passed."""
    notes = []
    with using_language(lang):
        for which, c in (("now", capture), ("before", before)):
            if passed_gate(c):
                continue
            why = "; ".join(_gate_failures(c, lang)) or t("quality_failed", lang)
            if which == "now":
                text = _(
                    "This capture did not pass the quality check ({reasons}): the changes "
                    "below are not a reliable verdict."
                )
            else:
                text = _(
                    "The previous capture ({date}) did not pass the quality check "
                    "({reasons}): the changes below are not a reliable verdict."
                )
            notes.append(text.format(reasons=why, date=before_date))
    return notes


def _sign_legend(metric_ids: list[str], lang: str) -> str:
    """What a + and a − change mean for the signed measures of a change table, in the
    words the tables name a positive and a negative value with (the catalogue's sign
    convention, ``wording.direction_words``): ``Change = Now − Previous: + is toward L
    high / to L, − toward R high / to R.``; "" when no measure there names a side."""
    pairs: dict[tuple[str, str], None] = {}
    for metric_id in metric_ids:
        plus = say(lang, wording.direction_words, metric_id, 1.0)
        minus = say(lang, wording.direction_words, metric_id, -1.0)
        if plus and minus:
            pairs[(plus, minus)] = None
    if not pairs:
        return ""
    with using_language(lang):
        return _("Change = Now − Previous: + is toward {plus}, − toward {minus}.").format(
            plus=" / ".join(p for p, _m in pairs), minus=" / ".join(m for _p, m in pairs)
        )


def _views(visit: Visit) -> list[str]:
    """The visit's views in the order first taken, each once."""
    return list(dict.fromkeys(c.view for c in visit.captures))


def _capture_title(capture: Capture, visit: Visit, lang: str) -> str:
    """The view's name; a snapshot taken during the visit says so; a view captured more
    than once in the visit is numbered in the order taken ("Right side (snapshot, 2 of
    2)"): the first stands for the view in comparisons and progress."""
    name = say(lang, wording.view_name, capture.view)
    same = [c for c in visit.captures if c.view == capture.view]
    parts = [t("snapshot", lang)] if capture.kind == "snapshot" else []
    if len(same) > 1:
        position = next(i for i, c in enumerate(same, 1) if c is capture)
        parts.append(t("nth_of", lang, n=position, total=len(same)))
    return f"{name} ({', '.join(parts)})" if parts else name


def _status(status: str, lang: str) -> str:
    try:
        return say(lang, wording.status_text, status)
    except ValueError:  # a status this version does not know: shown as stored
        return status


def _method_page(visit: Visit, lang: str) -> Page:
    page = Page()
    page.line(t("method", lang), size=13, bold=True)
    page.paragraph(t("method_text", lang))
    models = sorted({(c.model_name or "-", c.model_sha256 or "-") for c in visit.captures})
    for name, sha in models:
        page.line(f"{t('pose_model', lang)}: {name}  sha256 {sha}", size=8)
    page.line(f"{t('profile', lang)}: {visit.profile or t('none', lang)}", size=8, gap_in=0.15)
    page.line(t("quality", lang), size=10, bold=True)
    for c in visit.captures:
        q = c.quality or {}
        state = t("quality_ok", lang) if passed_gate(c) else t("quality_failed", lang)
        failed = _gate_failures(c, lang)
        frames = t("frames", lang, used=q.get("frames_used", "-"), seen=q.get("frames_seen", "-"))
        text = f"{_capture_title(c, visit, lang)} ({c.source_file or '-'}): {state}; {frames}"
        if failed:
            # Gate reasons are rebuilt from their codes (older records: English msgids).
            text += "; " + "; ".join(failed)
        page.paragraph(text, size=8)
    page.y_in += 0.1
    page.line(t("mdc_sources", lang), size=10, bold=True)
    seen: set[tuple[str, float]] = set()
    for c in visit.captures:
        for m in c.metrics:
            mdc, source, kind = metric_mdc(m.metric_id, m.unit, m.source)
            if mdc is None or (m.metric_id, mdc) in seen:
                continue
            seen.add((m.metric_id, mdc))
            page.paragraph(
                f"{metric_label(m.metric_id, lang)}: "
                f"{say(lang, wording.with_unit, number(mdc, lang, MDC_DECIMALS), m.unit or '')} "
                f"({say(lang, wording.mdc_source_text, kind, source)})",
                size=7.5,
                width_chars=125,
            )
    # The screening note is in every page's footer (and on the cover): not again here.
    return page


def _picture(capture: Capture, privacy: str, lang: str) -> tuple[CaptureImage, np.ndarray] | None:
    """The stored picture to print and its RGB pixels: in ``privacy`` when stored, else
    the next one that shows less (a home check stores only its skeleton picture); in
    the report's language when stored, else in the one stored (``Capture.image``).
    None when none can be read."""
    for mode in SHOWS_NO_MORE_THAN[privacy]:
        image = capture.image(mode, lang)
        rgb = _load_rgb(image.path) if image is not None else None
        if image is not None and rgb is not None:
            return image, rgb
    return None


def _picture_caption(capture: Capture, image: CaptureImage, privacy: str, lang: str) -> str:
    """What the printed picture is, when it is not the one asked for: the skeleton in
    place of a camera picture, or labels in another language. Empty otherwise."""
    parts = []
    with using_language(lang):
        if image.privacy != privacy:
            if image.privacy == "blur":
                parts.append(_("Face blurred: the full picture of this capture is not stored."))
            elif capture.kind == "home":
                parts.append(
                    _(
                        "Skeleton only, drawn from the landmarks: a home check sends no "
                        "camera picture."
                    )
                )
            elif privacy == "blur":
                parts.append(
                    _(
                        "Skeleton only, drawn from the landmarks: no picture of this capture "
                        "with the face blurred is stored."
                    )
                )
            else:
                parts.append(
                    _(
                        "Skeleton only, drawn from the landmarks: no camera picture of this "
                        "capture is stored."
                    )
                )
        if image.language != lang:
            parts.append(
                _(
                    "Its labels are in {language}: the picture is stored in that language only."
                ).format(language=_language_in(image.language, lang))
            )
    return " ".join(parts)


def _frame_caption(capture: Capture, lang: str) -> str:
    """What the picture of a capture averaged over frames shows: its median pose and
    medians over the frame nearest that pose (``records.ingest.shown_result``); in a
    record stored before that, the nearest frame with its own values. Empty for a photo
    (one frame)."""
    from posture_cam.records.ingest import PICTURE_MEDIANS

    quality = capture.quality or {}
    frames = quality.get("frames_used", "-")
    if capture.kind in ("image", "snapshot", "home") or frames == 1:
        return ""
    with using_language(lang):
        if quality.get("image") == PICTURE_MEDIANS:
            return _(
                "The picture shows the median pose and the medians over {frames} frames, "
                "drawn over the frame nearest that pose."
            ).format(frames=frames)
        return _(
            "The picture is the frame nearest the capture's median pose, labelled with "
            "that frame's own values; the table gives the medians over {frames} frames."
        ).format(frames=frames)


def _language_in(code: str, lang: str) -> str:
    """The name of language ``code`` in language ``lang`` (``nl`` in English: Dutch)."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(code).get_display_name(lang) or code
    except (ValueError, UnknownLocaleError):
        return code


def _load_rgb(relpath: str):
    try:
        path = files.resolve(relpath)
    except ValueError:
        return None
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        return None
    h, w = image.shape[:2]
    scale = 1400 / max(h, w)
    if scale < 1:  # keep the PDF small: ~170 dpi at the printed size is plenty
        image = cv2.resize(image, (int(w * scale), int(h * scale)), interpolation=cv2.INTER_AREA)
    return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)


def _save(pages: list[Page], out: Path, patient: Patient, visit: Visit) -> Path:
    import io

    from matplotlib.backends.backend_pdf import PdfPages

    from posture_cam.atomic import write_bytes_atomic

    buffer = io.BytesIO()
    with PdfPages(buffer, metadata=_metadata(patient, visit)) as pdf:
        for page in pages:
            pdf.savefig(page.fig)
    try:
        write_bytes_atomic(out, buffer.getvalue(), mode=0o600)
    except OSError as exc:
        raise OutputError(
            out,
            _("cannot write the report ({strerror})").format(strerror=exc.strerror),
            _("choose another --out"),
        ) from None
    return out


def _metadata(patient: Patient, visit: Visit) -> dict:
    return {
        "Title": f"Posture report {patient.code} visit {visit.id}",
        "Creator": "posture_cam",
        "Subject": "Screening, not diagnosis",
        "CreationDate": dt.datetime.now(dt.UTC),
    }
