"""Writes small binary ONNX models for the importer's lit tests.

python3 make_onnx.py KIND OUT.onnx

The protobuf wire format is encoded by hand so the tests need neither the
onnx Python package nor protoc. KIND is one of:
  relu      float[2,3] X -> Relu -> Y, one 96-element initializer added to it
"""
import struct
import sys


def varint(n):
    out = bytearray()
    n &= (1 << 64) - 1
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def key(num, wire):
    return varint(num << 3 | wire)


def vint(num, n):
    return key(num, 0) + varint(n)


def blob(num, payload):
    if isinstance(payload, str):
        payload = payload.encode()
    return key(num, 2) + varint(len(payload)) + payload


def tensor_type(elem, dims):
    shape = b"".join(blob(1, vint(1, d)) for d in dims)
    return blob(1, vint(1, elem) + blob(2, shape))


def value_info(name, elem, dims):
    return blob(1, name) + blob(2, tensor_type(elem, dims))


def node(op, inputs, outputs, name):
    return (b"".join(blob(1, i) for i in inputs) +
            b"".join(blob(2, o) for o in outputs) + blob(3, name) +
            blob(4, op))


def relu_model():
    weights = struct.pack("<96f", *[float(i) for i in range(96)])
    init = b"".join(vint(1, d) for d in (32, 3)) + vint(2, 1) + \
        blob(8, "W") + blob(9, weights)
    graph = (blob(1, node("Relu", ["X"], ["R"], "relu1")) +
             blob(1, node("Add", ["R", "W"], ["Y"], "add1")) +
             blob(2, "g") + blob(5, init) +
             blob(11, value_info("X", 1, [32, 3])) +
             blob(12, value_info("Y", 1, [32, 3])))
    return (vint(1, 8) + blob(2, "make_onnx") + blob(7, graph) +
            blob(8, blob(1, "") + vint(2, 13)))


def main():
    kind, out = sys.argv[1], sys.argv[2]
    models = {"relu": relu_model}
    with open(out, "wb") as f:
        f.write(models[kind]())


if __name__ == "__main__":
    main()
