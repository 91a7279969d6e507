//===- PlanGM.cpp - place the host schedule's tensors in global memory ----===//
//
// Layout: from address `align` on, graph inputs, graph outputs and constants
// first, each in a region of its own, then an arena for intermediates.
// Intermediates are placed first-fit when their producer runs and freed after
// their last reader, so a kernel's results never overlap its operands.
//
//===----------------------------------------------------------------------===//
#include "npu/Codegen/NPU/Passes.h"

#include "npu/Codegen/NPU/Placement.h"
#include "npu/Dialect/NPUK/IR/NPUKOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/MathExtras.h"

#include <map>

namespace npu {
#define GEN_PASS_DEF_PLANGM
#include "npu/Codegen/NPU/Passes.h.inc"
} // namespace npu

using namespace mlir;
using namespace npu;

namespace {
/// First-fit allocator over [base, inf) with coalescing frees.
class Arena {
public:
  Arena(uint64_t base, uint64_t align) : base_(base), align_(align) {}
  uint64_t allocate(uint64_t bytes) {
    bytes = llvm::alignTo(std::max<uint64_t>(bytes, 1), align_);
    for (auto it = free_.begin(); it != free_.end(); ++it) {
      if (it->second < bytes)
        continue;
      uint64_t offset = it->first, size = it->second;
      free_.erase(it);
      if (size > bytes)
        free_[offset + bytes] = size - bytes;
      return offset;
    }
    uint64_t offset = base_ + top_;
    top_ += bytes;
    return offset;
  }
  void release(uint64_t offset, uint64_t bytes) {
    bytes = llvm::alignTo(std::max<uint64_t>(bytes, 1), align_);
    auto it = free_.emplace(offset, bytes).first;
    auto next = std::next(it);
    if (next != free_.end() && it->first + it->second == next->first) {
      it->second += next->second;
      free_.erase(next);
    }
    if (it != free_.begin()) {
      auto prev = std::prev(it);
      if (prev->first + prev->second == it->first) {
        prev->second += it->second;
        free_.erase(it);
      }
    }
  }
  uint64_t end() const { return base_ + top_; }

private:
  uint64_t base_, align_, top_ = 0;
  std::map<uint64_t, uint64_t> free_;
};

static uint64_t byteSize(Type type) {
  auto t = cast<ShapedType>(type);
  uint64_t bits = t.getElementTypeBitWidth();
  return t.getNumElements() * llvm::divideCeil(bits, 8);
}

struct PlanGMPass : npu::impl::PlanGMBase<PlanGMPass> {
  using PlanGMBase::PlanGMBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto func = lookupEntry(getOperation(), entry);
    if (!func)
      return signalPassFailure();
    if (align <= 0 || !llvm::isPowerOf2_64(align)) {
      module.emitError("npuk-plan-gm: align must be a power of two");
      return signalPassFailure();
    }
    Builder b(module.getContext());
    Block &block = func.getBody().front();
    auto ret = cast<func::ReturnOp>(block.getTerminator());
    auto regionAttr = [&](uint64_t offset, uint64_t bytes) {
      return b.getI64ArrayAttr({(int64_t)offset, (int64_t)bytes});
    };

    // Fixed regions: inputs, outputs, constants. Address 0 stays unused.
    uint64_t top = align;
    auto fixed = [&](Type type) {
      uint64_t offset = top;
      top += llvm::alignTo(std::max<uint64_t>(byteSize(type), 1), align);
      return offset;
    };
    for (BlockArgument arg : block.getArguments())
      func.setArgAttr(
          arg.getArgNumber(), kGMAttr,
          regionAttr(fixed(arg.getType()), byteSize(arg.getType())));
    DenseMap<Value, uint64_t> outputOffset;
    for (Value v : ret.getOperands())
      outputOffset[v] = fixed(v.getType());
    for (Operation &op : block.without_terminator())
      if (op.hasTrait<OpTrait::ConstantLike>())
        op.setAttr(kGMAttr, regionAttr(fixed(op.getResult(0).getType()),
                                       byteSize(op.getResult(0).getType())));

    // Intermediates: first fit by liveness in schedule order.
    DenseMap<Operation *, SmallVector<Value>> dyingAt;
    for (Operation &op : block.without_terminator())
      for (Value r : op.getResults()) {
        if (outputOffset.count(r) || op.hasTrait<OpTrait::ConstantLike>())
          continue;
        Operation *last = &op;
        for (Operation *user : r.getUsers())
          if (!user->isBeforeInBlock(last) && user != ret)
            last = user;
        dyingAt[last].push_back(r);
      }
    Arena arena(top, align);
    DenseMap<Value, uint64_t> actOffset;
    for (Operation &op : block.without_terminator()) {
      if (op.hasTrait<OpTrait::ConstantLike>())
        continue;
      if (!llvm::isa<npuk::CallCPUOp, npuk::LaunchOp>(op)) {
        op.emitOpError("is not a schedule op; run npuk-outline first");
        return signalPassFailure();
      }
      SmallVector<Attribute> regions;
      for (Value r : op.getResults()) {
        uint64_t offset =
            outputOffset.count(r)
                ? outputOffset[r]
                : (actOffset[r] = arena.allocate(byteSize(r.getType())));
        regions.push_back(regionAttr(offset, byteSize(r.getType())));
      }
      op.setAttr(kGMAttr, b.getArrayAttr(regions));
      for (Value dead : dyingAt.lookup(&op))
        arena.release(actOffset[dead], byteSize(dead.getType()));
    }
    module->setAttr(kGMBytesAttr, b.getI64IntegerAttr(arena.end()));
  }
};
} // namespace
