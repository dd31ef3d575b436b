"""``posture-cam visits CODE [--json]``: the visits of a patient with their metrics.

``--json`` prints ``{"patient": CODE, "visits": [{"id", "date", "setting", "captures":
[{"view", "metrics": {ID: {"value", "sd", "uncertainty", "unit", "status", "source"}}}]}]}``
(schema: docs/records.md). The text shows each value ± its uncertainty (frame spread and
model repeatability); a record stored before that was kept shows "± SD".
Exit codes: 0; 6 unknown patient; 8 database unusable.
"""

from __future__ import annotations

import argparse
import json

from posture_cam import wording
from posture_cam.i18n import _, format_number, ngettext


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
        doc = store.visits_json(args.code)
    if args.json:
        print(json.dumps(doc, indent=2, ensure_ascii=False))
        return 0
    n = len(doc["visits"])
    print(
        ngettext("patient {code}: {n} visit", "patient {code}: {n} visits", n).format(
            code=doc["patient"], n=n
        )
    )
    for visit in doc["visits"]:
        label = _("visit {id}").format(id=visit["id"])
        print(f"{label}  {visit['date']}  {wording.report_text(visit['setting'])}")
        for cap in visit["captures"]:
            print(f"  {wording.view_name(cap['view'])}")
            for metric_id, m in cap["metrics"].items():
                if m["value"] is None:
                    value = _("not measurable")
                else:  # stored before the uncertainty was kept: the frame SD, marked
                    pm, mark = m["uncertainty"], ""
                    if pm is None:
                        pm, mark = m["sd"] or 0.0, " SD"
                    value = f"{format_number(m['value'], 2)} ± {format_number(pm, 2)}{mark}"
                status = wording.status_text(m["status"])
                unit = wording.unit_text(m["unit"] or "")
                print(f"    {metric_id:<24} {value:>16} {unit:<10} {status}")
    return 0
