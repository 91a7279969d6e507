# Builds a small named chain Conv -> Relu -> Add -> MatMul -> Tanh for the
# npu-bisect tests. The Add node name has a space and a slash on purpose.
import sys, numpy as np, onnx
from onnx import helper as oh, TensorProto as TP, numpy_helper as nh
rng = np.random.default_rng(0)
def init(name, shape):
    return nh.from_array(rng.standard_normal(shape).astype(np.float32) * 0.5, name)
inits = [init("w_conv", (4, 3, 3, 3)), init("b_conv", (4,)), init("bias", (1, 4, 6, 6)),
         init("w_mm", (6, 5))]
nodes = [
    oh.make_node("Conv", ["x", "w_conv", "b_conv"], ["conv_out"], name="conv1", pads=[0, 0, 0, 0]),
    oh.make_node("Relu", ["conv_out"], ["relu_out"], name="relu1"),
    oh.make_node("Add", ["relu_out", "bias"], ["add_out"], name="add/bias 1"),
    oh.make_node("MatMul", ["add_out", "w_mm"], ["mm_out"], name="matmul1"),
    oh.make_node("Tanh", ["mm_out"], ["y"], name="tanh1"),
]
g = oh.make_graph(nodes, "chain", [oh.make_tensor_value_info("x", TP.FLOAT, [1, 3, 8, 8])],
                  [oh.make_tensor_value_info("y", TP.FLOAT, [1, 4, 6, 5])], inits)
m = oh.make_model(g, opset_imports=[oh.make_opsetid("", 17)])
m.ir_version = 8
onnx.checker.check_model(m)
onnx.save(m, sys.argv[1])
