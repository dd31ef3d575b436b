"""``posture-cam report CODE --out FILE.pdf``: the PDF report of a visit.

The images follow ``--privacy``; without it, the app's saved snapshot privacy
(*Settings → Snapshot privacy*, ``AppSettings.records_image``), as a report the app
writes does: full image when nothing is saved.

Exit codes: 0 written; 2 bad option; 9 --out cannot be written; 6 unknown patient or visit
(or no visits); 8 database unusable.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from posture_cam.i18n import _, available_languages, current_language, localize


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "report",
        help=_("write the PDF report of a patient's visit"),
        description=(
            _(
                "A4 PDF for the patient file: per view the annotated image, the measurements "
                "with normal bands, the change since the previous visit judged against the "
                "MDC, progress charts and the method. Screening, not diagnosis."
            )
        ),
        epilog=(
            _(
                "exit codes: 0 written; 2 bad option; 9 --out cannot be written; 6 unknown patient "
                "or visit; 8 database unusable"
            )
        ),
    )
    p.add_argument("code", metavar="CODE")
    p.add_argument("--visit", type=int, metavar="ID", help=_("visit id (default: the latest)"))
    p.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    p.add_argument(
        "--lang",
        choices=available_languages(),
        default=None,
        help=_("language of the report (default: the command line's)"),
    )
    p.add_argument(
        "--privacy",
        choices=("full", "blur", "skeleton"),  # posture_cam.records.models.PRIVACY_MODES
        default=None,
        help=_(
            "images in the report: full, blur (faces blurred) or skeleton (no camera "
            "pixels); default: the app's saved snapshot privacy (Settings > Snapshot "
            "privacy), else full"
        ),
    )
    p.add_argument(
        "--practice", metavar="NAME", help=_("practice name (default: $POSTURE_CAM_PRACTICE)")
    )
    p.add_argument("--with-name", action="store_true", help=_("print the patient's name"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from posture_cam.records import Store
    from posture_cam.records.report import ReportOptions, write_report

    options = ReportOptions(
        visit_id=args.visit,
        language=args.lang or current_language(),
        privacy=args.privacy or saved_privacy(),
        practice=args.practice,
        with_name=args.with_name,
    )
    with Store() as store:
        out = write_report(store, args.code, args.out, options)
    print(_("report written to {file}").format(file=out))
    return 0


def saved_privacy() -> str:
    """The report image the app would use (``full``, ``blur`` or ``skeleton``), from the
    saved settings; a broken settings file gives its notice on stderr and the default."""
    from posture_cam.app_settings import load_settings_checked

    settings, notices = load_settings_checked()
    for notice in notices:
        print(localize(notice), file=sys.stderr)
    return settings.records_image(shown=False)
