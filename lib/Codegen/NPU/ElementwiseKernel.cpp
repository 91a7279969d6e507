//===- ElementwiseKernel.cpp - a vector kernel for elementwise chains -----===//
//
// The recipe of bench/npu/elementwise_f16.s, generalized to any chain: per
// tile, MTE2 copies the inputs to UB, V runs the ops flat over the tile
// (256 B per repeat, block stride 1, repeat stride 8), MTE3 copies the
// outputs to GM. No flags: npuk-insert-sync adds them.
//===----------------------------------------------------------------------===//
#include "npu/Codegen/NPU/ElementwiseKernel.h"

#include "TileAnalysis.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace npu;
using namespace npu::npuk;
using isa::Opcode;
using F = TileBuilder::Field;

/// Tiles per core when the data is split over the cores (so MTE2 of one
/// tile overlaps V and MTE3 of the previous one) and the smallest tile
/// worth a DMA round trip (ResNet-50's residual adds: 10% fewer cycles
/// than one tile per core).
constexpr int64_t kTilesPerCore = 4, kMinTileBytes = 2048;

/// Erf = sign(x) (1 - (a1 t + ... + a5 t^5) e^-x^2), t = 1 / (1 + p |x|):
/// Abramowitz & Stegun 7.1.26.
constexpr double kErfP = 0.3275911;
constexpr double kErfA[] = {0.254829592, -0.284496736, 1.421413741,
                            -1.453152027, 1.061405429};
/// Repeats per Erf instruction: a multiple of 4, so the sign mask of each
/// instruction (E bits per repeat) starts 32-byte aligned.
constexpr int64_t kErfRepeats = 252;

bool npu::npuk::isBinary(EltwiseKind kind) {
  switch (kind) {
  case EltwiseKind::Add:
  case EltwiseKind::Sub:
  case EltwiseKind::Mul:
  case EltwiseKind::Div:
  case EltwiseKind::Max:
  case EltwiseKind::Min:
    return true;
  default:
    return false;
  }
}

bool npu::npuk::keepsZero(const EltwiseStep &st) {
  switch (st.kind) {
  case EltwiseKind::AddS:
    return st.s == 0;
  case EltwiseKind::MaxS:
    return st.s <= 0;
  case EltwiseKind::MinS:
    return st.s >= 0;
  case EltwiseKind::Clip:
    return st.lo <= 0 && st.hi >= 0;
  case EltwiseKind::Erf: // Its polynomial gives erf(0) only to rounding.
  case EltwiseKind::Div: // 0 / 0 is NaN.
    return false;
  default:
    return true;
  }
}

namespace {
/// Where a value lives in UB: an input or output slot (two copies) or a
/// temporary (one copy: V runs in order, so tiles cannot overlap on it).
struct Buf {
  enum Kind { In, Out, Temp } kind;
  unsigned idx;
};

/// Buffers for every value: outputs in their slots; other results reuse a
/// dead temporary, or an output slot not yet written whose value is
/// defined at or after their last use, before taking a new temporary.
static std::vector<Buf> allocate(const ElementwiseKernelSpec &s,
                                 unsigned &temps) {
  unsigned nIn = s.inputs.size(), nv = nIn + s.steps.size();
  std::vector<int64_t> lastUse(nv, -1);
  for (auto [i, st] : llvm::enumerate(s.steps)) {
    lastUse[st.a] = i;
    if (isBinary(st.kind))
      lastUse[st.b] = i;
  }
  std::vector<int> outOf(nv, -1);
  for (auto [j, v] : llvm::enumerate(s.results))
    outOf[v] = j;
  std::vector<Buf> where(nv);
  for (unsigned i = 0; i < nIn; ++i)
    where[i] = {Buf::In, i};
  // Holder of each output slot and temporary (-1: none yet).
  std::vector<int64_t> outHolder(s.results.size(), -1), tempHolder;
  auto dead = [&](int64_t holder, int64_t step) {
    return holder < 0 || (outOf[holder] < 0 && lastUse[holder] <= step);
  };
  temps = 0;
  for (unsigned i = 0; i < s.steps.size(); ++i) {
    unsigned r = nIn + i;
    int64_t last = std::max<int64_t>(lastUse[r], i);
    if (outOf[r] >= 0) {
      where[r] = {Buf::Out, unsigned(outOf[r])};
      outHolder[outOf[r]] = r;
      continue;
    }
    std::optional<Buf> pick;
    for (unsigned j = 0; j < s.results.size() && !pick; ++j) {
      int64_t def = int64_t(s.results[j]) - nIn;
      if (def > i && last <= def && dead(outHolder[j], i)) {
        pick = Buf{Buf::Out, j};
        outHolder[j] = r;
      }
    }
    for (unsigned t = 0; t < tempHolder.size() && !pick; ++t)
      if (dead(tempHolder[t], i)) {
        pick = Buf{Buf::Temp, t};
        tempHolder[t] = r;
      }
    if (!pick) {
      pick = Buf{Buf::Temp, unsigned(tempHolder.size())};
      tempHolder.push_back(r);
    }
    where[r] = *pick;
  }
  temps = tempHolder.size();
  return where;
}

static std::string checkSpec(const ElementwiseKernelSpec &s) {
  if (s.type != isa::DType::F16 && s.type != isa::DType::BF16 &&
      s.type != isa::DType::F32)
    return "the storage type must be f16, bf16 or f32, not " +
           isa::dtypeName(s.type).str();
  if (s.elements < 1)
    return "the element count must be positive";
  if (s.inputs.empty() || s.steps.empty() || s.results.empty())
    return "it needs at least one input, op and output";
  if (s.results.size() != s.outputs.size())
    return "results and outputs differ in number";
  unsigned nIn = s.inputs.size();
  for (auto [i, st] : llvm::enumerate(s.steps)) {
    if (st.a >= nIn + i || (isBinary(st.kind) && st.b >= nIn + i))
      return "op " + std::to_string(i) +
             " reads a value that is not computed before it";
    if (st.kind == EltwiseKind::Clip && !(st.lo <= st.hi))
      return "op " + std::to_string(i) + " clips to an empty range";
  }
  for (auto [j, v] : llvm::enumerate(s.results)) {
    if (v < nIn || v >= nIn + s.steps.size())
      return "output " + std::to_string(j) +
             " must store the result of an op of the chain";
    for (unsigned k = 0; k < j; ++k)
      if (s.results[k] == v)
        return "outputs " + std::to_string(k) + " and " + std::to_string(j) +
               " store the same value";
  }
  if (s.tileBytes < 0 || s.tileBytes % 256)
    return "tileBytes must be a multiple of 256 (one repeat)";
  if (s.cores < 1 || s.cores > 4096)
    return "cores must be in 1..4096";
  int64_t bytes = llvm::alignTo(s.elements * isa::dtypeSize(s.type), 32);
  std::vector<const GMRegion *> regions;
  for (const GMRegion &r : s.inputs)
    regions.push_back(&r);
  for (const GMRegion &r : s.outputs)
    regions.push_back(&r);
  for (const GMRegion *r : regions)
    if (std::string err = gmRegionError(*r, bytes); !err.empty())
      return err;
  // Outputs may not overlap anything (inputs may alias each other).
  for (size_t i = nIn; i < regions.size(); ++i)
    for (size_t j = 0; j < regions.size(); ++j)
      if (std::string err = gmOverlapError(*regions[i], *regions[j]);
          i != j && !err.empty())
        return err;
  return "";
}

struct EltwiseEmitter {
  const ElementwiseKernelSpec &s;
  const ElementwisePlan &plan;
  const std::vector<Buf> &where;
  TileBuilder &tb;
  SmallVector<Value> gmIn, gmOut;
  std::vector<SmallVector<Value>> inSlots, outSlots;
  SmallVector<Value> temps;
  Value erfAbs, erfT, erfSign; // Erf scratch.

  Value slotOf(unsigned v, unsigned copy) {
    const Buf &b = where[v];
    return b.kind == Buf::In    ? inSlots[b.idx][copy]
           : b.kind == Buf::Out ? outSlots[b.idx][copy]
                                : temps[b.idx];
  }

  void emit() {
    for (const GMRegion &r : s.inputs)
      gmIn.push_back(tb.gm(r.name, r.addr, r.size));
    for (const GMRegion &r : s.outputs)
      gmOut.push_back(tb.gm(r.name, r.addr, r.size));
    for (unsigned i = 0; i < s.inputs.size(); ++i)
      inSlots.push_back(tb.slot("in" + std::to_string(i), isa::Buffer::UB,
                                plan.tileBytes, 2));
    for (unsigned j = 0; j < s.outputs.size(); ++j)
      outSlots.push_back(tb.slot("out" + std::to_string(j), isa::Buffer::UB,
                                 plan.tileBytes, 2));
    for (unsigned t = 0; t < plan.temps; ++t)
      temps.push_back(
          tb.slot("tmp" + std::to_string(t), isa::Buffer::UB, plan.tileBytes)
              .front());
    if (plan.scratch) {
      erfAbs = tb.slot("erf_abs", isa::Buffer::UB, plan.tileBytes).front();
      erfT = tb.slot("erf_t", isa::Buffer::UB, plan.tileBytes).front();
      erfSign = tb.slot("erf_sign", isa::Buffer::UB,
                        llvm::alignTo(plan.tileBytes / 8, 32))
                    .front();
    }
    int64_t total = s.elements * isa::dtypeSize(s.type);
    int64_t tail = total - (plan.blocks - 1) * plan.tileBytes;
    tb.forEachBlock(tb.index(plan.blocks), 2, [&](Value blk, unsigned copy) {
      if (plan.blocks == 1)
        return tile(blk, copy, tail);
      if (tail == plan.tileBytes)
        return tile(blk, copy, plan.tileBytes);
      tb.ifThen(
          tb.eq(blk, plan.blocks - 1), [&] { tile(blk, copy, tail); },
          [&] { tile(blk, copy, plan.tileBytes); });
    });
  }

  /// One tile of `bytes` bytes at block `blk` through buffer copy `copy`.
  void tile(Value blk, unsigned copy, int64_t bytes) {
    Value off = tb.mul(blk, plan.tileBytes), zero = tb.index(0);
    F copyFields[] = {F{"nburst", 1},
                      F{"burstlen", int64_t(llvm::divideCeil(bytes, 32))},
                      F{"srcstride", 0}, F{"dststride", 0}};
    for (unsigned i = 0; i < s.inputs.size(); ++i)
      tb.inst(Opcode::COPY_GM_UB, {{inSlots[i][copy], zero}, {gmIn[i], off}},
              {}, copyFields);
    int64_t reps = llvm::divideCeil(bytes, 256);
    for (auto [i, st] : llvm::enumerate(s.steps))
      step(st, slotOf(s.inputs.size() + i, copy), copy, reps);
    for (unsigned j = 0; j < s.outputs.size(); ++j)
      tb.inst(Opcode::COPY_UB_GM, {{gmOut[j], off}, {outSlots[j][copy], zero}},
              {}, copyFields);
  }

  /// Erf of `a` into `dst` over `reps` repeats (dst may be a: a is read
  /// only before dst is first written).
  void erf(Value dst, Value a, int64_t reps) {
    F type{"type", int64_t(s.type)};
    int64_t maskPerRep = 32 / isa::dtypeSize(s.type); // E / 8 bytes.
    for (int64_t r = 0; r < reps; r += kErfRepeats) {
      F rep{"repeat", std::min<int64_t>(kErfRepeats, reps - r)};
      Value at = tb.index(r * 256), mat = tb.index(r * maskPerRep);
      F one{"dstblk", 1}, aone{"ablk", 1}, eight{"dstrep", 8},
          aeight{"arep", 8};
      auto un = [&](Opcode opc, Value d, Value x) {
        tb.inst(opc, {{d, at}, {x, at}}, {},
                {type, rep, one, aone, eight, aeight});
      };
      auto sc = [&](Opcode opc, Value d, Value x, double v) {
        tb.inst(opc, {{d, at}, {x, at}}, {},
                {type, F{"scalar", 0, v}, rep, one, aone, eight, aeight});
      };
      auto bin = [&](Opcode opc, Value d, Value x, Value y) {
        tb.inst(
            opc, {{d, at}, {x, at}, {y, at}}, {},
            {type, rep, one, aone, F{"bblk", 1}, eight, aeight, F{"brep", 8}});
      };
      un(Opcode::VABS, erfAbs, a);
      // Sign bits: x >= |x| exactly when x >= 0.
      tb.inst(Opcode::VCMP, {{erfSign, mat}, {a, at}, {erfAbs, at}}, {},
              {F{"cmp", int64_t(isa::CmpMode::GE)}, type, rep, aone,
               F{"bblk", 1}, aeight, F{"brep", 8}});
      sc(Opcode::VMULS, erfT, erfAbs, kErfP);
      sc(Opcode::VADDS, erfT, erfT, 1);
      un(Opcode::VREC, erfT, erfT);
      // Horner: ((((a5 t + a4) t + a3) t + a2) t + a1) t.
      sc(Opcode::VMULS, dst, erfT, kErfA[4]);
      for (int i = 3; i >= 0; --i) {
        sc(Opcode::VADDS, dst, dst, kErfA[i]);
        bin(Opcode::VMUL, dst, dst, erfT);
      }
      bin(Opcode::VMUL, erfT, erfAbs, erfAbs);
      sc(Opcode::VMULS, erfT, erfT, -1);
      un(Opcode::VEXP, erfT, erfT);
      bin(Opcode::VMUL, dst, dst, erfT);
      sc(Opcode::VMULS, dst, dst, -1);
      sc(Opcode::VADDS, dst, dst, 1);
      sc(Opcode::VMULS, erfT, dst, -1);
      tb.inst(Opcode::VSEL, {{dst, at}, {dst, at}, {erfT, at}, {erfSign, mat}},
              {}, {type, rep, eight, aeight, F{"brep", 8}});
    }
  }

  /// One op over `reps` repeats, in instructions of at most 255 repeats.
  void step(const EltwiseStep &st, Value dst, unsigned copy, int64_t reps) {
    Value a = slotOf(st.a, copy);
    if (st.kind == EltwiseKind::Erf)
      return erf(dst, a, reps);
    Value b = isBinary(st.kind) ? slotOf(st.b, copy) : Value();
    for (int64_t r = 0; r < reps; r += 255) {
      int64_t n = std::min<int64_t>(255, reps - r);
      Value at = tb.index(r * 256);
      F type{"type", int64_t(s.type)}, rep{"repeat", n};
      F blk[] = {F{"dstblk", 1}, F{"ablk", 1}, F{"bblk", 1},
                 F{"dstrep", 8}, F{"arep", 8}, F{"brep", 8}};
      auto bin = [&](Opcode opc) {
        tb.inst(opc, {{dst, at}, {a, at}, {b, at}}, {},
                {type, rep, blk[0], blk[1], blk[2], blk[3], blk[4], blk[5]});
      };
      auto scalar = [&](Opcode opc, Value src, double v) {
        tb.inst(opc, {{dst, at}, {src, at}}, {},
                {type, F{"scalar", 0, v}, rep, blk[0], blk[1], blk[3], blk[4]});
      };
      switch (st.kind) {
      case EltwiseKind::Add:
        bin(Opcode::VADD);
        break;
      case EltwiseKind::Sub:
        bin(Opcode::VSUB);
        break;
      case EltwiseKind::Mul:
        bin(Opcode::VMUL);
        break;
      case EltwiseKind::Div:
        bin(Opcode::VDIV);
        break;
      case EltwiseKind::Max:
        bin(Opcode::VMAX);
        break;
      case EltwiseKind::Min:
        bin(Opcode::VMIN);
        break;
      case EltwiseKind::Relu:
        tb.inst(Opcode::VRELU, {{dst, at}, {a, at}}, {},
                {type, rep, blk[0], blk[1], blk[3], blk[4]});
        break;
      case EltwiseKind::AddS:
        scalar(Opcode::VADDS, a, st.s);
        break;
      case EltwiseKind::MulS:
        scalar(Opcode::VMULS, a, st.s);
        break;
      case EltwiseKind::MaxS:
        scalar(Opcode::VMAXS, a, st.s);
        break;
      case EltwiseKind::MinS:
        scalar(Opcode::VMINS, a, st.s);
        break;
      case EltwiseKind::Clip:
        scalar(Opcode::VMAXS, a, st.lo);
        scalar(Opcode::VMINS, dst, st.hi);
        break;
      case EltwiseKind::Erf:
        llvm_unreachable("emitted by erf()");
      }
    }
  }
};
} // namespace

FailureOr<ElementwisePlan>
npu::npuk::planElementwise(const ElementwiseKernelSpec &s, std::string &error) {
  if (error = checkSpec(s); !error.empty())
    return failure();
  ElementwisePlan plan;
  allocate(s, plan.temps);
  if (llvm::any_of(s.steps, [](const EltwiseStep &st) {
        return st.kind == EltwiseKind::Erf;
      }))
    plan.scratch = 3;
  int64_t slots =
      2 * (s.inputs.size() + s.outputs.size()) + plan.temps + plan.scratch;
  int64_t total = s.elements * isa::dtypeSize(s.type);
  if (s.tileBytes) {
    plan.tileBytes = s.tileBytes;
  } else {
    int64_t fit = s.ubBytes / slots / 256 * 256;
    if (fit < 256) {
      error = std::to_string(slots) +
              " UB slots of 256 B exceed the budget "
              "of " +
              std::to_string(s.ubBytes) + " bytes";
      return failure();
    }
    // Spread the data over the cores, kTilesPerCore tiles each, but no
    // tile smaller than kMinTileBytes.
    int64_t want = llvm::alignTo(
        llvm::divideCeil(total, int64_t(s.cores) * kTilesPerCore), 256);
    plan.tileBytes = std::min(fit, std::max(want, kMinTileBytes));
  }
  plan.blocks = llvm::divideCeil(total, plan.tileBytes);
  plan.cores = unsigned(std::min<int64_t>(s.cores, plan.blocks));
  return plan;
}

FailureOr<func::FuncOp>
npu::npuk::buildElementwiseKernel(ModuleOp module, Location loc,
                                  const ElementwiseKernelSpec &spec) {
  std::string err;
  FailureOr<ElementwisePlan> plan = planElementwise(spec, err);
  if (failed(plan))
    return emitError(loc) << "elementwise kernel '" << spec.name
                          << "': " << err;
  unsigned temps = 0;
  std::vector<Buf> where = allocate(spec, temps);
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  auto f = b.create<func::FuncOp>(loc, spec.name, b.getFunctionType({}, {}));
  f->setAttr(kCoresAttr, b.getI64IntegerAttr(plan->cores));
  b.setInsertionPointToStart(f.addEntryBlock());
  TileBuilder tb(b, loc);
  EltwiseEmitter{spec, *plan, where, tb}.emit();
  b.create<func::ReturnOp>(loc);
  return f;
}
