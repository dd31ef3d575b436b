"""``posture-cam restore FILE``: replace the whole records store with a backup.

Every current row and image is replaced, all or nothing. A corrupt SQLite store is moved
aside first. Exit codes: 0 restored; 2 not a backup file; 8 backup schema newer than this
version, or the database is unusable; 9 the images (or the database copy in the temporary
folder) cannot be written: the store is unchanged.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from posture_cam import wording
from posture_cam.i18n import _


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "restore",
        help=_("replace the whole records store with a backup"),
        epilog=_(
            "exit codes: 0 restored; 2 not a backup; 8 newer schema or database unusable; "
            "9 cannot write (disk full, read-only): the store is unchanged"
        ),
    )
    p.add_argument("file", type=Path, metavar="FILE")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from posture_cam.records import backup, db

    manifest = backup.restore(db.database_url(), args.file)
    rows = manifest["rows"]
    print(
        _("restored {file} (made {created}): patients {patients}, visits {visits}").format(
            file=args.file,
            created=wording.date_time_text(manifest["created_at"]),
            patients=rows.get("patients", 0),
            visits=rows.get("visits", 0),
        )
    )
    return 0
