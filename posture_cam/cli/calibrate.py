"""``posture-cam calibrate ...`` and ``posture-cam calibration ...``.

    posture-cam calibrate level --image FILE [--points x1,y1,x2,y2 | --roi x,y,w,h]
                                [--vertical | --horizontal] --profile NAME
    posture-cam calibrate scale --image FILE (--marker-cm N | --height-cm N)
                                [--model PATH] --profile NAME
    posture-cam calibrate lens  --images DIR --profile NAME
    posture-cam calibrate list | show NAME | remove NAME
    posture-cam calibration target --out FILE.pdf [--paper A4|A3]

Every step prints one line saying what was measured and where it was saved. Failures
exit with 2 (unreadable input) or 5 (nothing to calibrate from), one line on stderr.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from posture_cam import wording
from posture_cam.i18n import _, format_number, localize


def _floats(n: int, what: str):
    def parse(text: str) -> tuple[float, ...]:
        try:
            values = tuple(float(v) for v in text.split(","))
        except ValueError:
            values = ()
        if len(values) != n:
            raise argparse.ArgumentTypeError(
                _("{what} must be {n} comma-separated numbers").format(what=what, n=n)
            )
        return values

    return parse


def _roi(text: str) -> tuple[int, int, int, int]:
    x, y, w, h = (round(v) for v in _floats(4, "--roi x,y,w,h")(text))
    if w <= 0 or h <= 0:
        raise argparse.ArgumentTypeError(_("--roi width and height must be positive"))
    return x, y, w, h


def _add_profile(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--profile", required=True, metavar="NAME", help=_("profile to create or update")
    )
    p.add_argument("--camera-id", metavar="ID", help=_("record which camera this is (free text)"))


def _add_store_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("list", help=_("list the saved calibration profiles"))
    p.set_defaults(func=_cmd_list)
    p = sub.add_parser("show", help=_("print one profile as JSON"))
    p.add_argument("name")
    p.set_defaults(func=_cmd_show)
    p = sub.add_parser("remove", help=_("delete a profile"))
    p.add_argument("name")
    p.set_defaults(func=_cmd_remove)


def register(subparsers: argparse._SubParsersAction) -> None:
    cal = subparsers.add_parser(
        "calibrate",
        help=_("calibrate the camera: level, scale, lens; manage profiles"),
        description=_(
            "Measure camera roll, scale and lens distortion into a named profile "
            "(apply it with 'analyze --profile NAME'). See calibration/README.md."
        ),
    )
    cal.set_defaults(func=lambda args: _need_sub(cal))
    sub = cal.add_subparsers(dest="calibrate_command", metavar="STEP")

    p = sub.add_parser(
        "level",
        help=_("camera roll from the level board, a plumb line (--roi) or two points (--points)"),
    )
    p.add_argument("--image", required=True, metavar="FILE")
    src = p.add_mutually_exclusive_group()
    src.add_argument(
        "--points",
        type=_floats(4, "--points x1,y1,x2,y2"),
        metavar="x1,y1,x2,y2",
        help=_("two pixel points on a true vertical or horizontal"),
    )
    src.add_argument(
        "--roi", type=_roi, metavar="x,y,w,h", help=_("region holding a plumb line / vertical edge")
    )
    ref = p.add_mutually_exclusive_group()
    ref.add_argument("--vertical", dest="reference", action="store_const", const="vertical")
    ref.add_argument("--horizontal", dest="reference", action="store_const", const="horizontal")
    p.set_defaults(reference="auto")
    _add_profile(p)
    p.set_defaults(func=_cmd_level)

    p = sub.add_parser(
        "scale", help=_("cm per pixel from a marker of known size or patient height")
    )
    p.add_argument("--image", required=True, metavar="FILE")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--marker-cm", type=float, metavar="N", help=_("marker side in cm"))
    how.add_argument("--height-cm", type=float, metavar="N", help=_("patient height in cm (±3 %%)"))
    p.add_argument("--model", metavar="PATH", help=_("pose model for --height-cm"))
    _add_profile(p)
    p.set_defaults(func=_cmd_scale)

    p = sub.add_parser("lens", help=_("intrinsics + distortion from a folder of board photos"))
    p.add_argument("--images", required=True, metavar="DIR")
    _add_profile(p)
    p.set_defaults(func=_cmd_lens)

    _add_store_commands(sub)

    tgt = subparsers.add_parser(
        "calibration",
        help=_("printable calibration targets; profile list / show / remove"),
    )
    tgt.set_defaults(func=lambda args: _need_sub(tgt))
    tsub = tgt.add_subparsers(dest="calibration_command", metavar="ACTION")
    p = tsub.add_parser("target", help=_("write the true-scale ChArUco board + scale marker PDF"))
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p.add_argument("--paper", choices=("A4", "A3"), default="A4")
    p.set_defaults(func=_cmd_target)
    _add_store_commands(tsub)


def _need_sub(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _cmd_level(args: argparse.Namespace) -> int:
    from posture_cam.calibration.workflow import calibrate_level

    res = calibrate_level(
        args.image,
        args.profile,
        points=args.points,
        roi_xywh=args.roi,
        reference=args.reference,
        camera_id=args.camera_id,
    )
    print(localize(res.message))
    return 0


def _cmd_scale(args: argparse.Namespace) -> int:
    from posture_cam.calibration.workflow import calibrate_scale
    from posture_cam.pipeline import still_pose_finder

    res = calibrate_scale(
        args.image,
        args.profile,
        marker_cm=args.marker_cm,
        height_cm=args.height_cm,
        find_pose=still_pose_finder(args.model),
        camera_id=args.camera_id,
    )
    print(localize(res.message))
    return 0


def _cmd_lens(args: argparse.Namespace) -> int:
    from posture_cam.calibration.workflow import calibrate_lens_folder

    res = calibrate_lens_folder(args.images, args.profile, camera_id=args.camera_id)
    print(localize(res.message))
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    from posture_cam.calibration import list_profiles, load_profile
    from posture_cam.errors import CalibrationError
    from posture_cam.paths import profiles_dir

    names = list_profiles()
    if not names:
        print(_("no calibration profiles in {folder}").format(folder=profiles_dir()))
        return 0
    for name in names:
        try:
            p = load_profile(name)
        except CalibrationError as exc:
            print(_("{name}  BROKEN: {error}").format(name=name, error=exc))
            continue
        roll = wording.format_value(p.roll_deg, "deg", decimals=2)
        parts = [name, _("roll {angle}").format(angle=roll)]
        parts.append(
            _("no scale")
            if p.cm_per_px is None
            else _("scale {scale} cm/px").format(scale=format_number(p.cm_per_px, 4))
        )
        parts.append(
            _("lens RMS {rms} px").format(rms=format_number(p.lens["rms_px"], 2))
            if p.lens
            else _("no lens correction")
        )
        if p.image_size_wh:
            parts.append(f"{p.image_size_wh[0]}×{p.image_size_wh[1]} px")
        if p.camera_id:
            parts.append(_("camera {id}").format(id=p.camera_id))
        parts.append(_("updated {date}").format(date=wording.date_time_text(p.updated)))
        print("  ".join(parts))
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    from posture_cam.calibration import load_profile

    print(json.dumps(load_profile(args.name).to_json(), indent=2))
    return 0


def _cmd_remove(args: argparse.Namespace) -> int:
    from posture_cam.calibration import remove_profile

    path = remove_profile(args.name)
    print(_("removed profile '{name}' ({path})").format(name=args.name, path=path))
    return 0


def _cmd_target(args: argparse.Namespace) -> int:
    from posture_cam.calibration.board import PAPER_BOARDS, PAPER_SCALE_MARKER_MM
    from posture_cam.calibration.target import CHECK_SQUARE_MM
    from posture_cam.errors import InputError

    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        raise InputError(out, _("target must be a .pdf file"), _("e.g. --out target.pdf"))
    if not out.parent.exists():
        raise InputError(
            out.parent, _("folder does not exist"), _("create it or choose another --out")
        )
    from posture_cam.calibration.pdf_target import write_target_pdf

    write_target_pdf(out, args.paper)
    spec = PAPER_BOARDS[args.paper]
    print(
        _(
            "wrote {file} ({paper} landscape: ChArUco {columns}x{rows} board, {square} mm squares, "
            "{check} mm check square, {marker} mm scale marker); print at 100 % / actual size"
        ).format(
            file=out,
            paper=args.paper,
            columns=spec.squares_x,
            rows=spec.squares_y,
            square=format_number(spec.square_mm, 1),
            check=format_number(CHECK_SQUARE_MM, 1),
            marker=format_number(PAPER_SCALE_MARKER_MM[args.paper], 0),
        )
    )
    return 0
