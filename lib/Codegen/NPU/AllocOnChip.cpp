//===- AllocOnChip.cpp - static offsets for on-chip slots -----------------===//
#include "npu/Codegen/NPU/Passes.h"

#include "TileAnalysis.h"
#include "mlir/IR/Builders.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"

namespace npu {
#define GEN_PASS_DEF_ALLOCONCHIP
#include "npu/Codegen/NPU/Passes.h.inc"
} // namespace npu

using namespace mlir;
using namespace npu;
using namespace npu::npuk;

static uint64_t bufferSize(const sim::Config &cfg, isa::Buffer b) {
  switch (b) {
  case isa::Buffer::L1:
    return cfg.l1Size;
  case isa::Buffer::L0A:
    return cfg.l0aSize;
  case isa::Buffer::L0B:
    return cfg.l0bSize;
  case isa::Buffer::L0C:
    return cfg.l0cSize;
  case isa::Buffer::UB:
    return cfg.ubSize;
  default:
    return 0;
  }
}

static std::string upper(isa::Buffer b) { return isa::bufferName(b).upper(); }

/// "fmap 2 x 401408 + weights 2 x 147456 + bias 256 = 1100800 > 1048576".
static std::string ledger(ArrayRef<SlotOp> slots, uint64_t used,
                          uint64_t size) {
  std::string s;
  uint64_t sum = 0;
  for (SlotOp slot : slots) {
    s += (s.empty() ? "" : " + ") + slot.getName().str() + " ";
    if (slot.getNumResults() > 1)
      s += std::to_string(slot.getNumResults()) + " x ";
    s += std::to_string(slot.getBytes());
    sum += slot.getNumResults() * uint64_t(slot.getBytes());
  }
  if (used > sum)
    s += " + alignment " + std::to_string(used - sum);
  return s + " = " + std::to_string(used) + " > " + std::to_string(size);
}

/// A name for an address base in messages: "slot 'a' copy 1 (ub[0x0, 0x100))".
static std::string describeBase(Value base, const BaseExtent &e) {
  std::string where = llvm::formatv("{0}[{1:x}, {2:x})", isa::bufferName(e.buf),
                                    e.begin, e.end);
  if (auto at = base.getDefiningOp<SlotAtOp>())
    return llvm::formatv("slot '{0}' copy {1} ({2})", at.getName(),
                         at.getCopy(), where);
  auto gm = base.getDefiningOp<GMOp>();
  return llvm::formatv("GM region '{0}' ({1})", gm.getName(), where);
}

/// Every access with a constant offset must stay inside its base.
static LogicalResult checkBounds(func::FuncOp f) {
  WalkResult r = f.walk([&](VirtInstOpInterface op) {
    SmallVector<AddressOperand> addrs = getAddressOperands(op);
    if (addrs.empty())
      return WalkResult::advance();
    SmallVector<ResolvedAccess> accesses;
    if (failed(resolveAccesses(op, FmapState{}, accesses)))
      return WalkResult::interrupt();
    for (const ResolvedAccess &a : accesses) {
      // load3d reads the feature map set_fmap describes, unknown here.
      bool fmapRead = op.getOpcode() == isa::Opcode::LOAD3D &&
                      StringRef(a.access.what) == "src";
      if (!a.exact || fmapRead ||
          (a.access.span.lo >= a.base.begin && a.access.span.hi <= a.base.end))
        continue;
      Value base;
      for (const AddressOperand &ao : addrs)
        if (getBaseExtent(ao.base) == a.base)
          base = ao.base;
      op->emitOpError() << "operand '" << a.access.what << "' touches "
                        << llvm::formatv("{0}[{1:x}, {2:x})",
                                         isa::bufferName(a.access.buf),
                                         a.access.span.lo, a.access.span.hi)
                        << ", outside " << describeBase(base, a.base);
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return failure(r.wasInterrupted());
}

namespace {
struct AllocOnChipPass : npu::impl::AllocOnChipBase<AllocOnChipPass> {
  using AllocOnChipBase::AllocOnChipBase;

  void runOnOperation() override {
    func::FuncOp f = getOperation();
    if (!isTileKernel(f))
      return;
    FailureOr<sim::Config> cfg = loadPassConfig(f, config);
    if (failed(cfg))
      return signalPassFailure();
    std::array<SmallVector<SlotOp>, isa::kNumBuffers> slots;
    f.walk([&](SlotOp s) { slots[unsigned(s.getBuffer())].push_back(s); });
    for (auto &list : slots) {
      // Largest first keeps the big pipelined buffers densely packed.
      llvm::stable_sort(
          list, [](SlotOp a, SlotOp b) { return a.getBytes() > b.getBytes(); });
      if (failed(allocate(list, *cfg)))
        return signalPassFailure();
    }
    if (failed(checkBounds(f)))
      return signalPassFailure();
  }

  LogicalResult allocate(ArrayRef<SlotOp> list, const sim::Config &cfg) {
    if (list.empty())
      return success();
    isa::Buffer buf = SlotOp(list.front()).getBuffer();
    SmallVector<SmallVector<uint64_t>> offsets;
    uint64_t used = 0;
    for (SlotOp s : list) {
      offsets.emplace_back();
      for (unsigned c = 0; c < s.getNumResults(); ++c) {
        uint64_t off = llvm::alignTo(used, uint64_t(s.getAlign()));
        offsets.back().push_back(off);
        used = off + uint64_t(s.getBytes());
      }
    }
    uint64_t size = bufferSize(cfg, buf);
    if (used > size)
      return getOperation().emitError()
             << upper(buf) << " overflows by " << used - size
             << " bytes: " << ledger(list, used, size);
    for (auto [i, offs] : llvm::enumerate(offsets)) {
      SlotOp s = list[i];
      OpBuilder b(s);
      for (auto [c, off] : llvm::enumerate(offs)) {
        Value at = b.create<SlotAtOp>(s.getLoc(), s.getResult(c).getType(),
                                      s.getName(), int64_t(c), int64_t(off),
                                      s.getBytes());
        s.getResult(c).replaceAllUsesWith(at);
      }
      s.erase();
    }
    return success();
  }
};
} // namespace
