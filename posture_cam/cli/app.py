"""``posture-cam app``: the live desktop app (also what ``posture-cam`` alone opens).

Qt is imported only when the command runs, so the CLI and the core stay Qt-free.
"""

from __future__ import annotations

import argparse
import os
import sys

from posture_cam.cli.language import add_lang_argument
from posture_cam.cli.marker_args import add_marker_arguments, marker_settings
from posture_cam.config import MEASURED_VIEWS
from posture_cam.errors import PostureCamError
from posture_cam.i18n import _


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "app",
        help=_("open the live desktop app (default when no command is given)"),
        description=(
            _(
                "Live posture view with overlay, metrics, quality checks and snapshots. "
                "Flags override the saved settings for this run."
            )
        ),
    )
    parser.add_argument(
        "--source",
        metavar="SRC",
        default=None,
        help=_("camera index (0, 1 ...), a video file or a photo (default: the saved camera)"),
    )
    parser.add_argument("--model", metavar="PATH", default=None, help=_("pose model .task file"))
    parser.add_argument(
        "--variant",
        choices=("lite", "full", "heavy"),
        default=None,
        help=_("pose model variant to resolve (default: saved setting)"),
    )
    parser.add_argument(
        "--view",
        choices=MEASURED_VIEWS,
        default=None,
        help=_("force the view instead of detecting it"),
    )
    parser.add_argument(
        "--profile", metavar="NAME", default=None, help=_("calibration profile to apply")
    )
    parser.add_argument(
        "--mirror",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=_("show the image mirrored (display only)"),
    )
    add_lang_argument(parser, _("UI language (default: the saved setting)"))
    parser.add_argument(
        "--skeleton-only",
        action="store_true",
        help=_(
            "show only the skeleton, no camera pixels; snapshots are then skeleton-only "
            "too unless --privacy says otherwise"
        ),
    )
    parser.add_argument(
        "--privacy",
        choices=("none", "blur_face", "skeleton_only"),
        default=None,
        help=_("privacy of exported snapshots"),
    )
    parser.add_argument(
        "--data-folder", metavar="DIR", default=None, help=_("folder for snapshot sessions")
    )
    parser.add_argument("--fullscreen", action="store_true", help=_("start in full screen"))
    # The stickers placed today (Settings -> Skin markers... in the window).
    add_marker_arguments(parser, points=False)
    parser.set_defaults(func=run)


def check_display(environ: dict[str, str] | None = None, platform: str | None = None) -> None:
    """Fail with one clear line instead of a Qt abort when there is no screen (Linux)."""
    env = os.environ if environ is None else environ
    platform = platform or sys.platform
    if not platform.startswith("linux") or env.get("QT_QPA_PLATFORM"):
        return
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        raise PostureCamError(
            _(
                "no display found: start posture-cam from a desktop session (or a virtual "
                "screen: `xvfb-run posture-cam`); without a screen, analyse photos and videos "
                "with `posture-cam analyze PATH`"
            )
        )


def run(args: argparse.Namespace) -> int:
    check_display()
    # Before any thread of the app exists (they inherit it): the model's process gets
    # a CPU of its own, the app's threads the others (POSTURE_CAM_PIN_CPUS=0: off).
    from posture_cam.runtime.cpu_placement import place_live_app

    place_live_app()
    if getattr(args, "choose_mode", False):
        from posture_cam.ui.home.first_start import choose_mode

        if choose_mode(args.lang) == "home":
            from posture_cam.ui.home.start import run_home

            return run_home(
                source=args.source,
                language=args.lang,
                model_path=args.model,
                skeleton_only=args.skeleton_only,
                fullscreen=args.fullscreen,
            )
    config, settings = overrides(args)
    start_model_early(config)
    from posture_cam.ui.app import run_app

    return run_app(
        args.source,
        config_overrides=config,
        settings_overrides=settings,
        fullscreen=args.fullscreen,
    )


def start_model_early(config_overrides: dict[str, object]) -> None:
    """Start the pose model's process now, so that importing MediaPipe and loading the
    model overlap the seconds Qt and the window take to start (the live loop adopts
    it; a different saved variant is re-opened there)."""
    from posture_cam.app_settings import load_settings_checked
    from posture_cam.config import PipelineConfig
    from posture_cam.pose.process import start_early_for

    variant = load_settings_checked()[0].model_variant
    fields = {k: v for k, v in config_overrides.items() if k in ("model_path", "model_variant")}
    start_early_for(PipelineConfig(**{"model_variant": variant, **fields}))  # type: ignore[arg-type]


def overrides(args: argparse.Namespace) -> tuple[dict[str, object], dict[str, object]]:
    """The pipeline-config and app-settings fields the command-line flags set."""
    config: dict[str, object] = {}
    if args.model:
        config["model_path"] = args.model
    if args.variant:
        config["model_variant"] = args.variant
    if args.view:
        config["view"] = args.view
    if args.profile:
        config["profile"] = args.profile
    settings: dict[str, object] = {}
    if args.mirror is not None:
        settings["mirror"] = args.mirror
    if args.lang:
        settings["language"] = args.lang
    if args.skeleton_only:
        settings["display_skeleton_only"] = True
        # Who hides the camera image on screen does not want it in the files either.
        settings["export_privacy"] = "skeleton_only"
    if args.privacy:
        settings["export_privacy"] = args.privacy
    if args.data_folder:
        settings["data_folder"] = args.data_folder
    if args.variant:
        settings["model_variant"] = args.variant
    if args.markers or args.marker_colour is not None:
        # Checked as `analyze` checks them (one clear line, exit 2) before Qt starts;
        # the colour stays the saved one unless given.
        chosen = marker_settings(args)
        fields: dict[str, object] = {"markers": chosen.markers}
        if args.marker_colour is not None:
            fields["marker_colour"] = chosen.colour
        config.update(fields)
        settings.update(fields)
    return config, settings
