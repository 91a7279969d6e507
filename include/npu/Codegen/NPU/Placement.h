//===- Placement.h - attributes shared by the graph-level NPU passes ------===//
#ifndef NPU_CODEGEN_NPU_PLACEMENT_H
#define NPU_CODEGEN_NPU_PLACEMENT_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Operation.h"

namespace npu {
/// {on = "npu"|"cpu", code, text} on each op of the entry function.
inline constexpr llvm::StringLiteral kPlacementAttr = "npuk.placement";
/// On outlined kernel functions: the kind ("cube", "vector", "cpu") and the
/// ONNX nodes implemented.
inline constexpr llvm::StringLiteral kKindAttr = "npuk.kind";
inline constexpr llvm::StringLiteral kNodesAttr = "npuk.nodes";
/// On an NPU anchor: [{node, code, text}] of the ONNX nodes fused into it.
inline constexpr llvm::StringLiteral kFusedAttr = "npuk.fused";
/// On npuk.kernel ops, their outlined functions and device kernels: the
/// fusion decisions [{node, decision = "fused"|"rejected", code, text}].
inline constexpr llvm::StringLiteral kFusionLogAttr = "npuk.fusion_log";
/// On an npuk.device_kernel: [{node, code, text}] of the ONNX nodes it
/// implements (the report's reasons once the ops are machine code).
inline constexpr llvm::StringLiteral kReasonsAttr = "npuk.reasons";
/// The tile plan npuk-lower-kernels chose (a dictionary, for the report).
inline constexpr llvm::StringLiteral kPlanAttr = "npuk.plan";
/// [offset, bytes] of a schedule value in global memory.
inline constexpr llvm::StringLiteral kGMAttr = "npuk.gm";
inline constexpr llvm::StringLiteral kGMBytesAttr = "npuk.gm_bytes";

/// The entry function of `module`; emits an error on the module if absent.
inline mlir::func::FuncOp lookupEntry(mlir::ModuleOp module,
                                      llvm::StringRef entry) {
  auto fn = module.lookupSymbol<mlir::func::FuncOp>(entry);
  if (!fn)
    module.emitError("entry function '") << entry << "' not found";
  return fn;
}

struct Placement {
  bool onNPU = false;
  llvm::StringRef code, text;
};

inline void setPlacement(mlir::Operation *op, bool onNPU, llvm::StringRef code,
                         llvm::StringRef text) {
  mlir::Builder b(op->getContext());
  op->setAttr(kPlacementAttr,
              b.getDictionaryAttr(
                  {b.getNamedAttr("on", b.getStringAttr(onNPU ? "npu" : "cpu")),
                   b.getNamedAttr("code", b.getStringAttr(code)),
                   b.getNamedAttr("text", b.getStringAttr(text))}));
}

/// The placement of `op`; nullopt if the op has none.
inline std::optional<Placement> getPlacement(mlir::Operation *op) {
  auto dict = op->getAttrOfType<mlir::DictionaryAttr>(kPlacementAttr);
  if (!dict)
    return std::nullopt;
  auto str = [&](llvm::StringRef key) {
    auto s = dict.getAs<mlir::StringAttr>(key);
    return s ? s.getValue() : llvm::StringRef();
  };
  return Placement{str("on") == "npu", str("code"), str("text")};
}
} // namespace npu

#endif // NPU_CODEGEN_NPU_PLACEMENT_H
