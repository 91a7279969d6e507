//===- ImportControlFlow.h - building npu.loop bodies -----------*- C++ -*-===//
//
// Shared by the Loop/Scan importers and the recurrences (RNN, GRU, LSTM),
// which build their time loop from npu ops.
//
//===----------------------------------------------------------------------===//
#ifndef NPU_LIB_IMPORT_ONNX_IMPORTCONTROLFLOW_H
#define NPU_LIB_IMPORT_ONNX_IMPORTCONTROLFLOW_H

#include "ImporterImpl.h"

#include <memory>

namespace npu::onnx_import {

/// How an npu.loop iterates and scans (see the op's description).
struct LoopSpec {
  int64_t tripCount = 1;
  llvm::SmallVector<int64_t> inAxes, outAxes;
  llvm::SmallVector<bool> inReverse, outReverse;
  bool conditional = false;
};

/// An npu.loop under construction. The body is built first, with the
/// node's builder inserting into it; finish() then creates the op, whose
/// scan output types follow from the yielded slices.
class LoopBuilder {
public:
  /// Body arguments: the iteration number, then `carried`, then `slices`.
  LoopBuilder(NodeImporter &n, mlir::TypeRange carried, mlir::TypeRange slices);
  ~LoopBuilder();

  mlir::Block &body() { return region->front(); }
  mlir::Value iteration() { return body().getArgument(0); }
  mlir::ValueRange carried() {
    return body().getArguments().slice(1, numCarried);
  }
  mlir::ValueRange slices() {
    return body().getArguments().drop_front(1 + numCarried);
  }
  /// Drops carried value `i`, whose uses in the body must be gone.
  void eraseCarried(unsigned i);

  /// Ends the body with npu.yield `yields` (next carried values, then scan
  /// output slices) and creates the loop where the node's builder was;
  /// returns its results. A loop of no iteration is not built: the results
  /// are `inits` and empty scan outputs.
  mlir::FailureOr<llvm::SmallVector<mlir::Value>>
  finish(const LoopSpec &spec, mlir::ValueRange inits,
         mlir::ValueRange scanInputs, mlir::ValueRange yields);

private:
  NodeImporter &n;
  std::unique_ptr<mlir::Region> region;
  mlir::OpBuilder::InsertPoint saved;
  unsigned numCarried;
};

} // namespace npu::onnx_import

#endif // NPU_LIB_IMPORT_ONNX_IMPORTCONTROLFLOW_H
