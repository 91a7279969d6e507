//===- RowKernel.cpp - softmax and layer norm as vector kernels -----------===//
//
// Design §7.2 "Row reductions in ND". Per tile of R rows: MTE2 copies the
// rows (one contiguous run) to UB, V converts them to fp32 (flat), reduces
// each row, broadcasts the row statistics and applies them, converts back;
// MTE3 copies the tile out. Rows keep their flat positions, so a row may
// start inside a 32 B block: it is addressed from the block below its start
// (its "base") at a lane offset, and every per-row instruction is masked to
// the row's lanes (masked-off lanes are left unchanged, so neighbouring rows
// sharing a block are untouched). Rows with the same lane offset (the same
// phase r mod P32) have a uniform stride and share one instruction.
//
// Row statistics: each row's 64-lane windows are combined into an
// accumulator row (vadd/vmax, masked), then vcadd/vcmax packs one value per
// row. Broadcast (no lane shuffle in the ISA): per row, vcadd of the packed
// window with a one-lane mask, repeat 8 and arep 0, writes 8 copies of the
// row's value (one block); the apply step reads it with bblk = 0.
//===----------------------------------------------------------------------===//
#include "npu/Codegen/NPU/RowKernel.h"

#include "TileAnalysis.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/MathExtras.h"

#include <cfloat>
#include <numeric>

using namespace mlir;
using namespace npu;
using namespace npu::npuk;
using isa::Opcode;
using F = TileBuilder::Field;

/// Rows per tile when the choice is free: the broadcast costs two
/// instructions per row, and the sync passes grow faster than linearly
/// with the code size.
constexpr int64_t kMaxTileRows = 32;
constexpr uint64_t kAll = ~uint64_t(0);

int64_t npu::npuk::rowPeriod(int64_t cols, isa::DType type) {
  return 32 / std::gcd<int64_t>(32, cols * isa::dtypeSize(type));
}

namespace {
/// Where rows live in UB (fp32) and in the storage type.
struct Geometry {
  int64_t cols, es, period, period32;

  Geometry(const RowKernelSpec &s)
      : cols(s.cols), es(isa::dtypeSize(s.type)),
        period(rowPeriod(s.cols, s.type)),
        period32(rowPeriod(s.cols, isa::DType::F32)) {}
  /// Lane offset of row r's first element in its base block (fp32).
  int64_t lane(int64_t r) const { return (r * cols * 4 % 32) / 4; }
  /// Byte offset of the block holding row r's first element (fp32).
  int64_t base(int64_t r) const { return r * cols * 4 / 32 * 32; }
  /// 64-lane windows covering row r from its base.
  int64_t windows(int64_t r) const {
    return llvm::divideCeil(lane(r) + cols, 64);
  }
  /// Rep stride (32 B blocks) between rows of one phase, if it fits.
  int64_t phaseStride() const { return period32 * cols * 4 / 32; }
  int64_t flatReps(int64_t rows) const {
    return llvm::divideCeil(rows * cols, 64);
  }
  /// The fp32 buffer of `rows` rows: flat ops and every row's windows.
  int64_t f32Bytes(int64_t rows) const {
    int64_t bytes = flatReps(rows) * 256;
    for (int64_t r = std::max<int64_t>(0, rows - period32); r < rows; ++r)
      bytes = std::max(bytes, base(r) + windows(r) * 256);
    return bytes;
  }
  /// GM bytes of `rows` rows (copies move 32 B blocks).
  int64_t gmBytes(int64_t rows) const {
    return llvm::alignTo(rows * cols * es, 32);
  }
  /// A storage-type staging buffer: the copy and the flat vconv.
  int64_t stageBytes(int64_t rows) const {
    return std::max(gmBytes(rows), flatReps(rows) * 128);
  }
};

struct SlotReq {
  const char *name;
  int64_t bytes;
  unsigned copies;
};

/// Every UB slot of a kernel with tiles of `rows` rows.
std::vector<SlotReq> slotsFor(const RowKernelSpec &s, const Geometry &g,
                              int64_t rows) {
  bool wide = s.type == isa::DType::F32;
  bool ln = s.kind == RowKind::LayerNorm;
  std::vector<SlotReq> v;
  int64_t io = wide ? g.f32Bytes(rows) : g.stageBytes(rows);
  v.push_back({"in", io, 2});
  if (s.residual)
    v.push_back({"res", wide ? g.flatReps(rows) * 256 : g.stageBytes(rows), 2});
  if (!wide) {
    v.push_back({"out", io, 2});
    v.push_back({"x", g.f32Bytes(rows), 1});
  }
  if (ln || (s.residual && !wide))
    v.push_back({"y", g.f32Bytes(rows), 1});
  v.push_back({"acc", rows * 256, 1});
  v.push_back({"stat", int64_t(llvm::alignTo(rows * 4, 256)), 1});
  v.push_back({"bcast", rows * 32, 1});
  if (ln) {
    int64_t gb = g.f32Bytes(g.period);
    if (!wide)
      v.push_back({"gstage", g.stageBytes(g.period), 1});
    v.push_back({"gamma", gb, 1});
    if (s.beta)
      v.push_back({"beta", gb, 1});
  }
  return v;
}

int64_t totalBytes(const std::vector<SlotReq> &slots) {
  int64_t t = 0;
  for (const SlotReq &r : slots)
    t += r.bytes * r.copies;
  return t;
}

std::string checkSpec(const RowKernelSpec &s) {
  if (s.type != isa::DType::F16 && s.type != isa::DType::BF16 &&
      s.type != isa::DType::F32)
    return "the storage type must be f16, bf16 or f32, not " +
           isa::dtypeName(s.type).str();
  if (s.rows < 1 || s.cols < 1)
    return "rows and columns must be positive";
  bool ln = s.kind == RowKind::LayerNorm;
  if (ln && !s.gamma)
    return "layer norm needs gamma";
  if (!ln && (s.gamma || s.beta || s.residual))
    return "softmax takes no gamma, beta or residual";
  if (!(s.epsilon >= 0) || s.epsilon > FLT_MAX)
    return "epsilon must be finite and non-negative";
  if (s.cores < 1 || s.cores > 4096)
    return "cores must be in 1..4096";
  Geometry g(s);
  if (s.tileRows < 0 || s.tileRows > 255 ||
      (s.tileRows % g.period && s.tileRows < s.rows))
    return "tileRows must be in 0..255 and a multiple of " +
           std::to_string(g.period) + " (rows per 32 B aligned group)";
  std::vector<std::pair<const GMRegion *, int64_t>> regions = {
      {&s.output, g.gmBytes(s.rows)}, {&s.input, g.gmBytes(s.rows)}};
  if (s.residual)
    regions.push_back({&*s.residual, g.gmBytes(s.rows)});
  if (s.gamma)
    regions.push_back({&*s.gamma, g.gmBytes(g.period)});
  if (s.beta)
    regions.push_back({&*s.beta, g.gmBytes(g.period)});
  for (auto [r, bytes] : regions)
    if (std::string err = gmRegionError(*r, bytes); !err.empty())
      return err;
  for (auto [r, bytes] : llvm::drop_begin(regions))
    if (std::string err = gmOverlapError(s.output, *r); !err.empty())
      return err;
  return "";
}

/// The over-budget error: every slot of `rows` rows and the shortfall.
std::string budgetError(const RowKernelSpec &s, const Geometry &g,
                        int64_t rows) {
  std::vector<SlotReq> slots = slotsFor(s, g, rows);
  std::string list;
  for (const SlotReq &r : slots)
    list += std::string(list.empty() ? "" : ", ") + r.name + " " +
            (r.copies > 1 ? std::to_string(r.copies) + " x " : "") +
            std::to_string(r.bytes);
  int64_t total = totalBytes(slots);
  return std::to_string(rows) + " row(s) of " + std::to_string(s.cols) +
         " elements need " + std::to_string(total) + " bytes of UB (" + list +
         "), " + std::to_string(total - s.ubBytes) + " over the budget of " +
         std::to_string(s.ubBytes);
}

struct RowEmitter {
  const RowKernelSpec &s;
  const Geometry &g;
  const RowPlan &plan;
  TileBuilder &tb;
  bool wide = false;
  Value gmIn, gmOut, gmRes;
  SmallVector<Value> in, res, out;
  Value x, y, acc, stat, bcast, gamma, beta;
  std::optional<uint64_t> curMask;

  static F t32() { return F{"type", int64_t(isa::DType::F32)}; }
  TileBuilder::Addr at(Value buf, int64_t off) { return {buf, tb.index(off)}; }

  void mask(uint64_t lo) {
    if (curMask == lo)
      return;
    curMask = lo;
    int64_t hi = lo == kAll ? -1 : 0;
    tb.inst(Opcode::SET_MASK, {}, {tb.index(hi), tb.index(int64_t(lo))}, {});
  }

  /// An fp32 op flat over `reps` repeats (all lanes): unary if `b` is null
  /// and no scalar is given.
  void flat(Opcode opc, Value d, Value a, Value b, int64_t reps,
            std::optional<double> scalar = std::nullopt) {
    mask(kAll);
    for (int64_t r = 0; r < reps; r += 255) {
      int64_t n = std::min<int64_t>(255, reps - r);
      F rep{"repeat", n}, db{"dstblk", 1}, ab{"ablk", 1}, dr{"dstrep", 8},
          ar{"arep", 8};
      if (b)
        tb.inst(opc, {at(d, r * 256), at(a, r * 256), at(b, r * 256)}, {},
                {t32(), rep, db, ab, F{"bblk", 1}, dr, ar, F{"brep", 8}});
      else if (scalar)
        tb.inst(opc, {at(d, r * 256), at(a, r * 256)}, {},
                {t32(), F{"scalar", 0, *scalar}, rep, db, ab, dr, ar});
      else
        tb.inst(opc, {at(d, r * 256), at(a, r * 256)}, {},
                {t32(), rep, db, ab, dr, ar});
    }
  }

  /// vconv between the storage type and fp32, flat over `rows` rows.
  void convert(Value d, Value a, int64_t rows, bool toF32) {
    mask(kAll);
    int64_t reps = g.flatReps(rows);
    int64_t dStep = toF32 ? 256 : 128, aStep = toF32 ? 128 : 256;
    isa::DType dt = toF32 ? isa::DType::F32 : s.type;
    isa::DType st = toF32 ? s.type : isa::DType::F32;
    for (int64_t r = 0; r < reps; r += 255)
      tb.inst(Opcode::VCONV, {at(d, r * dStep), at(a, r * aStep)}, {},
              {F{"type", int64_t(dt)}, F{"srctype", int64_t(st)}, F{"round", 0},
               F{"repeat", std::min<int64_t>(255, reps - r)}, F{"dstblk", 1},
               F{"ablk", 1}, F{"dstrep", dStep / 32}, F{"arep", aStep / 32}});
  }

  /// Row groups of a tile: rows r0, r0 + P32, ... (n of them) share a lane
  /// offset; fn(r0, n, repStride) with the X rep stride (0 if n = 1).
  void groups(int64_t rows,
              llvm::function_ref<void(int64_t, int64_t, int64_t)> fn) {
    int64_t stride = g.phaseStride();
    for (int64_t p = 0; p < std::min(rows, g.period32); ++p) {
      int64_t count = llvm::divideCeil(rows - p, g.period32);
      int64_t chunk = stride <= 255 ? 255 : 1;
      for (int64_t i = 0; i < count; i += chunk) {
        int64_t n = std::min(chunk, count - i);
        fn(p + i * g.period32, n, n > 1 ? stride : 0);
      }
    }
  }

  /// The mask of window w of a row at lane offset `lane`.
  uint64_t windowMask(int64_t lane, int64_t w) const {
    int64_t lo = std::max<int64_t>(lane, 64 * w) - 64 * w;
    int64_t hi = std::min<int64_t>(lane + g.cols, 64 * w + 64) - 64 * w;
    return hi - lo == 64 ? kAll : ((uint64_t(1) << (hi - lo)) - 1) << lo;
  }

  /// stat[r] = reduce over row r of `src` (vadd/vmax then vcadd/vcmax).
  void reduce(Opcode op, Opcode across, Value src, double init, int64_t rows) {
    mask(kAll);
    tb.inst(Opcode::VDUP, {at(acc, 0)}, {},
            {t32(), F{"scalar", 0, init}, F{"repeat", rows}, F{"dstblk", 1},
             F{"dstrep", 8}});
    groups(rows, [&](int64_t r0, int64_t n, int64_t stride) {
      int64_t accRep = n > 1 ? 8 * g.period32 : 0;
      for (int64_t w = 0; w < g.windows(r0); ++w) {
        mask(windowMask(g.lane(r0), w));
        tb.inst(op,
                {at(acc, r0 * 256), at(acc, r0 * 256),
                 at(src, g.base(r0) + w * 256)},
                {},
                {t32(), F{"repeat", n}, F{"dstblk", 1}, F{"ablk", 1},
                 F{"bblk", 1}, F{"dstrep", accRep}, F{"arep", accRep},
                 F{"brep", stride}});
      }
    });
    mask(kAll);
    tb.inst(across, {at(stat, 0), at(acc, 0)}, {},
            {t32(), F{"repeat", rows}, F{"ablk", 1}, F{"arep", 8}});
  }

  /// bcast[r] = 8 copies of stat[r] (one block per row).
  void broadcast(int64_t rows) {
    for (int64_t r = 0; r < rows; ++r) {
      mask(uint64_t(1) << (r % 64));
      tb.inst(Opcode::VCADD, {at(bcast, r * 32), at(stat, r / 64 * 256)}, {},
              {t32(), F{"repeat", 8}, F{"ablk", 1}, F{"arep", 0}});
    }
  }

  /// x[r][:] = x[r][:] op bcast[r] (param = null) or op param[:] (a row of
  /// gamma/beta at the same lane offset), masked to each row's lanes.
  void apply(Opcode op, Value param, int64_t rows) {
    groups(rows, [&](int64_t r0, int64_t n, int64_t stride) {
      for (int64_t w = 0; w < g.windows(r0); ++w) {
        mask(windowMask(g.lane(r0), w));
        int64_t xo = g.base(r0) + w * 256;
        TileBuilder::Addr b = param
                                  ? at(param, g.base(r0 % g.period32) + w * 256)
                                  : at(bcast, r0 * 32);
        int64_t bblk = param ? 1 : 0;
        int64_t brep = param || n == 1 ? 0 : g.period32;
        tb.inst(op, {at(x, xo), at(x, xo), b}, {},
                {t32(), F{"repeat", n}, F{"dstblk", 1}, F{"ablk", 1},
                 F{"bblk", bblk}, F{"dstrep", stride}, F{"arep", stride},
                 F{"brep", brep}});
      }
    });
  }

  void copyIn(Value dst, Value src, Value off, int64_t bytes) {
    tb.inst(Opcode::COPY_GM_UB, {{dst, tb.index(0)}, {src, off}}, {},
            {F{"nburst", 1}, F{"burstlen", bytes / 32}, F{"srcstride", 0},
             F{"dststride", 0}});
  }

  /// Loads gamma/beta once per core, converted to fp32.
  void loadParam(const GMRegion &r, Value dst, Value stage) {
    Value gm = tb.gm(r.name, r.addr, r.size);
    copyIn(wide ? dst : stage, gm, tb.index(0), g.gmBytes(g.period));
    if (!wide)
      convert(dst, stage, g.period, true);
  }

  void emit() {
    wide = s.type == isa::DType::F32;
    bool ln = s.kind == RowKind::LayerNorm;
    gmIn = tb.gm(s.input.name, s.input.addr, s.input.size);
    gmOut = tb.gm(s.output.name, s.output.addr, s.output.size);
    if (s.residual)
      gmRes = tb.gm(s.residual->name, s.residual->addr, s.residual->size);
    Value gstage;
    for (const SlotReq &r : slotsFor(s, g, plan.tileRows)) {
      SmallVector<Value> v =
          tb.slot(r.name, isa::Buffer::UB, r.bytes, r.copies);
      StringRef n = r.name;
      if (n == "in" || n == "res" || n == "out") {
        (n == "in" ? in : n == "res" ? res : out) = v;
        continue;
      }
      Value *one = llvm::StringSwitch<Value *>(n)
                       .Case("x", &x)
                       .Case("y", &y)
                       .Case("acc", &acc)
                       .Case("stat", &stat)
                       .Case("bcast", &bcast)
                       .Case("gstage", &gstage)
                       .Case("gamma", &gamma)
                       .Case("beta", &beta)
                       .Default(nullptr);
      if (one)
        *one = v.front();
    }
    if (ln) {
      loadParam(*s.gamma, gamma, gstage);
      if (s.beta)
        loadParam(*s.beta, beta, gstage);
    }
    int64_t tail = s.rows - (plan.blocks - 1) * plan.tileRows;
    tb.forEachBlock(tb.index(plan.blocks), 2, [&](Value blk, unsigned copy) {
      if (plan.blocks == 1 || tail == plan.tileRows)
        return tile(blk, copy, tail);
      tb.ifThen(
          tb.eq(blk, plan.blocks - 1), [&] { tile(blk, copy, tail); },
          [&] { tile(blk, copy, plan.tileRows); });
    });
  }

  /// One tile of `rows` rows at block `blk` through I/O copy `copy`.
  void tile(Value blk, unsigned copy, int64_t rows) {
    curMask.reset();
    Value off = tb.mul(blk, plan.tileRows * g.cols * g.es);
    int64_t bytes = g.gmBytes(rows);
    copyIn(in[copy], gmIn, off, bytes);
    if (s.residual)
      copyIn(res[copy], gmRes, off, bytes);
    if (wide) {
      x = in[copy];
    } else {
      convert(x, in[copy], rows, true);
    }
    if (s.residual) {
      Value r = res[copy];
      if (!wide) {
        convert(y, r, rows, true);
        r = y;
      }
      flat(Opcode::VADD, x, x, r, g.flatReps(rows));
    }
    int64_t statReps = llvm::divideCeil(rows, 64);
    double invL = 1.0 / double(g.cols);
    if (s.kind == RowKind::Softmax) {
      reduce(Opcode::VMAX, Opcode::VCMAX, x, -FLT_MAX, rows);
      broadcast(rows);
      apply(Opcode::VSUB, nullptr, rows);
      flat(Opcode::VEXP, x, x, nullptr, g.flatReps(rows));
      reduce(Opcode::VADD, Opcode::VCADD, x, 0, rows);
      flat(Opcode::VREC, stat, stat, nullptr, statReps);
      broadcast(rows);
      apply(Opcode::VMUL, nullptr, rows);
    } else {
      reduce(Opcode::VADD, Opcode::VCADD, x, 0, rows);
      flat(Opcode::VMULS, stat, stat, nullptr, statReps, invL);
      broadcast(rows);
      apply(Opcode::VSUB, nullptr, rows);
      flat(Opcode::VMUL, y, x, x, g.flatReps(rows));
      reduce(Opcode::VADD, Opcode::VCADD, y, 0, rows);
      flat(Opcode::VMULS, stat, stat, nullptr, statReps, invL);
      flat(Opcode::VADDS, stat, stat, nullptr, statReps, s.epsilon);
      flat(Opcode::VSQRT, stat, stat, nullptr, statReps);
      flat(Opcode::VREC, stat, stat, nullptr, statReps);
      broadcast(rows);
      apply(Opcode::VMUL, nullptr, rows);
      apply(Opcode::VMUL, gamma, rows);
      if (s.beta)
        apply(Opcode::VADD, beta, rows);
    }
    Value result = x;
    if (!wide) {
      convert(out[copy], x, rows, false);
      result = out[copy];
    }
    tb.inst(Opcode::COPY_UB_GM, {{gmOut, off}, {result, tb.index(0)}}, {},
            {F{"nburst", 1}, F{"burstlen", bytes / 32}, F{"srcstride", 0},
             F{"dststride", 0}});
  }
};
} // namespace

FailureOr<RowPlan> npu::npuk::planRows(const RowKernelSpec &s,
                                       std::string &error) {
  if (error = checkSpec(s); !error.empty())
    return failure();
  Geometry g(s);
  auto fits = [&](int64_t rows) {
    return totalBytes(slotsFor(s, g, rows)) <= s.ubBytes;
  };
  RowPlan plan;
  int64_t rows = s.tileRows;
  if (!rows) {
    // Split the rows over the cores, at most kMaxTileRows per tile, in
    // whole aligned groups; shrink by groups until the tile fits.
    int64_t cap = std::max(g.period, kMaxTileRows / g.period * g.period);
    int64_t want = llvm::alignTo(llvm::divideCeil(s.rows, s.cores), g.period);
    rows = std::min(cap, want);
    while (rows > g.period && !fits(rows))
      rows -= g.period;
    if (rows >= s.rows)
      rows = s.rows;
  }
  if (!fits(rows)) {
    error = budgetError(s, g, rows);
    return failure();
  }
  plan.tileRows = rows;
  plan.blocks = llvm::divideCeil(s.rows, rows);
  plan.cores = unsigned(std::min<int64_t>(s.cores, plan.blocks));
  plan.ubBytes = totalBytes(slotsFor(s, g, rows));
  return plan;
}

FailureOr<func::FuncOp> npu::npuk::buildRowKernel(ModuleOp module, Location loc,
                                                  const RowKernelSpec &spec) {
  std::string err;
  FailureOr<RowPlan> plan = planRows(spec, err);
  if (failed(plan))
    return emitError(loc) << "row kernel '" << spec.name << "': " << err;
  Geometry g(spec);
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  auto f = b.create<func::FuncOp>(loc, spec.name, b.getFunctionType({}, {}));
  f->setAttr(kCoresAttr, b.getI64IntegerAttr(plan->cores));
  b.setInsertionPointToStart(f.addEntryBlock());
  TileBuilder tb(b, loc);
  RowEmitter{spec, g, *plan, tb}.emit();
  b.create<func::ReturnOp>(loc);
  return f;
}
