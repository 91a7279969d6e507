//===- ControlFlow.cpp - npu.if and npu.loop to scf on tensors ------------===//
//
// npu.if becomes scf.if and npu.loop an scf.for over the trip count whose
// iteration arguments are the carried values and one accumulator per scan
// output; scan inputs are read with rank-reducing extract_slice and scan
// outputs written with insert_slice, which bufferize in place. The regions
// move over unchanged, so the npu ops inside are converted like any other.
//
//===----------------------------------------------------------------------===//
#include "Utils.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "npu/Dialect/NPU/IR/NPUOps.h"

using namespace mlir;
using namespace npu;
using namespace npu::detail;

namespace {

/// Offsets/sizes/strides selecting index `pos` of dimension `axis` of a
/// tensor of `shape`.
struct SliceAt {
  SmallVector<OpFoldResult> offsets, sizes, strides;
  SliceAt(OpBuilder &b, ArrayRef<int64_t> shape, int64_t axis, Value pos) {
    for (auto [d, size] : llvm::enumerate(shape)) {
      offsets.push_back(int64_t(d) == axis ? OpFoldResult(pos)
                                           : b.getIndexAttr(0));
      sizes.push_back(b.getIndexAttr(int64_t(d) == axis ? 1 : size));
      strides.push_back(b.getIndexAttr(1));
    }
  }
};

/// The slice of a scan tensor an iteration reads or writes: `iv`, or
/// trip_count - 1 - iv when reversed.
Value scanPosition(OpBuilder &b, Location loc, Value iv, int64_t trips,
                   bool reverse) {
  if (!reverse)
    return iv;
  Value last = b.create<arith::ConstantIndexOp>(loc, trips - 1);
  return b.create<arith::SubIOp>(loc, last, iv);
}

/// The i1 of a single-element condition tensor.
Value extractCondition(OpBuilder &b, Location loc, Value cond) {
  int64_t rank = cast<RankedTensorType>(cond.getType()).getRank();
  SmallVector<Value> zeros;
  if (rank)
    zeros.assign(rank, b.create<arith::ConstantIndexOp>(loc, 0));
  return b.create<tensor::ExtractOp>(loc, cond, zeros);
}

/// Copies of `values` into fresh tensors.
SmallVector<Value> copyFresh(OpBuilder &b, Location loc, ValueRange values) {
  SmallVector<Value> fresh;
  for (Value v : values) {
    Value empty = createEmpty(b, loc, cast<RankedTensorType>(v.getType()));
    fresh.push_back(b.create<linalg::CopyOp>(loc, v, empty).getResult(0));
  }
  return fresh;
}

/// The next carried values, written into the iteration arguments' buffers
/// as one-shot bufferization requires of loops. They are first copied out
/// so that every read of an iteration argument (a swap, a scan output
/// reading it) comes before the writes, which end the body.
SmallVector<Value> intoIterArgs(OpBuilder &b, Location loc, ValueRange next,
                                ValueRange iterArgs) {
  SmallVector<Value> staged;
  for (auto [v, arg] : llvm::zip(next, iterArgs))
    staged.push_back(v == arg ? v : copyFresh(b, loc, v).front());
  SmallVector<Value> result;
  for (auto [v, arg] : llvm::zip(staged, iterArgs))
    result.push_back(
        v == arg ? v : b.create<linalg::CopyOp>(loc, v, arg).getResult(0));
  return result;
}

/// Replaces the npu.yield ending `block` with scf.yield of `values` (the
/// yielded values by default).
void replaceYield(ConversionPatternRewriter &rewriter, Block &block,
                  function_ref<SmallVector<Value>(YieldOp)> values = nullptr) {
  auto yield = cast<YieldOp>(block.getTerminator());
  rewriter.setInsertionPoint(yield);
  SmallVector<Value> results =
      values ? values(yield) : SmallVector<Value>(yield.getValues());
  rewriter.create<scf::YieldOp>(yield.getLoc(), results);
  rewriter.eraseOp(yield);
}

struct IfLowering : OpConversionPattern<IfOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(IfOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value cond = extractCondition(rewriter, loc, adaptor.getCond());
    auto ifOp = rewriter.create<scf::IfOp>(loc, op.getResultTypes(), cond);
    for (auto [from, to] :
         {std::pair(&op.getThenRegion(), &ifOp.getThenRegion()),
          std::pair(&op.getElseRegion(), &ifOp.getElseRegion())}) {
      rewriter.inlineRegionBefore(*from, *to, to->end());
      replaceYield(rewriter, to->front());
    }
    rewriter.replaceOp(op, ifOp.getResults());
    return success();
  }
};

/// A conditional loop is an scf.while on (iteration < trip_count and the
/// first carried value), with the iteration number as i64.
LogicalResult lowerConditionalLoop(LoopOp op, LoopOp::Adaptor adaptor,
                                   ConversionPatternRewriter &rewriter) {
  Location loc = op.getLoc();
  Type i64 = rewriter.getI64Type();
  SmallVector<Value> inits{rewriter.create<arith::ConstantIntOp>(loc, 0, 64)};
  llvm::append_range(inits, adaptor.getInits());
  SmallVector<Type> types(ValueRange(inits).getTypes());
  SmallVector<Location> locs(types.size(), loc);
  auto whileOp = rewriter.create<scf::WhileOp>(loc, types, inits);

  Block *before = rewriter.createBlock(&whileOp.getBefore(), {}, types, locs);
  Value trips =
      rewriter.create<arith::ConstantIntOp>(loc, op.getTripCount(), 64);
  Value inRange = rewriter.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt,
                                                 before->getArgument(0), trips);
  Value cond = extractCondition(rewriter, loc, before->getArgument(1));
  Value go = rewriter.create<arith::AndIOp>(loc, inRange, cond);
  rewriter.create<scf::ConditionOp>(loc, go, before->getArguments());

  Block *after = rewriter.createBlock(&whileOp.getAfter(), {}, types, locs);
  Value iter = after->getArgument(0);
  SmallVector<Value> args{rewriter.create<tensor::FromElementsOp>(
      loc, RankedTensorType::get({}, i64), iter)};
  llvm::append_range(args, after->getArguments().drop_front());
  rewriter.mergeBlocks(&op.getBody().front(), after, args);
  replaceYield(rewriter, *after, [&](YieldOp yield) {
    Value one = rewriter.create<arith::ConstantIntOp>(loc, 1, 64);
    SmallVector<Value> next{rewriter.create<arith::AddIOp>(loc, iter, one)};
    llvm::append_range(next, intoIterArgs(rewriter, loc, yield.getValues(),
                                          after->getArguments().drop_front()));
    return next;
  });
  rewriter.replaceOp(op, whileOp.getResults().drop_front());
  return success();
}

struct LoopLowering : OpConversionPattern<LoopOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LoopOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (op.getConditional())
      return lowerConditionalLoop(op, adaptor, rewriter);
    Location loc = op.getLoc();
    int64_t trips = op.getTripCount();
    unsigned numCarried = op.getNumCarried();
    SmallVector<Value> iterInits(adaptor.getInits());
    for (Value out : op.getScanOutputs())
      iterInits.push_back(
          createEmpty(rewriter, loc, cast<RankedTensorType>(out.getType())));
    Value lb = rewriter.create<arith::ConstantIndexOp>(loc, 0);
    Value ub = rewriter.create<arith::ConstantIndexOp>(loc, trips);
    Value step = rewriter.create<arith::ConstantIndexOp>(loc, 1);
    auto forOp = rewriter.create<scf::ForOp>(loc, lb, ub, step, iterInits);
    Block *body = forOp.getBody();
    if (!body->empty())
      rewriter.eraseOp(body->getTerminator());

    // Arguments of the npu body: iteration number, carried values, slices.
    rewriter.setInsertionPointToStart(body);
    Value iv = forOp.getInductionVar();
    Value iter =
        rewriter.create<arith::IndexCastOp>(loc, rewriter.getI64Type(), iv);
    SmallVector<Value> args{rewriter.create<tensor::FromElementsOp>(
        loc, RankedTensorType::get({}, rewriter.getI64Type()), iter)};
    for (unsigned i = 0; i < numCarried; ++i)
      args.push_back(forOp.getRegionIterArg(i));
    Block &npuBody = op.getBody().front();
    for (auto [k, in] : llvm::enumerate(adaptor.getScanInputs())) {
      auto type = cast<RankedTensorType>(in.getType());
      int64_t axis = op.getScanInputAxes()[k];
      Value pos =
          scanPosition(rewriter, loc, iv, trips, op.getScanInputReverse()[k]);
      SliceAt s(rewriter, type.getShape(), axis, pos);
      auto sliceType = cast<RankedTensorType>(
          npuBody.getArgument(1 + numCarried + k).getType());
      args.push_back(rewriter.create<tensor::ExtractSliceOp>(
          loc, sliceType, in, s.offsets, s.sizes, s.strides));
    }
    rewriter.mergeBlocks(&npuBody, body, args);

    // Yield the carried values and the accumulators with this slice added.
    replaceYield(rewriter, *body, [&](YieldOp yield) {
      SmallVector<Value> next;
      for (auto [k, out] : llvm::enumerate(op.getScanOutputs())) {
        auto type = cast<RankedTensorType>(out.getType());
        int64_t axis = op.getScanOutputAxes()[k];
        Value pos = scanPosition(rewriter, loc, iv, trips,
                                 op.getScanOutputReverse()[k]);
        SliceAt s(rewriter, type.getShape(), axis, pos);
        next.push_back(rewriter.create<tensor::InsertSliceOp>(
            loc, yield.getValues()[numCarried + k],
            forOp.getRegionIterArg(numCarried + k), s.offsets, s.sizes,
            s.strides));
      }
      // Carried values last: the scan outputs may read iteration arguments.
      SmallVector<Value> carried =
          intoIterArgs(rewriter, loc, yield.getValues().take_front(numCarried),
                       forOp.getRegionIterArgs().take_front(numCarried));
      next.insert(next.begin(), carried.begin(), carried.end());
      return next;
    });
    rewriter.replaceOp(op, forOp.getResults());
    return success();
  }
};

} // namespace

void npu::populateControlFlowPatterns(RewritePatternSet &patterns) {
  patterns.add<IfLowering, LoopLowering>(patterns.getContext());
}
