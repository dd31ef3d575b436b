"""``posture-cam visit add CODE FILE...``, ``visit import FILE --patient CODE`` and
``visit remove VISIT_ID``.

``visit add`` analyses photos and videos through the one pipeline (one capture per
file, the view detected per file unless ``--view``) and stores them as one visit.
Nothing is stored when any file fails, nor for a ``--date`` in the future, before the
patient's birth year or before 1990. With ``--markers`` it says per file on stderr which
stickers were found, as ``analyze`` does.

``visit remove`` deletes one visit, its captures, metrics, image files and the app's PDF
report of it, after asking (``--yes``: without asking; without a terminal it refuses
unless ``--yes``), as ``patients remove`` does for a patient.

Exit codes: 0 stored; 2 a file is missing or not a photo/video (or an invalid option or
date); 3 no person found in a file; 4 no pose model; 5 calibration profile unusable; 6
unknown patient or visit; 8 database unusable.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import TYPE_CHECKING, Any

from posture_cam import wording
from posture_cam.cli.marker_args import add_marker_arguments, marker_settings
from posture_cam.cli.patients import confirm_removal, say_removed
from posture_cam.config import MEASURED_VIEWS
from posture_cam.errors import InputError
from posture_cam.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from posture_cam.batch.results import InputReport

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
    add.add_argument(
        "--date",
        metavar="YYYY-MM-DD[THH:MM]",
        help=_(
            "visit date, with its time if known (default: now); not in the future, nor "
            "before the birth year or 1990. A date alone is stored at 12:00 (today: now)"
        ),
    )
    add.add_argument("--setting", choices=("clinic", "home"), default="clinic")
    add.add_argument("--view", choices=MEASURED_VIEWS)
    add.add_argument("--profile", metavar="NAME", help=_("calibration profile"))
    add.add_argument("--therapist", metavar="NAME")
    add.add_argument("--notes")
    add_marker_arguments(add)
    add.add_argument(
        "--model", metavar="PATH", help=_("pose model (.task); default: model manager")
    )
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
    rm = sub.add_parser(
        "remove",
        help=_("delete one visit, its captures and files"),
        description=_(
            "Delete one visit (its id as `visits CODE` and `patients show CODE` list it): "
            "its captures, metrics, image files and the app's PDF report of it. Asks first "
            "unless --yes."
        ),
        epilog=_("exit codes: 0 removed; 2 not confirmed; 6 unknown visit; 8 database unusable."),
    )
    rm.add_argument("visit_id", metavar="VISIT_ID", type=int, help=_("visit id"))
    rm.add_argument("--yes", action="store_true", help=_("confirm: this cannot be undone"))
    rm.set_defaults(func=_remove)


def parse_date(text: str | None) -> dt.datetime | None:
    if text is None:
        return None
    now = dt.datetime.now()
    if len(text) > len("YYYY-MM-DD"):  # a date and a time: kept as given
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            raise InputError(
                text, _("not a date"), _("use YYYY-MM-DD or YYYY-MM-DDTHH:MM")
            ) from None
        if moment.tzinfo is not None:  # visits are stored in local time, as now() is
            moment = moment.astimezone().replace(tzinfo=None)
        if moment > now + dt.timedelta(minutes=1):
            raise InputError(
                text,
                _("visit time in the future"),
                _("give the time of the visit, now ({now}) at the latest").format(
                    now=now.strftime("%Y-%m-%d %H:%M")
                ),
            )
        return moment.replace(second=0, microsecond=0)
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(text, _("not a date"), _("use YYYY-MM-DD or YYYY-MM-DDTHH:MM")) from None
    # A date alone: keep the current time of day when it is today, else noon, so
    # that several visits on one day still sort in the order they were taken.
    if day == now.date():
        return now.replace(microsecond=0)
    return dt.datetime.combine(day, dt.time(12, 0))


def marker_lines(rep: InputReport) -> list[str]:
    """What ``analyze`` says under a file's table about its skin markers and given
    points (found, not found, stickers too small), for ``visit add``; [] when none were
    asked for."""
    from posture_cam.cli.analyze_table import marker_block, marker_words

    block = marker_block({"frames": rep.frames})
    return marker_words(block) if block is not None else []


def _say_markers(rep: InputReport) -> None:
    for line in marker_lines(rep):
        print(f"{rep.source}: {line}", file=sys.stderr)


def _add(args: argparse.Namespace) -> int:
    from posture_cam.records import Store
    from posture_cam.records.ingest import analyse_files
    from posture_cam.records.store import check_visit_date

    when = parse_date(args.date)
    marked = marker_settings(args)
    if marked.points and len(args.files) > 1:
        raise InputError("--point", _("only with one FILE: the pixels given belong to one picture"))
    with Store() as store:
        patient = store.patient(args.code)  # unknown code: fail before minutes of analysis
        if when is not None:
            check_visit_date(when.date(), patient["birth_year"])
        captures = analyse_files(
            args.files,
            view=args.view,
            profile=args.profile,
            allow_network=not args.offline,
            markers=marked.markers,
            marker_colour=marked.colour,
            points=marked.points,
            model_path=args.model,
            on_report=_say_markers,
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


def _remove(args: argparse.Namespace) -> int:
    from posture_cam.records import Store

    with Store() as store:
        visit: dict[str, Any] = store.visit(args.visit_id)  # unknown id: exit 6
        views = ", ".join(wording.view_name(v) for v in visit["views"])
        confirm_removal(
            args.yes,
            _("visit {id}").format(id=args.visit_id),
            _("add --yes to delete the visit and its files"),
            _("Delete visit {id} of {code} ({date}, {views}) and its files?").format(
                id=args.visit_id, code=visit["patient"], date=visit["date"], views=views
            ),
        )
        removed = store.remove_visit(args.visit_id)
    print(
        ngettext(
            "visit {id} of {code} ({date}) removed ({count} file deleted)",
            "visit {id} of {code} ({date}) removed ({count} files deleted)",
            removed.images,
        ).format(id=args.visit_id, code=removed.code, date=visit["date"], count=removed.images),
        file=sys.stderr,
    )
    say_removed(removed)
    return 0
