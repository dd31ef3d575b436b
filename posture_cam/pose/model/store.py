"""Pose model resolution, download and cache.

``resolve_model`` finds a MediaPipe PoseLandmarker bundle (``.task``) in this order:

1. an explicit path (``--model PATH``): must exist and be a valid bundle;
2. the environment variable ``POSTURE_CAM_MODEL``: same rules;
3. a cached copy in the user data dir (``paths.models_dir()``) or in the checkout's
   top-level ``models/`` folder;
4. the official download from MediaPipe's model storage (streamed, size-checked,
   validated, renamed atomically into the cache, sha256 recorded beside it);
5. for the *full* variant, an offline build from the pose models inside the
   ``mediapipe==0.10.21`` wheel (``posture_cam.pose.model.build``). The heavy variant
   is built offline only on request (``posture-cam models fetch heavy``): that build
   needs npm as well and about 80 MB of downloads.

The catalogue and the checks on a bundle file live in ``posture_cam.pose.model.files``,
which both this module and ``build`` use (so neither imports the other's caller).
Steps 1-3 never touch the network. Every network access goes through ``_urlopen``
(and pip in ``build``), so tests can forbid it by monkeypatching those seams.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.error import HTTPError, URLError

from posture_cam import paths
from posture_cam.atomic import ensure_dir, output_error, remove_stale_temps, temp_path_for
from posture_cam.errors import ModelError
from posture_cam.i18n import _
from posture_cam.pose.model import build
from posture_cam.pose.model.files import (
    ModelVariant,
    cached_problem,
    get_variant,
    install_file,
    validate_bundle,
)

MODEL_ENV = "POSTURE_CAM_MODEL"
DEFAULT_VARIANT = "full"
#: Socket timeout for each connect/read: short, so offline users are not kept waiting.
NETWORK_TIMEOUT_S = 10.0
_CHUNK_BYTES = 256 * 1024

#: ``progress(done_bytes, total_bytes_or_None)`` while downloading.
ProgressFn = Callable[[int, "int | None"], None]


def _urlopen(url: str, timeout: float):
    """The network seam (tests replace it to prove no request is made). Uses the
    user's own proxy settings, not the block that keeps MediaPipe offline."""
    from urllib.request import ProxyHandler, build_opener

    from posture_cam.runtime import no_telemetry

    return build_opener(ProxyHandler(no_telemetry.user_proxies())).open(url, timeout=timeout)


def cache_dirs() -> list[Path]:
    """Folders searched for cached models: the user data dir, then the checkout's models/."""
    dirs = [paths.models_dir()]
    repo = paths.repo_models_dir()
    if repo is not None and repo.resolve() != dirs[0].resolve():
        dirs.append(repo)
    return dirs


def find_cached(variant: str = DEFAULT_VARIANT) -> Path | None:
    """The first valid cached bundle of ``variant``, or None. Never touches the network."""
    spec = get_variant(variant)
    for folder in cache_dirs():
        candidate = folder / spec.file_name
        if candidate.is_file() and cached_problem(candidate) is None:
            return candidate
    return None


def corrupt_cached(variant: str = DEFAULT_VARIANT) -> list[tuple[Path, str]]:
    """Cached files of ``variant`` that fail their check: ``(path, problem)``."""
    spec = get_variant(variant)
    found = []
    for folder in cache_dirs():
        candidate = folder / spec.file_name
        if candidate.is_file():
            problem = cached_problem(candidate)
            if problem is not None:
                found.append((candidate, problem))
    return found


def stderr_progress(label: str) -> ProgressFn | None:
    """A one-line progress bar on stderr, or None when stderr is not a terminal."""
    if not sys.stderr.isatty():
        return None
    last_s = [0.0]

    def show(done_bytes: int, total_bytes: int | None) -> None:
        now_s = time.monotonic()
        finished = total_bytes is not None and done_bytes >= total_bytes
        if now_s - last_s[0] < 0.1 and not finished:
            return
        last_s[0] = now_s
        mb = done_bytes / 1e6
        if total_bytes:
            pct = 100 * done_bytes / total_bytes
            bar = "#" * int(pct / 5)
            text = f"\r{label} [{bar:<20}] {pct:5.1f}% {mb:.1f}/{total_bytes / 1e6:.1f} MB"
        else:
            text = f"\r{label} {mb:.1f} MB"
        sys.stderr.write(text + ("\n" if finished else ""))
        sys.stderr.flush()

    return show


def download_model(
    variant: str = DEFAULT_VARIANT,
    dest_dir: str | Path | None = None,
    *,
    progress: ProgressFn | None = None,
    timeout_s: float = NETWORK_TIMEOUT_S,
) -> Path:
    """Download the official bundle of ``variant`` into ``dest_dir`` (default: user cache).

    The file is streamed to a temporary file beside the target, its size checked against
    the catalogue, validated as a bundle, renamed atomically, and its sha256 written to
    ``<file>.sha256``.

    Args:
        variant: Catalogue variant name.
        dest_dir: Target folder; default ``paths.models_dir()``.
        progress: Called as ``progress(done_bytes, total_bytes_or_None)``; default a
            stderr bar when stderr is a terminal, else silent.
        timeout_s: Socket timeout for connecting and for each read.

    Returns:
        Path of the installed bundle.

    Raises:
        ModelError: Network failure, unexpected size or invalid content (one line).
    """
    spec = get_variant(variant)
    dest = Path(dest_dir) if dest_dir is not None else paths.models_dir()
    ensure_dir(dest, private=False)
    remove_stale_temps(dest)  # what a killed download or build left behind
    target = dest / spec.file_name
    if progress is None:
        progress = stderr_progress(f"Downloading {spec.file_name}")
    tmp = temp_path_for(target)
    try:
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                _stream(spec, out, progress, timeout_s)
        except OSError as exc:  # disk full, read-only: not a network problem
            raise output_error(target, exc) from None
        return install_file(tmp, target)
    except ModelError as exc:
        raise ModelError(
            _("download of {file_name} failed: {exc}").format(file_name=spec.file_name, exc=exc)
        ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _stream(spec: ModelVariant, out, progress: ProgressFn | None, timeout_s: float) -> None:
    """Copy ``spec.url`` into ``out``, enforcing the catalogue's size range."""
    try:
        with _urlopen(spec.url, timeout=timeout_s) as response:
            length = response.headers.get("Content-Length")
            total_bytes = int(length) if length and length.isdigit() else None
            if total_bytes is not None and not (
                spec.min_size_bytes <= total_bytes <= spec.max_size_bytes
            ):
                raise ModelError(
                    _("server announced {total_bytes} bytes, {spec}").format(
                        total_bytes=total_bytes, spec=_expected(spec)
                    )
                )
            done_bytes = 0
            while chunk := response.read(_CHUNK_BYTES):
                done_bytes += len(chunk)
                # Stop early on a runaway response instead of filling the disk.
                if done_bytes > spec.max_size_bytes:
                    raise ModelError(
                        _("more than {max_size_bytes} bytes received").format(
                            max_size_bytes=spec.max_size_bytes
                        )
                    )
                out.write(chunk)
                if progress:
                    progress(done_bytes, total_bytes)
    except (URLError, OSError, ValueError) as exc:
        # HTTPError's str() carries the status code; other URLErrors wrap the socket error.
        reason = exc if isinstance(exc, HTTPError) else getattr(exc, "reason", None) or exc
        raise ModelError(_("{url}: {reason}").format(url=spec.url, reason=reason)) from None
    if done_bytes < spec.min_size_bytes:
        raise ModelError(
            _("received {done_bytes} bytes, {spec}").format(
                done_bytes=done_bytes, spec=_expected(spec)
            )
        )
    if total_bytes is not None and done_bytes != total_bytes:
        raise ModelError(
            _("received {done_bytes} of {total_bytes} bytes (connection cut)").format(
                done_bytes=done_bytes, total_bytes=total_bytes
            )
        )


def _expected(spec: ModelVariant) -> str:
    return f"expected {spec.min_size_bytes}-{spec.max_size_bytes} bytes"


def resolve_model(
    path: str | Path | None = None,
    variant: str = DEFAULT_VARIANT,
    *,
    allow_network: bool = True,
    allow_build: bool = True,
    progress: ProgressFn | None = None,
) -> Path:
    """Find a usable pose model, downloading or building it only when none is present.

    Args:
        path: Explicit ``.task`` file (from ``--model``); wins over everything else.
        variant: Catalogue variant for the env-less, path-less case.
        allow_network: Allow the official download (and pip, for the offline build).
        allow_build: Allow the offline build of the full variant.
        progress: Download progress callback; default a stderr bar on terminals.

    Returns:
        Path of a valid bundle.

    Raises:
        ModelError: No model could be found, downloaded or built; one actionable line.
    """
    if path is not None:
        return validate_bundle(path, origin="--model")
    env_path = os.environ.get(MODEL_ENV)
    if env_path:
        return validate_bundle(env_path, origin=MODEL_ENV)
    spec = get_variant(variant)
    cached = find_cached(variant)
    if cached is not None:
        return cached

    failures = [
        f"cached {path} is corrupt ({problem}); `posture-cam models fetch {variant}` replaces it"
        for path, problem in corrupt_cached(variant)
    ]
    if allow_network:
        try:
            return download_model(variant, progress=progress)
        except ModelError as exc:
            failures.append(str(exc))
            if allow_build and spec.offline_build:
                print(
                    _("posture-cam: {error}; building the {variant} model offline instead").format(
                        error=exc, variant=variant
                    ),
                    file=sys.stderr,
                )
    if allow_build and spec.offline_build:
        try:
            return build.build_full_model(allow_network=allow_network)
        except ModelError as exc:
            failures.append(str(exc))
    detail = f" ({'; '.join(failures)})" if failures else ""
    raise ModelError(
        _(
            "no {file_name} found{detail}: pass --model PATH or set {MODEL_ENV}, or "
            "connect to the internet and run `posture-cam models fetch {variant}`"
        ).format(file_name=spec.file_name, detail=detail, MODEL_ENV=MODEL_ENV, variant=variant)
    )
