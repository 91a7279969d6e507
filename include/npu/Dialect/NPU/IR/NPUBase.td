// The npu dialect: its definition, base op class and shared type constraints.
#ifndef NPU_DIALECT_NPU_IR_NPUBASE_TD
#define NPU_DIALECT_NPU_IR_NPUBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def NPU_Dialect : Dialect {
  let name = "npu";
  let summary = "Graph and tensor level operators imported from ONNX";
  let description = [{
    The `npu` dialect holds whole-tensor operators with value semantics on
    statically shaped ranked tensors. ONNX models are imported here; both the
    CPU backend (through linalg) and the NPU backend (through aicore) start
    from it. Every op computes its result type from its operands and
    attributes, so the importer never has to guess shapes.
  }];
  let cppNamespace = "::npu";
  let hasConstantMaterializer = 1;
}

class NPU_Op<string mnemonic, list<Trait> traits = []>
    : Op<NPU_Dialect, mnemonic, traits>;

// Element types the dialect computes on.
def NPU_Float : AnyTypeOf<[F16, BF16, F32, F64]>;
def NPU_Int : AnyTypeOf<[AnySignlessInteger]>;
def NPU_Element : AnyTypeOf<[NPU_Float, NPU_Int]>;
def NPU_Tensor : RankedTensorOf<[NPU_Element]>;
def NPU_FloatTensor : RankedTensorOf<[NPU_Float]>;
def NPU_IndexTensor : RankedTensorOf<[I32, I64]>;

#endif // NPU_DIALECT_NPU_IR_NPUBASE_TD
