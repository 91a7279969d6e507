//===- RowKernel.h - softmax and layer norm as vector kernels ---*- C++ -*-===//
//
// Row kernels over the last axis of an ND tensor (design §7.2): softmax and
// layer normalization, statistics and math in fp32 in UB.
//===----------------------------------------------------------------------===//
#ifndef NPU_CODEGEN_NPU_ROWKERNEL_H
#define NPU_CODEGEN_NPU_ROWKERNEL_H

#include "npu/Codegen/NPU/TileBuilder.h"

namespace npu::npuk {

enum class RowKind { Softmax, LayerNorm };

/// y[r][:] = softmax(x[r][:]) or
/// y[r][:] = (x[r][:] - mean) / sqrt(var + eps) * gamma + beta
/// for `rows` rows of `cols` elements, row-major, in `type` (f16, bf16 or
/// f32). With `residual`, LayerNorm normalizes x + residual (the add is
/// done in fp32). The math runs in fp32 in UB (vconv in and out).
///
/// Rows need not be 32 B aligned: a tile of R rows is one contiguous run
/// of GM (R a multiple of rowPeriod(cols, type)), each row is processed at
/// its own lane offset with masks. gamma and beta (storage type) must hold
/// rowPeriod(cols, type) copies of their `cols` values, one after another,
/// so every lane offset has a matching copy. GM regions must cover their
/// bytes rounded up to 32.
///
/// Tiles of `tileRows` rows (0 = chosen from `ubBytes`, `cores` and a cap
/// of 32 rows) go round-robin over the cores: MTE2 -> V -> MTE3 with two
/// copies of the I/O slots; the last tile may be shorter.
struct RowKernelSpec {
  std::string name = "rows";
  RowKind kind = RowKind::Softmax;
  isa::DType type = isa::DType::F16;
  int64_t rows = 0, cols = 0;
  GMRegion input, output;
  std::optional<GMRegion> residual; // LayerNorm only.
  std::optional<GMRegion> gamma;    // LayerNorm: required.
  std::optional<GMRegion> beta;     // LayerNorm: optional.
  double epsilon = 1e-5;
  int64_t tileRows = 0;
  int64_t ubBytes = 160 << 10; // UB budget for the slots.
  unsigned cores = 1;
};

/// Rows per 32 B aligned group: 32 / gcd(32, cols * size(type)).
int64_t rowPeriod(int64_t cols, isa::DType type);

/// What buildRowKernel will use.
struct RowPlan {
  int64_t tileRows = 0, blocks = 0, ubBytes = 0;
  unsigned cores = 1;
};
/// The plan, or failure with the reason in `error` (a row group that does
/// not fit the UB budget names every slot and the shortfall).
mlir::FailureOr<RowPlan> planRows(const RowKernelSpec &s, std::string &error);

/// Appends `func.func @<spec.name>` to `module`; a bad spec is an error at
/// `loc` and nothing is added.
mlir::FailureOr<mlir::func::FuncOp> buildRowKernel(mlir::ModuleOp module,
                                                   mlir::Location loc,
                                                   const RowKernelSpec &spec);

} // namespace npu::npuk

#endif // NPU_CODEGEN_NPU_ROWKERNEL_H
