//===- Report.h - the NPU backend's compile report --------------*- C++ -*-===//
#ifndef NPU_CODEGEN_NPU_REPORT_H
#define NPU_CODEGEN_NPU_REPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/JSON.h"

namespace npu {
/// The `npu-report/1` object for an outlined module (after npuk-outline,
/// and npuk-plan-gm for the "gm" fields): "nodes" lists every ONNX node of
/// `npu.onnx_nodes` once, "kernels" every kernel and CPU part in schedule
/// order. The caller adds "model" and "target".
llvm::json::Object buildReport(mlir::ModuleOp module, llvm::StringRef entry);
} // namespace npu

#endif // NPU_CODEGEN_NPU_REPORT_H
