//===- NPUModel.cpp - load and run an `.npu` artifact on the simulator ----===//
#include "npu/Runtime/NPUModel.h"
#include "npu/Artifact/Artifact.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <dlfcn.h>
#include <sys/mman.h>
#include <unistd.h>

using namespace llvm;
using namespace npu;
using namespace npu::rt;

static Error fail(const Twine &msg) {
  return createStringError(inconvertibleErrorCode(), msg);
}

/// "'a', 'b'" for a list of ONNX node names.
static std::string quoteList(ArrayRef<std::string> names) {
  std::string s;
  for (const std::string &n : names)
    s += (s.empty() ? "'" : ", '") + n + "'";
  return s;
}

/// "kernel 'k012' ('/layer1/conv', '/layer1/relu')": how errors name a step.
template <typename Msg>
static std::string describe(StringRef what, const Msg &m) {
  std::string s = (what + " '" + m.name() + "'").str();
  std::vector<std::string> nodes(m.onnx_nodes().begin(), m.onnx_nodes().end());
  if (!nodes.empty())
    s += " (" + quoteList(nodes) + ")";
  return s;
}

static std::string formatBytes(uint64_t n) {
  if (n >= 1024 && n % 1024 == 0)
    return std::to_string(n / 1024) + " KiB";
  return std::to_string(n) + " bytes";
}

namespace {
/// cpu_library loaded from an anonymous file. The memfd stays open while the
/// library is loaded: glibc identifies loaded objects by path, so the fd
/// number ("/proc/self/fd/N") must not be reused by another model meanwhile.
struct CPULibrary {
  int fd = -1;
  void *handle = nullptr;
  ~CPULibrary() {
    if (handle)
      dlclose(handle);
    if (fd >= 0)
      close(fd);
  }
};
} // namespace

static Expected<std::unique_ptr<CPULibrary>> loadCPULibrary(StringRef bytes,
                                                            StringRef name) {
  auto lib = std::make_unique<CPULibrary>();
  lib->fd = memfd_create("npu-cpu-library", MFD_CLOEXEC);
  if (lib->fd < 0)
    return fail(name + ": cannot create a memfd for cpu_library: " +
                std::strerror(errno));
  for (size_t done = 0; done < bytes.size();) {
    ssize_t n = write(lib->fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return fail(name + ": cannot write cpu_library to a memfd: " +
                  std::strerror(errno));
    done += size_t(n);
  }
  std::string path = "/proc/self/fd/" + std::to_string(lib->fd);
  // RTLD_LOCAL keeps each model's symbols private.
  lib->handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!lib->handle)
    return fail(name + ": cannot load cpu_library: " + dlerror());
  return std::move(lib);
}

using PartFn = int32_t (*)(void **buffers);

struct NPUModel::Impl {
  std::string name;
  artifact::Artifact art;
  Signature sig;
  std::vector<isa::Program> programs; // Decoded kernels, by kernel index.
  std::unique_ptr<CPULibrary> lib;
  std::vector<PartFn> parts; // Resolved symbols, by CPU part index.

  // The device, kept across runs with the same options.
  std::optional<NPURunOptions> deviceOpts;
  sim::Config cfg;
  sim::SimOptions simOpts;
  std::shared_ptr<sim::Device> dev;
  std::vector<MutableArrayRef<uint8_t>> regions; // GM bytes, by region.

  Error decode();
  Error prepare(const NPURunOptions &opts);
  Error checkNeeds(const artifact::Kernel &k) const;
  Error runKernel(const artifact::Kernel &k, const isa::Program &prog,
                  const NPURunOptions &opts, uint64_t runStart,
                  NPURunStats *stats);
  Error runCPUPart(const artifact::CPUPart &p, PartFn fn, uint64_t runStart,
                   NPURunStats *stats);
};

NPUModel::NPUModel() : impl(std::make_unique<Impl>()) {}
NPUModel::~NPUModel() = default;

const Signature &NPUModel::signature() const { return impl->sig; }

static TensorSpec toSpec(const artifact::Tensor &t) {
  // verifyArtifact checked the dtype.
  return TensorSpec{t.name(), *parseDType(t.dtype()),
                    SmallVector<int64_t>(t.shape().begin(), t.shape().end())};
}

Error NPUModel::Impl::decode() {
  for (const artifact::Tensor &t : art.inputs())
    sig.inputs.push_back(toSpec(t));
  for (const artifact::Tensor &t : art.outputs())
    sig.outputs.push_back(toSpec(t));
  for (const artifact::Kernel &k : art.kernels()) {
    ArrayRef<uint8_t> bin(reinterpret_cast<const uint8_t *>(k.binary().data()),
                          k.binary().size());
    Expected<isa::Program> prog = isa::readBinary(bin);
    if (!prog)
      return fail(name + ": " + describe("kernel", k) + ": " +
                  toString(prog.takeError()));
    for (const isa::GMBuffer &b : prog->buffers)
      if (b.size > art.gm_bytes() || b.addr > art.gm_bytes() - b.size)
        return fail(name + ": " + describe("kernel", k) + ": buffer '" +
                    b.name + "' [" + Twine(b.addr) + ", " +
                    Twine(b.addr + b.size) +
                    ") lies outside the artifact's GM of " +
                    Twine(art.gm_bytes()) + " bytes");
    programs.push_back(std::move(*prog));
  }
  if (art.cpu_parts().empty())
    return Error::success();
  Expected<std::unique_ptr<CPULibrary>> l =
      loadCPULibrary(art.cpu_library(), name);
  if (!l)
    return l.takeError();
  lib = std::move(*l);
  for (const artifact::CPUPart &p : art.cpu_parts()) {
    dlerror();
    void *sym = dlsym(lib->handle, p.symbol().c_str());
    if (!sym)
      return fail(name + ": " + describe("CPU part", p) + ": symbol '" +
                  p.symbol() + "' is not in cpu_library");
    parts.push_back(reinterpret_cast<PartFn>(sym));
  }
  return Error::success();
}

Expected<std::unique_ptr<NPUModel>> NPUModel::loadBytes(StringRef bytes,
                                                        StringRef name) {
  std::unique_ptr<NPUModel> m(new NPUModel());
  Expected<artifact::Artifact> art = readArtifactBytes(bytes, name);
  if (!art)
    return art.takeError();
  m->impl->name = name.str();
  m->impl->art = std::move(*art);
  if (Error e = m->impl->decode())
    return std::move(e);
  return std::move(m);
}

Expected<std::unique_ptr<NPUModel>> NPUModel::load(StringRef path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> buf = MemoryBuffer::getFile(
      path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buf)
    return fail("cannot read " + path + ": " + buf.getError().message());
  return loadBytes((*buf)->getBuffer(), path);
}

Error NPUModel::Impl::checkNeeds(const artifact::Kernel &k) const {
  if (!k.has_needs())
    return Error::success();
  const artifact::Needs &n = k.needs();
  struct Row {
    const char *buffer;
    uint64_t need, have;
  } rows[] = {{"L1", n.l1(), cfg.l1Size},
              {"L0A", n.l0a(), cfg.l0aSize},
              {"L0B", n.l0b(), cfg.l0bSize},
              {"L0C", n.l0c(), cfg.l0cSize},
              {"UB", n.ub(), cfg.ubSize}};
  std::string hint;
  StringRef built = art.target().config_name();
  if (!built.empty() && built != cfg.name)
    hint = (" (the artifact was compiled for '" + built + "')").str();
  hint += "; recompile with --config=" + cfg.name;
  for (const Row &r : rows)
    if (r.need > r.have)
      return fail(describe("kernel", k) + " needs " + formatBytes(r.need) +
                  " of " + r.buffer + "; config '" + cfg.name + "' has " +
                  formatBytes(r.have) + hint);
  if (n.events() > cfg.events)
    return fail(describe("kernel", k) + " needs " + Twine(n.events()) +
                " events per pipe pair; config '" + cfg.name + "' has " +
                Twine(cfg.events) + hint);
  return Error::success();
}

static bool sameDevice(const NPURunOptions &a, const NPURunOptions &b) {
  return a.config == b.config && a.functional == b.functional &&
         a.raceCheck == b.raceCheck && a.traceLimit == b.traceLimit;
}

Error NPUModel::Impl::prepare(const NPURunOptions &opts) {
  // A traced run gets its own device, so that the trace is this run's.
  if (dev && !opts.trace && deviceOpts && sameDevice(*deviceOpts, opts))
    return Error::success();
  dev.reset();
  regions.clear();
  Expected<sim::Config> c = sim::loadConfig(opts.config);
  if (!c)
    return c.takeError();
  cfg = std::move(*c);
  for (const artifact::Kernel &k : art.kernels())
    if (Error e = checkNeeds(k))
      return e;
  simOpts = sim::SimOptions();
  simOpts.functional = opts.functional;
  simOpts.checkRaces = opts.raceCheck;
  simOpts.recordTrace = opts.trace;
  simOpts.traceLimit = opts.traceLimit;
  Expected<std::unique_ptr<sim::Device>> d =
      sim::Device::create(cfg, art.gm_bytes(), simOpts);
  if (!d)
    return fail(name + ": " + toString(d.takeError()));
  for (const artifact::GMRegion &r : art.gm()) {
    Expected<MutableArrayRef<uint8_t>> bytes = (*d)->gm(r.offset(), r.size());
    if (!bytes)
      return fail(name + ": region '" + r.name() +
                  "': " + toString(bytes.takeError()));
    regions.push_back(*bytes);
  }
  for (const artifact::Constant &k : art.constants())
    std::memcpy(regions[k.gm_region()].data(), k.data().data(),
                k.data().size());
  dev = std::move(*d);
  deviceOpts = opts;
  return Error::success();
}

/// A kernel's trace span name: its first ONNX node, "(+N)" for the rest.
static std::string displayName(const artifact::Kernel &k) {
  if (k.onnx_nodes().empty())
    return "";
  std::string s = k.onnx_nodes(0);
  if (k.onnx_nodes().size() > 1)
    s += " (+" + std::to_string(k.onnx_nodes().size() - 1) + ")";
  return s;
}

Error NPUModel::Impl::runKernel(const artifact::Kernel &k,
                                const isa::Program &prog,
                                const NPURunOptions &opts, uint64_t runStart,
                                NPURunStats *stats) {
  unsigned cores = k.cores();
  if (opts.cores)
    cores = std::min(cores, opts.cores);
  Expected<sim::LaunchStats> ls = dev->launch(prog, cores, k.name());
  if (!ls) {
    // Device errors start with "kernel 'NAME': "; name the nodes too.
    std::string msg = toString(ls.takeError());
    StringRef rest = msg;
    rest.consume_front("kernel '" + k.name() + "': ");
    return fail(describe("kernel", k) + ": " + rest);
  }
  if (!stats)
    return Error::success();
  sim::KernelRecord r;
  r.name = k.name();
  r.onnxNodes.assign(k.onnx_nodes().begin(), k.onnx_nodes().end());
  r.kind = k.kind();
  r.displayName = displayName(k);
  r.launch = std::move(*ls);
  r.launch.startCycle -= runStart;
  r.estimateCycles = k.estimate().cycles();
  r.rooflineCompute = k.estimate().roofline_compute();
  r.rooflineGM = k.estimate().roofline_gm();
  stats->kernels.push_back(std::move(r));
  return Error::success();
}

Error NPUModel::Impl::runCPUPart(const artifact::CPUPart &p, PartFn fn,
                                 uint64_t runStart, NPURunStats *stats) {
  SmallVector<void *> buffers;
  for (uint32_t r : p.args())
    buffers.push_back(regions[r].data());
  auto start = std::chrono::steady_clock::now();
  int32_t rc = fn(buffers.data());
  double us = std::chrono::duration<double, std::micro>(
                  std::chrono::steady_clock::now() - start)
                  .count();
  if (rc != 0)
    return fail(describe("CPU part", p) + " returned error code " + Twine(rc));
  // The host wrote the outputs behind the device's back: drop stale L2
  // lines (a coherent host write).
  for (uint32_t r : ArrayRef(p.args().data(), p.args().size())
                        .drop_front(p.num_inputs()))
    dev->hostWrote(art.gm(r).offset(), art.gm(r).size());
  if (stats)
    stats->cpuParts.push_back(
        {p.name(),
         std::vector<std::string>(p.onnx_nodes().begin(), p.onnx_nodes().end()),
         us, dev->now() - runStart});
  return Error::success();
}

Expected<std::vector<Tensor>> NPUModel::run(ArrayRef<Tensor> inputs,
                                            const NPURunOptions &opts,
                                            NPURunStats *stats) {
  Impl &m = *impl;
  if (Error e = checkInputs(m.sig, inputs))
    return std::move(e);
  if (Error e = m.prepare(opts))
    return std::move(e);
  if (stats) {
    *stats = NPURunStats();
    stats->config = m.cfg;
    stats->simOptions = m.simOpts;
  }
  auto start = std::chrono::steady_clock::now();
  uint64_t runStart = m.dev->now();
  for (auto [t, in] : llvm::zip(m.art.inputs(), inputs)) {
    std::memcpy(m.regions[t.gm_region()].data(), in.data(), in.byteSize());
    const artifact::GMRegion &r = m.art.gm(t.gm_region());
    m.dev->hostWrote(r.offset(), r.size()); // New inputs are not in L2.
  }
  for (const artifact::Step &s : m.art.schedule()) {
    Error e = s.has_kernel()
                  ? m.runKernel(m.art.kernels(s.kernel()),
                                m.programs[s.kernel()], opts, runStart, stats)
                  : m.runCPUPart(m.art.cpu_parts(s.cpu_part()),
                                 m.parts[s.cpu_part()], runStart, stats);
    if (e)
      return std::move(e);
  }
  std::vector<Tensor> outputs;
  for (auto [t, spec] : llvm::zip(m.art.outputs(), m.sig.outputs)) {
    outputs.emplace_back(spec.dtype, spec.shape);
    std::memcpy(outputs.back().data(), m.regions[t.gm_region()].data(),
                outputs.back().byteSize());
  }
  if (stats) {
    stats->totalCycles = m.dev->now() - runStart;
    stats->hostSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    if (opts.trace)
      stats->device = m.dev;
  }
  return std::move(outputs);
}

void npu::rt::writeNPURunStatsJSON(raw_ostream &os, const NPURunStats &s) {
  sim::writeDeviceStatsJSON(os, s.kernels, s.config, s.simOptions, s.cpuParts,
                            s.hostSeconds, s.warnings);
}

Error npu::rt::writeNPURunTraceJSON(raw_ostream &os, const NPURunStats &s) {
  if (!s.device)
    return fail("no trace: the run was not traced (NPURunOptions::trace)");
  sim::writeDeviceTraceJSON(os, *s.device, s.kernels, s.cpuParts);
  return Error::success();
}
