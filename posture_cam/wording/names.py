"""The names of fixed things: status words and the one set of traffic-light colours,
view names, quality-check names, pose-model variants, where a number came from, and
the headings of every table's columns.
"""

from __future__ import annotations

from posture_cam.i18n import N_, NP_, _, localize, pgettext
from posture_cam.reasons import has_code
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
    """Status with the reason when not measurable: ``not measurable: <why>``; a value
    not judged says only that ("not judged: the view set by hand contradicts the
    body", not "not measurable: not judged: …")."""
    text = status_text(metric.status)
    if metric.status == MetricStatus.NOT_MEASURABLE and metric.reason:
        if has_code(metric.reason, "view_contradicts_body"):
            return localize(metric.reason)
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


# --- where a number came from ----------------------------------------------------------

_SOURCE_WORDS: dict[str, str] = {
    "model": N_("model"),
    "marker": N_("marker"),
    "point": N_("point"),
}


def source_text(source: str, proxy: bool = False) -> str:
    """Where a number came from, in words (``model``, ``marker``, ``point``); a
    ``proxy`` (model landmarks standing in for the clinical points) says so:
    ``model (proxy)``."""
    words = _(_SOURCE_WORDS[source]) if source in _SOURCE_WORDS else source
    return _("{source} (proxy)").format(source=words) if proxy else words


# --- the headings of every table of measurements ---------------------------------------


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
    "source": N_("Source"),
}
#: Columns headed by a symbol, the same in every language.
_COLUMN_SYMBOLS: dict[str, str] = {"plus_minus": "±", "n": "n"}


def column_heading(key: str) -> str:
    """The heading of a column after :func:`measurement_heading`: ``value`` (``Value`` /
    ``Waarde``), ``plus_minus`` (``±``), ``band`` (``Normal`` / ``Normaal``), ``status``,
    ``n`` (frames averaged), ``source`` (model, marker or point)."""
    if key in _COLUMN_SYMBOLS:
        return _COLUMN_SYMBOLS[key]
    return _(_COLUMN_WORDS[key])
