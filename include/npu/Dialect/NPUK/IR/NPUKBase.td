// The npuk dialect: the NPU backend's physical, kernel and tile levels.
#ifndef NPU_DIALECT_NPUK_IR_NPUKBASE_TD
#define NPU_DIALECT_NPUK_IR_NPUKBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def NPUK_Dialect : Dialect {
  let name = "npuk";
  let summary = "NPU backend: kernels, host schedule and tile-level code";
  let description = [{
    The NPU backend works in three levels (docs/design/npu-backend.md):
    - graph level: `npuk.kernel` regions group `npu` ops into NPU kernels
      (cube, vector) and host CPU parts; after outlining, the host schedule
      is a function of `npuk.launch` and `npuk.call_cpu` ops;
    - physical level: layout conversions and ops on NPU layouts;
    - tile level: on-chip buffers and virtual instructions that lower
      one-to-one to `aicore`.
  }];
  let cppNamespace = "::npu::npuk";
  let useDefaultAttributePrinterParser = 1;
}

class NPUK_Op<string mnemonic, list<Trait> traits = []>
    : Op<NPUK_Dialect, mnemonic, traits>;

#endif // NPU_DIALECT_NPUK_IR_NPUKBASE_TD
