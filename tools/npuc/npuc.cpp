//===- npuc.cpp - the npu compiler driver: ONNX model to artifact ---------===//
#include "npu/Compiler/Compiler.h"
#include "npu/Import/ONNX/ONNXImporter.h"

#include "llvm/ADT/SmallString.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"

#include <memory>

using namespace llvm;

static cl::OptionCategory cat("npuc options");
static cl::opt<std::string> input(cl::Positional, cl::Required,
                                  cl::desc("<model.onnx | model.onnxtxt | "
                                           "model.mlir>"),
                                  cl::cat(cat));
static cl::opt<std::string>
    output("o", cl::desc("Output file (default: the model name with the "
                         "emitted kind's extension; '-' = stdout for text)"),
           cl::value_desc("file"), cl::cat(cat));
static cl::opt<std::string> target(
    "target",
    cl::desc("Code generation target: cpu (native code for this host, a .so) "
             "or npu (kernels for the simulated NPU plus host CPU parts, a "
             ".npu artifact)"),
    cl::init("cpu"), cl::cat(cat));
static cl::opt<std::string> emit(
    "emit",
    cl::desc("What to produce: npu (imported IR); for --target=cpu linalg, "
             "bufferized, llvm-dialect, llvmir, asm, obj, or lib (the "
             "default: a shared library for npu-run); for --target=npu "
             "npu-graph (kernels and host schedule) or artifact (the "
             "default: a .npu file for npu-run)"),
    cl::init("lib"), cl::cat(cat));

static cl::OptionCategory npuCat("--target=npu options");
static cl::opt<std::string> config(
    "config",
    cl::desc("NPU configuration to compile for: a preset (dv-910, dv-a2) or "
             "an INI file (default dv-910)"),
    cl::value_desc("preset|file.ini"), cl::cat(npuCat));
static cl::opt<std::string> report(
    "report",
    cl::desc("Write the compile report (JSON, schema npu-report/1): every "
             "ONNX node, where it runs, in which kernel, and why"),
    cl::value_desc("file.json"), cl::cat(npuCat));
static cl::list<std::string>
    forceCpu("npu-force-cpu",
             cl::desc("Run this ONNX node on the host CPU (repeatable)"),
             cl::value_desc("node"), cl::cat(npuCat));
static cl::opt<bool> noFallback(
    "npu-no-fallback",
    cl::desc("Fail, naming the node, instead of running unsupported ops on "
             "the host CPU"),
    cl::cat(npuCat));
static cl::opt<std::string> precision(
    "precision",
    cl::desc("Type of the cube's inputs: fp16 (default) or bf16; the cube "
             "accumulates in fp32 either way"),
    cl::init("fp16"), cl::cat(npuCat));
static cl::list<std::string> npuKernels(
    "npu-kernels",
    cl::desc("Op families to place on the NPU: matmul (a matmul or Gemm "
             "with a constant weight, K a multiple of 16, with its bias and "
             "ReLU in the kernel) and conv (2-D, group 1, constant weights, "
             "with its bias and ReLU; load3d img2col) and vector (chains of "
             "add/sub/mul/max/min/relu/clip fed by NPU kernels, one vector "
             "kernel per chain on the producer's layout). With fp16, npuc "
             "first runs the model once "
             "on the CPU (seed-0 random inputs) to pick power-of-two scales "
             "that keep activations in fp16's range. EXPERIMENTAL and off "
             "by default (the default runs every op on the host CPU)"),
    cl::CommaSeparated, cl::value_desc("family,..."), cl::cat(npuCat));
static cl::opt<unsigned> tunePlans(
    "npu-tune-plans",
    cl::desc("Conv tile plans to try per kernel: the cost model ranks every "
             "plan that fits the buffers, then the best N (plus, for N > 1, "
             "the best plan streaming its input band in channel groups) are "
             "lowered and timed on the simulator and the fastest is kept "
             "(1: trust the model; compiles faster)"),
    cl::init(3), cl::value_desc("N"), cl::cat(npuCat));
static cl::opt<bool> prefetchWeights(
    "npu-prefetch",
    cl::desc("On configs with an L2 (dv-910), each cube kernel prefetches "
             "the next kernels' weights from HBM into the L2 while it "
             "computes, as much as its compute time covers "
             "(docs/npu-target.md); =false turns it off"),
    cl::init(true), cl::cat(npuCat));
static cl::opt<unsigned> debugArtifactVersion(
    "debug-artifact-version",
    cl::desc("DEBUG ONLY: write this artifact format version"), cl::init(0),
    cl::Hidden, cl::cat(npuCat));
static cl::opt<unsigned> optLevel("O", cl::desc("LLVM optimization level 0-3"),
                                  cl::Prefix, cl::init(3), cl::cat(cat));
static cl::opt<std::string> mcpu("mcpu",
                                 cl::desc("CPU to generate code for "
                                          "(default: native, this machine)"),
                                 cl::init("native"), cl::cat(cat));
static cl::opt<std::string>
    dumpDir("dump-dir", cl::desc("Also write every IR stage to this folder"),
            cl::value_desc("dir"), cl::cat(cat));
static cl::list<std::string> inputShapes(
    "input-shape",
    cl::desc("Fix a graph input's shape, e.g. --input-shape=input:1x3x224x224 "
             "(for symbolic or unknown dimensions; 'scalar' for rank 0). A "
             "sequence input takes "
             "its element shapes, NAME:[2x3,4x3] (elements become inputs "
             "NAME.0, NAME.1, ...; [] when empty); NAME:none compiles an "
             "optional input as None. Repeatable"),
    cl::value_desc("name:DxDx..."), cl::cat(cat));
static cl::list<std::string> bindInputs(
    "bind-input",
    cl::desc("Bind a graph input to a compile-time value, e.g. "
             "--bind-input=shape=shape.npy (.npy or ONNX TensorProto .pb). "
             "The input becomes a constant and leaves the artifact's "
             "signature; for inputs that define shapes (Reshape targets, "
             "Resize sizes, TopK's K). Repeatable"),
    cl::value_desc("name=file"), cl::cat(cat));
static cl::opt<bool> timing("timing",
                            cl::desc("Print the time of every phase and pass"),
                            cl::cat(cat));
static cl::opt<bool> verifyEach("verify-each",
                                cl::desc("Verify the IR after every pass"),
                                cl::cat(cat));

// DEBUG ONLY (hidden; see --help-hidden): a deliberate miscompile, used to
// test the differential-testing tool tools/npu-bisect.
static cl::opt<std::string> debugPerturbNode(
    "debug-perturb-node",
    cl::desc("DEBUG ONLY: deliberately miscompile this ONNX node (its float "
             "outputs are shifted by --debug-perturb-delta); for testing "
             "npu-bisect"),
    cl::value_desc("node name"), cl::Hidden, cl::cat(cat));
static cl::opt<double> debugPerturbDelta(
    "debug-perturb-delta",
    cl::desc("DEBUG ONLY: value added by --debug-perturb-node"),
    cl::init(1.0), cl::Hidden, cl::cat(cat));

static const char *extensionFor(npu::EmitKind kind) {
  switch (kind) {
  case npu::EmitKind::LLVMIR: return ".ll";
  case npu::EmitKind::Assembly: return ".s";
  case npu::EmitKind::Object: return ".o";
  case npu::EmitKind::SharedLib: return ".so";
  case npu::EmitKind::Artifact:
    return ".npu";
  default: return ".mlir";
  }
}

static int fail(const Twine &msg) {
  WithColor::error(errs(), "npuc") << msg << "\n";
  return 1;
}

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions({&cat, &npuCat});
  cl::ParseCommandLineOptions(
      argc, argv,
      "npuc: compiles an ONNX model (opsets 11-17) for a target.\n\n"
      "  npuc model.onnx --target=cpu -o model.so   # artifact for npu-run\n"
      "  npuc model.onnx --emit=linalg -o -         # inspect one stage\n"
      "  npuc model.onnx --target=npu --report=r.json -o model.npu\n"
      "                                             # NPU artifact + report\n\n"
      "Every error names the model file and, where there is one, the ONNX\n"
      "node. Exit status: 0 on success, 1 on any error.\n");

  npu::CompileOptions opts;
  auto t = npu::parseTarget(target);
  if (!t)
    return fail("unknown --target '" + target + "' (expected cpu or npu)");
  opts.target = *t;
  auto kind = npu::parseEmitKind(emit);
  if (!kind)
    return fail("unknown --emit '" + emit +
                "' (expected npu, linalg, bufferized, llvm-dialect, llvmir, "
                "asm, obj or lib)");
  opts.emit = *kind;
  if (opts.target == npu::Target::NPU && opts.emit == npu::EmitKind::SharedLib)
    opts.emit = npu::EmitKind::Artifact;
  if (opts.target != npu::Target::NPU) {
    cl::Option *npuOnly[] = {&config,
                             &report,
                             std::addressof(forceCpu),
                             &noFallback,
                             std::addressof(npuKernels),
                             &precision,
                             &tunePlans,
                             &prefetchWeights,
                             &debugArtifactVersion};
    for (cl::Option *o : npuOnly)
      if (o->getNumOccurrences())
        return fail("--" + o->ArgStr + " needs --target=npu");
  }
  if (config.getNumOccurrences())
    opts.npu.config = config;
  opts.npu.reportPath = report;
  opts.npu.forceCpu.assign(forceCpu.begin(), forceCpu.end());
  opts.npu.noFallback = noFallback;
  opts.npu.kernels.assign(npuKernels.begin(), npuKernels.end());
  opts.npu.precision = precision;
  if (tunePlans < 1 || tunePlans > 64)
    return fail("--npu-tune-plans=" + Twine(tunePlans.getValue()) +
                " is out of range (1-64)");
  opts.npu.tunePlans = tunePlans;
  opts.npu.prefetch = prefetchWeights;
  opts.npu.debugArtifactVersion = debugArtifactVersion;
  if (optLevel > 3)
    return fail("-O" + Twine(optLevel) + " is out of range (0-3)");
  opts.optLevel = optLevel;
  opts.cpu = mcpu;
  opts.dumpDir = dumpDir;
  opts.timing = timing;
  opts.verifyEach = verifyEach;
  opts.debugPerturbNode = debugPerturbNode;
  opts.debugPerturbDelta = debugPerturbDelta;
  npu::ONNXImportOptions importOpts;
  for (StringRef spec : inputShapes)
    if (!npu::parseONNXInputShape(spec, importOpts))
      return fail("bad --input-shape '" + spec +
                  "' (expected name:DxDx..., name:[DxD,...] or name:none)");
  for (auto &entry : importOpts.inputShapes)
    opts.inputShapes[entry.getKey()] = entry.getValue();
  for (auto &entry : importOpts.sequenceShapes)
    opts.sequenceShapes[entry.getKey()] = entry.getValue();
  for (auto &entry : importOpts.noneInputs)
    opts.noneInputs.insert(entry.getKey());
  for (StringRef spec : bindInputs) {
    auto [name, file] = spec.split('=');
    if (name.empty() || file.empty())
      return fail("bad --bind-input '" + spec + "' (expected name=FILE)");
    opts.boundInputs[name] = file.str();
  }

  std::string out = output;
  if (out.empty()) {
    SmallString<128> path(sys::path::filename(input));
    sys::path::replace_extension(path, extensionFor(opts.emit));
    out = path.str().str();
  }
  npu::Compiler compiler(opts);
  if (Error e = compiler.compileToFile(input, out)) {
    std::string msg = toString(std::move(e));
    return fail(msg);
  }
  return 0;
}
