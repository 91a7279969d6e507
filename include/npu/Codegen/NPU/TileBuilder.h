//===- TileBuilder.h - emit tile IR (npuk.slot, npuk.i.*, scf) ---*- C++
//-*-===//
//
// C++ helpers that write tile kernels (design §7.1) for the tile passes:
// npuk-alloc-onchip, npuk-insert-sync, npuk-to-aicore. TileBuilder emits the
// pieces; buildMatmulKernel emits a whole cube matmul kernel.
//===----------------------------------------------------------------------===//
#ifndef NPU_CODEGEN_NPU_TILEBUILDER_H
#define NPU_CODEGEN_NPU_TILEBUILDER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "npu/Dialect/NPUK/IR/NPUKOps.h"

#include <functional>
#include <optional>
#include <string>

namespace npu::npuk {

/// Emits tile IR at a builder's insertion point. Index constants are
/// created where needed (one per use site; canonicalization CSEs them).
class TileBuilder {
public:
  TileBuilder(mlir::OpBuilder &b, mlir::Location loc) : b(b), loc(loc) {}

  mlir::OpBuilder &builder() { return b; }
  mlir::Location location() const { return loc; }

  /// `arith.constant v : index`.
  mlir::Value index(int64_t v);
  /// Index arithmetic.
  mlir::Value add(mlir::Value a, mlir::Value b);
  mlir::Value add(mlir::Value a, int64_t c);
  mlir::Value mul(mlir::Value a, int64_t c);
  mlir::Value divu(mlir::Value a, int64_t c);
  mlir::Value remu(mlir::Value a, int64_t c);
  /// `a < b` (signed), for scf.if conditions.
  mlir::Value lt(mlir::Value a, mlir::Value b);
  mlir::Value eq(mlir::Value a, int64_t c);

  /// `copies` copies of an on-chip slot of `bytes` bytes (`npuk.slot`).
  llvm::SmallVector<mlir::Value> slot(llvm::StringRef name, isa::Buffer buf,
                                      int64_t bytes, unsigned copies = 1);
  /// A GM region at a plan address (`npuk.gm`).
  mlir::Value gm(llvm::StringRef name, int64_t addr, int64_t size);
  mlir::Value coreId();
  mlir::Value coreNum();

  /// An address operand: buffer value and index byte offset.
  struct Addr {
    mlir::Value base, offset;
  };
  /// A non-address, non-register field by its ISA name; enums (types,
  /// pipes, modes) take their numeric value, f32 fields `f`.
  struct Field {
    llvm::StringRef name;
    int64_t value = 0;
    double f = 0;
  };
  /// One virtual instruction `npuk.i.<opcode>`: address fields from `addrs`
  /// and registers from `regs`, both in field order; every other field from
  /// `fields`. A missing or unknown field is a programming error (asserts).
  /// The result is the `d` register of scalar instructions, if any.
  mlir::Operation *inst(isa::Opcode opc, llvm::ArrayRef<Addr> addrs,
                        llvm::ArrayRef<mlir::Value> regs,
                        llvm::ArrayRef<Field> fields);

  /// One cube `mmad` of m x n x k elements into `dst`: on the first chunk
  /// it starts from `bias` (mmad_bias) if given, else from zero; later
  /// chunks accumulate.
  void mmad(Addr dst, Addr a, Addr b, std::optional<Addr> bias, isa::DType type,
            int64_t m, int64_t n, int64_t k, bool first);
  /// How a K chunk's mmad starts: fresh (the first chunk), accumulating, or
  /// fresh only in iteration 0 of the K loop (the first chunk of each
  /// iteration: an scf.if on `iter == 0`).
  enum class Init { Zero, Acc, FirstOfLoop };
  /// Calls `mmad(first)` as `init` says.
  void mmadAs(Init init, mlir::Value iter, llvm::function_ref<void(bool)> mmad);
  /// Copies `kf` K rows of `nf` fractals of an fz weight with `nfAll`
  /// fractals per K row (GM, from `src`) to `dst` in L1, contiguous: the
  /// order load2d feeds L0B in.
  void copyFzSlice(Addr dst, Addr src, int64_t kf, int64_t nf, int64_t nfAll);
  /// `count` contiguous fractals from L1 to L0B (load2d, 255 at a time).
  void loadFractalsB(Addr dst, Addr src, int64_t count);

  /// `scf.for` with index bounds; `body` gets the induction variable and
  /// runs with the insertion point inside the loop.
  void forLoop(mlir::Value lb, mlir::Value ub, mlir::Value step,
               llvm::function_ref<void(mlir::Value)> body);
  /// The multi-core block loop `for (blk = coreid; blk < blocks; blk +=
  /// corenum)`, unrolled `copies` times so that copy i of a
  /// multi-buffered resource is named statically: body(block, i).
  void forEachBlock(mlir::Value blocks, unsigned copies,
                    llvm::function_ref<void(mlir::Value, unsigned)> body);
  /// `scf.if` (else region only if `otherwise` is given).
  void ifThen(mlir::Value cond, llvm::function_ref<void()> then,
              llvm::function_ref<void()> otherwise = nullptr);

private:
  mlir::OpBuilder &b;
  mlir::Location loc;
};

/// A GM region the kernel reads or writes: plan address (4 KiB aligned) and
/// size in bytes, named in the program's `.gm` table.
struct GMRegion {
  std::string name;
  int64_t addr = 0;
  int64_t size = 0;
};

/// Why `r` cannot hold the `need` bytes a kernel touches ("" if it can):
/// it must start at a positive 4 KiB aligned address and be large enough.
std::string gmRegionError(const GMRegion &r, int64_t need);
/// "" or the error naming `a` and `b` if their byte ranges overlap.
std::string gmOverlapError(const GMRegion &a, const GMRegion &b);

/// Each core of a kernel on `cores` cores issues L2 `prefetch`es of its
/// share of every region (32-byte-aligned slices, one per core): later
/// kernels' weights, fetched while this one computes. Declares the regions
/// as GM buffers `pf<i>`.
void emitPrefetch(TileBuilder &tb, llvm::ArrayRef<GMRegion> regions,
                  unsigned cores);

/// C[M,N] = relu?(A[M,K] x B[K,N] + bias[N]) on the cube, accumulated in
/// fp32 (L0C). A is row-major (nd) in `inType`; B is the K x N weight in
/// the `fnz` layout ([ceil(K/16)][ceil(N/16)][16 n][16 k], zero padded,
/// `inType`); bias is fp32, N values padded with zeros to a multiple of 16;
/// C is row-major `outType` with row stride N.
///
/// The C matrix is cut into (16 mf) x (16 nf) tiles, ragged at the bottom
/// and right edges; block b = (b / NB, b % NB) runs on core
/// `coreid + i * corenum`. Each tile streams K in chunks of 16 kf through
/// `stages` copies of the L1 and L0A/L0B buffers (the K loop is unrolled by
/// `stages`), and `l0cCopies` L0C tiles let FIX of one tile overlap the next
/// one's cube work. A tail chunk (K not a multiple of 16 kf) and ragged
/// tiles get their own code (their sizes are immediates).
struct MatmulKernelSpec {
  std::string name = "matmul";
  int64_t m = 0, n = 0, k = 0; // Logical sizes; k must be a multiple of 16.
  isa::DType inType = isa::DType::F16;  // f16 or bf16.
  isa::DType outType = isa::DType::F32; // f16, bf16 or f32.
  bool relu = false;
  GMRegion a, b, c;
  std::optional<GMRegion> bias;
  int64_t mf = 16, nf = 8, kf = 4; // Tile sizes in 16-element fractals.
  unsigned stages = 2;             // Copies of the L1 and L0A/L0B buffers.
  unsigned l0cCopies = 2;          // 1 or 2.
  unsigned cores = 1;              // The program's `.cores`.
  std::vector<GMRegion> prefetch;  // Issued first (emitPrefetch).
  /// When M fits one tile (16 mf rows) and that A panel (16 mf x K) takes
  /// at most this many bytes, A is copied to L1 once for the whole kernel;
  /// otherwise each K chunk copies its slice. One copy instead of one per
  /// chunk saves a GM round trip per chunk, which bounds small-M matmuls
  /// (a classifier head, a decode step).
  int64_t aResidentBytes = 64 << 10;
};

/// Bytes of B in the fnz layout (ceil(K/16) * ceil(N/16) fractals of 512).
int64_t fnzBytes(int64_t k, int64_t n);

/// Appends the tile kernel `func.func @<spec.name>` to `module`. A spec the
/// ISA or the layouts cannot express is an error at `loc` (nothing is
/// added); whether its buffers fit the on-chip memories is checked by
/// npuk-alloc-onchip.
mlir::FailureOr<mlir::func::FuncOp>
buildMatmulKernel(mlir::ModuleOp module, mlir::Location loc,
                  const MatmulKernelSpec &spec);

/// Y = relu?(conv2d(X, W) + bias) on the cube (group 1), accumulated in
/// fp32. X is [N][C1][H][W][16] (nc1hwc0, `inType`, pad channels +0), W the
/// fz weight [C1][KH][KW][ceil(O/16)][16 o][16 c] (pad entries +0, the fnz
/// B of K = C1*KH*KW*16), bias fp32 padded with zeros to 16*ceil(O/16), Y
/// [N][ceil(O/16)][Ho][Wo][16] (`outType`; pad lanes come out +0).
///
/// An M tile is R whole output rows of one image (R*Wo <= 16 mf pixels, at
/// least one row): load3d then reads a static band of input rows, and each
/// band variant (top/bottom padding, a short last tile) has its own code.
/// The band's channel planes are copied to L1 in groups that fit
/// `l1BandBytes` (two copies); K streams through load3d/load2d chunks of
/// kf fractals as in the matmul kernel. Weights stay resident in L1 when
/// they fit `l1WeightBytes`, else each chunk copies its slice. Blocks
/// (image, row tile, `nPerBlock` N tiles) go round-robin over the cores;
/// when the whole band fits one L1 copy it is copied once per block (the
/// next block's band is prefetched into the other copy).
struct ConvKernelSpec {
  std::string name = "conv";
  int64_t n = 1, c = 0, h = 0, w = 0; // Input, logical NCHW.
  int64_t o = 0, kh = 1, kw = 1;      // Output channels, kernel size.
  int64_t strideH = 1, strideW = 1, dilH = 1, dilW = 1;
  int64_t padTop = 0, padBottom = 0, padLeft = 0, padRight = 0;
  isa::DType inType = isa::DType::F16;  // f16 or bf16.
  isa::DType outType = isa::DType::F32; // f16, bf16 or f32.
  bool relu = false;
  GMRegion input, weight, output;
  std::optional<GMRegion> bias;
  int64_t mf = 16, nf = 4, kf = 4; // Tile sizes in 16-element fractals.
  unsigned stages = 2;             // Copies of the chunk L1/L0 buffers.
  unsigned l0cCopies = 2;          // 1 or 2.
  unsigned cores = 1;
  int64_t l1BandBytes = 256 << 10; // Per copy of the input band in L1.
  /// Weights up to this size are copied to L1 once per core and stay there
  /// (no per-tile weight traffic); larger ones stream per K chunk.
  int64_t l1WeightBytes = 384 << 10;
  int64_t nPerBlock = 1; // N tiles per block (sharing one band copy).
  std::vector<GMRegion> prefetch; // Issued first (emitPrefetch).

  int64_t outH() const {
    return (h + padTop + padBottom - dilH * (kh - 1) - 1) / strideH + 1;
  }
  int64_t outW() const {
    return (w + padLeft + padRight - dilW * (kw - 1) - 1) / strideW + 1;
  }
};

/// GM bytes of the conv kernel's operands (the nc1hwc0 / fz layouts).
int64_t convInputBytes(const ConvKernelSpec &s);
int64_t convWeightBytes(const ConvKernelSpec &s);
int64_t convOutputBytes(const ConvKernelSpec &s);
/// Work blocks (images x output row tiles x N tiles) the kernel spreads
/// over its cores.
int64_t convBlocks(const ConvKernelSpec &s);
/// Channel groups a tile streams its input band in (1: the whole band is
/// copied once per block and the next block's band is prefetched).
int64_t convBandGroups(const ConvKernelSpec &s);

/// About how many instructions the conv kernel's code holds (the size
/// the sync passes work on; they grow faster than linearly with it).
int64_t convStaticInsts(const ConvKernelSpec &s);

/// Why the ISA or the layouts cannot express `s` ("" if they can).
std::string convSpecError(const ConvKernelSpec &s);

/// Appends the conv tile kernel `func.func @<spec.name>` to `module`; as
/// buildMatmulKernel, a spec the ISA cannot express is an error at `loc`.
mlir::FailureOr<mlir::func::FuncOp> buildConvKernel(mlir::ModuleOp module,
                                                    mlir::Location loc,
                                                    const ConvKernelSpec &spec);

/// The tile passes in order: npuk-alloc-onchip, npuk-insert-sync,
/// npuk-verify-sync (with `config`), npuk-to-aicore.
void buildTileLoweringPipeline(mlir::OpPassManager &pm,
                               llvm::StringRef config = "dv-910");

} // namespace npu::npuk

#endif // NPU_CODEGEN_NPU_TILEBUILDER_H
