//===- CostModel.h - tile plans for the cube kernels (design §6) ----------===//
//
// An analytic model of one kernel's cycles on a config, from the kernel's
// own geometry (the pipe rates, GM latency, buffer copies and the core
// split), and the planner that searches tile sizes with it under the
// on-chip budgets. docs/npu-target.md ("Tiling cost model") derives it.
//===----------------------------------------------------------------------===//
#ifndef NPU_CODEGEN_NPU_COSTMODEL_H
#define NPU_CODEGEN_NPU_COSTMODEL_H

#include "npu/Codegen/NPU/TileBuilder.h"
#include "npu/Simulator/Config.h"

#include <string>
#include <vector>

namespace npu::npuk {

/// Predicted busy cycles per pipe (per core, the busiest core) and total.
struct KernelEstimate {
  double cycles = 0;
  double cube = 0, mte1 = 0, mte2 = 0, fix = 0;
  std::string bound; // "M", "MTE1", "MTE2", "FIX", "latency" or "GM".
};

/// The estimate of `s` as given (tile sizes, copies and cores).
KernelEstimate estimateConv(const ConvKernelSpec &s, const sim::Config &cfg);

/// Why `s` does not fit `cfg`'s on-chip buffers ("" if it does), e.g.
/// "L0C needs 2 x 131072 = 262144 bytes, has 131072".
std::string convBudgetError(const ConvKernelSpec &s, const sim::Config &cfg);

/// A plan: the spec with tile sizes, copies and cores set.
struct ConvPlan {
  ConvKernelSpec spec;
  KernelEstimate estimate;
};

/// The best plans found, lowest estimate first.
struct ConvPlans {
  std::vector<ConvPlan> best;
  int64_t candidates = 0; // Plans that fit and were estimated.
};

/// Searches tile sizes for `shape` (its sizes, types and GM regions) on at
/// most `maxCores` cores of `cfg` and keeps the `keep` lowest estimates
/// with distinct tile sizes (ties: larger tiles first) among plans that
/// copy the input band in as few pieces as L1 allows; with `keep` > 1 the
/// best plan streaming the band in small channel groups follows them (its
/// estimate is the least reliable, so it is timed, not ranked). Fails with the
/// reason (a budget or ISA limit) when nothing fits.
llvm::Expected<ConvPlans> planConv(const ConvKernelSpec &shape,
                                   const sim::Config &cfg, unsigned maxCores,
                                   unsigned keep = 1);

} // namespace npu::npuk

#endif // NPU_CODEGEN_NPU_COSTMODEL_H
