//===- MatmulKernel.cpp - a cube matmul tile kernel (design §7.1) ---------===//
//
// The recipe of bench/npu/gemm_f16.s, generalized: nd2nz A and copy B (fnz)
// into L1, load2d into L0A/L0B, mmad (mmad_bias on the first chunk) into
// L0C, fix to GM. No flags: npuk-insert-sync adds them.
//===----------------------------------------------------------------------===//
#include "npu/Codegen/NPU/TileBuilder.h"

#include "TileAnalysis.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

using namespace mlir;
using namespace npu;
using namespace npu::npuk;
using isa::Opcode;
using F = TileBuilder::Field;

static int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

int64_t npu::npuk::fnzBytes(int64_t k, int64_t n) {
  return ceilDiv(k, 16) * ceilDiv(n, 16) * 512;
}

namespace {
using Init = TileBuilder::Init;

struct MatmulEmitter {
  const MatmulKernelSpec &s;
  TileBuilder &tb;
  int64_t es, outEs, tileM, tileN, kfAll, nfAll, mb, nb;
  bool aResident; // All of A (one row block) stays in L1.
  Value a, b, c, bias;
  Value aRow; // GM offset of the current tile's first A row.
  SmallVector<Value> l1a, l1b, l0a, l0b, l0c, l1bias;

  MatmulEmitter(const MatmulKernelSpec &s, TileBuilder &tb)
      : s(s), tb(tb), es(isa::dtypeSize(s.inType)),
        outEs(isa::dtypeSize(s.outType)), tileM(16 * s.mf), tileN(16 * s.nf),
        kfAll(s.k / 16), nfAll(ceilDiv(s.n, 16)), mb(ceilDiv(s.m, tileM)),
        nb(ceilDiv(s.n, tileN)),
        aResident(mb == 1 && tileM * s.k * es <= s.aResidentBytes &&
                  s.k < (1 << 13)) {}

  void emit();
  void tile(Value blk, unsigned cbuf);
  void body(Value row, Value col, int64_t mv, int64_t nv, unsigned cbuf);
  void chunk(Value kfrac, Value boff, unsigned copy, int64_t kfj, int64_t mv,
             int64_t nv, unsigned cbuf, Init init, Value group);
  void mmad(unsigned copy, unsigned cbuf, int64_t mv, int64_t nv, int64_t kfj,
            bool first);
};
} // namespace

void MatmulEmitter::emit() {
  a = tb.gm(s.a.name, s.a.addr, s.a.size);
  b = tb.gm(s.b.name, s.b.addr, s.b.size);
  c = tb.gm(s.c.name, s.c.addr, s.c.size);
  if (s.bias)
    bias = tb.gm(s.bias->name, s.bias->addr, s.bias->size);
  if (aResident)
    l1a = tb.slot("a_l1", isa::Buffer::L1, tileM * s.k * es);
  else
    l1a = tb.slot("a_l1", isa::Buffer::L1, s.kf * s.mf * 512, s.stages);
  l1b = tb.slot("b_l1", isa::Buffer::L1, s.kf * s.nf * 512, s.stages);
  l0a = tb.slot("a_l0", isa::Buffer::L0A, s.mf * s.kf * 512, s.stages);
  l0b = tb.slot("b_l0", isa::Buffer::L0B, s.kf * s.nf * 512, s.stages);
  l0c = tb.slot("c_l0", isa::Buffer::L0C, tileM * tileN * 4, s.l0cCopies);
  if (s.bias)
    l1bias = tb.slot("bias_l1", isa::Buffer::L1, tileN * 4, s.l0cCopies);
  // One row block: A is copied once ([K fractal][16 mf][16], NZ) and every
  // tile's K chunks read their slice of it.
  if (aResident)
    tb.inst(Opcode::ND2NZ, {{l1a[0], tb.index(0)}, {a, tb.index(0)}}, {},
            {F{"type", int64_t(s.inType)}, F{"rows", s.m}, F{"cols", s.k},
             F{"srcstride", s.k}, F{"dstrows", tileM}});
  emitPrefetch(tb, s.prefetch, s.cores);
  tb.forEachBlock(tb.index(mb * nb), s.l0cCopies,
                  [&](Value blk, unsigned cbuf) { tile(blk, cbuf); });
}

/// Block `blk` in L0C copy `cbuf`; ragged edges take their own code.
void MatmulEmitter::tile(Value blk, unsigned cbuf) {
  Value row = tb.divu(blk, nb), col = tb.remu(blk, nb);
  int64_t mTail = s.m - (mb - 1) * tileM, nTail = s.n - (nb - 1) * tileN;
  auto rows = [&](int64_t nv) {
    if (mTail == tileM || mb == 1)
      return body(row, col, mb == 1 ? mTail : tileM, nv, cbuf);
    tb.ifThen(
        tb.eq(row, mb - 1), [&] { body(row, col, mTail, nv, cbuf); },
        [&] { body(row, col, tileM, nv, cbuf); });
  };
  if (nTail == tileN || nb == 1)
    return rows(nb == 1 ? nTail : tileN);
  tb.ifThen(
      tb.eq(col, nb - 1), [&] { rows(nTail); }, [&] { rows(tileN); });
}

/// One tile of mv x nv valid elements: the K loop in chunks, then FIX.
void MatmulEmitter::body(Value row, Value col, int64_t mv, int64_t nv,
                         unsigned cbuf) {
  int64_t nfv = ceilDiv(nv, 16);
  if (s.bias)
    tb.inst(Opcode::COPY_GM_L1,
            {{l1bias[cbuf], tb.index(0)}, {bias, tb.mul(col, tileN * 4)}}, {},
            {F{"nburst", 1}, F{"burstlen", 2 * nfv}, F{"srcstride", 0},
             F{"dststride", 0}});
  aRow = tb.mul(row, tileM * s.k * es);
  Value boff = tb.mul(col, s.nf * 512);
  int64_t bChunk = s.kf * nfAll * 512;
  int64_t full = kfAll / s.kf, tailKf = kfAll % s.kf;
  int64_t groups = full / s.stages;
  // Groups of `stages` chunks, one per buffer copy; the first chunk of the
  // first group initializes the accumulator.
  if (groups > 0)
    tb.forLoop(tb.index(0), tb.index(groups), tb.index(1), [&](Value g) {
      Value gk = tb.mul(g, s.stages * s.kf);
      Value gb = tb.add(boff, tb.mul(g, s.stages * bChunk));
      for (unsigned cp = 0; cp < s.stages; ++cp)
        chunk(tb.add(gk, cp * s.kf), tb.add(gb, cp * bChunk), cp, s.kf, mv, nv,
              cbuf, cp == 0 ? Init::FirstOfLoop : Init::Acc, g);
    });
  // Chunks left over, then the short one: their sizes are static.
  for (int64_t j = groups * s.stages; j < full + (tailKf ? 1 : 0); ++j)
    chunk(tb.index(j * s.kf), tb.add(boff, j * bChunk),
          unsigned(j - groups * s.stages), j < full ? s.kf : tailKf, mv, nv,
          cbuf, j == 0 ? Init::Zero : Init::Acc, Value());
  Value coff =
      tb.add(tb.mul(row, tileM * s.n * outEs), tb.mul(col, tileN * outEs));
  tb.inst(Opcode::FIX_GM, {{c, coff}, {l0c[cbuf], tb.index(0)}}, {tb.index(0)},
          {F{"type", int64_t(s.outType)},
           F{"srctype", int64_t(isa::DType::F32)}, F{"m", mv}, F{"n", nv},
           F{"dststride", s.n}, F{"relu", s.relu ? 1 : 0}, F{"nz2nd", 1}});
}

/// One K chunk of kfj fractals from K fractal `kfrac` on, through buffer
/// copy `copy`.
void MatmulEmitter::chunk(Value kfrac, Value boff, unsigned copy, int64_t kfj,
                          int64_t mv, int64_t nv, unsigned cbuf, Init init,
                          Value group) {
  int64_t mfv = ceilDiv(mv, 16), nfv = ceilDiv(nv, 16);
  Value zero = tb.index(0);
  // A's chunk in L1 (NZ, [K fractal][16 mf][16]): a slice of the resident
  // A, or copied now.
  TileBuilder::Addr l1Chunk{l1a[0], tb.mul(kfrac, s.mf * 512)};
  if (!aResident) {
    tb.inst(Opcode::ND2NZ,
            {{l1a[copy], zero}, {a, tb.add(aRow, tb.mul(kfrac, 16 * es))}}, {},
            {F{"type", int64_t(s.inType)}, F{"rows", mv}, F{"cols", 16 * kfj},
             F{"srcstride", s.k}, F{"dstrows", tileM}});
    l1Chunk = {l1a[copy], zero};
  }
  tb.copyFzSlice({l1b[copy], zero}, {b, boff}, kfj, nfv, nfAll);
  // L1 holds A as [kfj][16 mf][16] (NZ); L0A wants fractal (i, j) at
  // (i * kfj + j) * 512: one load2d per K fractal column.
  for (int64_t j = 0; j < kfj; ++j)
    tb.inst(Opcode::LOAD2D_A,
            {{l0a[copy], tb.index(j * 512)},
             {l1Chunk.base, tb.add(l1Chunk.offset, j * s.mf * 512)}},
            {},
            {F{"repeat", mfv}, F{"srcstride", 1}, F{"dststride", kfj},
             F{"transpose", 0}});
  // B's fractals are already in L0B order ([kfj][nfv], n-major inside).
  tb.loadFractalsB({l0b[copy], zero}, {l1b[copy], zero}, kfj * nfv);
  tb.mmadAs(init, group,
            [&](bool first) { mmad(copy, cbuf, mv, nv, kfj, first); });
}

void MatmulEmitter::mmad(unsigned copy, unsigned cbuf, int64_t mv, int64_t nv,
                         int64_t kfj, bool first) {
  Value zero = tb.index(0);
  std::optional<TileBuilder::Addr> b;
  if (s.bias)
    b = TileBuilder::Addr{l1bias[cbuf], zero};
  tb.mmad({l0c[cbuf], zero}, {l0a[copy], zero}, {l0b[copy], zero}, b, s.inType,
          mv, nv, 16 * kfj, first);
}

/// Checks what the ISA and the layouts need; the message says why not.
static std::string checkSpec(const MatmulKernelSpec &s) {
  auto dt = [](isa::DType t) { return isa::dtypeName(t).str(); };
  if (s.m < 1 || s.n < 1 || s.k < 1)
    return "M, N and K must be positive";
  if (s.k % 16)
    return "K = " + std::to_string(s.k) +
           " must be a multiple of 16: nd2nz loads whole 16-element column "
           "blocks of the row-major A (pad A's rows)";
  if (s.inType != isa::DType::F16 && s.inType != isa::DType::BF16)
    return "the input type must be f16 or bf16, not " + dt(s.inType);
  if (s.outType != isa::DType::F16 && s.outType != isa::DType::BF16 &&
      s.outType != isa::DType::F32)
    return "the output type must be f16, bf16 or f32, not " + dt(s.outType);
  for (auto [v, name] : {std::pair{s.mf, "mf"}, {s.nf, "nf"}, {s.kf, "kf"}})
    if (v < 1 || v > 255)
      return std::string(name) + " = " + std::to_string(v) +
             " must be in 1..255 (mmad m, n, k <= 4095)";
  if (s.stages < 1 || s.stages > 4)
    return "stages must be in 1..4";
  if (s.l0cCopies < 1 || s.l0cCopies > 2)
    return "l0cCopies must be 1 or 2";
  if (s.cores < 1 || s.cores > 4096)
    return "cores must be in 1..4096";
  if (ceilDiv(s.n, 16) * 16 > 65535 || s.k >= (1 << 20) || s.n >= (1 << 20))
    return "N or K is too large for the copy and fix strides";
  std::vector<std::pair<const GMRegion *, int64_t>> regions = {
      {&s.a, s.m * s.k * isa::dtypeSize(s.inType)},
      {&s.b, fnzBytes(s.k, s.n)},
      {&s.c, s.m * s.n * isa::dtypeSize(s.outType)}};
  if (s.bias)
    regions.push_back({&*s.bias, ceilDiv(s.n, 16) * 16 * 4});
  for (auto [r, need] : regions)
    if (std::string err = gmRegionError(*r, need); !err.empty())
      return err;
  for (size_t i = 0; i < regions.size(); ++i)
    for (size_t j = i + 1; j < regions.size(); ++j)
      if (std::string err =
              gmOverlapError(*regions[i].first, *regions[j].first);
          !err.empty())
        return err;
  return "";
}

FailureOr<func::FuncOp>
npu::npuk::buildMatmulKernel(ModuleOp module, Location loc,
                             const MatmulKernelSpec &spec) {
  if (std::string err = checkSpec(spec); !err.empty())
    return emitError(loc) << "matmul kernel '" << spec.name << "': " << err;
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  auto f = b.create<func::FuncOp>(loc, spec.name, b.getFunctionType({}, {}));
  f->setAttr(kCoresAttr, b.getI64IntegerAttr(spec.cores));
  b.setInsertionPointToStart(f.addEntryBlock());
  TileBuilder tb(b, loc);
  MatmulEmitter(spec, tb).emit();
  b.create<func::ReturnOp>(loc);
  return f;
}
