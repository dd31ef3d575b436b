"""The pose model catalogue and the checks on a model bundle file (no network, no MediaPipe).

The catalogue (``catalogue.json`` beside this module, shipped as package data) names
the variants, their official addresses and accepted sizes, and the recipe of the offline
build. Used by ``store`` (find, download) and ``build`` (offline build).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import zipfile
from importlib import resources
from pathlib import Path
from typing import Any

from posture_cam.atomic import output_error, write_text_atomic
from posture_cam.errors import ModelError
from posture_cam.i18n import _

#: Members every PoseLandmarker bundle must contain.
BUNDLE_MEMBERS = ("pose_detector.tflite", "pose_landmarks_detector.tflite")
_CHUNK_BYTES = 256 * 1024
#: FlatBuffers file identifier of a TFLite model, at byte offset 4.
_TFLITE_IDENTIFIER = b"TFL3"


@dataclasses.dataclass(frozen=True)
class ModelVariant:
    """One entry of the model catalogue.

    Attributes:
        name: Variant id (``lite``, ``full``, ``heavy``).
        file_name: Bundle file name, e.g. ``pose_landmarker_full.task``.
        url: Official download address.
        approx_size_bytes: Typical size, for display.
        min_size_bytes: Smallest size accepted for a download.
        max_size_bytes: Largest size accepted for a download.
        offline_build: Whether ``build`` can build it without MediaPipe's storage.
    """

    name: str
    file_name: str
    url: str
    approx_size_bytes: int
    min_size_bytes: int
    max_size_bytes: int
    offline_build: bool


@functools.cache
def _catalogue_data() -> dict[str, Any]:
    text = resources.files("posture_cam.pose.model").joinpath("catalogue.json").read_text("utf-8")
    return json.loads(text)


def catalogue() -> dict[str, ModelVariant]:
    """The known model variants, keyed by name, in catalogue order (lite, full, heavy)."""
    return {
        name: ModelVariant(name=name, **entry)
        for name, entry in _catalogue_data()["variants"].items()
    }


def offline_build_spec() -> dict[str, Any]:
    """The catalogue's recipe for the offline build (wheel, members, hashes)."""
    return _catalogue_data()["offline_build"]


def heavy_build_spec() -> dict[str, Any]:
    """The catalogue's recipe for the offline build of the heavy bundle (npm package)."""
    return _catalogue_data()["offline_build_heavy"]


def get_variant(variant: str) -> ModelVariant:
    """Look up a variant by name.

    Raises:
        ModelError: The name is not in the catalogue.
    """
    variants = catalogue()
    if variant not in variants:
        raise ModelError(
            _("unknown pose model variant {variant!r}: choose one of {variants}").format(
                variant=variant, variants=", ".join(variants)
            )
        )
    return variants[variant]


def validate_bundle(path: str | Path, *, origin: str = "") -> Path:
    """Check that ``path`` is a PoseLandmarker bundle without loading MediaPipe.

    A bundle is a zip holding ``pose_detector.tflite`` and
    ``pose_landmarks_detector.tflite``, each starting like a TFLite flatbuffer.

    Args:
        path: The ``.task`` file.
        origin: Where the path came from (e.g. ``"POSTURE_CAM_MODEL"``), for the message.

    Returns:
        The path, as a ``Path``.

    Raises:
        ModelError: Missing, unreadable or not a pose bundle; the message names the file.
    """
    path = Path(path).expanduser()
    where = _(" (given by {origin})").format(origin=origin) if origin else ""
    if not path.is_file():
        raise ModelError(
            _(
                "{path}{where}: pose model file not found; give an existing .task file "
                "or run `posture-cam models fetch`"
            ).format(path=path, where=where)
        )
    try:
        with zipfile.ZipFile(path) as bundle:
            names = set(bundle.namelist())
            missing = [m for m in BUNDLE_MEMBERS if m not in names]
            bad = [
                m
                for m in BUNDLE_MEMBERS
                if m in names and bundle.open(m).read(8)[4:8] != _TFLITE_IDENTIFIER
            ]
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ModelError(
            _(
                "{path}{where}: not a valid pose model bundle ({exc}); use a "
                "pose_landmarker_*.task file or run `posture-cam models fetch`"
            ).format(path=path, where=where, exc=exc)
        ) from None
    if missing or bad:
        problem = f"lacks {', '.join(missing)}" if missing else f"corrupt {', '.join(bad)}"
        raise ModelError(
            _(
                "{path}{where}: not a pose landmarker bundle ({problem}); use a "
                "pose_landmarker_*.task file or run `posture-cam models fetch`"
            ).format(path=path, where=where, problem=problem)
        )
    return path


def recorded_sha256(path: Path) -> str | None:
    """The digest in ``<path>.sha256`` (written when the file was installed), or None."""
    sidecar = path.with_name(path.name + ".sha256")
    try:
        text = sidecar.read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError):
        return None
    return text[0].lower() if text else ""


def cached_problem(path: Path) -> str | None:
    """Why a cached bundle must not be used, or None when it checks out.

    A cached file is checked against the sha256 recorded when it was installed and
    every member's zip CRC is verified, so a flipped byte or a truncated copy is found
    (``validate_bundle`` alone only reads the members' headers).
    """
    try:
        validate_bundle(path)
    except ModelError as exc:
        return str(exc).split(": ", 1)[-1]
    recorded = recorded_sha256(path)
    try:
        if recorded is not None and recorded != sha256_file(path):
            return "its sha256 differs from the one recorded when it was installed"
        with zipfile.ZipFile(path) as bundle:
            bad = bundle.testzip()
        if bad is not None:
            return f"member {bad} fails its checksum"
    except (OSError, zipfile.BadZipFile, EOFError) as exc:
        return f"unreadable ({exc})"
    return None


def sha256_file(path: str | Path) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK_BYTES), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_sha256(path: Path, digest: str | None = None) -> Path:
    """Write ``<path>.sha256`` in ``sha256sum`` format and return its path."""
    digest = digest or sha256_file(path)
    sidecar = path.with_name(path.name + ".sha256")
    write_text_atomic(sidecar, f"{digest}  {path.name}\n", private=False)
    return sidecar


def install_file(tmp: Path, target: Path) -> Path:
    """Validate ``tmp``, fsync it, rename it onto ``target`` and record its sha256.

    ``tmp`` must live in ``target``'s folder so that the rename is atomic.
    """
    validate_bundle(tmp)
    try:
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        # A model is not secret: let other tools read it.
        os.chmod(tmp, 0o644)
        digest = sha256_file(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        raise output_error(target, exc) from None
    write_sha256(target, digest)
    return target
