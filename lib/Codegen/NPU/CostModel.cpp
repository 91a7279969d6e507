//===- CostModel.cpp - tile plans for the cube kernels (design §6) --------===//
//
// The estimate follows one core through its share of the blocks: per K
// chunk the copies and the cube overlap through `stages` buffer copies in
// two rings (a chunk costs its slowest pipe, or a ring's round trip spread
// over the copies, whichever is larger), FIX overlaps the next tile when
// L0C has two copies, and a band copied once per block is prefetched.
// Totals are then bounded below by each pipe's busy cycles and the shared
// bandwidths. docs/npu-target.md ("Tiling cost model") has the formulas.
//===----------------------------------------------------------------------===//
#include "npu/Codegen/NPU/CostModel.h"

#include "ConvGeometry.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"
#include <cmath>
#include <set>
#include <tuple>

using namespace npu;
using namespace npu::npuk;

static int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// Static code size above which plans are avoided: npuk-insert-sync's
/// analysis grows about cubically with it (~0.5 s at 900 instructions).
static constexpr int64_t kMaxStaticInsts = 350;

namespace {
/// Rates and latency one core of `cores` sees.
struct Rates {
  double rd, wr, lat, writeLat;
  Rates(const sim::Config &cfg, double cores) {
    double shared = cfg.l2Size ? cfg.l2Bandwidth : cfg.gmBandwidth;
    rd = std::min(cfg.gmReadPort, shared / cores);
    wr = std::min(cfg.gmWritePort, shared / cores);
    lat = cfg.gmLatency;
    writeLat = cfg.l2Size ? cfg.l2Latency : cfg.gmLatency;
  }
};
} // namespace

KernelEstimate npu::npuk::estimateConv(const ConvKernelSpec &s,
                                       const sim::Config &cfg) {
  ConvGeometry g(s);
  int64_t blocks = g.blocks(s);
  double cores =
      double(std::max<int64_t>(1, std::min<int64_t>(s.cores, blocks)));
  Rates r(cfg, cores);
  double outEs = isa::dtypeSize(s.outType);
  double cubeRate = cfg.cubeCyclesPerFractal;
  int64_t kk = s.kh * s.kw;
  double wBytes = double(convWeightBytes(s));

  // Pipe busy cycles and time of a piece of work.
  struct Cost {
    double t = 0, cube = 0, mte1 = 0, mte2 = 0, fix = 0;
    void add(const Cost &o, double times) {
      t += o.t * times, cube += o.cube * times, mte1 += o.mte1 * times;
      mte2 += o.mte2 * times, fix += o.fix * times;
    }
  };
  double firstChunk = 0;
  // One chunk of kfj fractals; in steady state it costs the slowest pipe,
  // or its round trip (copy latency included) spread over the copies.
  auto chunk = [&](int64_t mfv, int64_t nfv, int64_t kfj) {
    Cost c;
    c.cube = mfv * nfv * kfj * cubeRate;
    c.mte1 = std::ceil(mfv * kfj * 512 / cfg.l1ToL0A) +
             std::ceil(kfj * nfv * 512 / cfg.l1ToL0B);
    c.mte2 = g.resident ? 0 : kfj * nfv * 512 / r.rd;
    // Two rings of `stages` buffers: an L1 copy is free once MTE1 has
    // read it (latency + copy + load), an L0 copy once the cube has.
    double l1Ring = g.resident ? 0 : r.lat + c.mte2 + c.mte1;
    double l0Ring = c.mte1 + c.cube;
    if (firstChunk == 0)
      firstChunk = l1Ring + c.cube;
    c.t = std::max(
        {c.cube, c.mte1, c.mte2, l1Ring / s.stages, l0Ring / s.stages});
    return c;
  };
  // One tile: nfv fractals over mv pixels of a band with `planeBytes` per
  // channel plane.
  auto tile = [&](int64_t mv, int64_t nfv, double planeBytes) {
    int64_t mfv = ceilDiv(mv, 16);
    Cost t;
    for (int64_t gi = 0; gi < g.groups; ++gi) {
      int64_t cgv = std::min(g.cg, g.c1 - gi * g.cg), kfg = cgv * kk;
      Cost group;
      group.add(chunk(mfv, nfv, s.kf), double(kfg / s.kf));
      if (kfg % s.kf)
        group.add(chunk(mfv, nfv, kfg % s.kf), 1);
      if (!g.hoisted) {
        double load = cgv * planeBytes / r.rd;
        group.mte2 += load;
        group.t = std::max(group.t, load + (gi == 0 ? r.lat : 0));
      }
      t.add(group, 1);
    }
    t.fix = nfv * std::ceil(mv * 16 * outEs / r.wr);
    // An L0C copy is free again once its FIX has landed in GM.
    t.t = std::max(
        {t.t, t.fix, (t.t + t.fix + r.writeLat) / double(s.l0cCopies)});
    return t;
  };
  int64_t nTail = g.o1 - (g.nb - 1) * s.nf;
  int64_t lastTiles = g.nb - (g.nGroups - 1) * g.nPer;
  Cost all;
  double firstBand = 0, lastFix = 0;
  for (const ConvBand &bd : g.bands) {
    double rowTiles = double(s.n * (bd.t1 - bd.t0));
    int64_t mv = bd.rows * g.wo;
    double planeBytes = double(bd.present(s) * s.w * 32);
    double band = g.hoisted ? g.c1 * planeBytes / r.rd : 0;
    if (firstBand == 0)
      firstBand = band;
    Cost full = tile(mv, s.nf, planeBytes), last = tile(mv, nTail, planeBytes);
    lastFix = last.fix;
    // A block costs its tiles or its band copy (prefetched), whichever is
    // longer; the last N group may be short.
    Cost row;
    row.add(full, double(g.nb - 1));
    row.add(last, 1);
    row.mte2 += band * g.nGroups;
    row.t = std::max(full.t * g.nPer, band) * (g.nGroups - 1) +
            std::max(full.t * (lastTiles - 1) + last.t, band);
    all.add(row, rowTiles);
  }
  // The busiest core runs ceil(blocks / cores) of the blocks.
  double share = std::ceil(blocks / cores) / double(blocks);
  KernelEstimate e;
  e.cube = all.cube * share, e.mte1 = all.mte1 * share;
  e.fix = all.fix * share;
  e.mte2 = all.mte2 * share + (g.resident ? wBytes / r.rd : 0);
  double prologue = (g.resident ? wBytes / r.rd + r.lat : 0) + firstBand +
                    (g.hoisted ? r.lat : 0) + firstChunk;
  double epilogue = lastFix + r.writeLat;
  double pipelined = all.t * share + prologue + epilogue;
  // Shared limits: every byte crosses the L2 (or HBM), weights come from HBM.
  double bytes =
      (all.mte2 * r.rd + all.fix * r.wr) + (g.resident ? wBytes * cores : 0);
  double sharedBw = cfg.l2Size ? cfg.l2Bandwidth : cfg.gmBandwidth;
  double gm = std::max(bytes / sharedBw, wBytes / cfg.gmBandwidth);
  e.cycles = std::max({pipelined, e.cube, e.mte1, e.mte2, e.fix, gm});
  std::pair<double, const char *> pipes[] = {{e.cube, "M"},
                                             {e.mte1, "MTE1"},
                                             {e.mte2, "MTE2"},
                                             {e.fix, "FIX"},
                                             {gm, "GM"}};
  auto top = *llvm::max_element(
      pipes, [](auto &a, auto &b) { return a.first < b.first; });
  e.bound = top.first >= 0.85 * e.cycles ? top.second : "latency";
  return e;
}

std::string npu::npuk::convBudgetError(const ConvKernelSpec &s,
                                       const sim::Config &cfg) {
  ConvFootprint f = convFootprint(s);
  auto over = [](const char *buf, int64_t need, uint64_t have) {
    return need <= int64_t(have)
               ? std::string()
               : std::string(buf) + " needs " + std::to_string(need) +
                     " bytes, has " + std::to_string(have) + " (short by " +
                     std::to_string(need - int64_t(have)) + ")";
  };
  for (std::string e :
       {over("L1", f.l1, cfg.l1Size), over("L0A", f.l0a, cfg.l0aSize),
        over("L0B", f.l0b, cfg.l0bSize), over("L0C", f.l0c, cfg.l0cSize)})
    if (!e.empty())
      return e;
  return "";
}

llvm::Expected<ConvPlans> npu::npuk::planConv(const ConvKernelSpec &shape,
                                              const sim::Config &cfg,
                                              unsigned maxCores,
                                              unsigned keep) {
  int64_t c1 = ceilDiv(shape.c, 16), o1 = ceilDiv(shape.o, 16);
  int64_t wo = std::max<int64_t>(1, shape.outW());
  int64_t ho = std::max<int64_t>(1, shape.outH());
  int64_t kTot = c1 * shape.kh * shape.kw;
  // M tiles of whole output rows: one mf per distinct row count.
  std::set<int64_t> mfs;
  for (int64_t rows = 1; rows <= ho; ++rows)
    if (int64_t mf = ceilDiv(rows * wo, 16); mf <= 64)
      mfs.insert(mf);
  std::vector<int64_t> nfs, kfs;
  for (int64_t nf : {1, 2, 3, 4, 6, 8, 12, 16})
    if (nf <= o1)
      nfs.push_back(nf);
  if (o1 < 16 && !llvm::is_contained(nfs, o1))
    nfs.push_back(o1);
  for (int64_t kf : {1, 2, 3, 4, 6, 8, 9, 12, 16})
    if (kf <= kTot)
      kfs.push_back(kf);

  ConvPlans plans;
  std::string budgetError, specError;
  bool specOk = false; // Some plan the ISA can express.
  // Ranking: estimate (code beyond kMaxStaticInsts only if nothing smaller
  // fits), then the larger tile.
  auto key = [](const ConvPlan &p) {
    bool big = convStaticInsts(p.spec) > kMaxStaticInsts;
    return std::make_tuple(big, std::round(p.estimate.cycles),
                           -p.spec.mf * p.spec.nf * p.spec.kf);
  };
  auto sameTiles = [](const ConvKernelSpec &a, const ConvKernelSpec &b) {
    return a.mf == b.mf && a.nf == b.nf && a.kf == b.kf && a.stages == b.stages;
  };
  // Streamed bands are kept apart: their estimate is the least reliable
  // (copy latency chains through two band copies), so they join the
  // timed plans as extras instead of displacing whole-band plans.
  std::vector<ConvPlan> streamed;
  auto consider = [&](const ConvPlan &p, std::vector<ConvPlan> &list,
                      size_t size) {
    auto k = key(p);
    auto it = llvm::find_if(
        list, [&](const ConvPlan &q) { return sameTiles(p.spec, q.spec); });
    if (it != list.end()) {
      if (!(k < key(*it)))
        return;
      list.erase(it);
    }
    auto pos =
        llvm::find_if(list, [&](const ConvPlan &q) { return k < key(q); });
    list.insert(pos, p);
    if (list.size() > size)
      list.pop_back();
  };
  for (int64_t mf : mfs)
    for (int64_t nf : nfs)
      for (int64_t kf : kfs)
        for (bool resident : {true, false})
          for (unsigned stages : {2u, 3u}) {
            ConvKernelSpec s = shape;
            s.mf = mf, s.nf = nf, s.kf = kf, s.stages = stages;
            s.l0cCopies = 2;
            s.l1WeightBytes = resident ? INT64_MAX : 0;
            if (resident && convWeightBytes(s) > int64_t(cfg.l1Size) / 2)
              continue;
            // The band gets what L1 has left, in two copies.
            ConvGeometry g0(s);
            int64_t others =
                convFootprint(s).l1 - g0.bandCopies(s) * g0.bandBytes(s);
            int64_t maxBand = (int64_t(cfg.l1Size) - others) / 2;
            if (maxBand <= 0)
              continue;
            // The band in as few copies as fit, or streamed in channel
            // groups of 1, 2 or 4 K chunks: the cube then starts on the
            // first group instead of waiting for the whole band.
            int64_t plane = std::max<int64_t>(g0.bandRows, 1) * s.w * 32;
            std::set<int64_t> bandBytes{maxBand};
            for (int64_t m : {1, 2, 4})
              if (int64_t cg = ceilDiv(m * kf, shape.kh * shape.kw);
                  cg < std::min(c1, maxBand / plane))
                bandBytes.insert(cg * plane);
            int64_t nb = ceilDiv(o1, nf);
            std::set<int64_t> nPers;
            for (int64_t sn = 1; sn <= nb; ++sn)
              nPers.insert(ceilDiv(nb, sn));
            for (int64_t band : bandBytes)
              for (int64_t nPer : nPers) {
              s.l1BandBytes = band;
              s.nPerBlock = nPer;
              s.cores = unsigned(std::max<int64_t>(
                  1, std::min<int64_t>(maxCores, convBlocks(s))));
              if (std::string err = convSpecError(s); !err.empty()) {
                if (specError.empty())
                  specError = err;
                continue;
              }
              specOk = true;
              if (std::string err = convBudgetError(s, cfg); !err.empty()) {
                if (budgetError.empty())
                  budgetError = err;
                continue;
              }
              ++plans.candidates;
              if (band == maxBand)
                consider({s, estimateConv(s, cfg)}, plans.best, keep);
              else
                consider({s, estimateConv(s, cfg)}, streamed, 1);
            }
          }
  if (plans.best.empty() || keep > 1)
    llvm::append_range(plans.best, streamed);
  if (plans.best.empty())
    return llvm::createStringError(
        "no tile plan fits: " +
        (specOk               ? budgetError
         : !specError.empty() ? specError
                              : std::string("no M tile of whole output rows "
                                            "fits in 64 fractals")));
  return plans;
}
