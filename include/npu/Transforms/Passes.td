// Graph-level passes on the npu dialect, shared by the CPU and NPU targets.
#ifndef NPU_TRANSFORMS_PASSES_TD
#define NPU_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def FoldConstantLayout : Pass<"npu-fold-constant-layout", "mlir::ModuleOp"> {
  let summary = "Transpose and reshape constant weights at compile time";
  let description = [{
    `npu.transpose` and `npu.reshape` of an `npu.constant` become a new
    constant, for dense and dense_resource data alike (bytes are permuted
    directly, never through per-element attributes). ONNX Gemm with
    transB = 1 otherwise transposes its weight on every run.
  }];
  let options = [
    Option<"maxBytes", "max-bytes", "int64_t", /*default=*/"1l << 30",
           "Leave constants larger than this alone">
  ];
}

def DebugPerturb : Pass<"npu-debug-perturb", "mlir::ModuleOp"> {
  let summary = "DEBUG ONLY: deliberately miscompile one ONNX node";
  let description = [{
    Adds `delta` to every floating-point result of the ONNX node named
    `node` (matched against the NameLoc the importer attaches to each op)
    that leaves the node, i.e. is used by another node's op or returned.
    Results consumed only inside the node (a node lowered to several npu
    ops) are left alone, so the node's outputs are shifted exactly once.

    This exists only to test the differential-testing tool
    (tools/npu-bisect), which must find the perturbed node. npuc adds it
    to the pipeline only under --debug-perturb-node. Fails if no op of
    that node has a floating-point result.
  }];
  let options = [
    Option<"node", "node", "std::string", /*default=*/"",
           "ONNX node name whose outputs get perturbed">,
    Option<"delta", "delta", "double", /*default=*/"1.0",
           "Value added to the node's float outputs">
  ];
}

#endif // NPU_TRANSFORMS_PASSES_TD
