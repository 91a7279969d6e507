//===- VerifySync.cpp - check the flags of a tile kernel ------------------===//
#include "npu/Codegen/NPU/Passes.h"

#include "SyncModel.h"
#include "llvm/Support/FormatVariadic.h"

namespace npu {
#define GEN_PASS_DEF_VERIFYSYNC
#include "npu/Codegen/NPU/Passes.h.inc"
} // namespace npu

using namespace mlir;
using namespace npu;
using namespace npu::npuk;
using namespace npu::npuk::sync;

static std::string flagName(const Model &m, unsigned f) {
  auto [src, dst, ev] = m.flagKeys[f];
  return llvm::formatv("{0}->{1} event {2}", isa::pipeName(src),
                       isa::pipeName(dst),
                       ev == ~0u ? std::string("?") : std::to_string(ev));
}

/// The first overlapping pair of accesses, as "writes ub[0x0, 0x100) which
/// ... reads".
static std::string describeRace(const InstInfo &a, const InstInfo &b) {
  for (const ResolvedAccess &x : a.accesses)
    for (const ResolvedAccess &y : b.accesses)
      if (x.access.buf == y.access.buf && (x.access.write || y.access.write) &&
          spansOverlap(x.access.span, y.access.span))
        return llvm::formatv(
            "{0} {1}[{2:x}, {3:x}) which '{4}' on pipe {5} {6}",
            x.access.write ? "writes" : "reads", isa::bufferName(x.access.buf),
            x.access.span.lo, x.access.span.hi, b.node->op->getName(),
            isa::pipeName(b.node->pipe), y.access.write ? "writes" : "reads");
  return "conflicts";
}

/// Emits one diagnostic per issue.
void npu::npuk::sync::reportIssues(const Model &m, func::FuncOp f,
                                   ArrayRef<Issue> issues) {
  // Flag ops a sync plan inserted have no IR op yet: report on the kernel.
  auto at = [&](const Issue &i) {
    return i.gap->op ? i.gap->op : f.getOperation();
  };
  for (const Issue &i : issues) {
    switch (i.kind) {
    case Issue::Race: {
      const InstInfo &a = m.insts[i.a], &b = m.insts[i.b];
      InFlightDiagnostic d = a.node->op->emitError("data race: '");
      d << a.node->op->getName() << "' on pipe " << isa::pipeName(a.node->pipe)
        << " " << describeRace(a, b)
        << ", with no flag or barrier ordering them";
      d.attachNote(b.node->op->getLoc()) << "the other access";
      break;
    }
    case Issue::DoubleSet:
      at(i)->emitError("sets flag ")
          << flagName(m, i.flag)
          << " while it may still be set (the earlier signal would be lost)";
      break;
    case Issue::SetRace: {
      auto [src, dst, ev] = m.flagKeys[i.flag];
      at(i)->emitError("sets flag ")
          << flagName(m, i.flag) << " but nothing orders the previous "
          << "wait_flag (pipe " << isa::pipeName(dst)
          << ") before it, so the flag may still be set";
      break;
    }
    case Issue::WaitUnset:
      at(i)->emitError("waits for flag ")
          << flagName(m, i.flag)
          << " which may not be set on some path (no set_flag before it)";
      break;
    case Issue::Unbalanced:
      i.where->op->emitError("leaves flag ")
          << flagName(m, i.flag)
          << (i.where->kind == NodeKind::For
                  ? " in different states at loop entry and after an "
                    "iteration"
                  : " set on one branch and clear on the other");
      break;
    case Issue::LeftSet:
      f.emitError("flag ") << flagName(m, i.flag)
                           << " may still be set at the end of the kernel";
      break;
    }
  }
}

namespace {
struct VerifySyncPass : npu::impl::VerifySyncBase<VerifySyncPass> {
  using VerifySyncBase::VerifySyncBase;

  void runOnOperation() override {
    func::FuncOp f = getOperation();
    if (!isTileKernel(f))
      return;
    FailureOr<sim::Config> cfg = loadPassConfig(f, config);
    if (failed(cfg))
      return signalPassFailure();
    Model m;
    if (failed(m.build(f, /*keepFlags=*/true)))
      return signalPassFailure();
    bool ok = true;
    f.walk([&](Operation *op) {
      auto ev = op->getAttrOfType<IntegerAttr>("event");
      if (ev && llvm::isa<VirtInstOpInterface>(op) &&
          uint64_t(ev.getInt()) >= cfg->events) {
        op->emitError("uses event ")
            << ev.getInt() << " but config '" << cfg->name << "' has "
            << cfg->events << " events per pipe pair";
        ok = false;
      }
    });
    std::vector<Issue> issues = analyze(m, /*firstOnly=*/false);
    reportIssues(m, f, issues);
    if (!ok || !issues.empty())
      signalPassFailure();
  }
};
} // namespace
