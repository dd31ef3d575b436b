"""The hand-written ONNX protobuf: varints, and a tiny model OpenCV's DNN module runs."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from posture_cam.pose.model import onnx_writer as ox


def test_varints_follow_the_protobuf_encoding():
    assert ox._varint(1) == b"\x01"
    assert ox._varint(300) == b"\xac\x02"
    assert ox._varint(-1) == b"\xff" * 9 + b"\x01"  # int64 two's complement: ten bytes


def test_a_tiny_model_runs_in_opencv():
    bias = np.arange(3, dtype="<f4").reshape(1, 3, 1, 1)
    nodes = [
        ox.node("Add", ["x", "b"], ["y"], "add"),
        ox.node("Clip", ["y", "lo", "hi"], ["z"], "clip"),
    ]
    inits = [
        ox.tensor("b", bias),
        ox.tensor("lo", np.array(0.0, "<f4")),
        ox.tensor("hi", np.array(2.5, "<f4")),
    ]
    model = ox.model(
        nodes, inits, [ox.value_info("x", (1, 3, 2, 2))], [ox.value_info("z", (1, 3, 2, 2))]
    )
    net = cv2.dnn.readNetFromONNX(np.frombuffer(model, np.uint8))
    x = np.full((1, 3, 2, 2), 0.75, np.float32)
    net.setInput(x)
    assert np.allclose(net.forward("z"), np.clip(x + bias, 0.0, 2.5))


def test_only_float32_and_int64_tensors():
    with pytest.raises(KeyError):
        ox.tensor("t", np.zeros(2, np.float64))
