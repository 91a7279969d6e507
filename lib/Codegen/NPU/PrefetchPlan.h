//===- PrefetchPlan.h - Which kernel prefetches which weights -*- C++ -*-===//
//
// With an L2 (dv-910), weights that miss stream from HBM, whose bandwidth
// all 32 cores share; the late ResNet layers are bound by it. Each cube
// kernel therefore prefetches (docs/isa.md, `prefetch`) the weights of the
// kernels after it, as much as its own compute time covers, so HBM works
// while the cube does.
//===----------------------------------------------------------------------===//
#ifndef NPU_LIB_CODEGEN_NPU_PREFETCHPLAN_H
#define NPU_LIB_CODEGEN_NPU_PREFETCHPLAN_H

#include "npu/Codegen/NPU/TileBuilder.h"
#include "npu/Simulator/Config.h"

#include <vector>

namespace npu::npuk {

/// One launch, in launch order.
struct PrefetchKernel {
  int64_t workCycles = 0; // Its estimated time, in cycles.
  unsigned cores = 1;
  int64_t hostBytes = 0;         // Input bytes the host wrote (L2 misses).
  std::vector<GMRegion> weights; // Constant regions it reads.
};

struct PrefetchPlan {
  /// Per launch: the pieces of later launches' weights it prefetches.
  std::vector<std::vector<GMRegion>> issue;
  /// Per launch: the pieces of its own weights an earlier launch prefetched.
  std::vector<std::vector<GMRegion>> warm;
};

/// Just in time: each launch's weights are prefetched by the launches
/// right before it (at most 8 back), each giving what HBM (or its cores'
/// read ports) can move in `share` of its work time, less what it reads
/// from HBM itself (host-written inputs; its weights no one prefetches,
/// found by a first pass). Nothing without an L2. The work is the cube's
/// lower bound; on 32 cores kernels take 2-3x that (bench/npu/README.md:
/// share 1, 2, 3, 4, 6 measured on ResNet-50).
PrefetchPlan planPrefetch(llvm::ArrayRef<PrefetchKernel> kernels,
                          const sim::Config &cfg, double share = 3);

/// A one-core program that prefetches `regions` (to warm a fresh device's
/// L2 before a plan is timed, as the earlier kernels would have).
mlir::FailureOr<mlir::func::FuncOp>
buildPrefetchKernel(mlir::ModuleOp module, mlir::Location loc,
                    llvm::StringRef name, llvm::ArrayRef<GMRegion> regions);

} // namespace npu::npuk

#endif // NPU_LIB_CODEGEN_NPU_PREFETCHPLAN_H
