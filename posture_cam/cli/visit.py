"""``posture-cam visit add CODE FILE...`` and ``visit import FILE --patient CODE``.

``visit add`` analyses photos and videos through the one pipeline (one capture per
file, the view detected per file unless ``--view``) and stores them as one visit.
Nothing is stored when any file fails.

Exit codes: 0 stored; 2 a file is missing or not a photo/video (or an invalid option);
3 no person found in a file; 4 no pose model; 5 calibration profile unusable; 6 unknown
patient; 8 database unusable.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json

from posture_cam import wording
from posture_cam.cli.marker_args import add_marker_arguments, marker_settings
from posture_cam.config import MEASURED_VIEWS
from posture_cam.errors import InputError
from posture_cam.i18n import N_, _, ngettext

EPILOG = N_(
    "exit codes: 0 stored; 2 bad file or option; 3 no person found in a file; 4 no pose "
    "model; 5 calibration profile unusable; 6 unknown patient; 8 database unusable. "
    "Nothing is stored when any file fails."
)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "visit", help=_("store a visit from photos/videos or a home-check file"), epilog=_(EPILOG)
    )
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = sub.add_parser(
        "add",
        help=_("analyse photos/videos and store them as one visit"),
        description=_("Analyse photos and videos (one capture each) and store one visit."),
        epilog=_(EPILOG),
    )
    add.add_argument("code", metavar="CODE", help=_("patient code"))
    add.add_argument("files", nargs="+", metavar="FILE", help=_("photo or video"))
    add.add_argument("--date", metavar="YYYY-MM-DD", help=_("visit date (default: now)"))
    add.add_argument("--setting", choices=("clinic", "home"), default="clinic")
    add.add_argument("--view", choices=MEASURED_VIEWS)
    add.add_argument("--profile", metavar="NAME", help=_("calibration profile"))
    add.add_argument("--therapist", metavar="NAME")
    add.add_argument("--notes")
    add_marker_arguments(add)
    add.add_argument("--offline", action="store_true", help=_("never download a model"))
    add.add_argument("--json", action="store_true", help=_("print the stored visit as JSON"))
    add.set_defaults(func=_add)
    imp = sub.add_parser(
        "import",
        help=_("import home-check files as visits with setting home"),
        description=(
            _(
                "Import home-check files (written by `posture-cam home`, docs/home.md), each "
                "as one visit with setting home."
            )
        ),
        epilog=(
            _(
                "exit codes: 0 imported; 2 not a valid home-check file; 6 unknown patient; "
                "7 check already imported; 8 database unusable. Nothing is stored when any "
                "file fails."
            )
        ),
    )
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.add_argument("--patient", required=True, metavar="CODE")
    imp.add_argument(
        "--json",
        action="store_true",
        help=_("print the imported visits as JSON (as `visits --json` does)"),
    )
    imp.set_defaults(func=_import)


def parse_date(text: str | None) -> dt.datetime | None:
    if text is None:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(text, _("not a date"), _("use YYYY-MM-DD")) from None
    now = dt.datetime.now()
    # A date alone: keep the current time of day when it is today, else noon, so
    # that several visits on one day still sort in the order they were taken.
    if day == now.date():
        return now.replace(microsecond=0)
    return dt.datetime.combine(day, dt.time(12, 0))


def _add(args: argparse.Namespace) -> int:
    from posture_cam.records import Store
    from posture_cam.records.ingest import analyse_files

    when = parse_date(args.date)
    marked = marker_settings(args)
    if marked.points and len(args.files) > 1:
        raise InputError("--point", _("only with one FILE: the pixels given belong to one picture"))
    with Store() as store:
        store.patient(args.code)  # unknown code: fail before minutes of analysis
        captures = analyse_files(
            args.files,
            view=args.view,
            profile=args.profile,
            allow_network=not args.offline,
            markers=marked.markers,
            marker_colour=marked.colour,
            points=marked.points,
        )
        visit_id = store.add_visit(
            args.code,
            captures,
            date_time=when,
            setting=args.setting,
            therapist=args.therapist,
            profile=args.profile,
            notes=args.notes,
        )
        doc = store.visits_json(args.code)
    visit = next(v for v in doc["visits"] if v["id"] == visit_id)
    if args.json:
        print(json.dumps(visit, indent=2, ensure_ascii=False))
    else:
        views = ", ".join(wording.view_name(c["view"]) for c in visit["captures"])
        print(
            _("visit {id} stored for {code} ({date}, {views})").format(
                id=visit_id, code=args.code, date=visit["date"], views=views
            )
        )
    return 0


def _import(args: argparse.Namespace) -> int:
    from posture_cam.records import Store
    from posture_cam.records.home_import import import_home_files

    with Store() as store:
        ids = import_home_files(store, args.patient, args.files)
        doc = store.visits_json(args.patient)
    if args.json:
        # The imported visits as `visits --json` prints them (as `visit add --json`
        # prints the one it stored): before, only their ids.
        doc["visits"] = [v for v in doc["visits"] if v["id"] in ids]
        print(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        print(
            ngettext(
                "home visit {ids} imported for {code}",
                "home visits {ids} imported for {code}",
                len(ids),
            ).format(code=args.patient, ids=", ".join(map(str, ids)))
        )
    return 0
