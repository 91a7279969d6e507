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

#endif // NPU_TRANSFORMS_PASSES_TD
