"""``posture-cam visits CODE [--json]``: the visits of a patient with their metrics.

``--json`` prints ``{"patient": CODE, "visits": [{"id", "date", "setting", "captures":
[{"view", "metrics": {ID: {"value", "sd", "uncertainty", "unit", "status", "source"}}}]}]}``
(schema: docs/records.md; the contract for scripts, with the metric ids). The text is for
the therapist: per capture a table headed and worded as ``analyze``'s (the metric's name,
its value with the side in words, ± its uncertainty, the normal band in the value's
unit, the status, the source: model, "model (proxy)", marker or point; a value in cm
has no band, since a visit keeps neither the scale nor the body height that would
convert its %-height band, and a line under the table says so), and a capture the
quality gate refused says why, as ``analyze`` does for the same photo; each
number rounded as ``--json`` rounds it (``records.store.DECIMALS``); a ± that is only the
frame SD shows "±0.4° SD" (``records.spread``). The metrics not measurable follow their
table on one line per reason.
Exit codes: 0; 6 unknown patient; 8 database unusable.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from posture_cam import wording
from posture_cam.cli import text_table
from posture_cam.i18n import _, localize, ngettext
from posture_cam.types import Metric, MetricStatus

if TYPE_CHECKING:
    from posture_cam.records import Store
    from posture_cam.records.models import Capture, CaptureMetric

#: The columns after the measurement's name: those of ``analyze``'s table but ``n``, and
#: where each number came from (model, proxy or not; marker; point).
COLUMNS = ("value", "plus_minus", "band", "status", "source")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "visits",
        help=_("list a patient's visits and metrics"),
        epilog=_("exit codes: 0 ok; 6 unknown patient; 8 database unusable"),
    )
    p.add_argument("code", metavar="CODE")
    p.add_argument("--json", action="store_true", help=_("print JSON (docs/records.md)"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from posture_cam.records import Store

    with Store() as store:
        if args.json:
            print(json.dumps(store.visits_json(args.code), indent=2, ensure_ascii=False))
        else:
            _print_text(store, args.code)
    return 0


def _print_text(store: Store, code: str) -> None:
    """The visits as text: per capture a table of measurements headed and worded as
    ``analyze``'s (name, value with its side in words, ±, normal band, status), each
    number rounded as ``--json`` rounds it; the ones not measurable on a line below."""
    with store.session() as s:
        patient, visits = store.load_visits(s, code)
        n = len(visits)
        print(
            ngettext("patient {code}: {n} visit", "patient {code}: {n} visits", n).format(
                code=patient.code, n=n
            )
        )
        header = [wording.measurement_heading(), *map(wording.column_heading, COLUMNS)]
        tables = [[_capture_rows(cap) for cap in visit.captures] for visit in visits]
        every_row = [header, *(row for v in tables for rows, _missing in v for row in rows)]
        widths = text_table.column_widths(every_row)  # one set of columns for the output
        for visit, captures in zip(visits, tables, strict=True):
            label = _("visit {id}").format(id=visit.id)
            # The time too: several home checks of one day are told apart by it.
            when = visit.date_time.strftime("%Y-%m-%d %H:%M")
            print(f"{label}  {when}  {wording.report_text(visit.setting)}")
            for cap, (rows, missing) in zip(visit.captures, captures, strict=True):
                print(f"  {wording.view_name(cap.view)}")
                if rows:
                    lines = text_table.aligned([header, *rows], widths=widths, indent="    ")
                    print("\n".join(lines))
                if any(_band_left_out(m) for m in cap.metrics):
                    print("    " + wording.no_cm_band_note())
                for note, labels in _value_notes(cap).items():
                    joined = ", ".join(labels)
                    print("    " + _("{labels}: {reason}").format(labels=joined, reason=note))
                for reason, labels in missing.items():
                    joined = ", ".join(labels)
                    print("    " + _("{labels}: {reason}").format(labels=joined, reason=reason))
                refused = _refusal(cap)
                if refused:
                    # As analyze says it of the same photo: stored, but not clinical quality.
                    words = _("quality gate not passed: {reason} (the ± does not include this)")
                    print("    " + words.format(reason=refused))


def _capture_rows(capture: Capture) -> tuple[list[list[str]], dict[str, list[str]]]:
    """The rows of the measured metrics of one capture and, per reason, the names of the
    metrics that were not measurable (as ``analyze`` prints them)."""
    from posture_cam.cli.analyze_table import missing_reason
    from posture_cam.metrics.catalogue import is_proxy
    from posture_cam.records.spread import plus_minus
    from posture_cam.records.store import DECIMALS

    rows: list[list[str]] = []
    missing: dict[str, list[str]] = {}
    for m in capture.metrics:
        unit = m.unit or ""
        label = wording.metric_label(m.metric_id)
        if m.median is None:
            metric = Metric(m.metric_id, None, unit, MetricStatus.NOT_MEASURABLE, m.why)
            missing.setdefault(missing_reason(metric), []).append(label)
            continue
        metric = Metric(m.metric_id, m.median, unit, MetricStatus(m.status))
        pm = plus_minus(m)
        rows.append(
            [
                label,
                wording.value_in_words(metric, DECIMALS),
                wording.plus_minus_text(pm.value, unit, frame_sd_only=pm.fallback),
                wording.band_for_value(m.metric_id, unit),
                wording.status_text(m.status),
                wording.source_text(m.source, is_proxy(m.metric_id, m.source)),
            ]
        )
    return rows, missing


def _value_notes(capture: Capture) -> dict[str, list[str]]:
    """Per note, the names of the measured values it qualifies (as ``analyze`` says
    them: ``analyze_table.value_notes``)."""
    notes: dict[str, list[str]] = {}
    for m in capture.metrics:
        note = m.why if m.median is not None else None
        if note:
            notes.setdefault(localize(note), []).append(wording.metric_label(m.metric_id))
    return notes


def _band_left_out(metric: CaptureMetric) -> bool:
    """A measured value in cm shown without its band (``wording.band_left_out``)."""
    return metric.median is not None and wording.band_left_out(metric.metric_id, metric.unit or "")


def _refusal(capture: Capture) -> str | None:
    """Why the quality gate refused a stored capture, in the current language; None when
    it passed (or the capture keeps no quality)."""
    from posture_cam.cli.analyze_table import gate_refusal

    quality = capture.quality or {}
    if quality.get("ok", True):
        return None
    refused = gate_refusal(quality.get("checks") or [])
    return refused or (localize(quality["reason"]) if quality.get("reason") else None)
