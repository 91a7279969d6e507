//===- Rules.cpp - which npu ops the NPU backend can run ------------------===//
//
// Anchors (`npu.cube.*`) start NPU kernels; epilogue ops (`fused.*`) only
// run on the NPU inside their anchor's kernel, so their rule asks whether
// the producer is an anchor whose result they alone consume.
//
//===----------------------------------------------------------------------===//
#include "Rules.h"

#include "npu/Dialect/NPU/IR/NPUOps.h"

#include "mlir/IR/Matchers.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace mlir;
using namespace npu;

static bool isCubeFloat(Type t) { return t.isF32() || t.isF16() || t.isBF16(); }

static Decision cpu(StringRef code, const Twine &text) {
  return {false, code.str(), text.str()};
}

/// Calibrated ranges (npuk.range = [max|x|, max|y|]): store x and y as
/// v * 2^-e so max|x| 2^-e lands in [2^7, 2^8) when x leaves [2^-4, 2^12];
/// the same e must keep y inside fp16 (<= 2^14, leaving 4x headroom).
/// Records npuk.scale_exp and extends `text`; a rejection if no e fits.
static std::optional<Decision> applyRange(Operation *op, std::string &text) {
  if (auto range = op->getAttrOfType<DenseF64ArrayAttr>("npuk.range");
      range && range.size() == 2) {
    double x = range[0], y = range[1];
    int e = 0;
    if (x > 0 && (x < 0x1p-4 || x > 0x1p12))
      e = int(std::floor(std::log2(x))) - 7;
    double ys = std::ldexp(y, -e);
    if (ys > 0x1p14 || (y > 0 && ys < 0x1p-14))
      return cpu("cpu.fp16_range",
                 llvm::formatv("no single power-of-two scale fits both the "
                               "input (max {0:e}) and the output (max "
                               "{1:e}) into fp16",
                               x, y)
                     .str());
    if (e != 0) {
      op->setAttr("npuk.scale_exp",
                  Builder(op->getContext()).getI32IntegerAttr(e));
      text += llvm::formatv("; activations stored as x * 2^{0} (calibrated "
                            "max|x| = {1:e})",
                            -e, x);
    }
  }
  return std::nullopt;
}

static Decision matmulRule(MatMulOp op) {
  auto lhs = cast<RankedTensorType>(op.getLhs().getType());
  auto rhs = cast<RankedTensorType>(op.getRhs().getType());
  if (!isCubeFloat(lhs.getElementType()))
    return cpu("cpu.dtype",
               "the cube multiplies f32/f16/bf16 (as fp16 or "
               "bf16), not " +
                   llvm::formatv("{0}", lhs.getElementType()).str());
  if (rhs.getRank() != 2 || lhs.getRank() < 1)
    return cpu("cpu.matmul_shape",
               "batched right operands are not supported on the cube yet");
  if (!matchPattern(op.getRhs(), m_Constant()))
    return cpu("cpu.matmul_operand",
               "the right operand is not a constant (activation x activation "
               "matmul is not supported on the cube yet)");
  int64_t k = rhs.getDimSize(0), n = rhs.getDimSize(1);
  int64_t m = lhs.getNumElements() / std::max<int64_t>(k, 1);
  if (k % 16 != 0)
    return cpu("cpu.matmul_shape",
               llvm::formatv("K = {0} is not a multiple of 16 (nd2nz loads "
                             "whole 16-column blocks; padding A is not "
                             "implemented yet)",
                             k)
                   .str());
  std::string text = llvm::formatv("matmul {0}x{1}x{2} (M x K x N) on the "
                                   "cube: fp16 inputs, fp32 accumulation",
                                   m, k, n)
                         .str();
  if (std::optional<Decision> reject = applyRange(op, text))
    return *reject;
  return {true, "npu.cube.matmul", text};
}

static Decision convRule(ConvOp op) {
  auto in = cast<RankedTensorType>(op.getInput().getType());
  auto w = cast<RankedTensorType>(op.getWeight().getType());
  if (!isCubeFloat(in.getElementType()))
    return cpu("cpu.dtype", "the cube convolves f32/f16/bf16 (as fp16 or "
                            "bf16) only");
  if (in.getRank() != 4)
    return cpu("cpu.conv_params", "only 2-D convolutions run on the cube");
  if (op.getGroup() != 1)
    return cpu("cpu.conv_params",
               "grouped and depthwise convolutions are not supported on the "
               "cube yet");
  if (!matchPattern(op.getWeight(), m_Constant()) ||
      (op.getBias() && !matchPattern(op.getBias(), m_Constant())))
    return cpu("cpu.conv_params", "the weight or bias is not a constant");
  int64_t kh = w.getDimSize(2), kw = w.getDimSize(3);
  auto strides = op.getStrides(), dil = op.getDilations(), pads = op.getPads();
  bool ok = kh <= 255 && kw <= 255 && in.getDimSize(2) <= 8191 &&
            in.getDimSize(3) <= 8191;
  for (int64_t s : strides)
    ok &= s >= 1 && s <= 63;
  for (int64_t d : dil)
    ok &= d >= 1 && d <= 15;
  for (int64_t p : pads)
    ok &= p >= 0 && p <= 255;
  if (!ok)
    return cpu("cpu.conv_params",
               "kernel, stride, dilation, padding or input size outside the "
               "load3d limits (kernel <= 255, stride <= 63, dilation <= 15, "
               "pads <= 255, H, W <= 8191)");
  // Limits of buildConvKernel's default tiles (whole output rows of at
  // most 16 fractals of pixels) and of its band loads.
  int64_t wo = cast<RankedTensorType>(op.getType()).getDimSize(3);
  if (wo > 256)
    return cpu("cpu.conv_params",
               llvm::formatv("output rows of {0} pixels exceed the 256 of one "
                             "cube tile",
                             wo)
                   .str());
  if (kh == 1 && kw == 1 && llvm::any_of(pads, [](int64_t p) { return p; }))
    return cpu("cpu.conv_params",
               "a padded 1x1 conv has tiles that read only padding");
  std::string text =
      llvm::formatv("conv {0}x{1}, {2} -> {3} channels on the cube (load3d "
                    "img2col): fp16 inputs, fp32 accumulation",
                    kh, kw, w.getDimSize(1), w.getDimSize(0))
          .str();
  if (std::optional<Decision> reject = applyRange(op, text))
    return *reject;
  return {true, "npu.cube.conv", text};
}

/// The NPU op defining `v`, if `user` is its only reader.
static Operation *soleAnchor(Value v, Operation *user,
                             const DenseMap<Operation *, Decision> &earlier) {
  Operation *def = v.getDefiningOp();
  if (!def || !v.hasOneUse() || *v.getUsers().begin() != user)
    return nullptr;
  auto it = earlier.find(def);
  if (it == earlier.end() || !it->second.onNPU)
    return nullptr;
  return def;
}

/// The cube op whose kernel `def` ends (following its fused epilogues);
/// null if `def` is not a cube anchor or one of its epilogues.
static Operation *anchorOf(Operation *def,
                           const DenseMap<Operation *, Decision> &earlier) {
  while (def && !llvm::isa<MatMulOp, ConvOp>(def)) {
    auto it = earlier.find(def);
    if (it == earlier.end() || !it->second.onNPU ||
        !StringRef(it->second.code).starts_with("fused."))
      return nullptr;
    Operation *next = nullptr;
    for (Value v : def->getOperands()) {
      auto d = earlier.find(v.getDefiningOp());
      if (d != earlier.end() && d->second.onNPU)
        next = v.getDefiningOp();
    }
    def = next;
  }
  return def;
}

/// Cube epilogues: a matmul's constant bias (mmad_bias) and ReLU in FIX.
static std::optional<Decision>
epilogueRule(Operation *op, const DenseMap<Operation *, Decision> &earlier) {
  // Bias: matmul result + a constant vector along N (broadcast along M).
  if (auto add = dyn_cast<AddOp>(op)) {
    Value acc = add.getLhs(), bias = add.getRhs();
    if (!soleAnchor(acc, op, earlier))
      std::swap(acc, bias);
    Operation *anchor = soleAnchor(acc, op, earlier);
    if (!anchor || !llvm::isa<MatMulOp>(anchor))
      return std::nullopt;
    auto out = cast<RankedTensorType>(add.getType());
    auto bt = cast<RankedTensorType>(bias.getType());
    int64_t n = out.getShape().back();
    bool perN = bt.getNumElements() == n && bt.getShape().back() == n;
    if (!matchPattern(bias, m_Constant()) || !perN ||
        out.getShape() != cast<RankedTensorType>(acc.getType()).getShape())
      return cpu("cpu.unsupported_op",
                 "an add after a matmul fuses only as a constant bias along "
                 "N (rej.bias_shape)");
    return Decision{true, "fused.bias",
                    "bias added by mmad_bias in the matmul's cube kernel"};
  }
  if (auto relu = dyn_cast<ReluOp>(op)) {
    Operation *def = soleAnchor(relu.getOperand(), op, earlier);
    if (!def || !anchorOf(def, earlier) || llvm::isa<ReluOp>(def))
      return std::nullopt;
    return Decision{true, "fused.fix_relu",
                    "ReLU applied by FIX when the matmul's result leaves L0C"};
  }
  return std::nullopt;
}

std::optional<double> npu::scalarConstant(Value v) {
  DenseElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)) ||
      !llvm::isa<FloatType>(attr.getElementType()) ||
      !(attr.isSplat() || attr.getNumElements() == 1))
    return std::nullopt;
  return (*attr.getValues<APFloat>().begin()).convertToDouble();
}

FailureOr<EltwiseMatch> npu::matchEltwise(Operation *op, std::string &why) {
  using K = npuk::EltwiseKind;
  EltwiseMatch m;
  if (auto clip = dyn_cast<ClipOp>(op)) {
    m.operands = {clip.getInput()};
    std::optional<APFloat> lo = clip.getMin(), hi = clip.getMax();
    if (lo && hi)
      m.step = {K::Clip, 0, 0, 0, lo->convertToDouble(), hi->convertToDouble()};
    else if (lo)
      m.step = {K::MaxS, 0, 0, lo->convertToDouble()};
    else if (hi)
      m.step = {K::MinS, 0, 0, hi->convertToDouble()};
    else
      m.step = {K::MaxS, 0, 0, -INFINITY};
    return m;
  }
  if (auto relu = dyn_cast<ReluOp>(op)) {
    m.operands = {relu.getInput()};
    m.step.kind = K::Relu;
    return m;
  }
  if (auto erf = dyn_cast<ErfOp>(op)) {
    m.operands = {erf.getInput()};
    m.step.kind = K::Erf;
    return m;
  }
  if (llvm::isa<DivOp>(op)) {
    Value x = op->getOperand(0), y = op->getOperand(1);
    std::optional<double> d = scalarConstant(y);
    Type type = op->getResult(0).getType();
    if (!d && !scalarConstant(x) && x.getType() == type &&
        y.getType() == type) {
      m.step.kind = K::Div;
      m.operands = {x, y};
      return m;
    }
    if (!d || *d == 0 || !std::isfinite(1.0 / *d) || scalarConstant(x)) {
      why = "the vector unit divides a tensor by a same-shape tensor or by "
            "a non-zero constant scalar (as a multiply by its reciprocal)";
      return failure();
    }
    if (x.getType() != op->getResult(0).getType()) {
      why = "an operand is broadcast (only same-shape operands and constant "
            "scalars run on the vector unit)";
      return failure();
    }
    m.step = {K::MulS, 0, 0, 1.0 / *d};
    m.operands = {x};
    return m;
  }
  std::optional<std::pair<K, K>> kinds; // Tensor and scalar forms.
  if (llvm::isa<AddOp>(op))
    kinds = {K::Add, K::AddS};
  else if (llvm::isa<SubOp>(op))
    kinds = {K::Sub, K::AddS};
  else if (llvm::isa<MulOp>(op))
    kinds = {K::Mul, K::MulS};
  else if (llvm::isa<MaxOp>(op))
    kinds = {K::Max, K::MaxS};
  else if (llvm::isa<MinOp>(op))
    kinds = {K::Min, K::MinS};
  if (!kinds) {
    why = ("the vector unit has no lowering for " +
           op->getName().getStringRef() + " yet")
              .str();
    return failure();
  }
  Value lhs = op->getOperand(0), rhs = op->getOperand(1);
  auto shape = cast<RankedTensorType>(op->getResult(0).getType()).getShape();
  std::optional<double> sl = scalarConstant(lhs), sr = scalarConstant(rhs);
  if (sl && sr) {
    why = "both operands are constants";
    return failure();
  }
  if (sl && !llvm::isa<SubOp>(op)) {
    std::swap(lhs, rhs);
    std::swap(sl, sr);
  }
  if (sr) {
    m.step = {kinds->second, 0, 0, llvm::isa<SubOp>(op) ? -*sr : *sr};
    m.operands = {lhs};
  } else {
    m.step.kind = kinds->first;
    m.operands = {lhs, rhs};
  }
  for (Value v : m.operands)
    if (cast<RankedTensorType>(v.getType()).getShape() != shape) {
      why = "an operand is broadcast (only same-shape operands and constant "
            "scalars run on the vector unit)";
      return failure();
    }
  return m;
}

/// Elementwise ops fed by an NPU kernel run as vector kernels on the
/// producer's physical layout (design §3, §7.2).
static Decision vectorRule(Operation *op,
                           const DenseMap<Operation *, Decision> &earlier) {
  std::string why;
  FailureOr<EltwiseMatch> m = matchEltwise(op, why);
  if (failed(m))
    return cpu(why.find("broadcast") != std::string::npos
                   ? "cpu.broadcast"
                   : "cpu.unsupported_op",
               why);
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  if (!isCubeFloat(type.getElementType()))
    return cpu("cpu.dtype", "the vector unit runs f32/f16/bf16 chains (in "
                            "fp16 or bf16) only");
  bool fed = false;
  for (Value v : m->operands) {
    auto it = earlier.find(v.getDefiningOp());
    if (it == earlier.end() || !it->second.onNPU)
      continue;
    fed = true;
    Operation *anchor = anchorOf(v.getDefiningOp(), earlier);
    auto e = anchor ? anchor->getAttrOfType<IntegerAttr>("npuk.scale_exp")
                    : IntegerAttr();
    if (e && e.getInt() != 0)
      return cpu("cpu.fp16_range",
                 "an operand is stored with a calibrated scale; vector "
                 "kernels run unscaled fp16");
  }
  if (!fed)
    return cpu("cpu.vector_island",
               "no operand comes from an NPU kernel: the host would convert "
               "to and from the NPU layout just for this op");
  // nc1hwc0 pad lanes must stay +0 (design §4).
  if (type.getRank() == 4 && type.getDimSize(1) % 16 != 0 &&
      !npuk::keepsZero(m->step))
    return cpu("cpu.pad_lanes",
               llvm::formatv("{0} maps 0 to a non-zero value, which would "
                             "break the zero pad lanes of nc1hwc0 (C = {1})",
                             op->getName(), type.getDimSize(1))
                   .str());
  return {true, "npu.vector.eltwise",
          llvm::formatv("{0} on the vector unit, flat over the producer's "
                        "physical layout (fp16/bf16)",
                        op->getName())
              .str()};
}

/// The UB budget error of a row kernel for `type` rows (f16 storage), or "".
std::string npu::rowBudgetError(npuk::RowKind kind, RankedTensorType type,
                                bool residual, bool beta) {
  npuk::RowKernelSpec s;
  s.kind = kind;
  s.cols = type.getShape().back();
  s.rows = type.getNumElements() / std::max<int64_t>(1, s.cols);
  int64_t bytes = llvm::alignTo(type.getNumElements() * 2, 4096) + 4096;
  npuk::GMRegion r{"x", 4096, bytes};
  s.input = r;
  s.output = {"y", 4096 + bytes, bytes};
  if (residual)
    s.residual = npuk::GMRegion{"r", 4096 + 2 * bytes, bytes};
  if (kind == npuk::RowKind::LayerNorm) {
    s.gamma = npuk::GMRegion{"g", 4096 + 3 * bytes, bytes};
    if (beta)
      s.beta = npuk::GMRegion{"b", 4096 + 4 * bytes, bytes};
  }
  std::string err;
  (void)npuk::planRows(s, err);
  return err;
}

/// Softmax and layer norm over the last axis as vector row kernels (design
/// §7.2). Island policy: ND rows need no layout change, so a row op whose
/// input comes from a host part still runs on the NPU (the host part only
/// casts to the storage type), unless it is scaled.
static Decision rowRule(Operation *op,
                        const DenseMap<Operation *, Decision> &earlier) {
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  int64_t axis = 0;
  bool ln = llvm::isa<LayerNormOp>(op);
  StringRef what = ln ? "layer norm" : "softmax";
  if (auto sm = dyn_cast<SoftmaxOp>(op))
    axis = sm.getAxis();
  else
    axis = cast<LayerNormOp>(op).getAxis();
  if (!isCubeFloat(type.getElementType()) || !type.hasStaticShape())
    return cpu("cpu.dtype", what + " runs on static f32/f16/bf16 tensors "
                                   "only");
  if (axis != type.getRank() - 1)
    return cpu("cpu.axis",
               llvm::formatv("{0} over axis {1} of a rank-{2} tensor: the row "
                             "kernel reduces the last axis only",
                             what, axis, type.getRank()));
  int64_t cols = type.getShape().back();
  bool beta = false;
  if (auto lnOp = dyn_cast<LayerNormOp>(op)) {
    for (Value p : {lnOp.getScale(), lnOp.getBias()}) {
      if (!p)
        continue;
      Operation *def = p.getDefiningOp();
      if (!def || !def->hasTrait<OpTrait::ConstantLike>() ||
          cast<RankedTensorType>(p.getType()).getNumElements() != cols)
        return cpu("cpu.operand", "layer norm's scale and bias must be "
                                  "constants of the row length");
    }
    beta = bool(lnOp.getBias());
    if (cols % 16)
      return cpu("cpu.row_align",
                 llvm::formatv("layer norm rows of {0} elements are not 32 B "
                               "aligned in fp16 (gamma would need {1} "
                               "shifted copies, not implemented)",
                               cols, npuk::rowPeriod(cols, isa::DType::F16)));
  }
  std::string budget =
      rowBudgetError(ln ? npuk::RowKind::LayerNorm : npuk::RowKind::Softmax,
                     type, false, beta);
  if (!budget.empty())
    return cpu("cpu.ub_budget", what + ": " + budget);
  bool fed = false;
  if (Operation *def = op->getOperand(0).getDefiningOp()) {
    auto it = earlier.find(def);
    fed = it != earlier.end() && it->second.onNPU;
    Operation *anchor = fed ? anchorOf(def, earlier) : nullptr;
    auto e = anchor ? anchor->getAttrOfType<IntegerAttr>("npuk.scale_exp")
                    : IntegerAttr();
    if (e && e.getInt() != 0)
      return cpu("cpu.fp16_range", "the input is stored with a calibrated "
                                   "scale; row kernels run unscaled");
  }
  return {true, ln ? "npu.vector.layer_norm" : "npu.vector.softmax",
          llvm::formatv("{0} over rows of {1} on the vector unit (fp32 "
                        "statistics in UB){2}",
                        what, cols,
                        fed ? ""
                            : "; input from a host part: ND rows need no "
                              "layout change, the host only casts")
              .str()};
}

std::optional<Decision>
npu::npuRule(Operation *op, const llvm::StringSet<> &families,
             const DenseMap<Operation *, Decision> &earlier) {
  if (auto conv = dyn_cast<ConvOp>(op))
    return families.contains("conv") ? std::optional(convRule(conv))
                                     : std::nullopt;
  if (auto mm = dyn_cast<MatMulOp>(op))
    return families.contains("matmul") ? std::optional(matmulRule(mm))
                                       : std::nullopt;
  std::optional<Decision> epilogue;
  if (families.contains("matmul") || families.contains("conv"))
    epilogue = epilogueRule(op, earlier);
  if (epilogue && epilogue->onNPU)
    return epilogue;
  if (families.contains("vector") &&
      llvm::isa<AddOp, SubOp, MulOp, DivOp, MaxOp, MinOp, ReluOp, ClipOp,
                ErfOp>(op))
    return vectorRule(op, earlier);
  if (families.contains("vector") && llvm::isa<SoftmaxOp, LayerNormOp>(op))
    return rowRule(op, earlier);
  return epilogue;
}

void npu::demoteHostOnlyChains(func::FuncOp func,
                               DenseMap<Operation *, Decision> &decided) {
  auto onNPU = [&](Operation *op) {
    auto it = decided.find(op);
    return it != decided.end() && it->second.onNPU;
  };
  // Backwards, so a chain's later ops are settled before its earlier ones:
  // an op stays if some user is an NPU op (a kept vector op included).
  for (Operation &op : llvm::reverse(func.getBody().front())) {
    auto it = decided.find(&op);
    if (it == decided.end() || !it->second.onNPU ||
        it->second.code != "npu.vector.eltwise" ||
        llvm::any_of(op.getUsers(), onNPU))
      continue;
    it->second = cpu("cpu.vector_boundary",
                     "the elementwise chain only feeds host ops: it runs in "
                     "their CPU part rather than as one more NPU kernel");
    setPlacement(&op, false, it->second.code, it->second.text);
  }
}
