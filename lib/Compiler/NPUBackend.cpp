//===- NPUBackend.cpp - --target=npu: kernels, CPU parts, artifact --------===//
//
// After the device graph pipeline the module holds the host schedule
// (@main: npuk.launch / npuk.call_cpu with a global-memory plan) and one
// function per kernel or CPU part. The CPU parts are compiled together by
// the CPU backend into one shared library embedded in the artifact.
//
//===----------------------------------------------------------------------===//
#include "NPUBackend.h"

#include "Calibrate.h"
#include "LLVMBackend.h"
#include "npu/Artifact/Artifact.h"
#include "npu/Codegen/CPU/Passes.h"
#include "npu/Codegen/CPU/Signature.h"
#include "npu/Codegen/NPU/Passes.h"
#include "npu/Codegen/NPU/Placement.h"
#include "npu/Codegen/NPU/Report.h"
#include "npu/Dialect/NPUK/IR/NPUKOps.h"
#include "npu/Simulator/Config.h"
#include "npu/Target/ISA/Program.h"
#include "npu/Target/Translations.h"
#include "npu/Transforms/ConstantBytes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace llvm;
using namespace mlir;
using namespace npu;
namespace pb = npu::artifact;

static Error makeError(const Twine &msg) {
  return createStringError(inconvertibleErrorCode(), msg);
}

Error npu::lowerForNPU(ModuleOp module, const CompileOptions &opts,
                       const NPUSessionHooks &hooks) {
  if (opts.npu.precision != "fp16" && opts.npu.precision != "bf16")
    return createStringError(inconvertibleErrorCode(),
                             "unknown --precision '" + opts.npu.precision +
                                 "' (expected fp16 or bf16)");
  // A bad --config is the user's first error, not a pass failure.
  if (auto cfg = sim::loadConfig(opts.npu.config); !cfg)
    return cfg.takeError();
  // fp16 cube kernels need activation ranges (design §4, scales).
  if (opts.npu.precision == "fp16" && !opts.npu.kernels.empty()) {
    if (Error e = calibrateMatmuls(module, opts))
      return e;
    hooks.phaseDone("fp16 range calibration (CPU run)");
  }
  mlir::PassManager pm(module.getContext());
  pm.enableVerifier(opts.verifyEach);
  if (opts.timing)
    pm.enableTiming();
  DevicePipelineOptions device;
  device.config = opts.npu.config;
  device.forceCpu = opts.npu.forceCpu;
  device.noFallback = opts.npu.noFallback;
  device.kernels = opts.npu.kernels;
  device.tunePlans = opts.npu.tunePlans;
  device.prefetch = opts.npu.prefetch;
  device.precision = opts.npu.precision;
  buildDeviceGraphPipeline(pm, device);
  if (failed(pm.run(module)))
    return hooks.takeError("the NPU graph stage failed");
  hooks.phaseDone("NPU kernels and schedule");
  return hooks.dump("npu-graph");
}

/// The CPU parts of `module` compiled into one shared library.
static Expected<std::string> buildCPULibrary(ModuleOp module,
                                             const CompileOptions &opts,
                                             const NPUSessionHooks &hooks) {
  OwningOpRef<ModuleOp> host = cast<ModuleOp>(module->clone());
  SmallVector<std::string> parts;
  for (Operation &op : llvm::make_early_inc_range(*host->getBody())) {
    auto fn = dyn_cast<func::FuncOp>(op);
    auto kind = fn ? fn->getAttrOfType<StringAttr>(kKindAttr) : nullptr;
    if (!kind || kind.getValue() != "cpu") {
      op.erase();
      continue;
    }
    fn.setPublic();
    fn->removeAttr(kKindAttr);
    fn->removeAttr(kNodesAttr);
    fn.walk([](Operation *op) { op->removeAttr(kPlacementAttr); });
    parts.push_back(fn.getSymName().str());
  }
  if (parts.empty())
    return std::string();
  mlir::PassManager pm(module.getContext());
  pm.enableVerifier(opts.verifyEach);
  CPUPipelineOptions cpuOpts;
  cpuOpts.parts = parts;
  buildCPUPipeline(pm, cpuOpts);
  if (failed(pm.run(*host)))
    return hooks.takeError("compiling the CPU parts failed");
  hooks.phaseDone("CPU parts to LLVM dialect");

  auto tm = createTargetMachine(opts.cpu, opts.optLevel);
  if (!tm)
    return tm.takeError();
  LLVMContext llvmCtx;
  auto mod = translateToLLVMIR(*host, llvmCtx, **tm, opts.optLevel);
  if (!mod)
    return mod.takeError();
  SmallString<128> obj, lib;
  if (std::error_code ec = sys::fs::createTemporaryFile("npu-parts", "o", obj))
    return makeError("cannot create a temporary object file: " + ec.message());
  FileRemover objRemover(obj);
  if (std::error_code ec = sys::fs::createTemporaryFile("npu-parts", "so", lib))
    return makeError("cannot create a temporary library: " + ec.message());
  FileRemover libRemover(lib);
  if (Error e = emitNative(**mod, **tm, /*assembly=*/false, obj))
    return std::move(e);
  if (Error e = linkSharedLibrary(obj, lib))
    return std::move(e);
  auto bytes = MemoryBuffer::getFile(lib, /*IsText=*/false,
                                     /*RequiresNullTerminator=*/false);
  if (!bytes)
    return makeError("cannot read " + lib + ": " + bytes.getError().message());
  hooks.phaseDone("CPU parts native code");
  return (*bytes)->getBuffer().str();
}

/// The row-major bytes of a constant (booleans one byte each).
static FailureOr<std::string> constantBytes(ElementsAttr attr) {
  if (attr.getElementType().isInteger(1)) {
    std::string bytes;
    for (bool b : attr.getValues<bool>())
      bytes.push_back(b ? 1 : 0);
    return bytes;
  }
  std::optional<ConstantBytes> raw = getConstantBytes(attr);
  if (!raw)
    return failure();
  if (!raw->splat)
    return std::string(raw->data.begin(), raw->data.end());
  std::string bytes;
  bytes.reserve(raw->data.size() * attr.getNumElements());
  for (int64_t i = 0, n = attr.getNumElements(); i < n; ++i)
    bytes.append(raw->data.begin(), raw->data.end());
  return bytes;
}

namespace {
/// Builds the artifact's GM regions, signature, parts and schedule.
class ArtifactBuilder {
public:
  ArtifactBuilder(pb::Artifact &a, func::FuncOp main) : a_(a), main_(main) {}

  Error build() {
    FailureOr<rt::Signature> sig = signatureOf(main_);
    if (failed(sig))
      return makeError("the entry function has no valid signature");
    Block &block = main_.getBody().front();
    for (BlockArgument arg : block.getArguments()) {
      const rt::TensorSpec &spec = sig->inputs[arg.getArgNumber()];
      auto gm = main_.getArgAttrOfType<ArrayAttr>(arg.getArgNumber(), kGMAttr);
      unsigned r = addRegion(spec.name, gm, pb::GMRegion::INPUT, spec);
      regionOf_[arg] = r;
      addTensor(a_.add_inputs(), spec, r);
    }
    auto ret = cast<func::ReturnOp>(block.getTerminator());
    llvm::DenseMap<mlir::Value, unsigned> outputIndex;
    for (auto [i, v] : llvm::enumerate(ret.getOperands()))
      outputIndex[v] = i;
    for (Operation &op : block.without_terminator()) {
      if (op.hasTrait<OpTrait::ConstantLike>()) {
        if (Error e = addConstant(op))
          return e;
        continue;
      }
      if (!llvm::isa<npuk::CallCPUOp, npuk::LaunchOp>(op))
        return makeError("the host schedule holds '" +
                         op.getName().getStringRef() +
                         "', which the artifact writer does not support yet");
      auto callee = op.getAttrOfType<FlatSymbolRefAttr>("callee");
      auto gm = op.getAttrOfType<ArrayAttr>(kGMAttr);
      if (!gm || gm.size() != op.getNumResults())
        return makeError("schedule op without a GM plan; run npuk-plan-gm");
      for (auto [i, r] : llvm::enumerate(op.getResults())) {
        auto region = cast<ArrayAttr>(gm[i]);
        auto it = outputIndex.find(r);
        if (it != outputIndex.end()) {
          const rt::TensorSpec &spec = sig->outputs[it->second];
          regionOf_[r] =
              addRegion(spec.name, region, pb::GMRegion::OUTPUT, spec);
        } else {
          std::string name = (callee.getValue() + ".out" + Twine(i)).str();
          regionOf_[r] = addRegion(name, region, pb::GMRegion::ACT, {});
        }
      }
      if (auto call = dyn_cast<npuk::CallCPUOp>(op))
        addCPUPart(call);
      else if (Error e = addKernel(llvm::cast<npuk::LaunchOp>(op)))
        return e;
    }
    for (auto [i, v] : llvm::enumerate(ret.getOperands()))
      addTensor(a_.add_outputs(), sig->outputs[i], regionOf_.lookup(v));
    return Error::success();
  }

private:
  unsigned addRegion(StringRef name, ArrayAttr gm, pb::GMRegion::Kind kind,
                     std::optional<rt::TensorSpec> spec) {
    pb::GMRegion *r = a_.add_gm();
    r->set_name(name.str());
    r->set_offset(cast<IntegerAttr>(gm[0]).getInt());
    r->set_size(cast<IntegerAttr>(gm[1]).getInt());
    r->set_kind(kind);
    r->set_layout("nd");
    if (spec) {
      r->set_dtype(rt::dtypeName(spec->dtype).str());
      for (int64_t d : spec->shape)
        r->add_shape(d);
    }
    return a_.gm_size() - 1;
  }

  static void addTensor(pb::Tensor *t, const rt::TensorSpec &spec,
                        unsigned region) {
    t->set_name(spec.name);
    t->set_dtype(rt::dtypeName(spec.dtype).str());
    for (int64_t d : spec.shape)
      t->add_shape(d);
    t->set_gm_region(region);
  }

  void addCPUPart(npuk::CallCPUOp call) {
    pb::CPUPart *part = a_.add_cpu_parts();
    part->set_name(call.getCallee().str());
    part->set_symbol(("npu_part_" + call.getCallee()).str());
    auto fn = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
        call, call.getCalleeAttr());
    if (auto nodes = fn->getAttrOfType<ArrayAttr>(kNodesAttr))
      for (mlir::Attribute n : nodes)
        part->add_onnx_nodes(cast<StringAttr>(n).getValue().str());
    for (mlir::Value v : call.getArgs())
      part->add_args(regionOf_.lookup(v));
    for (mlir::Value v : call.getResults())
      part->add_args(regionOf_.lookup(v));
    part->set_num_inputs(call.getArgs().size());
    a_.add_schedule()->set_cpu_part(a_.cpu_parts_size() - 1);
  }

  /// A constant kernels read: a CONST region loaded once per device.
  Error addConstant(Operation &op) {
    auto gm = op.getAttrOfType<ArrayAttr>(kGMAttr);
    auto value = op.getAttrOfType<ElementsAttr>("value");
    if (!gm || !value)
      return makeError("a schedule constant has no GM region or value");
    FailureOr<std::string> bytes = constantBytes(value);
    if (failed(bytes))
      return makeError("cannot serialize a constant of type " +
                       llvm::formatv("{0}", value.getType()).str());
    std::string name = ("const" + Twine(a_.constants_size())).str();
    unsigned r = addRegion(name, gm, pb::GMRegion::CONST, {});
    regionOf_[op.getResult(0)] = r;
    pb::Constant *c = a_.add_constants();
    c->set_gm_region(r);
    c->set_data(std::move(*bytes));
    return Error::success();
  }

  /// An npuk.launch of an npuk.device_kernel: its binary and GM regions.
  Error addKernel(npuk::LaunchOp launch) {
    auto kernel = SymbolTable::lookupNearestSymbolFrom<npuk::DeviceKernelOp>(
        launch, launch.getCalleeAttr());
    if (!kernel)
      return makeError("NPU kernel '" + launch.getCallee() +
                       "' has not been lowered to aicore");
    FailureOr<isa::Program> prog = aicore::exportProgram(kernel.getProgram());
    if (failed(prog))
      return makeError("NPU kernel '" + launch.getCallee() +
                       "' does not assemble");
    std::vector<uint8_t> binary = isa::writeBinary(*prog);
    pb::Kernel *k = a_.add_kernels();
    k->set_name(kernel.getSymName().str());
    for (mlir::Attribute n : kernel.getNodes())
      k->add_onnx_nodes(cast<StringAttr>(n).getValue().str());
    k->set_kind(npuk::stringifyKernelKind(kernel.getKind()).str());
    k->set_cores(launch.getCores());
    k->set_binary(std::string(binary.begin(), binary.end()));
    for (mlir::Value v : launch.getArgs())
      k->add_reads(regionOf_.lookup(v));
    for (mlir::Value v : launch.getResults())
      k->add_writes(regionOf_.lookup(v));
    a_.add_schedule()->set_kernel(a_.kernels_size() - 1);
    return Error::success();
  }

  pb::Artifact &a_;
  func::FuncOp main_;
  llvm::DenseMap<mlir::Value, unsigned> regionOf_;
};
} // namespace

Error npu::writeNPUArtifact(ModuleOp module, const CompileOptions &opts,
                            StringRef modelName, StringRef outputPath,
                            const NPUSessionHooks &hooks) {
  auto cfg = sim::loadConfig(opts.npu.config);
  if (!cfg)
    return cfg.takeError();
  auto main = module.lookupSymbol<func::FuncOp>("main");
  if (!main)
    return makeError("the module has no @main");

  json::Object report = buildReport(module, "main");
  report["model"] = sys::path::filename(modelName);
  report["target"] = json::Object{{"config", cfg->name},
                                  {"cores", (int64_t)cfg->cores},
                                  {"precision", opts.npu.precision}};
  std::string reportText;
  raw_string_ostream(reportText)
      << formatv("{0:2}\n", json::Value(std::move(report)));
  if (!opts.npu.reportPath.empty()) {
    std::error_code ec;
    ToolOutputFile out(opts.npu.reportPath, ec, sys::fs::OF_Text);
    if (ec)
      return makeError("cannot write the report " + opts.npu.reportPath + ": " +
                       ec.message());
    out.os() << reportText;
    out.keep();
  }

  pb::Artifact a;
  a.set_magic(kArtifactMagic.str());
  a.set_format_version(opts.npu.debugArtifactVersion
                           ? opts.npu.debugArtifactVersion
                           : kArtifactFormatVersion);
  a.set_producer("npuc");
  a.set_isa_binary_version(npu::isa::kBinaryVersion);
  pb::Target *target = a.mutable_target();
  target->set_config_name(cfg->name);
  target->set_config_ini(sim::configToIni(*cfg));
  target->set_cores(cfg->cores);
  target->set_precision(opts.npu.precision);
  if (Error e = ArtifactBuilder(a, main).build())
    return e;
  if (auto bytes = module->getAttrOfType<IntegerAttr>(kGMBytesAttr))
    a.set_gm_bytes(bytes.getInt());
  a.set_report_json(reportText);

  auto lib = buildCPULibrary(module, opts, hooks);
  if (!lib)
    return lib.takeError();
  a.set_cpu_library(std::move(*lib));
  if (Error e = writeArtifact(a, outputPath))
    return e;
  hooks.phaseDone("write artifact");
  return Error::success();
}
