//===- ElementwiseKernel.h - vector kernels for elementwise chains -*- C++ -*-//
//
// A chain of elementwise ops over same-size operands, flat over their
// physical buffers (design §7.2), as a tile kernel for the tile passes.
//===----------------------------------------------------------------------===//
#ifndef NPU_CODEGEN_NPU_ELEMENTWISEKERNEL_H
#define NPU_CODEGEN_NPU_ELEMENTWISEKERNEL_H

#include "npu/Codegen/NPU/TileBuilder.h"

#include <vector>

namespace npu::npuk {

/// One op of a chain. Binary ops read values `a` and `b`, the others `a`;
/// `s` is the scalar of the `*S` ops (rounded to the storage type first,
/// as the ISA does) and `lo`/`hi` the bounds of Clip. Erf is Abramowitz &
/// Stegun 7.1.26 (|error| <= 1.5e-7 in exact arithmetic) in 22 vector
/// instructions, each rounding to the storage type: max |error| on [-4, 4)
/// 4.9e-7 in f32, 2.9e-3 in f16, 2.0e-2 in bf16 (ElementwiseKernelTest).
enum class EltwiseKind {
  Add,
  Sub,
  Mul,
  Div,
  Max,
  Min,
  Relu,
  AddS,
  MulS,
  MaxS,
  MinS,
  Clip,
  Erf
};
struct EltwiseStep {
  EltwiseKind kind = EltwiseKind::Add;
  unsigned a = 0, b = 0;
  double s = 0, lo = 0, hi = 0;
};

/// True for the kinds that read two values.
bool isBinary(EltwiseKind kind);
/// True if the op maps +0 operands to +0 (keeps nc1hwc0 pad lanes zero).
bool keepsZero(const EltwiseStep &step);

/// Values are numbered: inputs 0..inputs.size()-1, then step i's result is
/// value inputs.size() + i. Each output stores one step result (distinct).
/// Every input and output holds `elements` elements of `type` (f16, bf16 or
/// f32), one flat buffer; so nc1hwc0 data works as is. GM regions must
/// cover the bytes rounded up to 32 (copies move 32 B blocks; the plan's
/// 4 KiB alignment leaves that padding to the region).
///
/// The buffer is cut into tiles of `tileBytes` (a multiple of 256; 0 =
/// chosen from `ubBytes` and `cores`); tile b runs on core b % cores: MTE2
/// copies the inputs to UB, V runs the chain (255-repeat instructions, the
/// last tile ragged), MTE3 copies the outputs back. Inputs and outputs have
/// two UB copies (double buffering), temporaries one, reused by liveness;
/// a chain with Erf also takes two scratch tiles and a sign-mask slot.
struct ElementwiseKernelSpec {
  std::string name = "eltwise";
  isa::DType type = isa::DType::F16;
  int64_t elements = 0;
  std::vector<GMRegion> inputs, outputs;
  std::vector<EltwiseStep> steps;
  std::vector<unsigned> results; // The value each output stores.
  int64_t tileBytes = 0;
  int64_t ubBytes = 160 << 10; // UB budget for the slots.
  unsigned cores = 1;          // Upper bound; fewer if there are fewer tiles.
};

/// What buildElementwiseKernel will use for `spec`.
struct ElementwisePlan {
  int64_t tileBytes = 0, blocks = 0;
  unsigned cores = 1, temps = 0;
  unsigned scratch = 0; // Tile-sized slots Erf needs (the mask counts as one).
};
/// The plan, or failure with the reason in `error` (see the builder).
mlir::FailureOr<ElementwisePlan> planElementwise(const ElementwiseKernelSpec &s,
                                                 std::string &error);

/// Appends the vector kernel `func.func @<spec.name>` to `module`; a spec
/// the ISA cannot express or that names bad values is an error at `loc`.
mlir::FailureOr<mlir::func::FuncOp>
buildElementwiseKernel(mlir::ModuleOp module, mlir::Location loc,
                       const ElementwiseKernelSpec &spec);

} // namespace npu::npuk

#endif // NPU_CODEGEN_NPU_ELEMENTWISEKERNEL_H
