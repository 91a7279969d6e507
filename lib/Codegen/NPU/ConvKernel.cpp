//===- ConvKernel.cpp - a cube conv2d tile kernel (design §7.1) -----------===//
//
// The recipe of bench/npu/conv_load3d_f16.s, generalized: copy a band of
// input rows (nc1hwc0) to L1, set_fmap for the band, load3d (img2col) into
// L0A and copy + load2d the fz weights into L0B per K chunk, mmad
// (mmad_bias on the first chunk) into L0C, fix each 16-channel block to its
// nc1hwc0 plane. No flags: npuk-insert-sync adds them.
//===----------------------------------------------------------------------===//
#include "npu/Codegen/NPU/TileBuilder.h"

#include "ConvGeometry.h"
#include "TileAnalysis.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

using namespace mlir;
using namespace npu;
using namespace npu::npuk;
using isa::Opcode;
using F = TileBuilder::Field;

static int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

int64_t npu::npuk::convInputBytes(const ConvKernelSpec &s) {
  return s.n * ceilDiv(s.c, 16) * s.h * s.w * 16 * isa::dtypeSize(s.inType);
}
int64_t npu::npuk::convWeightBytes(const ConvKernelSpec &s) {
  return fnzBytes(ceilDiv(s.c, 16) * 16 * s.kh * s.kw, s.o);
}
int64_t npu::npuk::convOutputBytes(const ConvKernelSpec &s) {
  return s.n * ceilDiv(s.o, 16) * s.outH() * s.outW() * 16 *
         isa::dtypeSize(s.outType);
}

/// K chunks per channel group up to which the K loop is fully unrolled.
static constexpr int64_t kUnrollChunks = 400;
/// K chunks per iteration of a long K loop (rounded up to whole stages).
static constexpr int64_t kLoopChunks = 8;
/// N tiles per block up to which the N loop is fully unrolled.
static constexpr int64_t kUnrollNTiles = 2;

ConvGeometry::ConvGeometry(const ConvKernelSpec &s) {
  c1 = ceilDiv(s.c, 16), o1 = ceilDiv(s.o, 16);
  ho = s.outH(), wo = s.outW();
  rowsPerTile = std::clamp<int64_t>(16 * s.mf / std::max<int64_t>(wo, 1), 1,
                                    std::max<int64_t>(ho, 1));
  tiles = ceilDiv(ho, rowsPerTile);
  mfMax = ceilDiv(rowsPerTile * wo, 16);
  nb = ceilDiv(o1, s.nf);
  bandRows = 0;
  for (int64_t t = 0; t < tiles; ++t) {
    int64_t rows = std::min(rowsPerTile, ho - t * rowsPerTile);
    int64_t top = t * rowsPerTile * s.strideH - s.padTop;
    int64_t need = (rows - 1) * convBandStep(s) + s.dilH * (s.kh - 1) + 1;
    int64_t clipTop = std::max<int64_t>(0, -top);
    int64_t clipBot = std::max<int64_t>(0, top + need - s.h);
    bandRows = std::max(bandRows, need - clipTop - clipBot);
    if (!bands.empty() && bands.back().rows == rows &&
        bands.back().clipTop == clipTop && bands.back().clipBot == clipBot)
      bands.back().t1 = t + 1;
    else
      bands.push_back({t, t + 1, rows, clipTop, clipBot});
  }
  int64_t plane = std::max<int64_t>(bandRows, 1) * s.w * 32;
  cg = std::clamp<int64_t>(s.l1BandBytes / plane, 1, c1);
  groups = ceilDiv(c1, cg);
  hoisted = groups == 1;
  nPer = std::clamp<int64_t>(s.nPerBlock, 1, std::max<int64_t>(nb, 1));
  nGroups = ceilDiv(nb, nPer);
  resident = convWeightBytes(s) <= s.l1WeightBytes;
  chunksPerTile = 0;
  for (int64_t c = c1; c > 0; c -= cg)
    chunksPerTile += ceilDiv(std::min(cg, c) * s.kh * s.kw, s.kf);
}

ConvFootprint npu::npuk::convFootprint(const ConvKernelSpec &s) {
  ConvGeometry g(s);
  ConvFootprint f;
  f.l1 = g.bandCopies(s) * g.bandBytes(s) +
         (g.resident ? g.residentBytes(s) : s.stages * s.kf * s.nf * 512) +
         (s.bias ? g.nb * s.nf * 64 : 0);
  f.l0a = s.stages * g.mfMax * s.kf * 512;
  f.l0b = s.stages * s.kf * s.nf * 512;
  f.l0c = s.l0cCopies * g.mfMax * 16 * s.nf * 16 * 4;
  return f;
}

int64_t npu::npuk::convStaticInsts(const ConvKernelSpec &s) {
  ConvGeometry g(s);
  unsigned lc = s.l0cCopies;
  int64_t bandCopyInsts = convSkipsRows(s) ? g.bandRows : 1;
  auto body = [&](int64_t nfv) {
    int64_t n = nfv; // FIX per 16 channels.
    for (int64_t c = g.c1; c > 0; c -= g.cg) {
      int64_t kfg = std::min(g.cg, c) * s.kh * s.kw;
      int64_t chunks = ceilDiv(kfg, s.kf);
      if (chunks > kUnrollChunks)
        chunks = 2 * s.stages * ceilDiv(kLoopChunks, s.stages) +
                 (kfg % s.kf ? 1 : 0);
      int64_t loads = g.resident && nfv != g.o1 ? std::min(s.kf, nfv)
                                                : ceilDiv(s.kf * nfv, 255);
      n += chunks * (3 + loads + (g.resident ? 0 : 1));
      if (!g.hoisted)
        n += 1 + bandCopyInsts;
    }
    return n;
  };
  int64_t nTail = g.o1 - (g.nb - 1) * s.nf;
  int64_t tile = body(s.nf) + (nTail != s.nf && g.nb > 1 ? body(nTail) : 0);
  int64_t perBlock =
      (g.nPer <= kUnrollNTiles ? g.nPer : lc + g.nPer % lc) * tile + 1;
  int64_t variants = int64_t(g.bands.size()) * (g.hoisted ? 2 : lc);
  return variants * perBlock +
         (g.hoisted ? 3 * int64_t(g.bands.size()) * bandCopyInsts : 0);
}

int64_t npu::npuk::convBlocks(const ConvKernelSpec &s) {
  ConvGeometry g(s);
  return g.blocks(s);
}

int64_t npu::npuk::convBandGroups(const ConvKernelSpec &s) {
  return ConvGeometry(s).groups;
}

namespace {
using Init = TileBuilder::Init;

/// A block's coordinates.
struct BlockPos {
  Value img, t, ng;
};

struct ConvEmitter {
  const ConvKernelSpec &s;
  const ConvGeometry g;
  TileBuilder &tb;
  int64_t outEs, es;
  unsigned bandCopies;
  Value x, w, y, bias;
  SmallVector<Value> band, l1b, l0a, l0b, l0c, l1bias;
  Value biasOff; // The current tile's bias in l1bias.

  ConvEmitter(const ConvKernelSpec &s, TileBuilder &tb)
      : s(s), g(s), tb(tb), outEs(isa::dtypeSize(s.outType)),
        es(isa::dtypeSize(s.inType)), bandCopies(g.bandCopies(s)) {}

  void emit();
  void copyResidentWeights();
  BlockPos decode(Value blk);
  void withBand(Value t, llvm::function_ref<void(const ConvBand &)> fn,
                size_t bi = 0);
  Value bandSource(BlockPos p, const ConvBand &bd);
  void copyBand(Value src, const ConvBand &bd, int64_t firstPlane,
                int64_t planes, unsigned bc);
  void setFmap(const ConvBand &bd, int64_t planes);
  void block(BlockPos p, const ConvBand &bd, unsigned copy);
  void tile(BlockPos p, Value col, const ConvBand &bd, unsigned cbuf,
            unsigned bc);
  void body(BlockPos p, Value col, const ConvBand &bd, int64_t nfv,
            unsigned cbuf, unsigned bc);
  void chunk(Value xk, Value boff, unsigned bc, unsigned copy, int64_t kfj,
             int64_t mv, int64_t nfv, unsigned cbuf, Init init, Value group);
  void mmad(unsigned copy, unsigned cbuf, int64_t mv, int64_t nfv, int64_t kfj,
            bool first);
};
} // namespace

void ConvEmitter::emit() {
  x = tb.gm(s.input.name, s.input.addr, s.input.size);
  w = tb.gm(s.weight.name, s.weight.addr, s.weight.size);
  y = tb.gm(s.output.name, s.output.addr, s.output.size);
  if (s.bias)
    bias = tb.gm(s.bias->name, s.bias->addr, s.bias->size);
  band = tb.slot("x_l1", isa::Buffer::L1, g.bandBytes(s), bandCopies);
  // Resident weights are padded by the fractals a full-width last N tile
  // would read, so every tile variant's reads are in bounds.
  if (g.resident)
    l1b = tb.slot("w_l1", isa::Buffer::L1, g.residentBytes(s));
  else
    l1b = tb.slot("w_l1", isa::Buffer::L1, s.kf * s.nf * 512, s.stages);
  l0a = tb.slot("x_l0", isa::Buffer::L0A, g.mfMax * s.kf * 512, s.stages);
  l0b = tb.slot("w_l0", isa::Buffer::L0B, s.kf * s.nf * 512, s.stages);
  l0c = tb.slot("y_l0", isa::Buffer::L0C, g.mfMax * 16 * s.nf * 16 * 4,
                s.l0cCopies);
  // The whole bias stays in L1 (one copy up front; at most 16 KiB),
  // padded to whole N tiles so every tile variant's read is in bounds.
  if (s.bias) {
    l1bias = tb.slot("bias_l1", isa::Buffer::L1, g.nb * s.nf * 64);
    tb.inst(Opcode::COPY_GM_L1, {{l1bias[0], tb.index(0)}, {bias, tb.index(0)}},
            {},
            {F{"nburst", 1}, F{"burstlen", 2 * g.o1}, F{"srcstride", 0},
             F{"dststride", 0}});
  }
  Value blocks = tb.index(g.blocks(s));
  // Later kernels' weights go to the L2 after this kernel's first copies,
  // which keep their place in the HBM queue.
  if (!g.hoisted) {
    copyResidentWeights();
    emitPrefetch(tb, s.prefetch, s.cores);
    return tb.forEachBlock(blocks, s.l0cCopies, [&](Value blk, unsigned c) {
      BlockPos p = decode(blk);
      withBand(p.t, [&](const ConvBand &bd) { block(p, bd, c); });
    });
  }
  // The whole band fits one L1 copy: each block copies its band once, and
  // the next block's band (this core's, `corenum` blocks on) is copied into
  // the other copy before this block computes.
  auto fetch = [&](Value blk, unsigned bc) {
    BlockPos p = decode(blk);
    withBand(p.t, [&](const ConvBand &bd) {
      copyBand(bandSource(p, bd), bd, 0, g.c1, bc);
    });
  };
  tb.ifThen(tb.lt(tb.coreId(), blocks), [&] { fetch(tb.coreId(), 0); });
  copyResidentWeights();
  emitPrefetch(tb, s.prefetch, s.cores);
  tb.forEachBlock(blocks, 2, [&](Value blk, unsigned bc) {
    Value next = tb.add(blk, tb.coreNum());
    tb.ifThen(tb.lt(next, blocks), [&] { fetch(next, 1 - bc); });
    BlockPos p = decode(blk);
    withBand(p.t, [&](const ConvBand &bd) { block(p, bd, bc); });
  });
}

/// Resident weights are copied in pieces of whole K rows (after the first
/// band), so the first chunks start before the last rows have arrived.
void ConvEmitter::copyResidentWeights() {
  if (!g.resident)
    return;
  int64_t rowBytes = g.o1 * 512, kRows = convWeightBytes(s) / rowBytes;
  int64_t per = ceilDiv(kRows, 8); // K rows per piece.
  for (int64_t r = 0; r < kRows; r += per) {
    int64_t bytes = std::min(per, kRows - r) * rowBytes;
    for (int64_t f = 0; f < bytes / 32; f += 65535)
      tb.inst(Opcode::COPY_GM_L1,
              {{l1b[0], tb.index(r * rowBytes + f * 32)},
               {w, tb.index(r * rowBytes + f * 32)}},
              {},
              {F{"nburst", 1},
               F{"burstlen", std::min<int64_t>(65535, bytes / 32 - f)},
               F{"srcstride", 0}, F{"dststride", 0}});
  }
}

/// Block = ((image * tiles) + row tile) * nGroups + N group.
BlockPos ConvEmitter::decode(Value blk) {
  Value ng = tb.remu(blk, g.nGroups), rest = tb.divu(blk, g.nGroups);
  return {tb.divu(rest, g.tiles), tb.remu(rest, g.tiles), ng};
}

/// Calls `fn` with the static band shape of row tile `t` (an if-chain over
/// the band variants).
void ConvEmitter::withBand(Value t,
                           llvm::function_ref<void(const ConvBand &)> fn,
                           size_t bi) {
  if (bi + 1 == g.bands.size())
    return fn(g.bands[bi]);
  tb.ifThen(
      tb.lt(t, tb.index(g.bands[bi].t1)), [&] { fn(g.bands[bi]); },
      [&] { withBand(t, fn, bi + 1); });
}

/// GM offset of the band's first present input row in channel plane 0.
Value ConvEmitter::bandSource(BlockPos p, const ConvBand &bd) {
  Value rowStart =
      bd.t1 - bd.t0 == 1
          ? tb.index(bd.t0 * g.rowsPerTile * s.strideH - s.padTop + bd.clipTop)
          : tb.add(tb.mul(p.t, g.rowsPerTile * s.strideH),
                   bd.clipTop - s.padTop);
  return tb.add(tb.mul(p.img, g.c1 * s.h * s.w * 16 * es),
                tb.mul(rowStart, s.w * 16 * es));
}

/// Copies channel planes [firstPlane, firstPlane + planes) of the band into
/// band copy `bc` (plane 0 of the copy holds firstPlane).
void ConvEmitter::copyBand(Value src, const ConvBand &bd, int64_t firstPlane,
                           int64_t planes, unsigned bc) {
  int64_t present = bd.present(s);
  src = tb.add(src, firstPlane * s.h * s.w * 16 * es);
  auto copyPlanes = [&](int64_t first, int64_t count) {
    tb.inst(Opcode::COPY_GM_L1,
            {{band[bc], tb.index(first * present * s.w * 32)},
             {x, tb.add(src, first * s.h * s.w * 32)}},
            {},
            {F{"nburst", count}, F{"burstlen", present * s.w},
             F{"srcstride", s.h * s.w}, F{"dststride", present * s.w}});
  };
  if (convSkipsRows(s)) {
    // One copy per input row read: that row of every plane.
    for (int64_t r = 0; r < present; ++r)
      for (int64_t p = 0; p < planes; p += 4095)
        tb.inst(Opcode::COPY_GM_L1,
                {{band[bc], tb.index((p * present + r) * s.w * 32)},
                 {x, tb.add(src, (p * s.h + r * s.strideH) * s.w * 32)}},
                {},
                {F{"nburst", std::min<int64_t>(4095, planes - p)},
                 F{"burstlen", s.w}, F{"srcstride", s.h * s.w},
                 F{"dststride", present * s.w}});
    return;
  }
  if (s.h * s.w <= 65535)
    for (int64_t p = 0; p < planes; p += 4095)
      copyPlanes(p, std::min<int64_t>(4095, planes - p));
  else
    for (int64_t p = 0; p < planes; ++p)
      copyPlanes(p, 1);
}

void ConvEmitter::setFmap(const ConvBand &bd, int64_t planes) {
  tb.inst(Opcode::SET_FMAP, {}, {},
          {F{"h", bd.present(s)}, F{"w", s.w}, F{"c1", planes},
           F{"padtop", bd.clipTop}, F{"padbottom", bd.clipBot},
           F{"padleft", s.padLeft}, F{"padright", s.padRight}});
}

/// The N tiles [ng * nPer, min(nb, (ng + 1) * nPer)) of one band; L0C
/// copies alternate from tile to tile, starting at `copy`.
void ConvEmitter::block(BlockPos p, const ConvBand &bd, unsigned copy) {
  if (g.hoisted)
    setFmap(bd, g.c1);
  Value col0 = tb.mul(p.ng, g.nPer);
  unsigned lc = s.l0cCopies;
  // Tile j > 0 of the last group is missing when nb % nPer != 0.
  bool ragged = g.nb % g.nPer != 0;
  auto at = [&](Value j, int64_t c, bool first) {
    Value col = tb.add(tb.add(col0, j), c);
    unsigned cbuf = unsigned((copy + c) % lc);
    if (first || !ragged)
      return tile(p, col, bd, cbuf, copy);
    tb.ifThen(tb.lt(col, tb.index(g.nb)),
              [&] { tile(p, col, bd, cbuf, copy); });
  };
  if (g.nPer <= kUnrollNTiles) {
    for (int64_t j = 0; j < g.nPer; ++j)
      at(tb.index(0), j, j == 0);
    return;
  }
  int64_t full = g.nPer / lc;
  tb.forLoop(tb.index(0), tb.index(full * lc), tb.index(lc), [&](Value j) {
    for (unsigned c = 0; c < lc; ++c)
      at(j, c, false);
  });
  for (int64_t j = full * lc; j < g.nPer; ++j)
    at(tb.index(0), j, false);
}

/// N tile `col` (the last one may be narrower).
void ConvEmitter::tile(BlockPos p, Value col, const ConvBand &bd, unsigned cbuf,
                       unsigned bc) {
  int64_t nTail = g.o1 - (g.nb - 1) * s.nf;
  if (nTail == s.nf || g.nb == 1)
    return body(p, col, bd, g.nb == 1 ? nTail : s.nf, cbuf, bc);
  tb.ifThen(
      tb.eq(col, g.nb - 1), [&] { body(p, col, bd, nTail, cbuf, bc); },
      [&] { body(p, col, bd, s.nf, cbuf, bc); });
}

/// One tile: bd.rows output rows x nfv channel fractals.
void ConvEmitter::body(BlockPos p, Value col, const ConvBand &bd, int64_t nfv,
                       unsigned cbuf, unsigned bc) {
  int64_t mv = bd.rows * g.wo;
  int64_t kk = s.kh * s.kw;
  Value zero = tb.index(0);
  if (s.bias)
    biasOff = tb.mul(col, s.nf * 64);
  Value xoff = g.hoisted ? Value() : bandSource(p, bd);
  Value woff = tb.mul(col, s.nf * 512);
  int64_t kfAll = g.o1; // Weight row stride in fractals.
  // Unrolled chunks rotate through the buffer copies across tiles too, so
  // the first chunk of the L0C copy 1 tile does not wait for the last one
  // of the copy 0 tile.
  int64_t seq = cbuf * g.chunksPerTile;
  for (int64_t gi = 0; gi < g.groups; ++gi) {
    int64_t cgv = std::min(g.cg, g.c1 - gi * g.cg);
    if (!g.hoisted) {
      bc = unsigned((cbuf + gi) % bandCopies);
      copyBand(xoff, bd, gi * g.cg, cgv, bc);
      setFmap(bd, cgv);
    }
    // K of this group: cgv * kh * kw fractals in chunks of kf; a long K
    // runs in a loop of `per` chunks (a multiple of `stages`), then the
    // leftovers with static sizes. Short K loops are unrolled whole: each
    // loop iteration costs about one buffer round trip in the sync
    // insertion, so iterations hold several chunks.
    int64_t kfg = cgv * kk, full = kfg / s.kf, tailKf = kfg % s.kf;
    int64_t per = s.stages * ceilDiv(kLoopChunks, s.stages);
    int64_t loops = full + (tailKf ? 1 : 0) <= kUnrollChunks ? 0 : full / per;
    int64_t kbase = gi * g.cg * kk; // First K fractal of the group.
    int64_t bChunk = s.kf * kfAll * 512;
    Value gw = tb.add(woff, kbase * kfAll * 512);
    if (loops > 0)
      tb.forLoop(zero, tb.index(loops), tb.index(1), [&](Value it) {
        Value xk0 = tb.mul(it, per * s.kf);
        Value w0 = tb.add(gw, tb.mul(it, per * bChunk));
        for (int64_t cp = 0; cp < per; ++cp) {
          Init init = gi > 0 || cp > 0 ? Init::Acc : Init::FirstOfLoop;
          chunk(tb.add(xk0, cp * s.kf), tb.add(w0, cp * bChunk), bc,
                unsigned(cp % s.stages), s.kf, mv, nfv, cbuf, init, it);
        }
      });
    for (int64_t j = loops * per; j < full + (tailKf ? 1 : 0); ++j)
      chunk(tb.index(j * s.kf), tb.add(gw, j * bChunk), bc,
            unsigned((seq + j - loops * per) % s.stages),
            j < full ? s.kf : tailKf, mv, nfv, cbuf,
            gi == 0 && j == 0 ? Init::Zero : Init::Acc, Value());
    seq += full + (tailKf ? 1 : 0) - loops * per;
  }
  // L0C is [nfv][16 mfv][16]: each 16-channel block is one pixel band of
  // its output plane. A ragged band uses ND mode (row stride 16, the same
  // bytes) so the write covers exactly its rows.
  int64_t mfv = ceilDiv(mv, 16);
  int64_t plane = g.ho * g.wo * 16 * outEs;
  Value yoff =
      tb.add(tb.add(tb.mul(p.img, g.o1 * plane), tb.mul(col, s.nf * plane)),
             tb.mul(p.t, g.rowsPerTile * g.wo * 16 * outEs));
  for (int64_t j = 0; j < nfv; ++j)
    tb.inst(Opcode::FIX_GM,
            {{y, tb.add(yoff, j * plane)},
             {l0c[cbuf], tb.index(j * mfv * 16 * 16 * 4)}},
            {zero},
            {F{"type", int64_t(s.outType)},
             F{"srctype", int64_t(isa::DType::F32)}, F{"m", mv}, F{"n", 16},
             F{"dststride", 16}, F{"relu", s.relu ? 1 : 0},
             F{"nz2nd", mv % 16 ? 1 : 0}});
}

/// One K chunk of kfj fractals starting at fractal column `xk` of the band;
/// `boff` is the chunk's weight slice in the fz weight (GM or resident L1).
void ConvEmitter::chunk(Value xk, Value boff, unsigned bc, unsigned copy,
                        int64_t kfj, int64_t mv, int64_t nfv, unsigned cbuf,
                        Init init, Value group) {
  Value zero = tb.index(0);
  tb.inst(Opcode::LOAD3D, {{l0a[copy], zero}, {band[bc], zero}}, {zero, xk},
          {F{"type", int64_t(s.inType)}, F{"kh", s.kh}, F{"kw", s.kw},
           F{"sh", convBandStep(s)}, F{"sw", s.strideW}, F{"dh", s.dilH},
           F{"dw", s.dilW}, F{"mfrac", ceilDiv(mv, 16)}, F{"kfrac", kfj}});
  if (g.resident && nfv != g.o1 && nfv < kfj) {
    // The [kfj][nfv] slice of the whole fz weight ([K][o1] fractals), one
    // N column (kfj fractals o1 apart) at a time.
    for (int64_t c = 0; c < nfv; ++c)
      tb.inst(Opcode::LOAD2D_B,
              {{l0b[copy], tb.index(c * 512)}, {l1b[0], tb.add(boff, c * 512)}},
              {},
              {F{"repeat", kfj}, F{"srcstride", g.o1}, F{"dststride", nfv},
               F{"transpose", 0}});
  } else if (g.resident && nfv != g.o1) {
    // The same slice one K row (nfv contiguous fractals) at a time.
    for (int64_t r = 0; r < kfj; ++r)
      tb.loadFractalsB({l0b[copy], tb.index(r * nfv * 512)},
                       {l1b[0], tb.add(boff, r * g.o1 * 512)}, nfv);
  } else {
    TileBuilder::Addr src{l1b[0], boff};
    if (!g.resident) {
      tb.copyFzSlice({l1b[copy], zero}, {w, boff}, kfj, nfv, g.o1);
      src = {l1b[copy], zero};
    }
    // The slice's fractals are contiguous, already in L0B order.
    tb.loadFractalsB({l0b[copy], zero}, src, kfj * nfv);
  }
  tb.mmadAs(init, group,
            [&](bool first) { mmad(copy, cbuf, mv, nfv, kfj, first); });
}

void ConvEmitter::mmad(unsigned copy, unsigned cbuf, int64_t mv, int64_t nfv,
                       int64_t kfj, bool first) {
  Value zero = tb.index(0);
  std::optional<TileBuilder::Addr> b;
  if (s.bias)
    b = TileBuilder::Addr{l1bias[0], biasOff};
  tb.mmad({l0c[cbuf], zero}, {l0a[copy], zero}, {l0b[copy], zero}, b, s.inType,
          mv, nfv * 16, 16 * kfj, first);
}

/// Checks what the ISA and the layouts need; the message says why not.
std::string npu::npuk::convSpecError(const ConvKernelSpec &s) {
  auto str = [](int64_t v) { return std::to_string(v); };
  auto dt = [](isa::DType t) { return isa::dtypeName(t).str(); };
  if (s.n < 1 || s.c < 1 || s.h < 1 || s.w < 1 || s.o < 1)
    return "N, C, H, W and O must be positive";
  if (s.kh < 1 || s.kh > 255 || s.kw < 1 || s.kw > 255)
    return "kernel " + str(s.kh) + "x" + str(s.kw) +
           ": load3d takes sizes in 1..255";
  if (s.strideH < 1 || s.strideH > 63 || s.strideW < 1 || s.strideW > 63)
    return "stride " + str(s.strideH) + "x" + str(s.strideW) +
           ": load3d takes strides in 1..63";
  if (s.dilH < 1 || s.dilH > 15 || s.dilW < 1 || s.dilW > 15)
    return "dilation " + str(s.dilH) + "x" + str(s.dilW) +
           ": load3d takes dilations in 1..15";
  for (int64_t p : {s.padTop, s.padBottom, s.padLeft, s.padRight})
    if (p < 0 || p > 255)
      return "padding " + str(p) + ": set_fmap takes 0..255";
  if (s.h > 8191 || s.w > 8191)
    return "input " + str(s.h) + "x" + str(s.w) +
           ": set_fmap takes heights and widths up to 8191";
  if (s.outH() < 1 || s.outW() < 1)
    return "the dilated kernel is larger than the padded input";
  if (s.inType != isa::DType::F16 && s.inType != isa::DType::BF16)
    return "the input type must be f16 or bf16, not " + dt(s.inType);
  if (s.outType != isa::DType::F16 && s.outType != isa::DType::BF16 &&
      s.outType != isa::DType::F32)
    return "the output type must be f16, bf16 or f32, not " + dt(s.outType);
  for (auto [v, name] : {std::pair{s.mf, "mf"}, {s.nf, "nf"}, {s.kf, "kf"}})
    if (v < 1 || v > 255)
      return std::string(name) + " = " + str(v) +
             " must be in 1..255 (mmad m, n, k <= 4095)";
  if (s.stages < 1 || s.stages > 4)
    return "stages must be in 1..4";
  if (s.l0cCopies < 1 || s.l0cCopies > 2)
    return "l0cCopies must be 1 or 2";
  if (s.nPerBlock < 1)
    return "nPerBlock must be at least 1";
  if (s.cores < 1 || s.cores > 4096)
    return "cores must be in 1..4096";
  ConvGeometry g(s);
  if (g.mfMax > 255)
    return "an output row of " + str(g.wo) +
           " pixels is more than one cube tile can take (4080)";
  for (const ConvBand &b : g.bands)
    if (b.present(s) < 1)
      return "output rows " + str(b.t0 * g.rowsPerTile) +
             ".. read only padding (padding >= kernel extent); set_fmap "
             "needs at least one input row";
  if (g.bandRows * s.w > 65535)
    return "a band of " + str(g.bandRows) + " input rows of width " + str(s.w) +
           " is too long for one copy burst";
  if (!g.resident && g.o1 % s.nf)
    return "streamed weights need ceil(O/16) = " + str(g.o1) +
           " to be a multiple of nf = " + str(s.nf) +
           " (a full-width copy of the last N tile would read past the "
           "weights)";
  if (g.o1 * 16 > 65535)
    return "O = " + str(s.o) + " is too large for the weight copy stride";
  std::vector<std::pair<const GMRegion *, int64_t>> regions = {
      {&s.input, convInputBytes(s)},
      {&s.weight, convWeightBytes(s)},
      {&s.output, convOutputBytes(s)}};
  if (s.bias)
    regions.push_back({&*s.bias, g.o1 * 16 * 4});
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

FailureOr<func::FuncOp> npu::npuk::buildConvKernel(ModuleOp module,
                                                   Location loc,
                                                   const ConvKernelSpec &spec) {
  if (std::string err = convSpecError(spec); !err.empty())
    return emitError(loc) << "conv kernel '" << spec.name << "': " << err;
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  auto f = b.create<func::FuncOp>(loc, spec.name, b.getFunctionType({}, {}));
  f->setAttr(kCoresAttr, b.getI64IntegerAttr(spec.cores));
  b.setInsertionPointToStart(f.addEntryBlock());
  TileBuilder tb(b, loc);
  ConvEmitter(spec, tb).emit();
  b.create<func::ReturnOp>(loc);
  return f;
}
