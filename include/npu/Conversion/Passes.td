// Dialect conversion passes of npu: one entry per A-to-B lowering.
#ifndef NPU_CONVERSION_PASSES_TD
#define NPU_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertNPUToLinalg : Pass<"convert-npu-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower npu ops to linalg, tensor, arith and math on tensors";
  let description = [{
    Every npu op becomes destination-style linalg (named ops where one
    exists: matmul, convolution, pooling, transpose; linalg.generic
    otherwise) plus tensor ops for data movement. The result is ready for
    tiling, one-shot bufferization and vectorization. `npuk.convert`
    (boundary layout conversions in CPU parts) lowers here too.
  }];
  let dependentDialects = [
    "mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect",
    "mlir::arith::ArithDialect", "mlir::math::MathDialect",
    "mlir::scf::SCFDialect"
  ];
}

#endif // NPU_CONVERSION_PASSES_TD
