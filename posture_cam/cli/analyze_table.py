"""``posture-cam analyze`` without ``--json``: a readable table per input (no Qt).

Per input: a title line (file, kind, view, frames used), then one row per measured
metric — label, value with the side in words ("2.1° R high"), ± uncertainty, the
normal band in the value's unit, status and n (frames averaged; 1 for a photo) — and
one line per reason for the metrics that could not be measured in this framing. A cm
value (a scale profile) is never shown beside a band in % of body height: the JSON
this table is made from keeps neither the pose nor the scale that would convert it
(``wording.band_for_value``), so its band is left empty and one line under the table
says why. A photo's ± is the one a visit stores for it (``posture_cam.capture.photo``);
a photo the quality gate refused keeps its values and ± and ends with a line saying
why it was refused. Every word and number format comes from the one word table
(``posture_cam.wording``), so the table speaks the current language (``--lang``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from posture_cam import reasons, wording
from posture_cam.cli import text_table
from posture_cam.i18n import N_, _, localize
from posture_cam.reasons import parts_json
from posture_cam.types import Metric, MetricStatus

#: The columns after the measurement's name (``wording.column_heading``).
COLUMNS = ("value", "plus_minus", "band", "status", "n")

#: Body parts named in plain words instead of landmark names ("left_hip" -> "hips").
_PARTS: dict[str, str] = {
    "ear": N_("ears"),
    "shoulder": N_("shoulders"),
    "elbow": N_("elbows"),
    "wrist": N_("wrists"),
    "hip": N_("hips"),
    "knee": N_("knees"),
    "ankle": N_("ankles"),
    "heel": N_("heels"),
    "foot_index": N_("feet"),
}


def missing_reason(metric: Metric) -> str:
    """Why a metric was not measurable, in plain words where landmarks were missing
    ("not in the picture: hips, ankles"), else the engine's reason in words."""
    parts = []
    for item in parts_json(metric.reason):
        if item["code"] != "landmarks_not_visible":
            continue
        for name in item.get("landmarks", ()):
            word = _PARTS.get(name.split("_", 1)[-1])
            if word and word not in parts:
                parts.append(word)
    if not parts:
        return wording.metric_status_line(metric)
    return _("not in the picture: {parts}").format(parts=", ".join(_(p) for p in parts))


def _metric(metric_id: str, entry: dict[str, Any], value_key: str) -> Metric:
    status = MetricStatus(entry.get("status") or MetricStatus.NOT_MEASURABLE)
    why = reasons.from_json(entry.get("reason"), entry.get("reasons"))
    return Metric(metric_id, entry.get(value_key), entry.get("unit") or "", status, why)


def input_rows(
    rep: dict[str, Any], with_source: bool = False
) -> tuple[list[list[str]], dict[str, list[str]]]:
    """Rows of measured metrics and, per reason, the labels that were not measurable.

    Args:
        rep: one input of ``AnalysisReport.to_json()["inputs"]``: a video's
            ``aggregate`` (averaged over the frames that passed the quality gate) or a
            photo's single frame (each metric's ``uncertainty`` is its ±).
        with_source: end each row with where its number came from (model, "model
            (proxy)", marker, point), as ``analyze`` always does.
    """
    aggregate = rep.get("aggregate")
    if aggregate is not None:
        entries, value_key, n_key = aggregate.get("metrics", {}), "median", "n_frames"
    else:
        frames = rep.get("frames") or [{}]
        entries, value_key, n_key = frames[0].get("metrics", {}), "value", None
    rows: list[list[str]] = []
    missing: dict[str, list[str]] = {}
    for metric_id, entry in entries.items():
        metric = _metric(metric_id, entry, value_key)
        label = wording.metric_label(metric_id)
        if metric.value is None or metric.status is MetricStatus.NOT_MEASURABLE:
            reason = missing_reason(metric)
            missing.setdefault(reason, []).append(label)
            continue
        spread = entry.get("uncertainty")
        rows.append(
            [
                label,
                wording.value_in_words(metric),
                wording.plus_minus_text(spread, metric.unit),
                wording.band_for_value(metric_id, metric.unit),
                wording.status_text(metric.status),
                str(entry.get(n_key, 1) if n_key else 1),
            ]
        )
        if with_source:
            source = entry.get("source") or "model"
            rows[-1].append(wording.source_text(source, bool(entry.get("proxy"))))
    return rows, missing


def value_notes(rep: dict[str, Any]) -> dict[str, list[str]]:
    """Per note, the labels of the measured values it qualifies ("judged against a body
    height of 170 cm": the hips were not in view), in the reader's language; the table
    says them under the rows as it says why others were not measurable."""
    notes: dict[str, list[str]] = {}
    for metric_id, entry in measured(rep):
        note = reasons.from_json(entry.get("reason"), entry.get("reasons"))
        if note:
            notes.setdefault(localize(note), []).append(wording.metric_label(metric_id))
    return notes


def measured(rep: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(metric id, JSON entry) of the metrics of an input that have a value."""
    aggregate = rep.get("aggregate")
    if aggregate is not None:
        entries, value_key = aggregate.get("metrics", {}), "median"
    else:
        entries, value_key = (rep.get("frames") or [{}])[0].get("metrics", {}), "value"
    return [
        (mid, e)
        for mid, e in entries.items()
        if e.get(value_key) is not None
        and MetricStatus(e.get("status") or MetricStatus.NOT_MEASURABLE)
        is not MetricStatus.NOT_MEASURABLE
    ]


def marker_block(rep: dict[str, Any]) -> dict[str, Any] | None:
    """The skin markers and given points of an input: a photo's, or a video's last
    frame that has them; None when none were asked for."""
    for frame in reversed(rep.get("frames") or []):
        if frame.get("markers") is not None:
            return frame["markers"]
    return None


def marker_words(block: dict[str, Any]) -> list[str]:
    """What the markers and given points came to, in words: which markers were found
    and which not (their measurements then come from the pose model), or why none were
    named, and which points were given by hand."""
    lines = []
    if block.get("reason"):
        lines.append(_("markers not used: {reason}").format(reason=localize(block["reason"])))
    points = block.get("points") or {}
    found = [n for n, p in points.items() if p.get("source") == "marker"]
    given = [n for n, p in points.items() if p.get("source") == "point"]
    given += [e["name"] for e in block.get("edits") or [] if e.get("kind") == "moved"]
    missing = block.get("missing") or []
    if found or (missing and not block.get("reason")):
        text = _("markers found: {names}").format(names=", ".join(found) or "-")
        if missing:
            text += "; " + _(
                "not found: {names} (what needs them is measured from the pose model)"
            ).format(names=", ".join(missing))
        if block.get("too_small") and block.get("sticker_20mm_px") is not None:
            text += "; " + _(
                "a 20 mm sticker is about {px} px across here, too small to be found "
                "reliably (5 px or more): move the camera closer or use a higher resolution"
            ).format(px=f"{block['sticker_20mm_px']:.0f}")
        lines.append(text)
    if given:
        lines.append(_("points given by hand: {names}").format(names=", ".join(given)))
    return lines


def _title(rep: dict[str, Any]) -> str:
    source = rep.get("source", "?")
    aggregate = rep.get("aggregate")
    if aggregate is not None:
        capture = aggregate.get("capture", {})
        view = capture.get("view")
        return _("{source}: video, {view}, {used} of {seen} frames used").format(
            source=source,
            view=wording.view_name(view) if view else wording.view_name("unknown"),
            used=capture.get("frames_used", 0),
            seen=capture.get("frames_seen", 0),
        )
    frames = rep.get("frames") or [{}]
    view = (frames[0].get("view") or {}).get("view") or "unknown"
    title = _("{source}: photo, {view}").format(source=source, view=wording.view_name(view))
    if len(rep.get("models") or ()) > 1:
        # Where the landmarks came from, when not from the pose model alone.
        title += _(", with the second keypoint model")
    return title


def _photo_refusal(rep: dict[str, Any]) -> str | None:
    """Why the quality gate refused a photo, in the current language (see
    :func:`gate_refusal`), else None."""
    frame = (rep.get("frames") or [{}])[0]
    return gate_refusal((frame.get("quality") or {}).get("checks", []))


def gate_refusal(checks: Iterable[dict[str, Any]]) -> str | None:
    """The first failed check of a quality report's ``checks`` (JSON) in the current
    language (the gate orders them from the most basic, "no person found", on), else
    None. ``analyze`` says it of a photo, ``visits`` of a stored capture.

    The words are rebuilt from the check's codes (``reasons``); JSON without them (older
    files) shows its English ``reason`` through the catalogue."""
    for check in checks:
        if check.get("ok", True) or not (check.get("reason") or check.get("reasons")):
            continue
        return localize(reasons.from_json(check.get("reason"), check.get("reasons")))
    return None


def format_input(rep: dict[str, Any]) -> str:
    """The table of one input (several lines, no trailing newline)."""
    lines = [_title(rep)]
    if rep.get("error"):
        return "\n".join([*lines, "  " + rep["error"]])
    aggregate = rep.get("aggregate")
    if aggregate is not None and not aggregate.get("capture", {}).get("ok", True):
        # A Text in-process (translated here); English words when read back from JSON.
        why = localize(aggregate["capture"].get("reason"))
        lines.append("  " + _("no averaged values: {reason}").format(reason=why))
    markers = marker_block(rep)
    # Every row says where its number came from: "model (proxy)" where model landmarks
    # stand in for the clinical points, as the report and the app say it.
    rows, missing = input_rows(rep, with_source=True)
    if rows:
        columns = (*COLUMNS, "source")
        header = [wording.measurement_heading(), *map(wording.column_heading, columns)]
        lines += text_table.aligned([header, *rows], indent="  ")
    elif aggregate is None or aggregate.get("capture", {}).get("ok", True):
        reason = _photo_refusal(rep) if aggregate is None else None
        if reason:
            lines.append(
                "  " + _("nothing measurable in this picture: {reason}").format(reason=reason)
            )
        else:
            lines.append("  " + _("nothing measurable in this picture"))
    if any(wording.band_left_out(mid, entry.get("unit") or "") for mid, entry in measured(rep)):
        lines.append("  " + wording.no_cm_band_note())
    for note, labels in value_notes(rep).items():
        lines.append("  " + _("{labels}: {reason}").format(labels=", ".join(labels), reason=note))
    for reason, labels in missing.items():
        lines.append("  " + _("{labels}: {reason}").format(labels=", ".join(labels), reason=reason))
    lines += ["  " + line for line in marker_words(markers or {})]
    refused = _photo_refusal(rep) if aggregate is None and rows else None
    if refused:
        # A visit stores such a photo with these numbers and ± too; say what they lack.
        lines.append(
            "  "
            + _("quality gate not passed: {reason} (the ± does not include this)").format(
                reason=refused
            )
        )
    return "\n".join(lines)


def format_report(inputs: Iterable[dict[str, Any]]) -> str:
    """Tables of every input, separated by a blank line, plus the screening note
    ("" when there is no input)."""
    blocks = [format_input(rep) for rep in inputs]
    if not blocks:
        return ""  # every input failed: stderr already named each one
    return "\n\n".join([*blocks, wording.screening_note()])
