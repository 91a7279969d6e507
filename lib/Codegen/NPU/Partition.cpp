//===- Partition.cpp - decide where each npu op runs ----------------------===//
//
// Rules per op kind live here (docs/design/npu-backend.md §3). Until an op
// kind has an NPU lowering, it runs on the host CPU with the reason
// `cpu.no_lowering`.
//
//===----------------------------------------------------------------------===//
#include "npu/Codegen/NPU/Passes.h"

#include "Rules.h"
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
    auto func = lookupEntry(getOperation(), entry);
    if (!func)
      return signalPassFailure();
    llvm::StringSet<> forced, families;
    for (const std::string &name : forceCpu)
      forced.insert(name);
    for (const std::string &family : kernels) {
      if (family != "matmul" && family != "conv" && family != "vector") {
        getOperation().emitError("unknown NPU kernel family '")
            << family << "' (expected matmul, conv or vector)";
        return signalPassFailure();
      }
      families.insert(family);
    }
    DenseMap<Operation *, Decision> decided;
    bool failed = false;
    for (Operation &op : func.getBody().front().without_terminator()) {
      // Constants go where their users go; ops of other dialects (an
      // existing schedule) stay where they are.
      if (llvm::isa<ConstantOp>(op) || !llvm::isa<NPUDialect>(op.getDialect()))
        continue;
      StringRef node = onnxNodeName(op.getLoc());
      Decision d;
      if (forced.contains(node)) {
        d = {false, "cpu.forced", "kept on the CPU by --npu-force-cpu"};
      } else if (std::optional<Decision> rule =
                     npuRule(&op, families, decided)) {
        d = *rule;
      } else {
        d = {false, "cpu.no_lowering",
             ("the NPU backend has no lowering for " +
              op.getName().getStringRef() + " yet")
                 .str()};
      }
      if (!d.onNPU && noFallback && d.code != "cpu.forced") {
        op.emitError("cannot run on the NPU: ") << d.text;
        failed = true;
        continue;
      }
      setPlacement(&op, d.onNPU, d.code, d.text);
      decided[&op] = d;
    }
    if (failed)
      return signalPassFailure();
    if (!noFallback)
      demoteHostOnlyChains(func, decided);
  }
};
} // namespace
