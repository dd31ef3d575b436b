"""Write a small ONNX model without the ``onnx`` package: the protobuf wire format by hand.

Only what :mod:`posture_cam.pose.model.movenet_build` needs: float32 / int64
initializers, nodes with float, int, string and int-list attributes, float32 graph
inputs and outputs with fixed shapes, one opset of the default domain. The field numbers
are those of ONNX's ``onnx.proto`` (ModelProto, GraphProto, NodeProto, AttributeProto,
TensorProto, ValueInfoProto, TypeProto). OpenCV's DNN module reads the result.

Every function returns the serialised message as ``bytes``; a message is embedded in
its parent as a length-delimited field, so the pieces nest by concatenation.
"""

from __future__ import annotations

import struct

import numpy as np

#: TensorProto.DataType values.
FLOAT, INT64 = 1, 7
#: AttributeProto.AttributeType values.
_ATTR_FLOAT, _ATTR_INT, _ATTR_STRING, _ATTR_INTS = 1, 2, 3, 7
IR_VERSION = 7
#: ModelProto.producer_name: still the bench's, so that the file is byte for byte the one
#: measured in docs/metrics.md (its sha256 is recorded in the tests).
PRODUCER = "posture_cam bench"

#: A node attribute's value: float, int, string or a list of ints.
AttributeValue = float | int | str | list[int]


def _varint(n: int) -> bytes:
    n &= (1 << 64) - 1  # negative int64: two's complement, ten bytes
    out = bytearray()
    while True:
        low, n = n & 0x7F, n >> 7
        out.append(low | 0x80 if n else low)
        if not n:
            return bytes(out)


def _int(field: int, n: int) -> bytes:
    return _varint(field << 3) + _varint(n)


def _bytes(field: int, data: bytes | str) -> bytes:
    raw = data.encode() if isinstance(data, str) else data
    return _varint(field << 3 | 2) + _varint(len(raw)) + raw


def _float(field: int, x: float) -> bytes:
    return _varint(field << 3 | 5) + struct.pack("<f", x)


def tensor(name: str, array: np.ndarray) -> bytes:
    """A TensorProto holding ``array`` as raw little-endian data.

    Args:
        name: The initializer's name, as nodes refer to it.
        array: float32 (``<f4``) or int64 (``<i8``) values of any shape.

    Raises:
        KeyError: Another dtype.
    """
    array = np.ascontiguousarray(array)
    kind = {np.dtype("<f4"): FLOAT, np.dtype("<i8"): INT64}[array.dtype]
    dims = b"".join(_int(1, d) for d in array.shape)
    return dims + _int(2, kind) + _bytes(8, name) + _bytes(9, array.tobytes())


def _attribute(name: str, value: AttributeValue) -> bytes:
    if isinstance(value, float):
        return _bytes(1, name) + _float(2, value) + _int(20, _ATTR_FLOAT)
    if isinstance(value, int):
        return _bytes(1, name) + _int(3, value) + _int(20, _ATTR_INT)
    if isinstance(value, str):
        return _bytes(1, name) + _bytes(4, value) + _int(20, _ATTR_STRING)
    return _bytes(1, name) + b"".join(_int(8, v) for v in value) + _int(20, _ATTR_INTS)


def node(
    op: str, inputs: list[str], outputs: list[str], name: str, **attrs: AttributeValue
) -> bytes:
    """A NodeProto of the default domain.

    Args:
        op: The ONNX operator (``Conv``, ``Add``, ...).
        inputs: Tensor names; ``""`` is an omitted optional input.
        outputs: Tensor names.
        name: The node's name.
        **attrs: The operator's attributes.
    """
    out = b"".join(_bytes(1, i) for i in inputs) + b"".join(_bytes(2, o) for o in outputs)
    out += _bytes(3, name) + _bytes(4, op)
    return out + b"".join(_bytes(5, _attribute(k, v)) for k, v in attrs.items())


def value_info(name: str, shape: tuple[int, ...]) -> bytes:
    """A float32 ValueInfoProto (a graph input or output) of a fixed shape."""
    dims = b"".join(_bytes(1, _int(1, d)) for d in shape)
    return _bytes(1, name) + _bytes(2, _bytes(1, _int(1, FLOAT) + _bytes(2, dims)))


def model(
    nodes: list[bytes],
    initializers: list[bytes],
    inputs: list[bytes],
    outputs: list[bytes],
    opset: int = 13,
    name: str = "graph",
) -> bytes:
    """A serialised ModelProto: one graph of ``nodes`` (in topological order) with its
    ``initializers`` (:func:`tensor`), ``inputs`` and ``outputs`` (:func:`value_info`),
    using ``opset`` of the default domain."""
    graph = b"".join(_bytes(1, n) for n in nodes) + _bytes(2, name)
    graph += b"".join(_bytes(5, t) for t in initializers)
    graph += b"".join(_bytes(11, i) for i in inputs) + b"".join(_bytes(12, o) for o in outputs)
    opset_id = _bytes(1, "") + _int(2, opset)
    return _int(1, IR_VERSION) + _bytes(2, PRODUCER) + _bytes(7, graph) + _bytes(8, opset_id)
