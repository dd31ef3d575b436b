"""Offline build of ``pose_landmarker_full.task`` from the ``mediapipe==0.10.21`` wheel.

MediaPipe's model storage is not reachable everywhere, but PyPI usually is. The 0.10.21
wheel still ships the legacy pose graphs' TFLite models:

* ``mediapipe/modules/pose_detection/pose_detection.tflite`` - used unchanged (it already
  carries TFLite metadata) as ``pose_detector.tflite``;
* ``mediapipe/modules/pose_landmark/pose_landmark_full.tflite`` - has no TFLite metadata,
  and the Tasks API needs an input NormalizationOptions entry to convert the RGB image to
  the model's [0, 1] float input. We attach that metadata (mean 0, std 255) with the
  flatbuffer schemas that the *installed* mediapipe ships, and store the result as
  ``pose_landmarks_detector.tflite``.

Both go, uncompressed, into a zip: the ``.task`` bundle. The wheel's member hashes are
checked against the catalogue so that a different wheel cannot slip through. The tflite
files are platform independent, so the wheel for any platform will do: we ask pip for
the cp312 manylinux_2_28_x86_64 one, which exists whatever the host (there is no cp313
0.10.21 wheel at all).
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
from pathlib import Path

from posture_cam import paths
from posture_cam.atomic import ensure_dir, output_error, remove_stale_temps, temp_path_for
from posture_cam.errors import ModelError
from posture_cam.i18n import _, fmt
from posture_cam.pose import model_files

MP_WHEEL_ENV = "POSTURE_CAM_MP_WHEEL"
VARIANT = "full"
#: pip's own socket timeout and the whole download's limit.
PIP_TIMEOUT_S = 10
PIP_TOTAL_TIMEOUT_S = 600
#: Metadata the Tasks API reads from the landmark model.
_METADATA_NAME = "TFLITE_METADATA"
_METADATA_IDENTIFIER = b"M001"
_TFLITE_IDENTIFIER = b"TFL3"
# The metadata only uses features of the first metadata schema release (ImageProperties,
# NormalizationOptions), so parser 1.0.0 suffices; the official models say the same.
_MIN_PARSER_VERSION = "1.0.0"
#: Output tensors of pose_landmark_full.tflite, in order (as in the official bundle).
_LANDMARK_OUTPUT_NAMES = (
    "landmarks",
    "presence",
    "segmentation_mask",
    "heat_map",
    "world_landmarks",
)


def _say(message: str) -> None:
    print(f"posture-cam: {message}", file=sys.stderr, flush=True)


def pip_download_command(dest_dir: str | Path) -> list[str]:
    """The ``pip download`` command line that fetches the 0.10.21 wheel into ``dest_dir``."""
    spec = model_files.offline_build_spec()
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
    from posture_cam import no_telemetry

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


def find_local_wheel() -> Path | None:
    """The wheel named by ``POSTURE_CAM_MP_WHEEL`` or lying in a search folder, else None.

    Raises:
        ModelError: ``POSTURE_CAM_MP_WHEEL`` names a file that does not exist.
    """
    env = os.environ.get(MP_WHEEL_ENV)
    if env:
        wheel = Path(env).expanduser()
        if not wheel.is_file():
            raise ModelError(
                _(
                    "{wheel}: wheel not found (from {MP_WHEEL_ENV}); point it at a "
                    "mediapipe-0.10.21-*.whl or unset it"
                ).format(wheel=wheel, MP_WHEEL_ENV=MP_WHEEL_ENV)
            )
        return wheel
    pattern = model_files.offline_build_spec()["wheel_glob"]
    for folder in wheel_search_dirs():
        found = sorted(folder.glob(pattern))
        if found:
            return found[0]
    return None


def download_wheel(dest_dir: Path) -> Path:
    """Fetch the 0.10.21 wheel from PyPI with pip into ``dest_dir``.

    Raises:
        ModelError: pip is missing, offline or failed; the message has pip's last line.
    """
    command = pip_download_command(dest_dir)
    _say(
        _("downloading {requirement} from PyPI with pip").format(
            requirement=model_files.offline_build_spec()["requirement"]
        )
    )
    start_s = time.monotonic()
    try:
        result = _run_pip(command)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ModelError(_("pip download failed: {exc}").format(exc=exc)) from None
    if result.returncode != 0:
        lines = [line for line in (result.stderr or result.stdout).splitlines() if line.strip()]
        last = lines[-1].strip() if lines else f"exit code {result.returncode}"
        raise ModelError(
            _("pip download of the mediapipe 0.10.21 wheel failed: {last}").format(last=last)
        )
    found = sorted(dest_dir.glob(model_files.offline_build_spec()["wheel_glob"]))
    if not found:
        raise ModelError(
            _("pip download left no mediapipe 0.10.21 wheel in {dest_dir}").format(
                dest_dir=dest_dir
            )
        )
    size_mb = found[0].stat().st_size / 1e6
    _say(
        fmt(
            _("got {name} ({size_mb:.1f} MB) in {seconds:.1f} s"),
            name=found[0].name,
            size_mb=size_mb,
            seconds=time.monotonic() - start_s,
        )
    )
    return found[0]


def extract_sources(wheel: Path) -> dict[str, bytes]:
    """Read both pose models from the wheel and check them against the catalogue hashes.

    Returns:
        ``{bundle member name: raw tflite bytes}``.

    Raises:
        ModelError: Not a zip, a member missing, or a hash mismatch.
    """
    sources = model_files.offline_build_spec()["sources"]
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


def landmark_metadata() -> bytes:
    """The ``ModelMetadata`` flatbuffer for pose_landmark_full.tflite.

    One subgraph; the input ``image`` is an RGB image normalised as (x - 0) / 255, i.e.
    to [0, 1]; the five outputs are named as in the official bundle.
    """
    import flatbuffers
    from mediapipe.tasks.metadata import metadata_schema_py_generated as meta_fb

    def tensor(name: str) -> meta_fb.TensorMetadataT:
        item = meta_fb.TensorMetadataT()
        item.name = name
        return item

    image_props = meta_fb.ImagePropertiesT()
    image_props.colorSpace = meta_fb.ColorSpaceType.RGB
    content = meta_fb.ContentT()
    content.contentPropertiesType = meta_fb.ContentProperties.ImageProperties
    content.contentProperties = image_props

    norm = meta_fb.NormalizationOptionsT()
    # One value applies to all three channels (the Tasks API broadcasts it).
    norm.mean = [0.0]
    norm.std = [255.0]
    unit = meta_fb.ProcessUnitT()
    unit.optionsType = meta_fb.ProcessUnitOptions.NormalizationOptions
    unit.options = norm

    image = tensor("image")
    image.content = content
    image.processUnits = [unit]

    subgraph = meta_fb.SubGraphMetadataT()
    subgraph.inputTensorMetadata = [image]
    subgraph.outputTensorMetadata = [tensor(name) for name in _LANDMARK_OUTPUT_NAMES]

    model_meta = meta_fb.ModelMetadataT()
    model_meta.name = "Pose Landmark"
    model_meta.subgraphMetadata = [subgraph]
    model_meta.minParserVersion = _MIN_PARSER_VERSION

    builder = flatbuffers.Builder(0)
    builder.Finish(model_meta.Pack(builder), _METADATA_IDENTIFIER)
    return bytes(builder.Output())


def attach_metadata(model_bytes: bytes, metadata: bytes) -> bytes:
    """Return the TFLite model with ``metadata`` stored as its ``TFLITE_METADATA`` buffer.

    Same layout as mediapipe's ``MetadataPopulator`` (whose module does not import in
    current mediapipe wheels): a new buffer holds the metadata, and a ``Model.metadata``
    entry named ``TFLITE_METADATA`` points at it. An existing entry is replaced.
    """
    import flatbuffers
    from mediapipe.tasks.metadata import schema_py_generated as tflite_fb

    model = tflite_fb.ModelT.InitFromObj(tflite_fb.Model.GetRootAsModel(model_bytes, 0))
    buffer = tflite_fb.BufferT()
    buffer.data = bytearray(metadata)
    model.metadata = model.metadata or []
    model.buffers = model.buffers or []
    for entry in model.metadata:
        if entry.name.decode("utf-8") == _METADATA_NAME:
            model.buffers[entry.buffer] = buffer
            break
    else:
        model.buffers.append(buffer)
        entry = tflite_fb.MetadataT()
        entry.name = _METADATA_NAME
        entry.buffer = len(model.buffers) - 1
        model.metadata.append(entry)
    builder = flatbuffers.Builder(0)
    builder.Finish(model.Pack(builder), _TFLITE_IDENTIFIER)
    return bytes(builder.Output())


def write_bundle(path: Path, members: dict[str, bytes]) -> None:
    """Zip ``members`` uncompressed (MediaPipe maps them in place) into ``path``.

    Uses mediapipe's own aligned zip writer; entries get a fixed timestamp so that the
    same inputs always give the same bytes (and sha256).
    """
    from mediapipe.tasks.python.metadata.metadata_writers import model_asset_bundle_utils

    with model_asset_bundle_utils.AlignZipFile(path, mode="w", alignment=4) as bundle:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 31, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            bundle.writestr(info, data)


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
    spec = model_files.get_variant(VARIANT)
    dest = Path(dest_dir) if dest_dir is not None else paths.models_dir()
    ensure_dir(dest, private=False)
    remove_stale_temps(dest)  # wheel folders and bundles of a killed earlier build
    start_s = time.monotonic()
    # The wheel folder lives beside the model under a temporary name, not in /tmp: a
    # killed build leaves it where the next build finds and removes it.
    with _temp_dir(dest / "mediapipe-wheel") as tmp_dir:
        wheel_path = Path(wheel) if wheel is not None else find_local_wheel()
        if wheel_path is None:
            if not allow_network:
                raise ModelError(
                    _(
                        "offline build needs the mediapipe 0.10.21 wheel: set {MP_WHEEL_ENV} to "
                        "its path or allow network access"
                    ).format(MP_WHEEL_ENV=MP_WHEEL_ENV)
                )
            wheel_path = download_wheel(Path(tmp_dir))
        _say(_("building {model} from {wheel}").format(model=spec.file_name, wheel=wheel_path.name))
        sources = extract_sources(wheel_path)
    try:
        landmarks = attach_metadata(sources["pose_landmarks_detector.tflite"], landmark_metadata())
    except (ValueError, IndexError, ImportError) as exc:
        raise ModelError(
            _("could not add metadata to the landmark model: {exc}").format(exc=exc)
        ) from None
    members = {
        "pose_detector.tflite": sources["pose_detector.tflite"],
        "pose_landmarks_detector.tflite": landmarks,
    }
    target = dest / spec.file_name
    tmp = temp_path_for(target)
    try:
        try:
            write_bundle(tmp, members)
        except OSError as exc:  # disk full, read-only
            raise output_error(target, exc) from None
        model_files.install_file(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    size_mb = target.stat().st_size / 1e6
    _say(
        fmt(
            _("built {path} ({size_mb:.1f} MB) in {seconds:.1f} s"),
            path=target,
            size_mb=size_mb,
            seconds=time.monotonic() - start_s,
        )
    )
    return target
