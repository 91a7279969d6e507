// Tile-level npuk ops: on-chip buffers and virtual instructions.
#ifndef NPU_DIALECT_NPUK_IR_NPUKTILEOPS_TD
#define NPU_DIALECT_NPUK_IR_NPUKTILEOPS_TD

include "npu/Dialect/NPUK/IR/NPUKBase.td"

#endif // NPU_DIALECT_NPUK_IR_NPUKTILEOPS_TD
