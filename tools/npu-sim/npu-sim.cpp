//===- npu-sim.cpp - Command-line driver for the NPU simulator ------------===//
#include "npu/Simulator/Simulator.h"
#include "npu/Target/ISA/Program.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace npu;

static cl::OptionCategory cat("npu-sim options");

static cl::opt<std::string> programPath(cl::Positional, cl::desc("PROGRAM"),
                                        cl::cat(cat));
static cl::opt<std::string>
    configName("config",
               cl::desc("Machine: a preset (dv-910, dv-a2) or an INI file "
                        "(*.ini) overriding preset values"),
               cl::value_desc("PRESET|file.ini"), cl::init("dv-910"),
               cl::cat(cat));
// libLLVM already owns "-stats", so main() rewrites --stats to --stats-file.
static cl::opt<std::string> statsPath("stats-file",
                                      cl::desc("Write statistics JSON here "
                                               "(also spelled --stats)"),
                                      cl::value_desc("stats.json"),
                                      cl::cat(cat));
static cl::opt<std::string>
    tracePath("trace",
              cl::desc("Write a Chrome/Perfetto trace JSON here (one lane "
                       "per pipe per core)"),
              cl::value_desc("trace.json"), cl::cat(cat));
static cl::opt<unsigned>
    traceLimit("trace-limit", cl::desc("Keep at most N trace events"),
               cl::init(4000000), cl::cat(cat));
static cl::opt<bool>
    timingOnly("timing-only",
               cl::desc("Skip data computation in the pipes (timing, checks "
                        "and scalar control flow still run)"),
               cl::cat(cat));
static cl::opt<bool> noRaceCheck("no-race-check",
                                 cl::desc("Disable data-race detection"),
                                 cl::cat(cat));
static cl::opt<unsigned>
    cores("cores",
          cl::desc("Run on N cores (overrides the program's .cores)"),
          cl::init(0), cl::cat(cat));
static cl::list<std::string>
    defines("D", cl::desc("Define an assembler constant (overrides .equ)"),
            cl::value_desc("NAME=VALUE"), cl::Prefix, cl::cat(cat));
static cl::opt<std::string>
    outputDir("output-dir",
              cl::desc("Directory for relative .output paths (default: .)"),
              cl::init("."), cl::cat(cat));
static cl::opt<std::string>
    inputDir("input-dir",
             cl::desc("Directory for relative .gm file paths (default: the "
                      "program's directory)"),
             cl::cat(cat));
static cl::opt<std::string>
    emitBinary("emit-binary",
               cl::desc("Write the program as an NPU binary and exit"),
               cl::value_desc("file"), cl::cat(cat));
static cl::opt<std::string>
    emitAsm("emit-asm",
            cl::desc("Write the program as canonical assembly and exit"),
            cl::value_desc("file"), cl::cat(cat));
static cl::opt<uint64_t>
    maxInstructions("max-instructions",
                    cl::desc("Stop a core after N dynamic instructions"),
                    cl::init(4000000000ull), cl::cat(cat));
static cl::opt<bool> printConfig("print-config",
                                 cl::desc("Print the machine config as INI"),
                                 cl::cat(cat));
static cl::opt<bool>
    printIsa("print-isa-table",
             cl::desc("Print the encoding table (markdown) and exit"),
             cl::cat(cat));
static cl::opt<bool> quiet("quiet", cl::desc("Print nothing on success"),
                           cl::cat(cat));

static int fail(const Twine &msg) {
  WithColor::error(errs(), "npu-sim") << msg << "\n";
  return 1;
}

static int writeFile(StringRef path, StringRef data) {
  std::error_code ec;
  raw_fd_ostream os(path, ec, sys::fs::OF_None);
  if (ec)
    return fail("cannot write '" + path + "': " + ec.message());
  os << data;
  return 0;
}

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  std::vector<std::string> storage;
  std::vector<const char *> args;
  for (int i = 0; i < argc; ++i) {
    StringRef a = argv[i];
    if (a == "--stats" || a == "-stats")
      storage.push_back("--stats-file");
    else if (a.starts_with("--stats=") || a.starts_with("-stats="))
      storage.push_back("--stats-file=" + a.split('=').second.str());
    else
      storage.push_back(a.str());
  }
  for (const std::string &s : storage)
    args.push_back(s.c_str());
  cl::HideUnrelatedOptions(cat);
  cl::ParseCommandLineOptions(
      int(args.size()), args.data(),
      "npu-sim: cycle-approximate simulator for the da Vinci-style NPU\n\n"
      "  PROGRAM is NPU assembly (.s/.asm) or an NPU binary (detected by its\n"
      "  magic). GM buffers are declared in the program with .gm (zero,\n"
      "  random, const, iota or file \"x.bin|x.npy\" contents) and dumped\n"
      "  with .output; .cores N launches N cores, which read their index\n"
      "  with `coreid` and the count with `corenum`. See docs/isa.md.\n");

  if (printIsa) {
    outs() << isa::encodingMarkdown();
    return 0;
  }
  Expected<sim::Config> cfg = sim::loadConfig(configName);
  if (!cfg)
    return fail(toString(cfg.takeError()));
  if (printConfig) {
    outs() << sim::configToIni(*cfg);
    if (programPath.empty())
      return 0;
  }
  if (programPath.empty())
    return fail("no PROGRAM given (see --help)");

  isa::AsmOptions asmOpts;
  for (const std::string &d : defines) {
    auto [name, value] = StringRef(d).split('=');
    long long v;
    if (name.empty() || StringRef(value).getAsInteger(0, v))
      return fail("bad -D '" + d + "' (expected NAME=INTEGER)");
    asmOpts.defines[name.str()] = v;
  }
  Expected<isa::Program> prog = isa::loadProgram(programPath, asmOpts);
  if (!prog)
    return fail(toString(prog.takeError()));

  if (!emitBinary.empty() || !emitAsm.empty()) {
    if (!emitBinary.empty()) {
      std::vector<uint8_t> bin = isa::writeBinary(*prog);
      if (int rc = writeFile(emitBinary,
                             StringRef(reinterpret_cast<char *>(bin.data()),
                                       bin.size())))
        return rc;
    }
    if (!emitAsm.empty())
      if (int rc = writeFile(emitAsm, isa::printProgram(*prog)))
        return rc;
    return 0;
  }

  sim::SimOptions opts;
  opts.functional = !timingOnly;
  opts.checkRaces = !noRaceCheck;
  opts.recordTrace = !tracePath.empty();
  opts.traceLimit = traceLimit;
  opts.maxInstructions = maxInstructions;
  opts.cores = cores;
  Expected<std::unique_ptr<sim::Simulator>> simOr =
      sim::Simulator::create(*prog, *cfg, opts);
  if (!simOr)
    return fail(toString(simOr.takeError()));
  sim::Simulator &sim = **simOr;
  SmallString<256> inDir(inputDir);
  if (inDir.empty()) {
    inDir = sys::path::parent_path(programPath);
    if (inDir.empty())
      inDir = ".";
  }
  if (Error e = sim.initInputs(inDir))
    return fail(toString(std::move(e)));
  Expected<sim::SimResult> res = sim.run();
  if (!res)
    return fail(toString(res.takeError()));
  if (opts.functional)
    if (Error e = sim.writeOutputs(outputDir))
      return fail(toString(std::move(e)));
  if (!statsPath.empty()) {
    std::string s;
    raw_string_ostream os(s);
    sim::writeStatsJSON(os, *res, *cfg, opts);
    if (int rc = writeFile(statsPath, s))
      return rc;
  }
  if (!tracePath.empty()) {
    std::error_code ec;
    raw_fd_ostream os(tracePath, ec, sys::fs::OF_None);
    if (ec)
      return fail("cannot write '" + tracePath + "': " + ec.message());
    sim::writeTraceJSON(os, *res, sim.trace(), sim.program(), *cfg);
  }
  if (!quiet)
    sim::printSummary(outs(), *res, *cfg);
  return 0;
}
