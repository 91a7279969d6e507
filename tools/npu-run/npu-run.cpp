//===- npu-run.cpp - run a compiled model on .npy inputs ------------------===//
#include "npu/Compiler/Compiler.h"
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
static cl::opt<std::string> artifact(
    cl::Positional, cl::Required,
    cl::desc("<artifact.so from npuc, or a model (.onnx/.onnxtxt/.pbtxt/.mlir) to "
             "JIT-compile>"),
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

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(cat);
  cl::ParseCommandLineOptions(
      argc, argv,
      "npu-run: runs a compiled model on .npy inputs and writes .npy outputs.\n"
      "\n"
      "  npu-run model.so --input input=x.npy --output-dir out\n"
      "  npu-run model.so --random-inputs --seed 1 --repeat 20\n"
      "  npu-run model.onnx --random-inputs     # JIT-compile, then run\n\n"
      "Prints each output's first values and the latency. Exit status: 0 on\n"
      "success, 1 on any error.\n");

  Expected<rt::CPUModel> model = [&]() -> Expected<rt::CPUModel> {
    StringRef path = artifact;
    if (llvm::any_of(ArrayRef<StringRef>{".onnx", ".onnxtxt", ".pbtxt", ".mlir"},
                     [&](StringRef ext) { return path.ends_with(ext); })) {
      CompileOptions opts;
      opts.optLevel = optLevel;
      Compiler compiler(opts);
      return compiler.compileToJIT(path);
    }
    return loadArtifact(path);
  }();
  if (!model)
    return fail(toString(model.takeError()));
  const rt::Signature &sig = model->signature();

  StringMap<std::string> given;
  for (StringRef spec : inputs) {
    auto [name, file] = spec.split('=');
    if (file.empty())
      return fail("--input '" + spec + "' must be NAME=FILE.npy");
    given[name] = file.str();
  }
  for (auto &entry : given)
    if (llvm::none_of(sig.inputs, [&](const rt::TensorSpec &s) {
          return s.name == entry.getKey();
        }))
      return fail("the model has no input named '" + entry.getKey() + "'");

  std::mt19937_64 rng(seed);
  std::vector<rt::Tensor> args;
  for (const rt::TensorSpec &spec : sig.inputs) {
    auto it = given.find(spec.name);
    if (it != given.end()) {
      Expected<rt::Tensor> t = rt::readNpy(it->second);
      if (!t)
        return fail(toString(t.takeError()));
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
      return fail("missing input " + spec.str() +
                  " (give --input " + spec.name +
                  "=FILE.npy or --random-inputs)");
    }
  }
  if (!saveInputs.empty()) {
    if (std::error_code ec = sys::fs::create_directories(saveInputs))
      return fail("cannot create " + saveInputs + ": " + ec.message());
    for (auto [spec, t] : llvm::zip(sig.inputs, args)) {
      SmallString<128> path(saveInputs);
      sys::path::append(path, rt::sanitizeFileName(spec.name) + ".npy");
      if (Error e = rt::writeNpy(path, t))
        return fail(toString(std::move(e)));
    }
  }

  // The checked run validates inputs; timed runs reuse its output buffers.
  Expected<std::vector<rt::Tensor>> outputs = model->run(args);
  if (!outputs)
    return fail(toString(outputs.takeError()));
  for (unsigned i = 0; i < warmup; ++i)
    model->runUnchecked(args, *outputs);
  std::vector<double> times;
  for (unsigned i = 0; i < std::max(1u, (unsigned)repeat); ++i) {
    auto start = std::chrono::steady_clock::now();
    model->runUnchecked(args, *outputs);
    times.push_back(std::chrono::duration<double, std::milli>(
                        std::chrono::steady_clock::now() - start)
                        .count());
  }

  for (auto [spec, t] : llvm::zip(sig.outputs, *outputs))
    printTensor(spec, t);
  if (!outputDir.empty()) {
    if (std::error_code ec = sys::fs::create_directories(outputDir))
      return fail("cannot create " + outputDir + ": " + ec.message());
    for (auto [spec, t] : llvm::zip(sig.outputs, *outputs)) {
      SmallString<128> path(outputDir);
      sys::path::append(path, rt::sanitizeFileName(spec.name) + ".npy");
      if (Error e = rt::writeNpy(path, t))
        return fail(toString(std::move(e)));
    }
  }
  std::sort(times.begin(), times.end());
  outs() << formatv("latency: median {0:f3} ms, min {1:f3} ms over {2} "
                    "run(s)\n",
                    times[times.size() / 2], times.front(), times.size());
  return 0;
}
