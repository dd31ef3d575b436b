"""A PoseLandmarker ``.task`` bundle from a pose detector and a raw landmark model.

The legacy pose landmark models (``pose_landmark_full.tflite`` in the mediapipe wheel,
``pose_landmark_heavy.tflite`` in the ``@mediapipe/pose`` npm package) have no TFLite
metadata, and the Tasks API needs an input NormalizationOptions entry to convert the RGB
image to the model's [0, 1] float input. We attach that metadata (mean 0, std 255) with
the flatbuffer schemas that the *installed* mediapipe ships, zip it uncompressed with the
detector and install the result (validated, atomic rename, sha256 sidecar). Used by
:mod:`posture_cam.pose.model.build` and :mod:`posture_cam.pose.model.build_heavy`.
"""

from __future__ import annotations

import contextlib
import sys
import time
import zipfile
from pathlib import Path

from posture_cam.atomic import output_error, temp_path_for
from posture_cam.errors import ModelError
from posture_cam.i18n import _, fmt
from posture_cam.pose.model import files

#: Metadata the Tasks API reads from the landmark model.
_METADATA_NAME = "TFLITE_METADATA"
_METADATA_IDENTIFIER = b"M001"
_TFLITE_IDENTIFIER = b"TFL3"
# The metadata only uses features of the first metadata schema release (ImageProperties,
# NormalizationOptions), so parser 1.0.0 suffices; the official models say the same.
_MIN_PARSER_VERSION = "1.0.0"
#: Output tensors of the legacy landmark models (full and heavy alike), in order, named
#: as in the official bundle.
_LANDMARK_OUTPUT_NAMES = (
    "landmarks",
    "presence",
    "segmentation_mask",
    "heat_map",
    "world_landmarks",
)


def say(message: str) -> None:
    """One progress line on stderr."""
    print(f"posture-cam: {message}", file=sys.stderr, flush=True)


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


def assemble_bundle(
    file_name: str, detector: bytes, landmarks_raw: bytes, dest: Path, start_s: float
) -> Path:
    """Add the metadata to the landmark model, zip both into ``dest / file_name`` and
    install it (validated, atomic rename, sha256 sidecar)."""
    try:
        landmarks = attach_metadata(landmarks_raw, landmark_metadata())
    except (ValueError, IndexError, ImportError) as exc:
        raise ModelError(
            _("could not add metadata to the landmark model: {exc}").format(exc=exc)
        ) from None
    members = {"pose_detector.tflite": detector, "pose_landmarks_detector.tflite": landmarks}
    target = dest / file_name
    tmp = temp_path_for(target)
    try:
        try:
            write_bundle(tmp, members)
        except OSError as exc:  # disk full, read-only
            raise output_error(target, exc) from None
        files.install_file(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    size_mb = target.stat().st_size / 1e6
    say(
        fmt(
            _("built {path} ({size_mb:.1f} MB) in {seconds:.1f} s"),
            path=target,
            size_mb=size_mb,
            seconds=time.monotonic() - start_s,
        )
    )
    return target
