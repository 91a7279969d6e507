//===- LowerKernels.cpp - NPU kernels to machine code at plan addresses ---===//
#include "npu/Codegen/NPU/Passes.h"

#include "PrefetchPlan.h"
#include "Rules.h"
#include "npu/Codegen/NPU/CostModel.h"
#include "npu/Codegen/NPU/ElementwiseKernel.h"
#include "npu/Codegen/NPU/Placement.h"
#include "npu/Codegen/NPU/RowKernel.h"
#include "npu/Codegen/NPU/TileBuilder.h"
#include "npu/Dialect/NPU/IR/NPUOps.h"
#include "npu/Dialect/NPU/IR/ONNXLocation.h"
#include "npu/Dialect/NPUK/IR/NPUKOps.h"
#include "npu/Simulator/Config.h"
#include "npu/Simulator/Device.h"
#include "npu/Target/Translations.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MathExtras.h"

namespace npu {
#define GEN_PASS_DEF_LOWERKERNELS
#include "npu/Codegen/NPU/Passes.h.inc"
} // namespace npu

using namespace mlir;
using namespace npu;

namespace {
/// The [offset, bytes] npuk-plan-gm gave a schedule value.
static std::optional<std::pair<int64_t, int64_t>> planRegion(Value v) {
  ArrayAttr region;
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    auto fn = cast<func::FuncOp>(arg.getOwner()->getParentOp());
    region = fn.getArgAttrOfType<ArrayAttr>(arg.getArgNumber(), kGMAttr);
  } else if (auto all = v.getDefiningOp()->getAttrOfType<ArrayAttr>(kGMAttr)) {
    region = v.getDefiningOp()->hasTrait<OpTrait::ConstantLike>()
                 ? all
                 : dyn_cast<ArrayAttr>(
                       all[cast<OpResult>(v).getResultNumber()]);
  }
  if (!region || region.size() != 2)
    return std::nullopt;
  return std::make_pair(cast<IntegerAttr>(region[0]).getInt(),
                        cast<IntegerAttr>(region[1]).getInt());
}

static std::optional<isa::DType> isaType(Type t) {
  if (t.isF16())
    return isa::DType::F16;
  if (t.isBF16())
    return isa::DType::BF16;
  if (t.isF32())
    return isa::DType::F32;
  return std::nullopt;
}

struct LowerKernelsPass : npu::impl::LowerKernelsBase<LowerKernelsPass> {
  using LowerKernelsBase::LowerKernelsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto main = lookupEntry(module, entry);
    if (!main)
      return signalPassFailure();
    auto cfg = sim::loadConfig(config);
    if (!cfg) {
      module.emitError() << llvm::toString(cfg.takeError());
      return signalPassFailure();
    }
    cores_ = cfg->cores;
    cfg_ = *cfg;
    SmallVector<npuk::LaunchOp> launches;
    main.walk([&](npuk::LaunchOp l) { launches.push_back(l); });
    if (prefetch) {
      SmallVector<npuk::PrefetchKernel> ks;
      for (auto [i, launch] : llvm::enumerate(launches)) {
        launchIndex_[launch] = i;
        ks.push_back(prefetchInfo(
            launch, module.lookupSymbol<func::FuncOp>(launch.getCalleeAttr())));
      }
      prefetch_ = npuk::planPrefetch(ks, cfg_);
    }
    for (npuk::LaunchOp launch : launches) {
      auto fn = module.lookupSymbol<func::FuncOp>(launch.getCalleeAttr());
      if (!fn)
        continue; // Already machine code.
      if (failed(lower(launch, fn)))
        return signalPassFailure();
    }
  }

  /// The launch's compute time (cube fractals or vector repeats over the
  /// config's cores: a lower bound), its constant GM regions and the input
  /// bytes the host wrote.
  npuk::PrefetchKernel prefetchInfo(npuk::LaunchOp launch, func::FuncOp fn) {
    npuk::PrefetchKernel k;
    k.cores = unsigned(cores_);
    if (!fn || fn.getBody().empty())
      return k;
    auto frac = [](int64_t v) { return llvm::divideCeil(v, 16); };
    for (Operation &op : fn.getBody().front().without_terminator()) {
      Value w, bias, x;
      if (auto mm = dyn_cast<npuk::MatmulOp>(op)) {
        auto lhs = cast<RankedTensorType>(mm.getLhs().getType());
        int64_t kk = lhs.getShape().back();
        k.workCycles += frac(lhs.getNumElements() / std::max<int64_t>(kk, 1)) *
                        frac(mm.getN()) * frac(kk) / cores_;
        w = mm.getRhs(), bias = mm.getBias(), x = mm.getLhs();
      } else if (auto cv = dyn_cast<npuk::Conv2dOp>(op)) {
        npuk::ConvKernelSpec s = convShape(cv);
        k.workCycles += frac(s.n * s.outH() * s.outW()) * frac(s.o) *
                        (s.c / 16) * s.kh * s.kw / cores_;
        w = cv.getWeight(), bias = cv.getBias(), x = cv.getInput();
      } else if (op.getNumResults() == 1) {
        if (auto t = dyn_cast<RankedTensorType>(op.getResult(0).getType()))
          k.workCycles += llvm::divideCeil(t.getNumElements(), 128) / cores_;
      }
      // Constant operands only: others may not be written yet.
      auto isConstant = [&](Value v) {
        auto arg = dyn_cast_or_null<BlockArgument>(v);
        Operation *def =
            arg ? launch.getArgs()[arg.getArgNumber()].getDefiningOp()
                : nullptr;
        return def && def->hasTrait<OpTrait::ConstantLike>();
      };
      for (Value v : {w, bias})
        if (isConstant(v))
          if (auto r = regionOfArg(launch, v, "w"))
            k.weights.push_back(*r);
      // An input a host part (or the caller) wrote misses the L2.
      if (x && !writtenOnChip(launch, x))
        if (auto r = regionOfArg(launch, x, "x"))
          k.hostBytes += r->size;
    }
    return k;
  }

  /// Whether kernel argument `v` of `launch` is the result of an earlier
  /// NPU kernel (so it is in the L2), not of a host part or the caller.
  static bool writtenOnChip(npuk::LaunchOp launch, Value v) {
    auto arg = dyn_cast<BlockArgument>(v);
    return arg && launch.getArgs()[arg.getArgNumber()]
                      .getDefiningOp<npuk::LaunchOp>();
  }

  /// What this launch prefetches, and which of its own weights are warm.
  ArrayRef<npuk::GMRegion> prefetchOf(npuk::LaunchOp launch, bool warm) {
    auto it = launchIndex_.find(launch);
    if (!prefetch || it == launchIndex_.end())
      return {};
    return (warm ? prefetch_.warm : prefetch_.issue)[it->second];
  }

  LogicalResult lower(npuk::LaunchOp launch, func::FuncOp fn) {
    if (auto kind = fn->getAttrOfType<StringAttr>(kKindAttr);
        kind && kind.getValue() == "vector")
      return lowerVector(launch, fn);
    Operation *anchor = nullptr;
    for (Operation &op : fn.getBody().front().without_terminator()) {
      anchor = &op;
      if (!llvm::isa<npuk::MatmulOp, npuk::Conv2dOp>(op))
        return fn.emitError("NPU kernel '")
               << fn.getSymName() << "' holds '" << op.getName()
               << "', which has no NPU lowering yet";
    }
    if (!anchor || fn.getBody().front().getOperations().size() != 2)
      return fn.emitError("NPU kernel '")
             << fn.getSymName()
             << "' must hold exactly one npuk.matmul or npuk.conv2d";

    // Build and lower the tile kernel in a scratch module.
    OwningOpRef<ModuleOp> scratch = ModuleOp::create(fn.getLoc());
    FailureOr<unsigned> cores =
        llvm::isa<npuk::MatmulOp>(anchor)
            ? buildMatmul(launch, fn, cast<npuk::MatmulOp>(anchor), *scratch)
            : buildConv(launch, fn, cast<npuk::Conv2dOp>(anchor), scratch);
    if (failed(cores))
      return failure();
    return finish(launch, fn, scratch, *cores, reasonsOf({anchor}));
  }

  /// Runs the tile passes on `scratch` (unless the builder did) and
  /// replaces `fn` by a device kernel holding the machine code.
  LogicalResult finish(npuk::LaunchOp launch, func::FuncOp fn,
                       OwningOpRef<ModuleOp> &scratch, unsigned cores,
                       ArrayAttr reasons) {
    PassManager pm(&getContext());
    npuk::buildTileLoweringPipeline(pm, config);
    if (!lowered_ && failed(pm.run(*scratch)))
      return fn.emitError("NPU kernel '")
             << fn.getSymName() << "' failed in the tile passes";
    lowered_ = false;
    Operation *program = nullptr;
    for (Operation &op : *scratch->getBody())
      if (op.getName().getStringRef() == "aicore.program")
        program = &op;
    if (!program)
      return fn.emitError("the tile passes produced no aicore.program");

    OpBuilder b(fn);
    auto kind = fn->getAttrOfType<StringAttr>(kKindAttr);
    auto nodes = fn->getAttrOfType<ArrayAttr>(kNodesAttr);
    auto dk = b.create<npuk::DeviceKernelOp>(
        fn.getLoc(), fn.getSymName(), fn.getFunctionType(),
        npuk::symbolizeKernelKind(kind ? kind.getValue() : "cube")
            .value_or(npuk::KernelKind::cube),
        nodes ? nodes : b.getStrArrayAttr({}));
    dk->setAttr(kReasonsAttr, reasons);
    if (Attribute log = fn->getAttr(kFusionLogAttr))
      dk->setAttr(kFusionLogAttr, log);
    if (plan_)
      dk->setAttr(kPlanAttr, plan_);
    plan_ = {};
    Block *body = b.createBlock(&dk.getBody());
    program->moveBefore(body, body->end());
    fn.erase();
    launch.setCores(cores);
    return success();
  }

  /// The GM region of a kernel argument (the launch operand's plan).
  std::optional<npuk::GMRegion> regionOfArg(npuk::LaunchOp launch, Value inner,
                                            StringRef name) {
    auto arg = dyn_cast<BlockArgument>(inner);
    if (!arg)
      return std::nullopt;
    auto r = planRegion(launch.getArgs()[arg.getArgNumber()]);
    if (!r)
      return std::nullopt;
    return npuk::GMRegion{name.str(), r->first, r->second};
  }

  /// Operand, result and bias regions; bias (if any) is `padded` bytes:
  /// the kernel reads N rounded up to 16 values, regions are 4 KiB aligned
  /// and nothing else lives in the padding.
  LogicalResult regions(npuk::LaunchOp launch, Value x, Value w, Value bias,
                        int64_t padded, npuk::GMRegion &rx, npuk::GMRegion &rw,
                        npuk::GMRegion &ry, std::optional<npuk::GMRegion> &rb) {
    auto a = regionOfArg(launch, x, "a"), b = regionOfArg(launch, w, "b");
    auto c = planRegion(launch.getResult(0));
    if (!a || !b || !c)
      return launch.emitOpError("has operands without a GM plan; run "
                                "npuk-plan-gm first");
    rx = *a, rw = *b, ry = {"c", c->first, c->second};
    if (bias) {
      auto r = regionOfArg(launch, bias, "bias");
      if (!r)
        return launch.emitOpError("bias has no GM plan");
      rb = npuk::GMRegion{"bias", r->addr, padded};
    }
    return success();
  }

  FailureOr<unsigned> buildMatmul(npuk::LaunchOp launch, func::FuncOp fn,
                                  npuk::MatmulOp mm, ModuleOp scratch) {
    auto lhsType = cast<RankedTensorType>(mm.getLhs().getType());
    auto resType = cast<RankedTensorType>(mm.getType());
    npuk::MatmulKernelSpec spec;
    spec.name = fn.getSymName().str();
    spec.k = lhsType.getShape().back();
    spec.m = lhsType.getNumElements() / std::max<int64_t>(spec.k, 1);
    spec.n = mm.getN();
    spec.inType = *isaType(lhsType.getElementType());
    spec.outType = *isaType(resType.getElementType());
    spec.relu = mm.getRelu();
    if (failed(regions(launch, mm.getLhs(), mm.getRhs(), mm.getBias(),
                       int64_t(llvm::alignTo(spec.n, 16)) * 4, spec.a, spec.b,
                       spec.c, spec.bias)))
      return failure();
    planTiles(spec);
    spec.prefetch = prefetchOf(launch, false);
    if (failed(npuk::buildMatmulKernel(scratch, mm.getLoc(), spec)))
      return failure();
    return spec.cores;
  }

  /// Tile sizes (in 16-element fractals) and cores. M tiles no taller than
  /// M; N tiles as wide as 8 fractals (the L0B/L0C budget of the default
  /// kernel) but narrow enough that the output tiles cover the cores, down
  /// to nf_min = 2 (a narrower tile spends more on reloading A than the
  /// extra cores give back). K streams in chunks of kf = 4, 2 deep; see
  /// below for matmuls of one or two row fractals.
  void planTiles(npuk::MatmulKernelSpec &spec) {
    int64_t mFracs = llvm::divideCeil(spec.m, 16);
    int64_t nFracs = llvm::divideCeil(spec.n, 16);
    spec.mf = std::min<int64_t>(16, mFracs);
    int64_t mBlocks = llvm::divideCeil(mFracs, spec.mf);
    int64_t wantN = llvm::divideCeil(cores_, mBlocks);
    spec.nf = std::clamp<int64_t>(nFracs / std::max<int64_t>(wantN, 1),
                                  std::min<int64_t>(2, nFracs), 8);
    int64_t blocks = mBlocks * llvm::divideCeil(nFracs, spec.nf);
    spec.cores = std::max<int64_t>(1, std::min<int64_t>(cores_, blocks));
    // A resident A takes at most an eighth of L1.
    spec.aResidentBytes =
        std::min<int64_t>(spec.aResidentBytes, int64_t(cfg_.l1Size) / 8);
    // A matmul of one or two row fractals streams its weights: the cube
    // waits on the copies unless chunks are large and three deep (the GM
    // latency is then hidden behind two chunks in flight).
    if (spec.mf <= 2) {
      for (int64_t kf : {16, 8}) {
        int64_t kfAll = spec.k / 16;
        if (kf > kfAll || 3 * kf * spec.nf * 512 > int64_t(cfg_.l0bSize) ||
            3 * kf * spec.mf * 512 > int64_t(cfg_.l0aSize))
          continue;
        spec.kf = kf, spec.stages = 3;
        break;
      }
    }
  }

  FailureOr<unsigned> buildConv(npuk::LaunchOp launch, func::FuncOp fn,
                                npuk::Conv2dOp cv,
                                OwningOpRef<ModuleOp> &scratch) {
    npuk::ConvKernelSpec spec = convShape(cv);
    spec.name = fn.getSymName().str();
    spec.prefetch = prefetchOf(launch, false);
    if (failed(regions(launch, cv.getInput(), cv.getWeight(), cv.getBias(),
                       int64_t(llvm::alignTo(spec.o, 16)) * 4, spec.input,
                       spec.weight, spec.output, spec.bias)))
      return failure();
    // A plan is timed with the L2 as the kernel will find it: weights an
    // earlier kernel prefetched, and an input an earlier kernel wrote.
    ArrayRef<npuk::GMRegion> warm = prefetchOf(launch, true);
    warm_.assign(warm.begin(), warm.end());
    if (writtenOnChip(launch, cv.getInput()))
      warm_.push_back(spec.input);
    llvm::Expected<npuk::ConvPlans> plans = npuk::planConv(
        spec, cfg_, unsigned(cores_), std::max(1u, unsigned(tunePlans)));
    if (!plans)
      return cv.emitError("conv kernel '")
             << spec.name << "' cannot run on config '" << config
             << "': " << llvm::toString(plans.takeError());
    const npuk::ConvPlan *chosen = &plans->best.front();
    int64_t measured = -1;
    if (plans->best.size() > 1) {
      // Lower and time each; keep the fastest (lowered) module.
      for (const npuk::ConvPlan &p : plans->best) {
        OwningOpRef<ModuleOp> m = ModuleOp::create(cv.getLoc());
        FailureOr<int64_t> cycles = timeConv(cv, p.spec, *m);
        if (failed(cycles))
          return failure();
        if (measured < 0 || *cycles < measured) {
          measured = *cycles, chosen = &p;
          scratch = std::move(m);
        }
      }
      lowered_ = true;
    } else if (failed(npuk::buildConvKernel(*scratch, cv.getLoc(),
                                            chosen->spec))) {
      return failure();
    }
    plan_ = planAttr(chosen->spec, chosen->estimate, plans->candidates,
                     measured, plans->best.size());
    return chosen->spec.cores;
  }

  /// The conv's shape, types and epilogue (no regions, no plan).
  static npuk::ConvKernelSpec convShape(npuk::Conv2dOp cv) {
    auto inType = cast<RankedTensorType>(cv.getInput().getType());
    auto resType = cast<RankedTensorType>(cv.getType());
    npuk::ConvKernelSpec spec;
    spec.n = inType.getDimSize(0), spec.c = inType.getDimSize(1) * 16;
    spec.h = inType.getDimSize(2), spec.w = inType.getDimSize(3);
    spec.o = cv.getO();
    spec.kh = cv.getKernel()[0], spec.kw = cv.getKernel()[1];
    spec.strideH = cv.getStrides()[0], spec.strideW = cv.getStrides()[1];
    spec.dilH = cv.getDilations()[0], spec.dilW = cv.getDilations()[1];
    spec.padTop = cv.getPads()[0], spec.padLeft = cv.getPads()[1];
    spec.padBottom = cv.getPads()[2], spec.padRight = cv.getPads()[3];
    spec.inType = *isaType(inType.getElementType());
    spec.outType = *isaType(resType.getElementType());
    spec.relu = cv.getRelu();
    return spec;
  }

  /// Builds and lowers the conv kernel of `spec` into `m` and simulates it
  /// (timing only, a fresh device) on its cores: the kernel's cycles.
  FailureOr<int64_t> timeConv(npuk::Conv2dOp cv,
                              const npuk::ConvKernelSpec &spec, ModuleOp m) {
    if (failed(npuk::buildConvKernel(m, cv.getLoc(), spec)))
      return failure();
    PassManager pm(&getContext());
    npuk::buildTileLoweringPipeline(pm, config);
    if (failed(pm.run(m)))
      return cv.emitError("conv kernel '")
             << spec.name << "' failed in the tile passes";
    FailureOr<isa::Program> prog = aicore::exportProgram(m);
    if (failed(prog))
      return failure();
    int64_t gmEnd = 0;
    for (const npuk::GMRegion *r : {&spec.input, &spec.weight, &spec.output})
      gmEnd = std::max(gmEnd, r->addr + r->size);
    if (spec.bias)
      gmEnd = std::max(gmEnd, spec.bias->addr + spec.bias->size);
    for (const npuk::GMRegion &r : spec.prefetch)
      gmEnd = std::max(gmEnd, r.addr + int64_t(llvm::alignTo(r.size, 32)));
    sim::SimOptions opts;
    opts.functional = false;
    auto dev = sim::Device::create(cfg_, uint64_t(gmEnd), opts);
    if (!dev)
      return cv.emitError("cannot make a device to time a plan: ")
             << llvm::toString(dev.takeError());
    if (!warm_.empty()) {
      OwningOpRef<ModuleOp> wm = ModuleOp::create(cv.getLoc());
      PassManager wpm(&getContext());
      npuk::buildTileLoweringPipeline(wpm, config);
      FailureOr<isa::Program> warm;
      if (succeeded(
              npuk::buildPrefetchKernel(*wm, cv.getLoc(), "warm", warm_)) &&
          succeeded(wpm.run(*wm)))
        warm = aicore::exportProgram(*wm);
      if (failed(warm))
        return cv.emitError("cannot build the L2 warm-up of a plan timing");
      if (auto s = (*dev)->launch(*warm, 1, "warm"); !s)
        return cv.emitError("warming the L2 failed: ")
               << llvm::toString(s.takeError());
    }
    auto stats = (*dev)->launch(*prog, spec.cores, spec.name);
    if (!stats)
      return cv.emitError("timing a tile plan failed: ")
             << llvm::toString(stats.takeError());
    return int64_t(stats->result.totalCycles);
  }

  /// [{node, code, text}] for the report: each op's node, then the nodes
  /// fused into it.
  ArrayAttr reasonsOf(ArrayRef<Operation *> ops) {
    Builder b(&getContext());
    SmallVector<Attribute> out;
    llvm::StringSet<> seen;
    auto add = [&](StringRef node, StringRef code, StringRef text) {
      if (node.empty() || !seen.insert(node).second)
        return;
      out.push_back(b.getDictionaryAttr(
          {b.getNamedAttr("node", b.getStringAttr(node)),
           b.getNamedAttr("code", b.getStringAttr(code)),
           b.getNamedAttr("text", b.getStringAttr(text))}));
    };
    for (Operation *op : ops) {
      if (std::optional<Placement> p = getPlacement(op))
        add(onnxNodeName(op->getLoc()), p->code, p->text);
      if (auto fused = op->getAttrOfType<ArrayAttr>(kFusedAttr))
        for (Attribute a : fused) {
          auto d = cast<DictionaryAttr>(a);
          add(d.getAs<StringAttr>("node").getValue(),
              d.getAs<StringAttr>("code").getValue(),
              d.getAs<StringAttr>("text").getValue());
        }
    }
    return b.getArrayAttr(out);
  }

  /// The tile plan as the report shows it.
  DictionaryAttr planAttr(const npuk::ConvKernelSpec &s,
                          const npuk::KernelEstimate &e, int64_t candidates,
                          int64_t measured, size_t timed) {
    Builder b(&getContext());
    auto i = [&](StringRef k, int64_t v) {
      return b.getNamedAttr(k, b.getI64IntegerAttr(v));
    };
    return b.getDictionaryAttr(
        {i("mf", s.mf), i("nf", s.nf), i("kf", s.kf), i("stages", s.stages),
         i("n_per_block", s.nPerBlock),
         i("band_groups", npuk::convBandGroups(s)),
         b.getNamedAttr(
             "weights_resident",
             b.getBoolAttr(npuk::convWeightBytes(s) <= s.l1WeightBytes)),
         i("cores", s.cores), i("estimated_cycles", int64_t(e.cycles)),
         b.getNamedAttr("bound", b.getStringAttr(e.bound)),
         i("candidates", candidates), i("timed", int64_t(timed)),
         i("measured_cycles", measured)});
  }

  /// A vector kernel: its elementwise ops, in order, are one chain over
  /// the physical buffers of the arguments (buildElementwiseKernel).
  LogicalResult lowerVector(npuk::LaunchOp launch, func::FuncOp fn) {
    Block &body = fn.getBody().front();
    for (Operation &op : body.without_terminator())
      if (llvm::isa<SoftmaxOp, LayerNormOp>(op))
        return lowerRow(launch, fn, &op);
    npuk::ElementwiseKernelSpec spec;
    spec.name = fn.getSymName().str();
    auto fail = [&](Operation *at) {
      return at->emitError("vector kernel '") << spec.name << "': ";
    };
    // Copies move 32 B blocks: a region may be read or written up to the
    // next 32 B, which the plan's 4 KiB alignment leaves unused.
    auto padded = [](int64_t bytes) {
      return int64_t(llvm::alignTo(bytes, 32));
    };
    DenseMap<Value, unsigned> ids;
    for (BlockArgument arg : body.getArguments()) {
      auto r = planRegion(launch.getArgs()[arg.getArgNumber()]);
      if (!r)
        return launch.emitOpError("has operands without a GM plan; run "
                                  "npuk-plan-gm first");
      ids[arg] = spec.inputs.size();
      spec.inputs.push_back({"in" + std::to_string(arg.getArgNumber()),
                             r->first, padded(r->second)});
    }
    RankedTensorType type;
    SmallVector<Operation *> ops;
    for (Operation &op : body.without_terminator()) {
      if (op.hasTrait<OpTrait::ConstantLike>())
        continue;
      std::string why;
      FailureOr<EltwiseMatch> m = matchEltwise(&op, why);
      if (failed(m))
        return fail(&op) << why;
      auto t = cast<RankedTensorType>(op.getResult(0).getType());
      type = type ? type : t;
      npuk::EltwiseStep step = m->step;
      for (auto [i, v] : llvm::enumerate(m->operands)) {
        if (v.getType() != type || t != type)
          return fail(&op) << "mixes iteration spaces (" << v.getType()
                           << " and " << type << ")";
        auto it = ids.find(v);
        if (it == ids.end())
          return fail(&op) << "reads a value that is neither an argument "
                              "nor computed by the chain";
        (i == 0 ? step.a : step.b) = it->second;
      }
      ids[op.getResult(0)] = spec.inputs.size() + spec.steps.size();
      spec.steps.push_back(step);
      ops.push_back(&op);
    }
    std::optional<isa::DType> dtype =
        type ? isaType(type.getElementType()) : std::nullopt;
    if (!dtype)
      return fn.emitError("vector kernel '")
             << spec.name << "' has no op on f16, bf16 or f32 tensors";
    spec.type = *dtype;
    spec.elements = type.getNumElements();
    for (auto [i, v] : llvm::enumerate(body.getTerminator()->getOperands())) {
      auto it = ids.find(v);
      auto r = planRegion(launch.getResult(i));
      if (it == ids.end() || it->second < spec.inputs.size())
        return fail(body.getTerminator())
               << "result " << i << " is not computed by the chain";
      if (!r)
        return launch.emitOpError("has results without a GM plan");
      spec.outputs.push_back(
          {"out" + std::to_string(i), r->first, padded(r->second)});
      spec.results.push_back(it->second);
    }
    spec.cores = unsigned(cores_);
    std::string err;
    FailureOr<npuk::ElementwisePlan> plan = npuk::planElementwise(spec, err);
    if (failed(plan))
      return fn.emitError("vector kernel '") << spec.name << "': " << err;
    OwningOpRef<ModuleOp> scratch = ModuleOp::create(fn.getLoc());
    if (failed(npuk::buildElementwiseKernel(*scratch, fn.getLoc(), spec)))
      return failure();
    return finish(launch, fn, scratch, plan->cores, reasonsOf(ops));
  }

  /// A row kernel: softmax or layer norm `row` over the last axis, after
  /// an optional residual add (buildRowKernel).
  LogicalResult lowerRow(npuk::LaunchOp launch, func::FuncOp fn,
                         Operation *row) {
    Block &body = fn.getBody().front();
    npuk::RowKernelSpec spec;
    spec.name = fn.getSymName().str();
    auto fail = [&](Operation *at) {
      return at->emitError("row kernel '") << spec.name << "': ";
    };
    auto region = [&](Value v, StringRef name) -> FailureOr<npuk::GMRegion> {
      auto arg = dyn_cast<BlockArgument>(v);
      auto r =
          arg ? planRegion(launch.getArgs()[arg.getArgNumber()]) : std::nullopt;
      if (!r)
        return fail(row) << name << " is not a kernel operand with a GM plan";
      return npuk::GMRegion{name.str(), r->first,
                            int64_t(llvm::alignTo(r->second, 32))};
    };
    SmallVector<Operation *> ops;
    Value x = row->getOperand(0);
    if (auto add = x.getDefiningOp<AddOp>()) {
      auto a = region(add.getLhs(), "x"), r = region(add.getRhs(), "res");
      if (failed(a) || failed(r))
        return failure();
      spec.input = *a;
      spec.residual = *r;
      ops.push_back(add);
    } else {
      auto a = region(x, "x");
      if (failed(a))
        return failure();
      spec.input = *a;
    }
    ops.push_back(row);
    if (body.getOperations().size() != ops.size() + 1 ||
        body.getTerminator()->getNumOperands() != 1 ||
        body.getTerminator()->getOperand(0) != row->getResult(0))
      return fail(row) << "the kernel must hold the row op, optionally after "
                          "a residual add, and return its result only";
    auto type = cast<RankedTensorType>(row->getResult(0).getType());
    std::optional<isa::DType> dtype = isaType(type.getElementType());
    if (!dtype || !type.hasStaticShape() || type.getRank() < 1)
      return fail(row) << "needs a static f16, bf16 or f32 tensor";
    spec.type = *dtype;
    spec.cols = type.getShape().back();
    spec.rows = spec.cols ? type.getNumElements() / spec.cols : 0;
    if (auto ln = dyn_cast<LayerNormOp>(row)) {
      if (ln.getAxis() != type.getRank() - 1)
        return fail(row) << "normalizes from axis " << ln.getAxis()
                         << ", not the last one";
      spec.kind = npuk::RowKind::LayerNorm;
      spec.epsilon = ln.getEpsilon().convertToDouble();
      auto g = region(ln.getScale(), "gamma");
      if (failed(g))
        return failure();
      spec.gamma = *g;
      if (ln.getBias()) {
        auto bt = region(ln.getBias(), "beta");
        if (failed(bt))
          return failure();
        spec.beta = *bt;
      }
    } else if (cast<SoftmaxOp>(row).getAxis() != type.getRank() - 1) {
      return fail(row) << "softmax over axis " << cast<SoftmaxOp>(row).getAxis()
                       << ", not the last one";
    }
    auto out = planRegion(launch.getResult(0));
    if (!out)
      return launch.emitOpError("has results without a GM plan");
    spec.output = {"y", out->first, int64_t(llvm::alignTo(out->second, 32))};
    spec.cores = unsigned(cores_);
    std::string err;
    FailureOr<npuk::RowPlan> plan = npuk::planRows(spec, err);
    if (failed(plan))
      return fail(row) << err;
    OwningOpRef<ModuleOp> scratch = ModuleOp::create(fn.getLoc());
    if (failed(npuk::buildRowKernel(*scratch, fn.getLoc(), spec)))
      return failure();
    return finish(launch, fn, scratch, plan->cores, reasonsOf(ops));
  }

  int64_t cores_ = 1;
  sim::Config cfg_;
  npuk::PrefetchPlan prefetch_;
  DenseMap<Operation *, size_t> launchIndex_;
  SmallVector<npuk::GMRegion> warm_; // In the L2 when the conv is timed.
  DictionaryAttr plan_;
  bool lowered_ = false; // The builder already ran the tile passes.
};
} // namespace
