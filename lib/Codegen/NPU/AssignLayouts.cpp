//===- AssignLayouts.cpp - NPU anchors on physical layouts ----------------===//
//
// Cube anchors: matmul(x, W) [+ b] [relu]  (all placed on the NPU) becomes
//   xt = npuk.convert x  nd -> nd  : f32 -> T      (host)
//   Wp = npuk.convert W  nd -> fnz : f32 -> T      (a constant after folding)
//   yt = npuk.matmul xt, Wp, b {n, relu} -> T       (the cube kernel)
//   y  = npuk.convert yt nd -> nd  : T -> f32      (host)
// and conv likewise on nc1hwc0 / fz. Vector ops (npu.add, npu.relu, ...)
// stay npu ops, on the physical tensors of their NPU producer.
//
//===----------------------------------------------------------------------===//
#include "npu/Codegen/NPU/Passes.h"

#include "Rules.h"
#include "npu/Codegen/NPU/Placement.h"
#include "npu/Dialect/NPU/IR/NPUOps.h"
#include "npu/Dialect/NPU/IR/ONNXLocation.h"
#include "npu/Dialect/NPUK/IR/NPUKLayout.h"
#include "npu/Dialect/NPUK/IR/NPUKOps.h"

#include "mlir/IR/Matchers.h"
#include "llvm/Support/FormatVariadic.h"

namespace npu {
#define GEN_PASS_DEF_ASSIGNLAYOUTS
#include "npu/Codegen/NPU/Passes.h.inc"
} // namespace npu

using namespace mlir;
using namespace npu;

namespace {
/// The op `v`'s single user if it is an NPU epilogue op with `code`.
static Operation *epilogueUser(Value v, StringRef code) {
  if (!v.hasOneUse())
    return nullptr;
  Operation *user = *v.getUsers().begin();
  std::optional<Placement> p = getPlacement(user);
  return p && p->onNPU && p->code == code ? user : nullptr;
}

/// A location for host conversions: the model file, without a node name
/// (so the report does not attribute the conversion to a node).
static Location conversionLoc(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return conversionLoc(name.getChildLoc());
  if (auto fused = dyn_cast<FusedLoc>(loc))
    return fused.getLocations().empty()
               ? UnknownLoc::get(loc.getContext())
               : conversionLoc(fused.getLocations().front());
  return loc;
}

struct AssignLayoutsPass : npu::impl::AssignLayoutsBase<AssignLayoutsPass> {
  using AssignLayoutsBase::AssignLayoutsBase;

  void runOnOperation() override {
    auto func = lookupEntry(getOperation(), entry);
    if (!func)
      return signalPassFailure();
    if (precision != "fp16" && precision != "bf16") {
      getOperation().emitError("unknown precision '")
          << precision << "' (expected fp16 or bf16)";
      return signalPassFailure();
    }
    Builder b(&getContext());
    cubeType_ = precision == "fp16" ? Type(b.getF16Type())
                                    : Type(b.getBF16Type());
    SmallVector<Operation *> anchors;
    func.walk([&](Operation *op) {
      std::optional<Placement> p = getPlacement(op);
      if (p && p->onNPU && p->code.starts_with("npu.cube."))
        anchors.push_back(op);
    });
    for (Operation *op : anchors) {
      LogicalResult ok = llvm::isa<MatMulOp>(op) ? rewrite(cast<MatMulOp>(op))
                                           : rewriteConv(cast<ConvOp>(op));
      if (failed(ok))
        return signalPassFailure();
    }
    // Vector ops in program order, so each sees its producers' layouts.
    SmallVector<Operation *> vectorOps;
    func.walk([&](Operation *op) {
      std::optional<Placement> p = getPlacement(op);
      if (p && p->onNPU && p->code.starts_with("npu.vector."))
        vectorOps.push_back(op);
    });
    for (Operation *op : vectorOps)
      if (failed(llvm::isa<SoftmaxOp, LayerNormOp>(op) ? rewriteRow(op)
                                                       : rewriteVector(op)))
        return signalPassFailure();
  }

  /// The physical layout an NPU kernel stores `v` in: `v` is its host
  /// conversion back to the logical layout (canonicalization cancels the
  /// pair this pass inserts in front of a vector op).
  static std::optional<npuk::Layout> producerLayout(Value v) {
    auto cvt = v.getDefiningOp<npuk::ConvertOp>();
    if (!cvt || !npuk::isLogical(cvt.getTo()))
      return std::nullopt;
    Operation *def = cvt.getInput().getDefiningOp();
    std::optional<Placement> p = def ? getPlacement(def) : std::nullopt;
    if (!p || !p->onNPU)
      return std::nullopt;
    return cvt.getFrom();
  }

  /// An elementwise op on physical tensors of the cube type, in the layout
  /// of its first NPU-produced operand; the other operands are converted
  /// on the host, constant scalars become one-element constants.
  LogicalResult rewriteVector(Operation *op) {
    auto resType = cast<RankedTensorType>(op->getResult(0).getType());
    npuk::Layout layout = npuk::Layout::nd;
    for (Value v : op->getOperands())
      if (std::optional<npuk::Layout> l = producerLayout(v)) {
        layout = *l;
        break;
      }
    npuk::Layout logical =
        layout == npuk::Layout::nd ? npuk::Layout::nd : npuk::Layout::nchw;
    auto shape = npuk::physicalShape(resType.getShape(), layout, cubeType_);
    if (failed(shape))
      return op->emitError("npuk-assign-layouts: no ")
             << npuk::stringifyLayout(layout) << " layout for " << resType;
    auto physType = RankedTensorType::get(*shape, cubeType_);
    OpBuilder b(op);
    Location hostLoc = conversionLoc(op->getLoc());
    SmallVector<Value> operands;
    for (Value v : op->getOperands()) {
      if (std::optional<double> c = scalarConstant(v)) {
        auto t = RankedTensorType::get({1}, cubeType_);
        operands.push_back(b.create<ConstantOp>(
            hostLoc,
            DenseElementsAttr::get(
                t, ArrayRef<Attribute>{b.getFloatAttr(cubeType_, *c)})));
        continue;
      }
      auto cvt =
          b.create<npuk::ConvertOp>(hostLoc, physType, v, logical, layout, 0u);
      setPlacement(cvt, false, "cpu.convert",
                   llvm::formatv("{0} -> {1} for the vector unit (host)",
                                 npuk::stringifyLayout(logical),
                                 npuk::stringifyLayout(layout))
                       .str());
      operands.push_back(cvt);
    }
    OperationState st(op->getLoc(), op->getName(), operands, {physType},
                      op->getAttrs());
    Operation *phys = b.create(st);
    auto back = b.create<npuk::ConvertOp>(hostLoc, resType, phys->getResult(0),
                                          layout, logical, 0u);
    setPlacement(back, false, "cpu.convert",
                 llvm::formatv("{0} -> {1} from the vector unit (host)",
                               npuk::stringifyLayout(layout),
                               npuk::stringifyLayout(logical))
                     .str());
    op->getResult(0).replaceAllUsesWith(back.getResult());
    op->erase();
    return success();
  }

  /// A softmax / layer norm on ND rows of the cube type: the input is
  /// converted on the host (a cast; a layout change if its producer stored
  /// another layout), gamma and beta become constants of the cube type.
  LogicalResult rewriteRow(Operation *op) {
    auto resType = cast<RankedTensorType>(op->getResult(0).getType());
    auto physType = RankedTensorType::get(resType.getShape(), cubeType_);
    OpBuilder b(op);
    Location hostLoc = conversionLoc(op->getLoc());
    SmallVector<Value> operands;
    for (Value v : op->getOperands())
      operands.push_back(convert(b, hostLoc, v, npuk::Layout::nd, cubeType_));
    OperationState st(op->getLoc(), op->getName(), operands, {physType},
                      op->getAttrs());
    Operation *phys = b.create(st);
    auto back =
        b.create<npuk::ConvertOp>(hostLoc, resType, phys->getResult(0),
                                  npuk::Layout::nd, npuk::Layout::nd, 0u);
    setPlacement(back, false, "cpu.convert",
                 "nd -> nd from the vector unit (host)");
    op->getResult(0).replaceAllUsesWith(back.getResult());
    op->erase();
    return success();
  }

  /// `v` converted to `type` in `to`, placed on the host CPU.
  Value convert(OpBuilder &b, Location loc, Value v, npuk::Layout to,
                Type elementType, int32_t scaleExp = 0) {
    auto t = cast<RankedTensorType>(v.getType());
    auto shape = npuk::physicalShape(t.getShape(), to, elementType);
    auto cvt = b.create<npuk::ConvertOp>(
        loc, RankedTensorType::get(*shape, elementType), v, npuk::Layout::nd,
        to, uint32_t(scaleExp));
    setPlacement(cvt, false, "cpu.convert",
                 llvm::formatv("{0} -> {1} between the host and the cube",
                               t.getElementType(), elementType)
                     .str());
    return cvt;
  }

  LogicalResult rewrite(MatMulOp mm) {
    auto lhsType = cast<RankedTensorType>(mm.getLhs().getType());
    auto rhsType = cast<RankedTensorType>(mm.getRhs().getType());
    int64_t n = rhsType.getDimSize(1);
    Operation *last = mm;
    chain_.clear();
    chain_.push_back(mm);
    Value bias;
    SmallVector<Attribute> fused;
    SmallVector<Location> locs{mm.getLoc()};
    Builder attrs(&getContext());
    auto record = [&](Operation *op) {
      std::optional<Placement> p = getPlacement(op);
      fused.push_back(attrs.getDictionaryAttr(
          {attrs.getNamedAttr("node", attrs.getStringAttr(
                                          onnxNodeName(op->getLoc()))),
           attrs.getNamedAttr("code", attrs.getStringAttr(p->code)),
           attrs.getNamedAttr("text", attrs.getStringAttr(p->text))}));
      locs.push_back(op->getLoc());
      chain_.push_back(op);
      last = op;
    };
    if (Operation *add = epilogueUser(mm, "fused.bias")) {
      bias = add->getOperand(0) == mm.getResult() ? add->getOperand(1)
                                                  : add->getOperand(0);
      record(add);
    }
    bool relu = false;
    if (Operation *r = epilogueUser(last->getResult(0), "fused.fix_relu")) {
      relu = true;
      record(r);
    }

    OpBuilder b(last);
    Location loc = b.getFusedLoc(locs);
    Location hostLoc = conversionLoc(mm.getLoc());
    // Calibrated scale: x and y are stored as v * 2^-e (the bias too, so the
    // kernel computes (x W + b) * 2^-e exactly in powers of two).
    int32_t e = 0;
    if (auto attr = mm->getAttrOfType<IntegerAttr>("npuk.scale_exp"))
      e = attr.getInt();
    Value lhs = mm.getLhs();
    if (lhsType.getElementType() != cubeType_ || e != 0)
      lhs = convert(b, hostLoc, lhs, npuk::Layout::nd, cubeType_, e);
    // The weight's conversion folds into a constant (canonicalizer).
    auto wShape = npuk::physicalShape(rhsType.getShape(), npuk::Layout::fnz,
                                      cubeType_);
    Value rhs = b.create<npuk::ConvertOp>(
        hostLoc, RankedTensorType::get(*wShape, cubeType_), mm.getRhs(),
        npuk::Layout::nd, npuk::Layout::fnz);
    if (bias) {
      auto biasType = RankedTensorType::get({n}, b.getF32Type());
      if (cast<RankedTensorType>(bias.getType()).getShape() != ArrayRef(n))
        bias = b.create<ReshapeOp>(
            hostLoc,
            RankedTensorType::get(
                {n}, cast<RankedTensorType>(bias.getType()).getElementType()),
            bias);
      if (cast<RankedTensorType>(bias.getType()).getElementType() !=
              biasType.getElementType() ||
          e != 0)
        bias = b.create<npuk::ConvertOp>(hostLoc, biasType, bias,
                                         npuk::Layout::nd, npuk::Layout::nd,
                                         uint32_t(e));
    }
    auto resType = cast<RankedTensorType>(last->getResult(0).getType());
    auto cube = b.create<npuk::MatmulOp>(
        loc, RankedTensorType::get(resType.getShape(), cubeType_), lhs, rhs,
        bias, n, relu);
    setPlacement(cube, true, "npu.cube.matmul",
                 getPlacement(mm)->text.str());
    if (!fused.empty())
      cube->setAttr(kFusedAttr, b.getArrayAttr(fused));
    Value out = cube;
    if (resType.getElementType() != cubeType_ || e != 0)
      out = convert(b, hostLoc, out, npuk::Layout::nd,
                    resType.getElementType(), -e);
    last->getResult(0).replaceAllUsesWith(out);
    // matmul -> add -> relu: each only feeds the next, so erase backwards.
    for (Operation *op : llvm::reverse(chain_))
      op->erase();
    return success();
  }

  /// conv(x, W, b) [relu] -> npuk.conv2d on nc1hwc0 / fz, host conversions
  /// from and to nchw around it.
  LogicalResult rewriteConv(ConvOp conv) {
    auto wType = cast<RankedTensorType>(conv.getWeight().getType());
    Operation *last = conv;
    SmallVector<Attribute> fused;
    SmallVector<Location> locs{conv.getLoc()};
    bool relu = false;
    Builder attrs(&getContext());
    if (Operation *r = epilogueUser(conv.getResult(), "fused.fix_relu")) {
      std::optional<Placement> p = getPlacement(r);
      fused.push_back(attrs.getDictionaryAttr(
          {attrs.getNamedAttr("node",
                              attrs.getStringAttr(onnxNodeName(r->getLoc()))),
           attrs.getNamedAttr("code", attrs.getStringAttr(p->code)),
           attrs.getNamedAttr("text", attrs.getStringAttr(p->text))}));
      locs.push_back(r->getLoc());
      relu = true;
      last = r;
    }
    int32_t e = 0;
    if (auto attr = conv->getAttrOfType<IntegerAttr>("npuk.scale_exp"))
      e = attr.getInt();
    OpBuilder b(last);
    Location hostLoc = conversionLoc(conv.getLoc());
    auto toPhysical = [&](Value v, npuk::Layout layout, int32_t scale) {
      auto t = cast<RankedTensorType>(v.getType());
      auto shape = npuk::physicalShape(t.getShape(), layout, cubeType_);
      return b.create<npuk::ConvertOp>(
          hostLoc, RankedTensorType::get(*shape, cubeType_), v,
          npuk::Layout::nchw, layout, uint32_t(scale));
    };
    auto x = toPhysical(conv.getInput(), npuk::Layout::nc1hwc0, e);
    setPlacement(x, false, "cpu.convert",
                 "nchw -> nc1hwc0 for the cube (host)");
    Value w = toPhysical(conv.getWeight(), npuk::Layout::fz, 0);
    Value bias = conv.getBias();
    int64_t o = wType.getDimSize(0);
    if (bias && (e != 0 || !cast<RankedTensorType>(bias.getType())
                                .getElementType()
                                .isF32()))
      bias = b.create<npuk::ConvertOp>(
          hostLoc, RankedTensorType::get({o}, b.getF32Type()), bias,
          npuk::Layout::nd, npuk::Layout::nd, uint32_t(e));
    auto resType = cast<RankedTensorType>(last->getResult(0).getType());
    auto outShape =
        npuk::physicalShape(resType.getShape(), npuk::Layout::nc1hwc0,
                            cubeType_);
    auto cube = b.create<npuk::Conv2dOp>(
        b.getFusedLoc(locs), RankedTensorType::get(*outShape, cubeType_), x, w,
        bias, o, ArrayRef<int64_t>{wType.getDimSize(2), wType.getDimSize(3)},
        conv.getStrides(), conv.getPads(), conv.getDilations(), relu);
    setPlacement(cube, true, "npu.cube.conv", getPlacement(conv)->text.str());
    if (!fused.empty())
      cube->setAttr(kFusedAttr, b.getArrayAttr(fused));
    auto back = b.create<npuk::ConvertOp>(
        hostLoc, resType, cube, npuk::Layout::nc1hwc0, npuk::Layout::nchw,
        uint32_t(-e));
    setPlacement(back, false, "cpu.convert",
                 "nc1hwc0 -> nchw from the cube (host)");
    last->getResult(0).replaceAllUsesWith(back.getResult());
    if (last != conv.getOperation())
      last->erase();
    conv.erase();
    return success();
  }

  Type cubeType_;
  SmallVector<Operation *> chain_;
};
} // namespace
