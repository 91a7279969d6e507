//===- Partition.cpp - decide where each npu op runs ----------------------===//
//
// Rules per op kind live here (docs/design/npu-backend.md §3). Until an op
// kind has an NPU lowering, it runs on the host CPU with the reason
// `cpu.no_lowering`.
//
//===----------------------------------------------------------------------===//
#include "npu/Codegen/NPU/Passes.h"

#include "npu/Codegen/NPU/Placement.h"
#include "npu/Dialect/NPU/IR/NPUDialect.h"
#include "npu/Dialect/NPU/IR/NPUOps.h"
#include "npu/Dialect/NPU/IR/ONNXLocation.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringSet.h"

namespace npu {
#define GEN_PASS_DEF_PARTITION
#include "npu/Codegen/NPU/Passes.h.inc"
} // namespace npu

using namespace mlir;
using namespace npu;

namespace {
struct PartitionPass : npu::impl::PartitionBase<PartitionPass> {
  using PartitionBase::PartitionBase;

  void runOnOperation() override {
    auto func = getOperation().lookupSymbol<func::FuncOp>(entry);
    if (!func) {
      getOperation().emitError("entry function '") << entry << "' not found";
      return signalPassFailure();
    }
    llvm::StringSet<> forced;
    for (const std::string &name : forceCpu)
      forced.insert(name);
    bool failed = false;
    for (Operation &op : func.getBody().front().without_terminator()) {
      // Constants go where their users go; ops of other dialects (an
      // existing schedule) stay where they are.
      if (isa<ConstantOp>(op) || !isa<NPUDialect>(op.getDialect()))
        continue;
      StringRef node = onnxNodeName(op.getLoc());
      if (forced.contains(node)) {
        setPlacement(&op, false, "cpu.forced",
                     "kept on the CPU by --npu-force-cpu");
        continue;
      }
      std::string text = ("the NPU backend has no lowering for " +
                          op.getName().getStringRef() + " yet")
                             .str();
      if (noFallback) {
        op.emitError("cannot run on the NPU: ") << text;
        failed = true;
        continue;
      }
      setPlacement(&op, false, "cpu.no_lowering", text);
    }
    if (failed)
      signalPassFailure();
  }
};
} // namespace
