//===- PrefetchPlan.cpp - Which kernel prefetches which weights -----------===//
#include "PrefetchPlan.h"

#include "TileAnalysis.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>

using namespace mlir;
using namespace npu;
using namespace npu::npuk;

/// One just-in-time pass with `room[i]` bytes launch i may fetch.
static PrefetchPlan assign(ArrayRef<PrefetchKernel> kernels,
                           std::vector<int64_t> room) {
  size_t n = kernels.size();
  PrefetchPlan plan;
  plan.issue.resize(n);
  plan.warm.resize(n);
  // A region shared by several launches (deduplicated constants) is
  // fetched once, for its first reader.
  llvm::DenseSet<int64_t> seen;
  std::vector<std::vector<GMRegion>> wanted(n);
  for (size_t j = 0; j < n; ++j)
    for (const GMRegion &r : kernels[j].weights)
      if (r.size > 0 && seen.insert(r.addr).second)
        wanted[j].push_back(r);
  // Pieces start 4 KiB aligned (GM buffers of a program must).
  constexpr int64_t kPiece = 4096;
  constexpr size_t kMaxDistance = 8;
  for (size_t j = n; j-- > 1;) {
    for (const GMRegion &r : wanted[j]) {
      int64_t end = r.size; // [0, end) still to fetch, taken from the back.
      for (size_t i = j; i-- > 0 && j - i <= kMaxDistance && end > 0;) {
        int64_t take = std::min(end, room[i]);
        if (take < end)
          take = take / kPiece * kPiece;
        if (take <= 0)
          continue;
        int64_t from = end - take;
        if (from % kPiece) { // Keep the piece start aligned.
          from = from / kPiece * kPiece + kPiece;
          take = end - from;
          if (take <= 0)
            continue;
        }
        GMRegion piece{r.name, r.addr + from, take};
        plan.issue[i].push_back(piece);
        plan.warm[j].push_back(piece);
        room[i] -= take;
        end = from;
      }
    }
  }
  // Launch i issues its pieces in address order.
  for (auto &pieces : plan.issue)
    llvm::sort(pieces, [](const GMRegion &a, const GMRegion &b) {
      return a.addr < b.addr;
    });
  return plan;
}

PrefetchPlan npu::npuk::planPrefetch(ArrayRef<PrefetchKernel> kernels,
                                     const sim::Config &cfg, double share) {
  size_t n = kernels.size();
  if (!cfg.l2Size) {
    PrefetchPlan none;
    none.issue.resize(n);
    none.warm.resize(n);
    return none;
  }
  // What each launch can fetch for others: HBM (or its cores' read ports)
  // over `share` of its work time, less what it reads from HBM itself:
  // host-written inputs and, from the second pass on, the bytes of its
  // weights the first pass left unprefetched.
  std::vector<int64_t> time(n), room(n);
  for (size_t i = 0; i < n; ++i) {
    double rate =
        std::min(cfg.gmBandwidth, cfg.gmReadPort * double(kernels[i].cores));
    time[i] = int64_t(double(kernels[i].workCycles) * rate * share);
    room[i] = std::max<int64_t>(0, time[i] - kernels[i].hostBytes);
  }
  PrefetchPlan first = assign(kernels, room);
  for (size_t i = 0; i < n; ++i) {
    int64_t own = kernels[i].hostBytes;
    for (const GMRegion &r : kernels[i].weights)
      own += r.size;
    for (const GMRegion &r : first.warm[i])
      own -= r.size;
    room[i] = std::max<int64_t>(0, time[i] - own);
  }
  return assign(kernels, room);
}

FailureOr<func::FuncOp>
npu::npuk::buildPrefetchKernel(ModuleOp module, Location loc, StringRef name,
                               ArrayRef<GMRegion> regions) {
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  auto f = b.create<func::FuncOp>(loc, name, b.getFunctionType({}, {}));
  f->setAttr(kCoresAttr, b.getI64IntegerAttr(1));
  b.setInsertionPointToStart(f.addEntryBlock());
  TileBuilder tb(b, loc);
  emitPrefetch(tb, regions, 1);
  b.create<func::ReturnOp>(loc);
  return f;
}
