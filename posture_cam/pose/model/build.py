"""Offline build of ``pose_landmarker_full.task`` from the ``mediapipe==0.10.21`` wheel.

MediaPipe's model storage is not reachable everywhere, but PyPI usually is. The 0.10.21
wheel still ships the legacy pose graphs' TFLite models:

* ``mediapipe/modules/pose_detection/pose_detection.tflite`` - used unchanged (it already
  carries TFLite metadata) as ``pose_detector.tflite``;
* ``mediapipe/modules/pose_landmark/pose_landmark_full.tflite`` - has no TFLite metadata;
  :mod:`posture_cam.pose.model.bundle` attaches it and stores the result as
  ``pose_landmarks_detector.tflite``.

Both go, uncompressed, into a zip: the ``.task`` bundle. The wheel's member hashes are
checked against the catalogue so that a different wheel cannot slip through. The tflite
files are platform independent, so the wheel for any platform will do: we ask pip for
the cp312 manylinux_2_28_x86_64 one, which exists whatever the host (there is no cp313
0.10.21 wheel at all).

The heavy bundle is built the same way from the heavy landmark model of an npm package
(:mod:`posture_cam.pose.model.build_heavy`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from posture_cam import paths
from posture_cam.atomic import ensure_dir, remove_stale_temps, temp_path_for
from posture_cam.errors import ModelError
from posture_cam.i18n import _, fmt
from posture_cam.pose.model import files
from posture_cam.pose.model.bundle import assemble_bundle, say

MP_WHEEL_ENV = "POSTURE_CAM_MP_WHEEL"
VARIANT = "full"
#: pip's own socket timeout and the whole download's limit.
PIP_TIMEOUT_S = 10
PIP_TOTAL_TIMEOUT_S = 600


def pip_download_command(dest_dir: str | Path) -> list[str]:
    """The ``pip download`` command line that fetches the 0.10.21 wheel into ``dest_dir``."""
    spec = files.offline_build_spec()
    return [
        sys.executable,
        "-m",
        "pip",
        "download",
        spec["requirement"],
        *spec["pip_download_args"],
        "--disable-pip-version-check",
        "--timeout",
        str(PIP_TIMEOUT_S),
        "--retries",
        "1",
        "-d",
        str(dest_dir),
    ]


def _die_with_parent() -> None:
    """In the pip child (Linux): get SIGKILL when the parent dies, even by ``kill -9``,
    so that no orphaned pip finishes a 35 MB download nobody will use."""
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGKILL))


def _run_pip(command: list[str]) -> subprocess.CompletedProcess:
    """The network seam for pip (tests replace it).

    pip gets the user's own proxy settings (not the block that keeps MediaPipe quiet)
    and dies with this process; ``subprocess.run`` kills it on an exception or Ctrl+C.
    """
    from posture_cam.runtime import no_telemetry

    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=PIP_TOTAL_TIMEOUT_S,
        check=False,
        env=no_telemetry.user_env(),
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )


@contextlib.contextmanager
def _temp_dir(base: Path):
    path = temp_path_for(base)
    path.mkdir(mode=0o700)
    try:
        yield str(path)
    finally:
        shutil.rmtree(path, ignore_errors=True)


def wheel_search_dirs() -> list[Path]:
    """Folders where a previously downloaded or hand-copied 0.10.21 wheel is picked up."""
    dirs = [paths.models_dir() / "wheels"]
    repo = paths.repo_models_dir()
    if repo is not None:
        dirs.append(repo / ".cache")
    return dirs


def local_source(
    env_var: str, pattern: str, missing_env_file: Callable[[Path], str]
) -> Path | None:
    """The file named by ``env_var``, else the first ``pattern`` match in a search folder.

    Raises:
        ModelError: ``env_var`` names a file that does not exist (the message is
            ``missing_env_file(path)``).
    """
    env = os.environ.get(env_var)
    if env:
        path = Path(env).expanduser()
        if not path.is_file():
            raise ModelError(missing_env_file(path))
        return path
    for folder in wheel_search_dirs():
        found = sorted(folder.glob(pattern))
        if found:
            return found[0]
    return None


def find_local_wheel() -> Path | None:
    """The wheel named by ``POSTURE_CAM_MP_WHEEL`` or lying in a search folder, else None.

    Raises:
        ModelError: ``POSTURE_CAM_MP_WHEEL`` names a file that does not exist.
    """

    def missing(wheel: Path) -> str:
        return _(
            "{wheel}: wheel not found (from {MP_WHEEL_ENV}); point it at a "
            "mediapipe-0.10.21-*.whl or unset it"
        ).format(wheel=wheel, MP_WHEEL_ENV=MP_WHEEL_ENV)

    return local_source(MP_WHEEL_ENV, files.offline_build_spec()["wheel_glob"], missing)


def last_line(result: subprocess.CompletedProcess) -> str:
    """The last non-empty line a failed pip / npm wrote (or its exit code)."""
    lines = [line for line in (result.stderr or result.stdout).splitlines() if line.strip()]
    return lines[-1].strip() if lines else f"exit code {result.returncode}"


def fetched(dest_dir: Path, pattern: str, start_s: float, nothing: str) -> Path:
    """The file a download left in ``dest_dir`` (``nothing`` is the error when none)."""
    found = sorted(dest_dir.glob(pattern))
    if not found:
        raise ModelError(nothing)
    say(
        fmt(
            _("got {name} ({size_mb:.1f} MB) in {seconds:.1f} s"),
            name=found[0].name,
            size_mb=found[0].stat().st_size / 1e6,
            seconds=time.monotonic() - start_s,
        )
    )
    return found[0]


def download_wheel(dest_dir: Path) -> Path:
    """Fetch the 0.10.21 wheel from PyPI with pip into ``dest_dir``.

    Raises:
        ModelError: pip is missing, offline or failed; the message has pip's last line.
    """
    command = pip_download_command(dest_dir)
    say(
        _("downloading {requirement} from PyPI with pip").format(
            requirement=files.offline_build_spec()["requirement"]
        )
    )
    start_s = time.monotonic()
    try:
        result = _run_pip(command)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ModelError(_("pip download failed: {exc}").format(exc=exc)) from None
    if result.returncode != 0:
        raise ModelError(
            _("pip download of the mediapipe 0.10.21 wheel failed: {last}").format(
                last=last_line(result)
            )
        )
    nothing = _("pip download left no mediapipe 0.10.21 wheel in {dest_dir}").format(
        dest_dir=dest_dir
    )
    return fetched(dest_dir, files.offline_build_spec()["wheel_glob"], start_s, nothing)


def extract_sources(wheel: Path) -> dict[str, bytes]:
    """Read both pose models from the wheel and check them against the catalogue hashes.

    Returns:
        ``{bundle member name: raw tflite bytes}``.

    Raises:
        ModelError: Not a zip, a member missing, or a hash mismatch.
    """
    sources = files.offline_build_spec()["sources"]
    out: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(wheel) as whl:
            for bundle_name, src in sources.items():
                data = whl.read(src["wheel_member"])
                if hashlib.sha256(data).hexdigest() != src["sha256"]:
                    raise ModelError(
                        _(
                            "{wheel}: {src} differs from the expected mediapipe 0.10.21 file; use "
                            "the official wheel from PyPI"
                        ).format(wheel=wheel, src=src["wheel_member"])
                    )
                out[bundle_name] = data
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise ModelError(
            _(
                "{wheel}: not a usable mediapipe 0.10.21 wheel ({exc}); delete it or "
                "point {MP_WHEEL_ENV} at the official wheel"
            ).format(wheel=wheel, exc=exc, MP_WHEEL_ENV=MP_WHEEL_ENV)
        ) from None
    return out


def obtain(
    given: str | Path | None,
    find_local: Callable[[], Path | None],
    download: Callable[[Path], Path],
    tmp_dir: Path,
    allow_network: bool,
    offline_message: str,
) -> Path:
    """A build input: ``given``, else ``find_local()``, else ``download(tmp_dir)``.

    Raises:
        ModelError: ``offline_message`` when nothing is local and the network is off.
    """
    if given is not None:
        return Path(given)
    local = find_local()
    if local is not None:
        return local
    if not allow_network:
        raise ModelError(offline_message)
    return download(tmp_dir)


def get_wheel(tmp_dir: Path, wheel: str | Path | None, allow_network: bool) -> Path:
    """The 0.10.21 wheel: ``wheel``, a local one (``find_local_wheel``), else pip's."""
    offline = _(
        "offline build needs the mediapipe 0.10.21 wheel: set {MP_WHEEL_ENV} to "
        "its path or allow network access"
    ).format(MP_WHEEL_ENV=MP_WHEEL_ENV)
    return obtain(wheel, find_local_wheel, download_wheel, tmp_dir, allow_network, offline)


@contextlib.contextmanager
def build_folder(dest: Path):
    """A temporary folder beside the model for downloads, not in /tmp: a killed build
    leaves it where the next build finds and removes it."""
    ensure_dir(dest, private=False)
    remove_stale_temps(dest)  # wheel folders and bundles of a killed earlier build
    with _temp_dir(dest / "mediapipe-wheel") as tmp_dir:
        yield Path(tmp_dir)


def build_full_model(
    dest_dir: str | Path | None = None,
    *,
    wheel: str | Path | None = None,
    allow_network: bool = True,
) -> Path:
    """Build ``pose_landmarker_full.task`` offline into ``dest_dir`` (default user cache).

    Args:
        dest_dir: Target folder; default ``paths.models_dir()``.
        wheel: The mediapipe 0.10.21 wheel; default ``POSTURE_CAM_MP_WHEEL``, a wheel in
            ``wheel_search_dirs()``, else one downloaded with pip into a temp folder.
        allow_network: Allow the pip download when no local wheel is found.

    Returns:
        Path of the validated bundle (its sha256 is in ``<file>.sha256``).

    Raises:
        ModelError: No wheel, a bad wheel or a failed build; one actionable line.
    """
    spec = files.get_variant(VARIANT)
    dest = Path(dest_dir) if dest_dir is not None else paths.models_dir()
    start_s = time.monotonic()
    with build_folder(dest) as tmp_dir:
        wheel_path = get_wheel(tmp_dir, wheel, allow_network)
        say(_("building {model} from {wheel}").format(model=spec.file_name, wheel=wheel_path.name))
        sources = extract_sources(wheel_path)
    return assemble_bundle(
        spec.file_name,
        sources["pose_detector.tflite"],
        sources["pose_landmarks_detector.tflite"],
        dest,
        start_s,
    )
