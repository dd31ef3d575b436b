"""``posture-cam home``: home mode, a guided posture check a patient can do alone.

Qt is imported only when the command runs. The check captures by itself (no key
press) and writes one file per check into the export folder (docs/home.md).
"""

from __future__ import annotations

import argparse

from posture_cam.cli.language import add_lang_argument
from posture_cam.i18n import _


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "home",
        help=_("home mode: a guided check of head and shoulders, sent to your therapist"),
        description=(
            _(
                "Guided posture check at a laptop webcam: one instruction at a time, an "
                "automatic capture once you hold still for 2 s, the result in plain words, "
                "and one file per check for your therapist (posture-cam visit import)."
            )
        ),
    )
    parser.add_argument(
        "--source",
        metavar="SRC",
        default=None,
        help=_("camera index (0, 1 ...) or a video file (default: the saved camera)"),
    )
    parser.add_argument(
        "--export-dir",
        metavar="DIR",
        default=None,
        help=_(
            "folder for the files sent to the therapist (default: the saved folder, "
            "else Documents/posture_cam)"
        ),
    )
    add_lang_argument(parser, _("language (default: the saved setting, else LANG)"))
    parser.add_argument("--model", metavar="PATH", default=None, help=_("pose model .task file"))
    parser.add_argument(
        "--mirror",
        action=argparse.BooleanOptionalAction,
        default=True,
        help=_("show the picture as a mirror (default: on)"),
    )
    parser.add_argument(
        "--skeleton-only", action="store_true", help=_("show only the skeleton, no camera pixels")
    )
    parser.add_argument("--fullscreen", action="store_true", help=_("start in full screen"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from posture_cam.cli.app import check_display, start_model_early
    from posture_cam.home.sources import refuse_photo

    refuse_photo(args.source)
    check_display()
    start_model_early({"model_path": args.model} if args.model else {})
    from posture_cam.ui.home.start import run_home

    return run_home(
        source=args.source,
        export_dir=args.export_dir,
        language=args.lang,
        model_path=args.model,
        mirror=args.mirror,
        skeleton_only=args.skeleton_only,
        fullscreen=args.fullscreen,
    )
