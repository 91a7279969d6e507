//===- Simulator.cpp - Public API: setup, GM inputs/outputs, run ----------===//
#include "Machine.h"
#include "npu/Simulator/Float.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace npu::sim {

const float *halfTable() {
  static const std::vector<float> table = [] {
    std::vector<float> t(65536);
    for (uint32_t h = 0; h < 65536; ++h) {
      uint32_t sign = (h & 0x8000) << 16, exp = (h >> 10) & 0x1f,
               man = h & 0x3ff, bits;
      if (exp == 0x1f) {
        bits = sign | 0x7f800000 | (man << 13);
      } else if (exp == 0) {
        // Subnormal: exact value man * 2^-24.
        float f = float(man) * 0x1p-24f;
        bits = sign | floatBits(f);
      } else {
        bits = sign | ((exp + 112) << 23) | (man << 13);
      }
      t[h] = bitsFloat(bits);
    }
    return t;
  }();
  return table.data();
}

using namespace detail;

struct Simulator::Impl {
  isa::Program prog;
  Machine m;
};

Simulator::Simulator() : impl(std::make_unique<Impl>()) {}
Simulator::~Simulator() = default;

static Error err(const Twine &msg) {
  return createStringError(inconvertibleErrorCode(), msg);
}

Expected<std::unique_ptr<Simulator>>
Simulator::create(const isa::Program &prog, const Config &cfg,
                  const SimOptions &opts) {
  if (Error e = checkConfig(cfg))
    return std::move(e);
  std::unique_ptr<Simulator> sim(new Simulator());
  Machine &m = sim->impl->m;
  sim->impl->prog = prog;
  m.loadProgram(sim->impl->prog);
  unsigned n = opts.cores ? opts.cores : prog.cores;
  if (n == 0 || n > cfg.cores)
    return err("program runs on " + Twine(n) + " cores but config '" +
               cfg.name + "' has " + Twine(cfg.cores));
  if (Error e = Machine::checkProgram(prog, cfg))
    return std::move(e);
  // Refuse to allocate more host memory than a run can sensibly need
  // rather than dying in the allocator.
  uint64_t gmSize = prog.gmSize();
  uint64_t onChip =
      Machine::bytesPerCore(cfg) * n + Machine::l2StateBytes(cfg, gmSize);
  const uint64_t limit = uint64_t(16) << 30;
  if (gmSize > limit || onChip > limit - gmSize)
    return err("program needs " + Twine(gmSize) + " bytes of GM and " +
               Twine(onChip) +
               " bytes of on-chip state; the simulator allows 16 GiB");
  m.configure(cfg, opts, gmSize);
  m.allocateCores(n);
  m.resetForLaunch(n);
  return std::move(sim);
}

static uint64_t splitmix(uint64_t &s) {
  uint64_t z = (s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/// Store `x` as one element of type t (RNE for floats, saturating ints).
static void putElem(isa::DType t, uint8_t *p, double x) {
  switch (t) {
  case isa::DType::F16: {
    uint16_t h = floatToHalf(float(x));
    std::memcpy(p, &h, 2);
    return;
  }
  case isa::DType::BF16: {
    uint16_t h = floatToBf16(float(x));
    std::memcpy(p, &h, 2);
    return;
  }
  case isa::DType::F32: {
    float f = float(x);
    std::memcpy(p, &f, 4);
    return;
  }
  default: {
    int64_t y = int64_t(x);
    std::memcpy(p, &y, isa::dtypeSize(t));
  }
  }
}

Error Simulator::initInputs(StringRef baseDir) {
  Machine &m = impl->m;
  for (const isa::GMBuffer &b : m.prog->buffers) {
    uint8_t *base = m.gm.data() + b.addr;
    unsigned es = isa::dtypeSize(b.dtype);
    uint64_t count = b.size / es;
    switch (b.init) {
    case isa::GMInit::Zero:
      break;
    case isa::GMInit::Random: {
      // Floats: uniform in [-1, 1) rounded to the type; s8/u8 over their full
      // range; s16/s32 in [-1000, 1000].
      uint64_t s = uint64_t(b.value);
      for (uint64_t i = 0; i < count; ++i) {
        uint64_t r = splitmix(s);
        double x;
        if (isa::isFloat(b.dtype))
          x = double(r >> 40) * 0x1p-23 - 1.0;
        else if (b.dtype == isa::DType::S8)
          x = double(int64_t(r % 256) - 128);
        else if (b.dtype == isa::DType::U8)
          x = double(r % 256);
        else
          x = double(int64_t(r % 2001) - 1000);
        putElem(b.dtype, base + i * es, x);
      }
      break;
    }
    case isa::GMInit::Const:
      for (uint64_t i = 0; i < count; ++i)
        putElem(b.dtype, base + i * es, b.value);
      break;
    case isa::GMInit::Iota:
      for (uint64_t i = 0; i < count; ++i)
        putElem(b.dtype, base + i * es, double(i));
      break;
    case isa::GMInit::File: {
      SmallString<256> path(b.path);
      if (!sys::path::is_absolute(path)) {
        path = baseDir;
        sys::path::append(path, b.path);
      }
      std::vector<uint8_t> data;
      if (StringRef(path).ends_with(".npy")) {
        Expected<std::vector<uint8_t>> d = readNpy(path);
        if (!d)
          return d.takeError();
        data = std::move(*d);
      } else {
        ErrorOr<std::unique_ptr<MemoryBuffer>> buf =
            MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
        if (!buf)
          return err("GM buffer '" + b.name + "': cannot read '" + path +
                     "': " + buf.getError().message());
        StringRef s = (*buf)->getBuffer();
        data.assign(s.begin(), s.end());
      }
      if (data.size() > b.size)
        return err("GM buffer '" + b.name + "': file '" + path + "' has " +
                   Twine(data.size()) + " bytes but the buffer holds " +
                   Twine(b.size));
      std::memcpy(base, data.data(), data.size());
      break;
    }
    }
  }
  return Error::success();
}

MutableArrayRef<uint8_t> Simulator::gm(StringRef name) {
  Machine &m = impl->m;
  const isa::GMBuffer *b = m.prog->findBuffer(name);
  if (!b)
    return {};
  return MutableArrayRef<uint8_t>(m.gm.data() + b->addr, b->size);
}

Expected<SimResult> Simulator::run() {
  SimResult res;
  if (Error e = impl->m.run(res))
    return std::move(e);
  return res;
}

Error Simulator::writeOutputs(StringRef dir) {
  Machine &m = impl->m;
  for (const isa::OutputSpec &o : m.prog->outputs) {
    const isa::GMBuffer *b = m.prog->findBuffer(o.buffer);
    uint64_t bytes = isa::dtypeSize(o.dtype);
    std::vector<uint64_t> shape = o.shape;
    if (shape.empty())
      shape.push_back(b->size / bytes);
    for (uint64_t d : shape)
      bytes *= d;
    if (bytes > b->size)
      return err("output '" + o.buffer + "' is larger than its buffer");
    SmallString<256> path(o.path);
    if (!sys::path::is_absolute(path)) {
      path = dir;
      sys::path::append(path, o.path);
    }
    ArrayRef<uint8_t> data(m.gm.data() + b->addr, bytes);
    if (StringRef(path).ends_with(".npy")) {
      if (Error e = writeNpy(path, data, o.dtype, shape))
        return e;
      continue;
    }
    std::error_code ec;
    raw_fd_ostream os(path, ec, sys::fs::OF_None);
    if (ec)
      return err("cannot write '" + path + "': " + ec.message());
    os.write(reinterpret_cast<const char *>(data.data()), data.size());
  }
  return Error::success();
}

const std::vector<TraceEvent> &Simulator::trace() const {
  return impl->m.trace;
}
const isa::Program &Simulator::program() const { return impl->prog; }
const Config &Simulator::config() const { return impl->m.cfg; }

} // namespace npu::sim
