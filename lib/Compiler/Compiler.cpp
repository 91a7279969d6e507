//===- Compiler.cpp - the compile API: ONNX model in, artifact out --------===//
#include "npu/Compiler/Compiler.h"

#include "BoundInputs.h"
#include "Diagnostics.h"
#include "LLVMBackend.h"
#include "NPUBackend.h"
#include "npu/Codegen/CPU/Passes.h"
#include "npu/Dialect/NPU/IR/NPUDialect.h"
#include "npu/Import/ONNX/ONNXImporter.h"
#include "npu/InitAll.h"
#include "npu/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace llvm;
using namespace mlir;
using namespace npu;

static mlir::DialectRegistry makeRegistry() {
  mlir::DialectRegistry registry;
  npu::registerAllDialects(registry);
  return registry;
}

struct Compiler::Impl {
  MLIRContext ctx{makeRegistry(), MLIRContext::Threading::DISABLED};
  Impl() { ctx.getOrLoadDialect<NPUDialect>(); }
};

Compiler::Compiler(CompileOptions options)
    : options_(std::move(options)), impl_(std::make_unique<Impl>()) {}
Compiler::~Compiler() = default;

namespace {
/// Prints how long each phase took when --timing is on.
class PhaseTimer {
public:
  explicit PhaseTimer(bool enabled) : enabled_(enabled) {}
  void done(const Twine &phase) {
    auto now = std::chrono::steady_clock::now();
    if (enabled_)
      errs() << formatv("npuc: {0,-28} {1,8:f3} s\n", phase,
                        std::chrono::duration<double>(now - last_).count());
    last_ = now;
  }

private:
  bool enabled_;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

/// One compilation: a module walked through the stages up to `emit`.
class Session {
public:
  Session(MLIRContext &ctx, const CompileOptions &opts, StringRef displayName)
      : ctx_(ctx), opts_(opts), diags_(&ctx, displayName.str()),
        timer_(opts.timing) {}

  Error load(StringRef path) {
    if (path.ends_with(".mlir")) {
      module_ = parseSourceFile<ModuleOp>(path, &ctx_);
    } else {
      ONNXImportOptions importOpts;
      if (Error e = importOptions(importOpts))
        return e;
      module_ = importONNXFile(path, &ctx_, importOpts);
    }
    if (!module_)
      return diags_.takeError("cannot read the model");
    timer_.done("import");
    return dump("npu");
  }

  Error import(const onnx::ModelProto &model, StringRef modelDir,
               StringRef displayName) {
    ONNXImportOptions importOpts;
    if (Error e = importOptions(importOpts))
      return e;
    module_ = importONNXModel(model, modelDir, displayName, &ctx_, importOpts);
    if (!module_)
      return diags_.takeError("cannot import the model");
    timer_.done("import");
    return dump("npu");
  }

  /// The importer's share of the options; reads bound input values.
  Error importOptions(ONNXImportOptions &importOpts) {
    for (auto &entry : opts_.inputShapes)
      importOpts.inputShapes[entry.getKey()] = entry.getValue();
    for (auto &entry : opts_.sequenceShapes)
      importOpts.sequenceShapes[entry.getKey()] = entry.getValue();
    for (auto &entry : opts_.noneInputs)
      importOpts.noneInputs.insert(entry.getKey());
    for (auto &entry : opts_.boundInputs) {
      auto tensor = loadBoundTensor(entry.getValue());
      if (!tensor)
        return tensor.takeError();
      importOpts.boundInputs[entry.getKey()] = std::move(*tensor);
    }
    return Error::success();
  }

  /// Lowers through the MLIR stages, stopping at `emit` if it is one.
  Error lowerToLLVMDialect() {
    if (opts_.emit >= EmitKind::NPUGraph)
      return createStringError(inconvertibleErrorCode(),
                               "--emit=" + emitKindName(opts_.emit) +
                                   " needs --target=npu");
    CPUPipelineOptions pipeOpts;
    struct Stage {
      EmitKind kind;
      const char *name;
      void (*build)(OpPassManager &, const CPUPipelineOptions &);
    };
    const Stage stages[] = {
        {EmitKind::Linalg, "linalg", buildCPUToLinalgPipeline},
        {EmitKind::Bufferized, "bufferized", buildCPUBufferizePipeline},
        {EmitKind::LLVMDialect, "llvm-dialect", buildCPUToLLVMPipeline},
    };
    for (const Stage &stage : stages) {
      if (opts_.emit < stage.kind)
        return Error::success();
      mlir::PassManager pm(&ctx_);
      pm.enableVerifier(opts_.verifyEach);
      if (opts_.timing)
        pm.enableTiming();
      // DEBUG ONLY: the deliberate miscompile runs on the imported npu IR.
      if (stage.kind == EmitKind::Linalg && !opts_.debugPerturbNode.empty()) {
        DebugPerturbOptions perturb;
        perturb.node = opts_.debugPerturbNode;
        perturb.delta = opts_.debugPerturbDelta;
        pm.addPass(createDebugPerturb(perturb));
      }
      stage.build(pm, pipeOpts);
      if (failed(pm.run(*module_)))
        return diags_.takeError(Twine("the ") + stage.name +
                                " stage failed");
      timer_.done(Twine("lower to ") + stage.name);
      if (Error e = dump(stage.name))
        return e;
    }
    return Error::success();
  }

  Error writeIR(StringRef outputPath) {
    std::error_code ec;
    ToolOutputFile out(outputPath, ec, sys::fs::OF_Text);
    if (ec)
      return createStringError(ec, "cannot write " + outputPath + ": " +
                                       ec.message());
    module_->print(out.os(), printFlags());
    out.keep();
    return Error::success();
  }

  Error writeNative(StringRef outputPath) {
    auto tm = createTargetMachine(opts_.cpu, opts_.optLevel);
    if (!tm)
      return tm.takeError();
    LLVMContext llvmCtx;
    auto mod = translateToLLVMIR(*module_, llvmCtx, **tm, opts_.optLevel);
    if (!mod)
      return mod.takeError();
    timer_.done("LLVM IR + optimization");
    if (opts_.emit == EmitKind::LLVMIR) {
      std::error_code ec;
      ToolOutputFile out(outputPath, ec, sys::fs::OF_Text);
      if (ec)
        return createStringError(ec, "cannot write " + outputPath);
      (*mod)->print(out.os(), nullptr);
      out.keep();
      return Error::success();
    }
    if (opts_.emit != EmitKind::SharedLib)
      return emitNative(**mod, **tm, opts_.emit == EmitKind::Assembly,
                        outputPath);
    SmallString<128> obj;
    if (std::error_code ec = sys::fs::createTemporaryFile("npu", "o", obj))
      return createStringError(ec, "cannot create a temporary object file");
    FileRemover remover(obj);
    if (Error e = emitNative(**mod, **tm, /*assembly=*/false, obj))
      return e;
    timer_.done("native code generation");
    if (Error e = linkSharedLibrary(obj, outputPath))
      return e;
    timer_.done("link");
    return Error::success();
  }

  Error write(StringRef outputPath) {
    if (opts_.emit <= EmitKind::LLVMDialect)
      return writeIR(outputPath);
    return writeNative(outputPath);
  }

  /// --target=npu: the npu IR, the kernel graph, or the artifact.
  Error compileNPU(StringRef modelName, StringRef outputPath) {
    if (opts_.emit == EmitKind::NPU)
      return writeIR(outputPath);
    if (opts_.emit != EmitKind::NPUGraph && opts_.emit != EmitKind::Artifact &&
        opts_.emit != EmitKind::SharedLib)
      return createStringError(inconvertibleErrorCode(),
                               "--emit=" + emitKindName(opts_.emit) +
                                   " is not available for --target=npu "
                                   "(expected npu, npu-graph or artifact)");
    NPUSessionHooks hooks{
        [&](const Twine &phase) { timer_.done(phase); },
        [&](StringRef stage) { return dump(stage); },
        [&](const Twine &what) { return diags_.takeError(what); }};
    if (Error e = lowerForNPU(*module_, opts_, hooks))
      return e;
    if (opts_.emit == EmitKind::NPUGraph)
      return writeIR(outputPath);
    return writeNPUArtifact(*module_, opts_, modelName, outputPath, hooks);
  }

  Expected<rt::CPUModel> jit() {
    auto model = jitCompile(*module_, opts_.cpu, opts_.optLevel);
    timer_.done("JIT compile");
    return model;
  }

private:
  /// Locations carry the ONNX node names, which later stages and reports
  /// need, so written IR keeps them.
  static OpPrintingFlags printFlags() {
    return OpPrintingFlags().enableDebugInfo(/*enable=*/true,
                                             /*prettyForm=*/false);
  }

  Error dump(StringRef stage) {
    if (opts_.dumpDir.empty())
      return Error::success();
    if (std::error_code ec = sys::fs::create_directories(opts_.dumpDir))
      return createStringError(ec, "cannot create " + opts_.dumpDir);
    SmallString<128> path(opts_.dumpDir);
    sys::path::append(path, formatv("{0:2}-{1}.mlir", dumpIndex_++, stage)
                                .str());
    std::error_code ec;
    raw_fd_ostream os(path, ec);
    if (ec)
      return createStringError(ec, "cannot write " + path);
    module_->print(os, printFlags());
    return Error::success();
  }

  MLIRContext &ctx_;
  const CompileOptions &opts_;
  DiagnosticCollector diags_;
  PhaseTimer timer_;
  OwningOpRef<ModuleOp> module_;
  unsigned dumpIndex_ = 0;
};
} // namespace

Error Compiler::compileToFile(StringRef modelPath, StringRef outputPath) {
  Session s(impl_->ctx, options_, modelPath);
  if (Error e = s.load(modelPath))
    return e;
  if (options_.target == npu::Target::NPU)
    return s.compileNPU(modelPath, outputPath);
  if (Error e = s.lowerToLLVMDialect())
    return e;
  return s.write(outputPath);
}

Error Compiler::compileToFile(const onnx::ModelProto &model,
                              StringRef modelDir, StringRef outputPath) {
  Session s(impl_->ctx, options_, "<model>");
  if (Error e = s.import(model, modelDir, "<model>"))
    return e;
  if (options_.target == npu::Target::NPU)
    return s.compileNPU("<model>", outputPath);
  if (Error e = s.lowerToLLVMDialect())
    return e;
  return s.write(outputPath);
}

Expected<rt::CPUModel> Compiler::compileToJIT(StringRef modelPath) {
  if (options_.target != npu::Target::CPU)
    return createStringError(inconvertibleErrorCode(),
                             "JIT compilation is for --target=cpu only");
  CompileOptions opts = options_;
  opts.emit = EmitKind::LLVMDialect;
  Session s(impl_->ctx, opts, modelPath);
  if (Error e = s.load(modelPath))
    return std::move(e);
  if (Error e = s.lowerToLLVMDialect())
    return std::move(e);
  return s.jit();
}

Expected<rt::CPUModel> npu::loadArtifact(StringRef path) {
  if (!sys::fs::exists(path))
    return createStringError(inconvertibleErrorCode(),
                             "artifact " + path + " does not exist");
  return rt::CPUModel::loadSharedLibrary(path);
}
