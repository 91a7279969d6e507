//===- npu-run.cpp - run a compiled model on .npy inputs ------------------===//
#include "npu/Artifact/Artifact.h"
#include "npu/Compiler/Compiler.h"
#include "npu/Runtime/NPUModel.h"
#include "npu/Runtime/Npy.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <random>

using namespace llvm;
using namespace npu;

static cl::OptionCategory cat("npu-run options");
static cl::opt<std::string> modelPath(
    cl::Positional, cl::Required,
    cl::desc("<artifact from npuc (a CPU .so or an .npu artifact), or a model "
             "(.onnx/.onnxtxt/.pbtxt/.mlir) to JIT-compile>"),
    cl::cat(cat));
static cl::list<std::string> inputs(
    "input", cl::desc("A graph input as NAME=FILE.npy (split at the first "
                      "'='); one per input. numpy has no bfloat16: give "
                      "bfloat16 inputs as uint16 bit patterns (outputs are "
                      "written the same way)"),
    cl::value_desc("NAME=FILE.npy"), cl::cat(cat));
static cl::opt<std::string> outputDir(
    "output-dir",
    cl::desc("Write every output to DIR/<name>.npy, keeping [A-Za-z0-9._-] "
             "in the name and replacing other characters with '_'"),
    cl::value_desc("DIR"), cl::cat(cat));
static cl::opt<bool> randomInputs(
    "random-inputs",
    cl::desc("Generate inputs not given with --input: floats uniform in "
             "[-1, 1), integers uniform in [0, --int-max), bools 0/1"),
    cl::cat(cat));
static cl::opt<uint64_t> seed("seed", cl::desc("Seed for --random-inputs"),
                              cl::init(0), cl::cat(cat));
static cl::opt<int64_t> intMax("int-max",
                               cl::desc("Upper bound (exclusive) for random "
                                        "integer inputs"),
                               cl::init(100), cl::cat(cat));
static cl::opt<std::string> saveInputs(
    "save-inputs", cl::desc("Also write the inputs used to DIR/<name>.npy"),
    cl::value_desc("DIR"), cl::cat(cat));
static cl::opt<unsigned> repeat("repeat",
                                cl::desc("Timed runs (latency = median)"),
                                cl::init(1), cl::cat(cat));
static cl::opt<unsigned> warmup("warmup",
                                cl::desc("Untimed runs before timing"),
                                cl::init(0), cl::cat(cat));
static cl::opt<unsigned> printCount(
    "print", cl::desc("Values of each output to print (default 8)"),
    cl::init(8), cl::cat(cat));
static cl::opt<unsigned> optLevel("O",
                                  cl::desc("JIT optimization level 0-3 (for "
                                           "model inputs)"),
                                  cl::Prefix, cl::init(3), cl::cat(cat));

// Options for npu artifacts (npuc --target=npu) only.
static cl::OptionCategory npuCat("npu-run options for npu artifacts");
static cl::opt<std::string>
    configName("config",
               cl::desc("Simulated machine: a preset (dv-910, dv-a2) or an "
                        "INI file"),
               cl::value_desc("PRESET|FILE.ini"), cl::init("dv-910"),
               cl::cat(npuCat));
static cl::opt<unsigned>
    cores("cores",
          cl::desc("Run every kernel on at most N cores (default: as "
                   "compiled, at most the config's)"),
          cl::value_desc("N"), cl::init(0), cl::cat(npuCat));
// libLLVM already owns "-stats", so main() rewrites --stats to --stats-file.
static cl::opt<std::string> statsPath(
    "stats-file",
    cl::desc("Write per-kernel statistics JSON (npu-run-stats/1) here (also "
             "spelled --stats)"),
    cl::value_desc("FILE"), cl::cat(npuCat));
static cl::opt<std::string>
    tracePath("trace",
              cl::desc("Write a Chrome/Perfetto trace JSON of the run here"),
              cl::value_desc("FILE"), cl::cat(npuCat));
static cl::opt<bool>
    timingOnly("timing-only",
               cl::desc("Kernels compute no data, only timing (outputs are "
                        "then meaningless)"),
               cl::cat(npuCat));
static cl::opt<bool> noRaceCheck("no-race-check",
                                 cl::desc("Disable the simulator's data-race "
                                          "detection"),
                                 cl::cat(npuCat));

static int fail(const Twine &msg) {
  WithColor::error(errs(), "npu-run") << msg << "\n";
  return 1;
}

static void fillRandom(rt::Tensor &t, std::mt19937_64 &rng) {
  std::uniform_real_distribution<float> real(-1.0f, 1.0f);
  std::uniform_int_distribution<int64_t> integer(0, std::max<int64_t>(
                                                        intMax - 1, 0));
  for (int64_t i = 0, n = t.numElements(); i < n; ++i) {
    switch (t.dtype()) {
    case rt::DType::F32: t.as<float>()[i] = real(rng); break;
    case rt::DType::F64: t.as<double>()[i] = real(rng); break;
    case rt::DType::F16: t.as<uint16_t>()[i] = rt::floatToHalf(real(rng)); break;
    case rt::DType::BF16: t.as<uint16_t>()[i] = rt::floatToBF16(real(rng)); break;
    case rt::DType::Bool: t.as<uint8_t>()[i] = integer(rng) & 1; break;
    case rt::DType::I8: case rt::DType::U8: t.as<uint8_t>()[i] = integer(rng); break;
    case rt::DType::I16: case rt::DType::U16: t.as<uint16_t>()[i] = integer(rng); break;
    case rt::DType::I32: case rt::DType::U32: t.as<uint32_t>()[i] = integer(rng); break;
    case rt::DType::I64: case rt::DType::U64: t.as<int64_t>()[i] = integer(rng); break;
    }
  }
}

static void printTensor(const rt::TensorSpec &spec, const rt::Tensor &t) {
  outs() << spec.str() << " =";
  int64_t n = t.numElements(), shown = std::min<int64_t>(n, printCount);
  for (int64_t i = 0; i < shown; ++i)
    outs() << formatv(" {0:g}", t.getAsDouble(i));
  if (shown < n)
    outs() << " ...";
  outs() << "\n";
}

/// Reads --input files (or makes random inputs) for every signature input.
static Expected<std::vector<rt::Tensor>>
gatherInputs(const rt::Signature &sig) {
  auto err = [](const Twine &msg) {
    return createStringError(inconvertibleErrorCode(), msg);
  };
  StringMap<std::string> given;
  for (StringRef spec : inputs) {
    auto [name, file] = spec.split('=');
    if (file.empty())
      return err("--input '" + spec + "' must be NAME=FILE.npy");
    given[name] = file.str();
  }
  for (auto &entry : given)
    if (llvm::none_of(sig.inputs, [&](const rt::TensorSpec &s) {
          return s.name == entry.getKey();
        }))
      return err("the model has no input named '" + entry.getKey() + "'");

  std::mt19937_64 rng(seed);
  std::vector<rt::Tensor> args;
  for (const rt::TensorSpec &spec : sig.inputs) {
    auto it = given.find(spec.name);
    if (it != given.end()) {
      Expected<rt::Tensor> t = rt::readNpy(it->second);
      if (!t)
        return t.takeError();
      // numpy has no bfloat16: such inputs come as uint16 bit patterns.
      if (spec.dtype == rt::DType::BF16 && t->dtype() == rt::DType::U16) {
        rt::Tensor bits(rt::DType::BF16, t->shape());
        std::memcpy(bits.data(), t->data(), t->byteSize());
        *t = std::move(bits);
      }
      args.push_back(std::move(*t));
    } else if (randomInputs) {
      args.emplace_back(spec.dtype, spec.shape);
      fillRandom(args.back(), rng);
    } else {
      return err("missing input " + spec.str() + " (give --input " + spec.name +
                 "=FILE.npy or --random-inputs)");
    }
  }
  return std::move(args);
}

/// Writes each tensor to DIR/<sanitized name>.npy.
static Error writeAll(StringRef dir, ArrayRef<rt::TensorSpec> specs,
                      ArrayRef<rt::Tensor> tensors) {
  if (std::error_code ec = sys::fs::create_directories(dir))
    return createStringError(ec, "cannot create " + dir + ": " + ec.message());
  for (auto [spec, t] : llvm::zip(specs, tensors)) {
    SmallString<128> path(dir);
    sys::path::append(path, rt::sanitizeFileName(spec.name) + ".npy");
    if (Error e = rt::writeNpy(path, t))
      return e;
  }
  return Error::success();
}

static Error writeFile(StringRef path,
                       function_ref<void(raw_ostream &)> write) {
  std::error_code ec;
  raw_fd_ostream os(path, ec, sys::fs::OF_None);
  if (ec)
    return createStringError(ec, "cannot write " + path + ": " + ec.message());
  write(os);
  os.close();
  if (os.has_error())
    return createStringError(os.error(), "cannot write " + path + ": " +
                                             os.error().message());
  return Error::success();
}

/// Prints the outputs and writes them to --output-dir, as for every target.
static int finishOutputs(const rt::Signature &sig,
                         ArrayRef<rt::Tensor> outputs) {
  for (auto [spec, t] : llvm::zip(sig.outputs, outputs))
    printTensor(spec, t);
  if (!outputDir.empty())
    if (Error e = writeAll(outputDir, sig.outputs, outputs))
      return fail(toString(std::move(e)));
  return 0;
}

/// CPU artifacts and JIT-compiled models: checked run, then timed runs.
static int runCPU(rt::CPUModel &model, std::vector<rt::Tensor> &args) {
  // The checked run validates inputs; timed runs reuse its output buffers.
  Expected<std::vector<rt::Tensor>> outputs = model.run(args);
  if (!outputs)
    return fail(toString(outputs.takeError()));
  for (unsigned i = 0; i < warmup; ++i)
    model.runUnchecked(args, *outputs);
  std::vector<double> times;
  for (unsigned i = 0; i < std::max(1u, (unsigned)repeat); ++i) {
    auto start = std::chrono::steady_clock::now();
    model.runUnchecked(args, *outputs);
    times.push_back(std::chrono::duration<double, std::milli>(
                        std::chrono::steady_clock::now() - start)
                        .count());
  }
  if (int rc = finishOutputs(model.signature(), *outputs))
    return rc;
  std::sort(times.begin(), times.end());
  outs() << formatv("latency: median {0:f3} ms, min {1:f3} ms over {2} "
                    "run(s)\n",
                    times[times.size() / 2], times.front(), times.size());
  return 0;
}

/// npu artifacts: one simulated run; the time is the simulated cycles.
static int runNPU(rt::NPUModel &model, ArrayRef<rt::Tensor> args) {
  rt::NPURunOptions opts;
  opts.config = configName;
  opts.cores = cores;
  opts.functional = !timingOnly;
  opts.raceCheck = !noRaceCheck;
  opts.trace = !tracePath.empty();
  rt::NPURunStats stats;
  Expected<std::vector<rt::Tensor>> outputs = model.run(args, opts, &stats);
  if (!outputs)
    return fail(toString(outputs.takeError()));
  if (int rc = finishOutputs(model.signature(), *outputs))
    return rc;
  if (!statsPath.empty())
    if (Error e = writeFile(statsPath, [&](raw_ostream &os) {
          rt::writeNPURunStatsJSON(os, stats);
        }))
      return fail(toString(std::move(e)));
  if (!tracePath.empty()) {
    Error traceErr = Error::success();
    if (Error e = writeFile(tracePath, [&](raw_ostream &os) {
          traceErr = rt::writeNPURunTraceJSON(os, stats);
        })) {
      consumeError(std::move(traceErr));
      return fail(toString(std::move(e)));
    }
    if (traceErr)
      return fail(toString(std::move(traceErr)));
  }
  for (const std::string &w : stats.warnings)
    WithColor::warning(errs(), "npu-run") << w << "\n";
  for (const sim::KernelRecord &k : stats.kernels)
    for (const std::string &w : k.launch.result.warnings)
      WithColor::warning(errs(), "npu-run")
          << "kernel '" << k.name << "': " << w << "\n";
  outs() << formatv(
      "cycles: {0} ({1:f3} us at {2} GHz, config {3}); {4} "
      "kernel(s), {5} CPU part(s); host {6:f3} s\n",
      stats.totalCycles,
      double(stats.totalCycles) / (stats.config.clockGHz * 1000.0),
      stats.config.clockGHz, stats.config.name, stats.kernels.size(),
      stats.cpuParts.size(), stats.hostSeconds);
  return 0;
}

enum class InputKind { Model, CPUArtifact, NPUArtifact };

/// Decides by extension (models) or by the file's first bytes (artifacts).
static Expected<InputKind> classify(StringRef path) {
  if (llvm::any_of(ArrayRef<StringRef>{".onnx", ".onnxtxt", ".pbtxt", ".mlir"},
                   [&](StringRef ext) { return path.ends_with(ext); }))
    return InputKind::Model;
  if (!sys::fs::exists(path))
    return createStringError(inconvertibleErrorCode(),
                             "artifact " + path + " does not exist");
  char head[16] = {};
  Expected<sys::fs::file_t> fd = sys::fs::openNativeFileForRead(path);
  if (!fd)
    return fd.takeError();
  Expected<size_t> n = sys::fs::readNativeFile(*fd, head);
  sys::fs::closeFile(*fd);
  if (!n)
    return n.takeError();
  StringRef bytes(head, *n);
  if (bytes.starts_with("\x7f"
                        "ELF"))
    return InputKind::CPUArtifact;
  if (isArtifact(bytes))
    return InputKind::NPUArtifact;
  return createStringError(
      inconvertibleErrorCode(),
      path + " is neither a CPU artifact (an ELF shared library from npuc "
             "--target=cpu) nor an npu artifact (npuc --target=npu)");
}

/// Options that only make sense for one kind of input.
static Error checkFlags(InputKind kind) {
  auto misuse = [](const cl::Option &o, StringRef what) {
    return createStringError(
        inconvertibleErrorCode(),
        "--" + o.ArgStr + " applies only to " + what + "; " + modelPath +
            " is " + (what.starts_with("npu") ? "not one" : "an npu artifact"));
  };
  const cl::Option *npuOnly[] = {&configName, &cores,      &statsPath,
                                 &tracePath,  &timingOnly, &noRaceCheck};
  const cl::Option *cpuOnly[] = {&repeat, &warmup};
  if (kind != InputKind::NPUArtifact) {
    for (const cl::Option *o : npuOnly)
      if (o->getNumOccurrences())
        return misuse(*o, "npu artifacts (npuc --target=npu)");
  } else {
    for (const cl::Option *o : cpuOnly)
      if (o->getNumOccurrences())
        return misuse(*o, "CPU artifacts and models (an npu artifact's time "
                          "is its simulated cycles)");
  }
  return Error::success();
}

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  std::vector<std::string> storage;
  for (int i = 0; i < argc; ++i) {
    StringRef a = argv[i];
    if (a == "--stats" || a == "-stats")
      storage.push_back("--stats-file");
    else if (a.starts_with("--stats=") || a.starts_with("-stats="))
      storage.push_back("--stats-file=" + a.split('=').second.str());
    else
      storage.push_back(a.str());
  }
  std::vector<const char *> args;
  for (const std::string &s : storage)
    args.push_back(s.c_str());
  cl::HideUnrelatedOptions({&cat, &npuCat});
  cl::ParseCommandLineOptions(
      int(args.size()), args.data(),
      "npu-run: runs a compiled model on .npy inputs and writes .npy outputs.\n"
      "\n"
      "  npu-run model.so --input input=x.npy --output-dir out\n"
      "  npu-run model.so --random-inputs --seed 1 --repeat 20\n"
      "  npu-run model.onnx --random-inputs     # JIT-compile, then run\n"
      "  npu-run model.npu --random-inputs --config dv-910 --stats s.json\n\n"
      "The artifact kind is read from the file: an ELF shared library (npuc\n"
      "--target=cpu) runs on the host; an npu artifact (npuc --target=npu,\n"
      "starting with NPUART01) runs its kernels on the simulator and its CPU\n"
      "parts on the host. Prints each output's first values and the latency\n"
      "(for npu artifacts: simulated cycles). Exit status: 0 on success, 1 on\n"
      "any error.\n");

  Expected<InputKind> kind = classify(modelPath);
  if (!kind)
    return fail(toString(kind.takeError()));
  if (Error e = checkFlags(*kind))
    return fail(toString(std::move(e)));

  std::unique_ptr<rt::NPUModel> npuModel;
  std::optional<rt::CPUModel> cpuModel;
  if (*kind == InputKind::NPUArtifact) {
    Expected<std::unique_ptr<rt::NPUModel>> m = rt::NPUModel::load(modelPath);
    if (!m)
      return fail(toString(m.takeError()));
    npuModel = std::move(*m);
  } else {
    Expected<rt::CPUModel> m = [&]() -> Expected<rt::CPUModel> {
      if (*kind == InputKind::Model) {
        CompileOptions opts;
        opts.optLevel = optLevel;
        Compiler compiler(opts);
        return compiler.compileToJIT(modelPath);
      }
      return loadArtifact(modelPath);
    }();
    if (!m)
      return fail(toString(m.takeError()));
    cpuModel.emplace(std::move(*m));
  }
  const rt::Signature &sig =
      npuModel ? npuModel->signature() : cpuModel->signature();

  Expected<std::vector<rt::Tensor>> inputs = gatherInputs(sig);
  if (!inputs)
    return fail(toString(inputs.takeError()));
  if (!saveInputs.empty())
    if (Error e = writeAll(saveInputs, sig.inputs, *inputs))
      return fail(toString(std::move(e)));
  return npuModel ? runNPU(*npuModel, *inputs) : runCPU(*cpuModel, *inputs);
}
