//===- TileAnalysis.cpp - index ranges, address bases and accesses --------===//
#include "TileAnalysis.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace npu;
using namespace npu::npuk;

FailureOr<sim::Config> npu::npuk::loadPassConfig(Operation *op,
                                                 StringRef config) {
  llvm::Expected<sim::Config> cfg = sim::loadConfig(config);
  if (!cfg)
    return op->emitError() << "cannot load machine config '" << config
                           << "': " << llvm::toString(cfg.takeError());
  return *cfg;
}

//===--- Index ranges -----------------------------------------------------===//

static std::optional<IndexRange> rangeOf(Value v, unsigned depth);

static std::optional<IndexRange> make(int64_t a, int64_t b) {
  return IndexRange{std::min(a, b), std::max(a, b)};
}

static std::optional<IndexRange> binary(Operation *op, unsigned depth) {
  std::optional<IndexRange> a = rangeOf(op->getOperand(0), depth);
  std::optional<IndexRange> b = rangeOf(op->getOperand(1), depth);
  if (!a || !b)
    return std::nullopt;
  int64_t r[4];
  if (llvm::isa<arith::AddIOp>(op)) {
    if (__builtin_add_overflow(a->lo, b->lo, &r[0]) ||
        __builtin_add_overflow(a->hi, b->hi, &r[1]))
      return std::nullopt;
    return make(r[0], r[1]);
  }
  if (llvm::isa<arith::SubIOp>(op)) {
    if (__builtin_sub_overflow(a->lo, b->hi, &r[0]) ||
        __builtin_sub_overflow(a->hi, b->lo, &r[1]))
      return std::nullopt;
    return make(r[0], r[1]);
  }
  if (llvm::isa<arith::MulIOp>(op)) {
    if (__builtin_mul_overflow(a->lo, b->lo, &r[0]) ||
        __builtin_mul_overflow(a->lo, b->hi, &r[1]) ||
        __builtin_mul_overflow(a->hi, b->lo, &r[2]) ||
        __builtin_mul_overflow(a->hi, b->hi, &r[3]))
      return std::nullopt;
    return IndexRange{*std::min_element(r, r + 4), *std::max_element(r, r + 4)};
  }
  // The rest need a non-negative left side and a positive constant right.
  if (a->lo < 0 || b->lo != b->hi || b->lo <= 0)
    return std::nullopt;
  int64_t c = b->lo;
  if (llvm::isa<arith::DivUIOp, arith::DivSIOp>(op))
    return make(a->lo / c, a->hi / c);
  if (llvm::isa<arith::RemUIOp, arith::RemSIOp>(op))
    return a->hi < c ? *a : IndexRange{0, c - 1};
  if (llvm::isa<arith::AndIOp>(op))
    return IndexRange{0, std::min(a->hi, c)};
  if (llvm::isa<arith::ShLIOp>(op) && c < 62 &&
      a->hi < (int64_t(1) << (62 - c)))
    return make(a->lo << c, a->hi << c);
  return std::nullopt;
}

static std::optional<IndexRange> rangeOf(Value v, unsigned depth) {
  if (++depth > 32)
    return std::nullopt;
  APInt c;
  if (matchPattern(v, m_ConstantInt(&c)))
    return IndexRange{c.getSExtValue(), c.getSExtValue()};
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    auto loop = dyn_cast<scf::ForOp>(arg.getOwner()->getParentOp());
    if (!loop || arg != loop.getInductionVar())
      return std::nullopt;
    std::optional<IndexRange> lb = rangeOf(loop.getLowerBound(), depth);
    std::optional<IndexRange> ub = rangeOf(loop.getUpperBound(), depth);
    std::optional<IndexRange> step = rangeOf(loop.getStep(), depth);
    if (!lb || !ub || !step || step->lo <= 0)
      return std::nullopt;
    if (ub->hi <= lb->lo) // Never runs: any value will do.
      return IndexRange{lb->lo, lb->lo};
    int64_t last = ub->hi - 1;
    if (lb->lo == lb->hi && step->lo == step->hi)
      last = lb->lo + (ub->hi - 1 - lb->lo) / step->lo * step->lo;
    return IndexRange{lb->lo, last};
  }
  Operation *op = v.getDefiningOp();
  if (llvm::isa<arith::IndexCastOp, arith::IndexCastUIOp>(op))
    return rangeOf(op->getOperand(0), depth);
  if (llvm::isa<CoreIdOp>(op))
    return IndexRange{0, 4095};
  if (llvm::isa<CoreNumOp>(op))
    return IndexRange{1, 4096};
  if (auto sel = dyn_cast<arith::SelectOp>(op)) {
    std::optional<IndexRange> a = rangeOf(sel.getTrueValue(), depth);
    std::optional<IndexRange> b = rangeOf(sel.getFalseValue(), depth);
    if (!a || !b)
      return std::nullopt;
    return IndexRange{std::min(a->lo, b->lo), std::max(a->hi, b->hi)};
  }
  if (llvm::isa<arith::MaxSIOp, arith::MinSIOp>(op)) {
    std::optional<IndexRange> a = rangeOf(op->getOperand(0), depth);
    std::optional<IndexRange> b = rangeOf(op->getOperand(1), depth);
    if (!a || !b)
      return std::nullopt;
    if (llvm::isa<arith::MaxSIOp>(op))
      return IndexRange{std::max(a->lo, b->lo), std::max(a->hi, b->hi)};
    return IndexRange{std::min(a->lo, b->lo), std::min(a->hi, b->hi)};
  }
  if (llvm::isa<arith::AddIOp, arith::SubIOp, arith::MulIOp, arith::DivUIOp,
                arith::DivSIOp, arith::RemUIOp, arith::RemSIOp, arith::AndIOp,
                arith::ShLIOp>(op))
    return binary(op, depth);
  return std::nullopt;
}

std::optional<IndexRange> npu::npuk::getIndexRange(Value v) {
  return rangeOf(v, 0);
}

//===--- Bases and accesses -----------------------------------------------===//

std::optional<BaseExtent> npu::npuk::getBaseExtent(Value base) {
  if (auto at = base.getDefiningOp<SlotAtOp>())
    return BaseExtent{at.getBuffer(), uint64_t(at.getOffset()),
                      uint64_t(at.getOffset() + at.getBytes())};
  if (auto gm = base.getDefiningOp<GMOp>())
    return BaseExtent{isa::Buffer::GM, uint64_t(gm.getAddr()),
                      uint64_t(gm.getAddr() + gm.getSize())};
  return std::nullopt;
}

LogicalResult npu::npuk::resolveAccesses(VirtInstOpInterface op,
                                         const FmapState &fmap,
                                         SmallVectorImpl<ResolvedAccess> &out) {
  SmallVector<AddressOperand> addrs = getAddressOperands(op);
  SmallVector<uint64_t> lo, hi;
  SmallVector<BaseExtent> bases;
  SmallVector<bool> known;
  for (const AddressOperand &a : addrs) {
    std::optional<BaseExtent> base = getBaseExtent(a.base);
    if (!base)
      return op->emitOpError()
             << "address operand is not an allocated slot (npuk.slot_at) or "
                "a GM region (npuk.gm); run npuk-alloc-onchip first";
    std::optional<IndexRange> r = getIndexRange(a.offset);
    bool ok = r && r->lo >= 0;
    bases.push_back(*base);
    known.push_back(ok);
    lo.push_back(base->begin + (ok ? r->lo : 0));
    hi.push_back(base->begin + (ok ? r->hi : 0));
  }
  SmallVector<Access> atLo, atHi;
  op.getAccesses(lo, fmap, atLo);
  op.getAccesses(hi, fmap, atHi);
  const isa::OperandSpec *specs =
      isa::formatOperands(isa::opcodeInfo(op.getOpcode()).format);
  for (auto [a, b] : llvm::zip_equal(atLo, atHi)) {
    // The address operand this access comes from, by field name.
    unsigned k = 0;
    while (k < addrs.size() &&
           StringRef(specs[addrs[k].field].name) != StringRef(a.what))
      ++k;
    assert(k < addrs.size() && "access without an address field");
    const BaseExtent &base = bases[k];
    ResolvedAccess r{a, base, known[k] && lo[k] == hi[k]};
    if (!known[k])
      r.access.span = Span{base.begin, base.end};
    else if (lo[k] != hi[k])
      // A correct program stays inside its base whatever the range says
      // (ranges ignore the conditions that guard an access).
      r.access.span = Span{std::max(a.span.lo, base.begin),
                           std::max(std::min(b.span.hi, base.end),
                                    std::max(a.span.lo, base.begin))};
    out.push_back(r);
  }
  return success();
}
