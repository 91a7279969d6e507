// All npuk ops: graph/schedule level, physical (layout) level and tile level.
#ifndef NPU_DIALECT_NPUK_IR_NPUKOPS_TD
#define NPU_DIALECT_NPUK_IR_NPUKOPS_TD

include "npu/Dialect/NPUK/IR/NPUKGraphOps.td"
include "npu/Dialect/NPUK/IR/NPUKTileOps.td"
include "npu/Dialect/NPUK/IR/NPUKLayoutOps.td"
include "npu/Dialect/NPUK/IR/NPUKPhysicalOps.td"

#endif // NPU_DIALECT_NPUK_IR_NPUKOPS_TD
