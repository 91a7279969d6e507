//===- LLVMBackend.cpp - LLVM dialect to native code ----------------------===//
#include "LLVMBackend.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"

using namespace llvm;

static Error makeError(const Twine &msg) {
  return createStringError(inconvertibleErrorCode(), msg);
}

Expected<std::unique_ptr<TargetMachine>>
npu::createTargetMachine(StringRef cpu, unsigned optLevel) {
  static bool initialized = [] {
    InitializeNativeTarget();
    InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)initialized;
  std::string triple = sys::getProcessTriple(), err;
  const llvm::Target *target = TargetRegistry::lookupTarget(triple, err);
  if (!target)
    return makeError("no LLVM target for " + triple + ": " + err);
  SubtargetFeatures features;
  std::string cpuName = cpu.str();
  if (cpu == "native") {
    cpuName = sys::getHostCPUName().str();
    for (auto &f : sys::getHostCPUFeatures())
      features.AddFeature(f.first(), f.second);
  }
  CodeGenOptLevel level = optLevel == 0   ? CodeGenOptLevel::None
                          : optLevel == 1 ? CodeGenOptLevel::Less
                          : optLevel == 2 ? CodeGenOptLevel::Default
                                          : CodeGenOptLevel::Aggressive;
  std::unique_ptr<TargetMachine> tm(target->createTargetMachine(
      triple, cpuName, features.getString(), TargetOptions(), Reloc::PIC_,
      std::nullopt, level));
  if (!tm)
    return makeError("cannot create a target machine for CPU '" + cpuName +
                     "'");
  return std::move(tm);
}

Expected<std::unique_ptr<Module>>
npu::translateToLLVMIR(mlir::ModuleOp module, LLVMContext &ctx,
                       TargetMachine &tm, unsigned optLevel) {
  std::unique_ptr<Module> mod = mlir::translateModuleToLLVMIR(module, ctx);
  if (!mod)
    return makeError("translation of the LLVM dialect to LLVM IR failed");
  mlir::ExecutionEngine::setupTargetTripleAndDataLayout(mod.get(), &tm);
  auto optimize = mlir::makeOptimizingTransformer(optLevel, 0, &tm);
  if (Error e = optimize(mod.get()))
    return std::move(e);
  return std::move(mod);
}

Error npu::emitNative(Module &mod, TargetMachine &tm, bool assembly,
                      StringRef path) {
  std::error_code ec;
  ToolOutputFile out(path, ec, sys::fs::OF_None);
  if (ec)
    return makeError("cannot write " + path + ": " + ec.message());
  legacy::PassManager pm;
  if (tm.addPassesToEmitFile(pm, out.os(), nullptr,
                             assembly ? CodeGenFileType::AssemblyFile
                                      : CodeGenFileType::ObjectFile))
    return makeError("the target cannot emit this file type");
  pm.run(mod);
  out.keep();
  return Error::success();
}

Error npu::linkSharedLibrary(StringRef objectPath, StringRef outputPath) {
  ErrorOr<std::string> cc = sys::findProgramByName("cc");
  if (!cc)
    cc = sys::findProgramByName("gcc");
  if (!cc)
    return makeError("no system C compiler (cc) to link the shared library; "
                     "install build-essential or use --emit=obj");
  SmallVector<StringRef> args{*cc, "-shared", "-o", outputPath, objectPath,
                              "-lm"};
  std::string errMsg;
  int rc = sys::ExecuteAndWait(*cc, args, std::nullopt, {}, 0, 0, &errMsg);
  if (rc != 0)
    return makeError("linking " + outputPath + " failed (" + *cc +
                     " exited with " + Twine(rc) + ")" +
                     (errMsg.empty() ? "" : ": " + errMsg));
  return Error::success();
}

Expected<npu::rt::CPUModel> npu::jitCompile(mlir::ModuleOp module, StringRef cpu,
                                       unsigned optLevel) {
  auto tm = createTargetMachine(cpu, optLevel);
  if (!tm)
    return tm.takeError();
  mlir::ExecutionEngineOptions opts;
  opts.transformer = mlir::makeOptimizingTransformer(optLevel, 0, tm->get());
  opts.jitCodeGenOptLevel = (*tm)->getOptLevel();
  auto engine = mlir::ExecutionEngine::create(module, opts, std::move(*tm));
  if (!engine)
    return engine.takeError();
  std::shared_ptr<mlir::ExecutionEngine> keep = std::move(*engine);
  auto entry = keep->lookup("npu_run");
  auto sigFn = keep->lookup("npu_signature");
  if (!entry || !sigFn) {
    consumeError(entry.takeError());
    consumeError(sigFn.takeError());
    return makeError("JIT module lacks npu_run or npu_signature");
  }
  auto sig = npu::rt::Signature::fromJSON(
      reinterpret_cast<npu::rt::SignatureFn>(*sigFn)());
  if (!sig)
    return sig.takeError();
  return npu::rt::CPUModel(reinterpret_cast<npu::rt::EntryFn>(*entry),
                           std::move(*sig),
                      std::static_pointer_cast<void>(keep));
}
