"""``posture-cam visits CODE [--json]``: the visits of a patient with their metrics.

``--json`` prints ``{"patient": CODE, "visits": [{"id", "date", "setting", "captures":
[{"view", "metrics": {ID: {"value", "sd", "uncertainty", "unit", "status", "source"}}}]}]}``
(schema: docs/records.md). The text shows each value ± its uncertainty (frame spread and
model repeatability), each number rounded as ``--json`` rounds it
(``records.store.DECIMALS``); a ± that is only the frame SD shows "± SD"
(``records.spread``).
Exit codes: 0; 6 unknown patient; 8 database unusable.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from posture_cam import wording
from posture_cam.i18n import _, format_number, ngettext
from posture_cam.types import MetricStatus

if TYPE_CHECKING:
    from posture_cam.records import Store
    from posture_cam.records.models import CaptureMetric


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
    """The visits as text: each number once, rounded as ``--json`` rounds it."""
    with store.session() as s:
        patient, visits = store.load_visits(s, code)
        n = len(visits)
        print(
            ngettext("patient {code}: {n} visit", "patient {code}: {n} visits", n).format(
                code=patient.code, n=n
            )
        )
        for visit in visits:
            label = _("visit {id}").format(id=visit.id)
            date = visit.date_time.date().isoformat()
            print(f"{label}  {date}  {wording.report_text(visit.setting)}")
            for cap in visit.captures:
                print(f"  {wording.view_name(cap.view)}")
                for m in cap.metrics:
                    status = wording.status_text(m.status)
                    unit = wording.unit_text(m.unit or "")
                    print(f"    {m.metric_id:<24} {_value_text(m):>16} {unit:<10} {status}")


def _value_text(metric: CaptureMetric) -> str:
    """``2.1 ± 0.5``; ``± 0.4 SD`` where only the frame SD is known (``records.spread``)."""
    from posture_cam.records.spread import plus_minus
    from posture_cam.records.store import DECIMALS

    if metric.median is None:
        return wording.status_text(MetricStatus.NOT_MEASURABLE)  # the one status word
    pm = plus_minus(metric)
    text = f"{format_number(metric.median, DECIMALS)} ± {format_number(pm.value or 0.0, DECIMALS)}"
    return f"{text} SD" if pm.fallback else text
