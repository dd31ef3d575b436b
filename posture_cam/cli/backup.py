"""``posture-cam backup FILE``: the whole records store (database and images) in one zip.

Exit codes: 0 written; 9 FILE cannot be written; 8 database unusable.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from posture_cam.i18n import _


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "backup",
        help=_("back up the whole records store to one file"),
        description=_("Back up every patient, visit and image (SQLite or PostgreSQL) to a zip."),
        epilog=_("exit codes: 0 written; 9 FILE cannot be written; 8 database unusable"),
    )
    p.add_argument("file", type=Path, metavar="FILE")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from posture_cam.records import backup, db

    manifest = backup.backup(db.database_url(), args.file)
    rows = manifest["rows"]
    print(
        _(
            "backup written to {file}: patients {patients}, visits {visits}, captures {captures}"
        ).format(
            file=args.file,
            patients=rows.get("patients", 0),
            visits=rows.get("visits", 0),
            captures=rows.get("captures", 0),
        )
    )
    return 0
