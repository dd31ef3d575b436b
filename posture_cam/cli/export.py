"""``posture-cam export CODE --format csv|zip --out FILE``: one patient's records.

CSV: one row per visit × view × metric (columns in docs/records.md). Zip: everything of
that patient (``patient.json`` with every stored field, ``metrics.csv``, every image).
Exit codes: 0 written; 9 --out cannot be written; 6 unknown patient; 8 database unusable.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from posture_cam.i18n import _


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "export",
        help=_("export a patient's records as CSV or zip"),
        epilog=(
            _(
                "exit codes: 0 written; 6 unknown patient; 8 database unusable; "
                "9 --out cannot be written"
            )
        ),
    )
    p.add_argument("code", metavar="CODE")
    p.add_argument("--format", choices=("csv", "zip"), required=True)
    p.add_argument("--out", type=Path, required=True, metavar="FILE")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from posture_cam.records import Store
    from posture_cam.records.export import export_patient

    with Store() as store:
        out = export_patient(store, args.code, args.format, args.out)
    print(
        _("{format} export of {code} written to {file}").format(
            format=args.format.upper(), code=args.code, file=out
        )
    )
    return 0
