//===- ONNXLocation.h - ONNX node names in op locations ---------*- C++ -*-===//
//
// The importer gives each op the location fused<"OpType">["node name"(file)]
// of the ONNX node it came from; graph tensors get "tensor name"(file).
//
//===----------------------------------------------------------------------===//
#ifndef NPU_DIALECT_NPU_IR_ONNXLOCATION_H
#define NPU_DIALECT_NPU_IR_ONNXLOCATION_H

#include "mlir/IR/Location.h"
#include "llvm/ADT/SmallVector.h"

namespace npu {
/// The ONNX node (or tensor) name of a location; empty if there is none.
llvm::StringRef onnxNodeName(mlir::Location loc);
/// Every ONNX node name in a location (fused locations of fused ops hold
/// several), in order, without repeats.
void collectONNXNodeNames(mlir::Location loc,
                          llvm::SmallVectorImpl<llvm::StringRef> &names);
/// The ONNX op type recorded in a node location; empty if there is none.
llvm::StringRef onnxOpType(mlir::Location loc);

/// Module attribute listing every node of the imported ONNX graph, in
/// graph order, as [name, op type] pairs (for reports).
inline constexpr llvm::StringLiteral kONNXNodesAttrName = "npu.onnx_nodes";
} // namespace npu

#endif // NPU_DIALECT_NPU_IR_ONNXLOCATION_H
