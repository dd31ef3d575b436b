"""One place for every word and format shown about a measurement (no Qt here).

The overlay, the snapshot panel, the UI tables, the CLI and the patient report (with
the app's visit overview) read their labels, units, bands, status words and colours,
view names, quality-check names, side-in-words, the one heading of every table's
measurement column (:func:`measurement_heading`) and of the columns after it
(:func:`column_heading`) and report headings from here,
translated into the current language (``posture_cam.i18n``; use
``with using_language(code):`` to render another one).

The other words, each kept in one place: a metric's label, definition and sign in its
spec (``metrics/specs_frontal.py``, ``metrics/specs_side.py``; shown through
:func:`metric_label` here), norm and MDC sources in ``metrics/norms.py`` and
``metrics/mdc.py``; why a value is missing in :mod:`posture_cam.reasons`; landmark
names in :mod:`posture_cam.landmarks`; what home mode tells the patient in
:mod:`posture_cam.home.patient_sentences`; errors, CLI help and menus beside the code
that raises or shows them.

Value formats:
    * :func:`format_value` — ``+2.1°``, ``−1.0 cm``, ``2.0 % height`` (Dutch: ``+2,1°``);
      a value that rounds to zero has no sign ("0.0°", never "−0.0°").
    * :func:`value_in_words` — the side or direction in words where the sign has one:
      ``2.1° R high`` / ``2,1° R hoger``, ``1.2 cm to L``, ``3.0° valgus``.
    * :func:`band_text` — the normal band in the band's unit: ``±1.5°`` when it is
      symmetric, else ``8.0 … 18.0°`` (signs only where the ends differ: ``−1.0 … +3.0``).
    * :func:`plus_minus_text` — the ± of a value: ``±0.8°``, ``±0.4° SD`` (frame SD only).
    * :func:`date_time_text` — a moment in local time to the minute: ``2026-12-01 14:05``;
      a date alone is ISO everywhere (``2026-12-01``).

Sign conventions (``posture_cam.metrics.catalogue``): frontal plane positive = the
patient's LEFT side higher / toward the patient's left; sagittal positive = anterior.
"""

from __future__ import annotations

import datetime as dt
import html

from posture_cam.i18n import N_, NP_, _, format_number, format_signed, localize, pgettext
from posture_cam.metrics import spec
from posture_cam.metrics.norms import MetricSpec
from posture_cam.types import Metric, MetricStatus, View

# --- status: words and the one set of traffic-light colours ----------------------------

#: Traffic-light colours as ``#rrggbb`` (UI and overlay alike; readable on dark and light).
STATUS_COLORS: dict[MetricStatus, str] = {
    MetricStatus.NORMAL: "#2fa84f",
    MetricStatus.BORDERLINE: "#e8a200",
    MetricStatus.OUTSIDE: "#e0443a",
    MetricStatus.NOT_MEASURABLE: "#8a8a8a",
}

_STATUS_WORDS: dict[MetricStatus, str] = {
    MetricStatus.NORMAL: N_("normal"),
    MetricStatus.BORDERLINE: N_("borderline"),
    MetricStatus.OUTSIDE: N_("outside the norm"),
    MetricStatus.NOT_MEASURABLE: N_("not measurable"),
}


def status_color_rgb(status: MetricStatus | str) -> tuple[int, int, int]:
    """(r, g, b) of a status colour (the overlay reverses it to BGR)."""
    hex_color = STATUS_COLORS.get(MetricStatus(status), STATUS_COLORS[MetricStatus.NOT_MEASURABLE])
    return int(hex_color[1:3], 16), int(hex_color[3:5], 16), int(hex_color[5:7], 16)


def status_text(status: MetricStatus | str) -> str:
    """``normal`` / ``borderline`` / ``outside the norm`` / ``not measurable``."""
    return _(_STATUS_WORDS[MetricStatus(status)])


def metric_status_line(metric: Metric) -> str:
    """Status with the reason when not measurable: ``not measurable: <why>``."""
    text = status_text(metric.status)
    if metric.status == MetricStatus.NOT_MEASURABLE and metric.reason:
        return _("{status}: {reason}").format(status=text, reason=localize(metric.reason))
    return text


# --- views and quality checks ----------------------------------------------------------

_VIEW_WORDS: dict[View, tuple[str, str]] = {
    View.FRONT: NP_("view", "Front"),
    View.BACK: NP_("view", "Back"),
    View.LEFT: NP_("view", "Left side"),
    View.RIGHT: NP_("view", "Right side"),
    View.THREE_QUARTER: NP_("view", "Three-quarter"),
    View.UNKNOWN: NP_("view", "unknown"),
}


def view_name(view: View | str) -> str:
    """Name of a view (``Front``, ``Left side``; Dutch ``Vooraanzicht``, …)."""
    return pgettext(*_VIEW_WORDS[View(view)])


def view_setting_name(view: View | str | None) -> str:
    """A view setting in words: ``Auto`` (None: detect the view) or the view's name."""
    return _("Auto") if view is None else view_name(view)


_CHECK_WORDS: dict[str, str] = {
    "person": N_("Person in view"),
    "view_known": N_("View recognised"),
    "landmarks_visible": N_("Body points visible"),
    "in_frame": N_("Fully in the picture"),
    "orientation": N_("Turned to the camera"),
    "still": N_("Standing still"),
    "arms_clear": N_("Arms down and clear"),
    "model_sure": N_("Body points certain"),
}


#: Pose-model variants in words (the ids lite / full / heavy stay in files and flags).
_MODEL_VARIANT_WORDS: dict[str, str] = {
    "lite": N_("light (fast)"),
    "full": N_("standard"),
    "heavy": N_("precise (slow)"),
}
_MODEL_FILE_PREFIX = "pose_landmarker_"


def model_variant_name(variant: str) -> str:
    """A pose-model variant in words (``full`` -> ``standard`` / ``standaard``)."""
    msgid = _MODEL_VARIANT_WORDS.get(variant)
    return _(msgid) if msgid else variant


def model_file_name(stem: str) -> str:
    """A model file's stem in words when it is a known variant
    (``pose_landmarker_full`` -> ``pose model: standard``), else the stem itself."""
    variant = stem.removeprefix(_MODEL_FILE_PREFIX)
    if stem.startswith(_MODEL_FILE_PREFIX) and variant in _MODEL_VARIANT_WORDS:
        return _("pose model: {variant}").format(variant=model_variant_name(variant))
    return stem


def check_label(check_id: str) -> str:
    """Name of a quality-gate check (``still`` -> ``Standing still``)."""
    msgid = _CHECK_WORDS.get(check_id)
    return _(msgid) if msgid else check_id.replace("_", " ")


# --- units -----------------------------------------------------------------------------

#: unit id -> (symbol after the number, explanation for tooltips and reports)
_UNITS: dict[str, tuple[str, str]] = {
    "deg": ("°", N_("degrees")),
    "cm": (N_("cm"), N_("centimetres at the patient's position (calibrated scale)")),
    "%height": (
        N_("% height"),
        N_(
            "% height: percent of the patient's body height (top of the head to the "
            "ankles), used when no scale is calibrated; 1 % of 170 cm is 1.7 cm"
        ),
    ),
    "%": (
        N_("% trunk"),
        N_("% trunk: percent of the trunk length (hip to shoulder)"),
    ),
    "index": ("", N_("an index without unit")),
}
_UNITS["%trunk"] = _UNITS["%"]
_BAND_UNITS = {"angle": "deg", "length": "%height", "length_trunk": "%", "index": "index"}


def unit_text(unit: str) -> str:
    """Symbol shown after a value: ``°``, ``cm``, ``% height``, ``% trunk``, ``""``."""
    symbol = _UNITS.get(unit, (unit, ""))[0]
    return _(symbol) if symbol and symbol != "°" else symbol


def unit_explanation(unit: str) -> str:
    """What a unit means, in a sentence (``% height`` is explained here)."""
    explanation = _UNITS.get(unit, ("", ""))[1]
    return _(explanation) if explanation else ""


def band_unit(entry: MetricSpec) -> str:
    """Unit of a metric's norm band numbers (its scale-free unit)."""
    return _BAND_UNITS.get(entry.unit_kind, "")


def with_unit(number: str, unit: str) -> str:
    """A number already formatted, with its unit as every table shows it: ``2.0°``,
    ``2.0 % height`` (a no-break space before a word unit), ``2.0`` for an index."""
    symbol = unit_text(unit)
    if not symbol:
        return number
    return f"{number}{symbol}" if symbol == "°" else f"{number}\u00a0{symbol}"


def format_value(value: float | None, unit: str, *, signed: bool = True, decimals: int = 1) -> str:
    """``+2.1°``, ``−1.0 cm``, ``2.0 % height``; ``—`` for None."""
    if value is None:
        return "—"
    number = format_signed(value, decimals) if signed else format_number(value, decimals)
    return with_unit(number, unit)


# --- metrics: labels, definitions, bands, side in words --------------------------------


def metric_spec(metric_id: str) -> MetricSpec | None:
    """The catalogue entry, or None for an id the catalogue does not know."""
    try:
        return spec(metric_id)
    except KeyError:
        return None


def measurement_heading() -> str:
    """The heading of the first column (the measurement's name) of every table of
    measurements: ``posture-cam analyze``'s table, the app's metrics panel, the patient
    report and the app's visit overview (``Measurement`` / ``Meting``)."""
    return _("Measurement")


#: The columns after the first of a text table of measurements (``posture-cam analyze``,
#: ``posture-cam visits``) and of the app's metrics panel.
_COLUMN_WORDS: dict[str, str] = {
    "value": N_("Value"),
    "band": N_("Normal"),
    "status": N_("Status"),
}
#: Columns headed by a symbol, the same in every language.
_COLUMN_SYMBOLS: dict[str, str] = {"plus_minus": "±", "n": "n"}


def column_heading(key: str) -> str:
    """The heading of a column after :func:`measurement_heading`: ``value`` (``Value`` /
    ``Waarde``), ``plus_minus`` (``±``), ``band`` (``Normal`` / ``Normaal``), ``status``,
    ``n`` (frames averaged)."""
    if key in _COLUMN_SYMBOLS:
        return _COLUMN_SYMBOLS[key]
    return _(_COLUMN_WORDS[key])


def plus_minus_text(
    spread: float | None, unit: str, *, frame_sd_only: bool = False, decimals: int = 1
) -> str:
    """The ± of a value with its unit, as every table shows it: ``±0.8°``,
    ``±0.2 % height``; ``±0.4° SD`` where only the frame SD is known
    (``records.spread``); "" for None."""
    if spread is None:
        return ""
    text = "±" + format_value(spread, unit, signed=False, decimals=decimals)
    return f"{text} SD" if frame_sd_only else text


def date_time_text(when: dt.datetime | str) -> str:
    """A moment as the tables show it, in local time to the minute: ``2026-12-01 14:05``
    (an ISO text is parsed; one without a zone is taken as local already; a text that
    is no ISO moment, from a file edited by hand, is shown as it is)."""
    try:
        moment = dt.datetime.fromisoformat(when) if isinstance(when, str) else when
    except ValueError:
        return str(when)
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


def metric_label(metric_id: str) -> str:
    """Label of a metric (``Shoulder tilt`` / ``Schouderscheefstand``); the id if unknown."""
    entry = metric_spec(metric_id)
    return _(entry.label) if entry else metric_id


def metric_definition(metric_id: str) -> str:
    """One-sentence definition of a metric (tooltips, reports); "" if unknown."""
    entry = metric_spec(metric_id)
    return _(entry.definition) if entry else ""


#: metric id -> (words for a positive value, words for a negative value)
_DIRECTIONS: dict[str, tuple[str, str]] = {
    **dict.fromkeys(
        ("head_tilt", "shoulder_tilt", "pelvic_tilt", "shoulder_height_diff"),
        (N_("L high"), N_("R high")),
    ),
    **dict.fromkeys(
        ("head_shift", "shoulder_shift", "pelvis_shift", "trunk_lean"),
        (N_("to L"), N_("to R")),
    ),
    **dict.fromkeys(("knee_angle_left", "knee_angle_right"), (N_("valgus"), N_("varus"))),
    **dict.fromkeys(
        (
            "head_forward_angle",
            "shoulder_protraction",
            "trunk_inclination",
            "ear_offset",
            "shoulder_offset",
            "hip_offset",
            "knee_offset",
        ),
        (N_("forward"), N_("backward")),
    ),
    "pelvic_tilt_sagittal": (N_("anterior"), N_("posterior")),
}


def direction_words(metric_id: str, value: float) -> str:
    """Side or direction of a signed value in words ("R high"), "" when it has none."""
    pair = _DIRECTIONS.get(metric_id)
    if pair is None or round(value, 1) == 0:
        return ""
    return _(pair[0] if value > 0 else pair[1])


def value_in_words(metric: Metric, decimals: int = 1) -> str:
    """``2.1° R high`` / ``2,1° R hoger``; a signed value where the sign has no side."""
    if metric.value is None or metric.status == MetricStatus.NOT_MEASURABLE:
        return "—"
    words = direction_words(metric.id, metric.value)
    if not words:
        signed = metric.id in _DIRECTIONS
        return format_value(metric.value, metric.unit, signed=signed, decimals=decimals)
    magnitude = format_value(abs(metric.value), metric.unit, signed=False, decimals=decimals)
    return f"{magnitude} {words}"


def band_text(metric_id: str, which: str = "normal") -> str:
    """The ``normal`` (or ``borderline``) band in the band's unit: ``±1.5°`` when it is
    symmetric, else ``8.0 … 18.0°`` / ``−1.0 … +3.0 % height``; "" for an unknown id."""
    entry = metric_spec(metric_id)
    band = getattr(entry.norm, which, None) if entry else None
    if entry is None or not band:
        return ""
    unit = band_unit(entry)
    lo, hi = band
    if lo == -hi:
        return with_unit("±" + format_number(hi), unit)
    number = format_signed if lo < 0 else format_number  # "+" only where signs differ
    return with_unit(f"{number(lo)} … {number(hi)}", unit)


def norm_line(metric_id: str) -> str:
    """One line for the snapshot panel: ``norm ±2.0°, borderline ±4.0°``."""
    normal, borderline = band_text(metric_id), band_text(metric_id, "borderline")
    if not normal:
        return ""
    if not borderline:
        return _("norm {normal}").format(normal=normal)
    return _("norm {normal}, borderline {borderline}").format(normal=normal, borderline=borderline)


def tooltip_html(metric_id: str) -> str:
    """Rich-text help for a metric: definition, sign, norm + source, unit, proxy note."""
    entry = metric_spec(metric_id)
    esc = html.escape
    if entry is None:
        return esc(metric_id)
    parts = [
        f"<b>{esc(metric_label(metric_id))}</b> <i>({esc(metric_id)})</i>",
        esc(_(entry.definition)),
    ]
    if entry.sign:
        parts.append(esc(_(entry.sign)))
    band = band_text(metric_id)
    if band:
        source = localize(entry.norm.source)
        parts.append(f"<b>{esc(_('Norm'))}:</b> {esc(band)} — {esc(source)}")
        if entry.norm.note:
            parts.append(f"<small>{esc(localize(entry.norm.note))}</small>")
    explanation = unit_explanation(band_unit(entry))
    if explanation and band_unit(entry) != "deg":
        parts.append(f"<small>{esc(explanation)}</small>")
    if entry.proxy:
        parts.append(f"<b>{esc(_('Proxy'))}:</b> {esc(localize(entry.proxy_note))}")
    parts.append(f"<small>{esc(screening_note())}</small>")
    return "<br>".join(parts)


def screening_note() -> str:
    """The disclaimer every result carries."""
    return _("Screening aid, not a diagnosis.")


# --- the report for the patient file and the app's visit overview (records) ------------

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
        "points placed by hand also their placement."
    ),
    "pm_legend_sd": N_(
        "± … SD: a capture stored before the uncertainty was kept: frame spread (SD) "
        "only, without the model's repeatability."
    ),
    "progress": N_("Progress over all visits"),
    "progress_legend": N_(
        "Green: normal band. Grey: MDC band around the first visit. Filled circles: "
        "clinic visits; open diamonds: home checks. Error bars: the ± of each value."
    ),
    "method": N_("Method"),
    "method_text": N_(
        "Angles and offsets from the MediaPipe pose model (33 landmarks); each value is "
        "the median over the frames of an averaged capture that passed the quality gate "
        "(a photo is one frame, averaged over mirrored and rotated copies). ± combines "
        "the spread over those frames with the model's repeatability. A change counts "
        "only when it exceeds the metric's minimal detectable change (MDC)."
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


_SOURCE_WORDS: dict[str, str] = {
    "model": N_("model"),
    "marker": N_("marker"),
    "point": N_("point"),
}


def source_text(source: str) -> str:
    """Where a number came from, in words (``model``, ``marker``, ``point``)."""
    return _(_SOURCE_WORDS[source]) if source in _SOURCE_WORDS else source


_MDC_KIND_WORDS: dict[str, str] = {
    "literature": N_("literature"),
    "own repeatability": N_("own repeatability"),
}


def mdc_source_text(kind: str | None, source: str | None) -> str:
    """Where an MDC comes from, as the report's sources list shows it:
    ``literature; <citation> (smartphone app, intra-rater)``, ``own repeatability;
    bench/repeatability.py (this tool, …)`` (``metrics.mdc``; the kind and the words
    around a citation translated, the citation as published)."""
    kind_words = _(_MDC_KIND_WORDS[kind]) if kind in _MDC_KIND_WORDS else kind or "-"
    return f"{kind_words}; {localize(source)}" if source else kind_words


def change_verdict(beyond_error: bool | None) -> str:
    """The MDC judgement of a change between visits (``records.compare.Change``):
    beyond it only when |change| > MDC; None when the metric has no MDC."""
    if beyond_error is None:
        return _("no MDC known")
    return _("beyond measurement error") if beyond_error else _("within measurement error")
