"""``posture-cam patients add|list|show|remove``: the patients of the records store.

``patients remove`` asks before it deletes (``--yes``: without asking; without a
terminal it refuses unless ``--yes``), and deletes the app's PDF reports of the patient
too.

Exit codes: 0 done; 2 invalid code or birth year; 6 unknown code; 7 duplicate code;
8 database unusable (locked, corrupt, newer schema, server unreachable).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from posture_cam import wording
from posture_cam.cli import text_table
from posture_cam.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from posture_cam.records.store import Removal

#: Answers that confirm a removal (English and Dutch: "[y/N]" may read "[j/N]").
YES_ANSWERS = ("y", "yes", "j", "ja")

EPILOG = N_(
    "exit codes: 0 ok; 2 invalid input; 6 unknown patient; 7 duplicate patient code; "
    "8 database locked, corrupt, newer schema or unreachable"
)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "patients",
        help=_("add, list, show or remove patients of the records"),
        description=_("Patients of the records store (pseudonymous codes)."),
        epilog=_(EPILOG),
    )
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = sub.add_parser("add", help=_("add a patient"), epilog=_(EPILOG))
    add.add_argument("code", metavar="CODE", help=_("pseudonymous code, e.g. P-0042"))
    add.add_argument("--name", help=_("full name (printed on reports only when asked)"))
    add.add_argument("--birth-year", type=int, metavar="YYYY")
    add.add_argument("--notes")
    add.set_defaults(func=_add)
    ls = sub.add_parser("list", help=_("list patients"), epilog=_(EPILOG))
    ls.add_argument("--search", metavar="TEXT", help=_("only codes or names containing TEXT"))
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=_list)
    show = sub.add_parser("show", help=_("one patient and their visits"), epilog=_(EPILOG))
    show.add_argument("code", metavar="CODE")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=_show)
    rm = sub.add_parser(
        "remove", help=_("delete a patient, all visits and every file"), epilog=_(EPILOG)
    )
    rm.add_argument("code", metavar="CODE")
    rm.add_argument("--yes", action="store_true", help=_("confirm: this cannot be undone"))
    rm.set_defaults(func=_remove)


def _add(args: argparse.Namespace) -> int:
    from posture_cam.records import Store

    with Store() as store:
        store.add_patient(args.code, name=args.name, birth_year=args.birth_year, notes=args.notes)
    print(_("patient {code} added").format(code=args.code))
    return 0


def _list(args: argparse.Namespace) -> int:
    from posture_cam.records import Store

    with Store() as store:
        patients = store.list_patients(args.search)
    if args.json:
        print(json.dumps({"patients": patients}, indent=2, ensure_ascii=False))
        return 0
    if not patients:
        print(_("no patients"))
        return 0
    head = [_("code"), _("name"), _("born"), _("visits"), _("last visit")]
    rows = [
        [
            p["code"],
            p["name"] or "",
            str(p["birth_year"] or ""),
            str(p["visits"]),
            p["last_visit"] or "—",
        ]
        for p in patients
    ]
    print("\n".join(text_table.aligned([head, *rows], right={2, 3})))
    return 0


def _show(args: argparse.Namespace) -> int:
    from posture_cam.records import Store

    with Store() as store:
        doc = store.patient(args.code)
    if args.json:
        print(json.dumps(doc, indent=2, ensure_ascii=False))
        return 0
    print(
        _("patient {code}").format(code=doc["code"]) + (f"  {doc['name']}" if doc["name"] else "")
    )
    if doc["birth_year"]:
        print(_("born {year}").format(year=doc["birth_year"]))
    rows = [
        [
            _("visit {id}").format(id=v["id"]),
            v["date"],
            wording.report_text(v["setting"]),
            ", ".join(wording.view_name(view) for view in v["views"]),
        ]
        for v in doc["visit_list"]
    ]
    if rows:
        print("\n".join(text_table.aligned(rows, indent="  ")))
    if not doc["visit_list"]:
        print("  " + _("no visits"))
    return 0


def confirm_removal(yes: bool, what: str, hint: str, question: str) -> None:
    """Go on with a removal when ``yes`` (``--yes``) or when the user answers yes to
    ``question`` on a terminal; else raise the one-line refusal ``WHAT: not removed
    (HINT)`` (exit 2): without a terminal nobody can answer."""
    from posture_cam.errors import InputError

    if yes:
        return
    if sys.stdin is not None and sys.stdin.isatty():
        prompt = question + " " + _("This cannot be undone. [y/N] ")
        print(prompt, end="", file=sys.stderr, flush=True)
        if sys.stdin.readline().strip().lower() in YES_ANSWERS:
            return
    raise InputError(what, _("not removed"), hint)


def say_removed(removed: Removal) -> None:
    """Name the PDF reports a removal deleted (stderr), if any."""
    if removed.reports:
        print(
            ngettext(
                "report deleted: {files}", "reports deleted: {files}", len(removed.reports)
            ).format(files=", ".join(str(p) for p in removed.reports)),
            file=sys.stderr,
        )


def _remove(args: argparse.Namespace) -> int:
    from posture_cam.records import Store

    hint = _("add --yes to delete every visit and file")
    if not args.yes and not (sys.stdin is not None and sys.stdin.isatty()):
        # Refuse before opening the store, as before (a script's missing --yes).
        confirm_removal(False, args.code, hint, "")
    with Store() as store:
        if not args.yes:
            doc = store.patient(args.code)  # unknown code: exit 6, before asking
            confirm_removal(
                False,
                args.code,
                hint,
                ngettext(
                    "Delete patient {code}, {count} visit and every file?",
                    "Delete patient {code}, {count} visits and every file?",
                    doc["visits"],
                ).format(code=args.code, count=doc["visits"]),
            )
        removed = store.delete_patient(args.code)
    print(
        ngettext(
            "patient {code} removed ({count} file deleted)",
            "patient {code} removed ({count} files deleted)",
            removed.images,
        ).format(code=args.code, count=removed.images),
        file=sys.stderr,
    )
    say_removed(removed)
    return 0
