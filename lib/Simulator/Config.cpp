//===- Config.cpp - Presets and INI parsing for the simulator config ------===//
#include "npu/Simulator/Config.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include <cmath>
#include <variant>

using namespace llvm;

namespace npu::sim {

namespace {
struct Key {
  const char *name;
  std::variant<unsigned Config::*, uint64_t Config::*, double Config::*> field;
  double min, max;
};

const Key kKeys[] = {
    {"cores", &Config::cores, 1, 4096},
    {"clock_ghz", &Config::clockGHz, 0.001, 100},
    {"l1_size", &Config::l1Size, 32, double(1ull << 32)},
    {"l0a_size", &Config::l0aSize, 512, double(1ull << 32)},
    {"l0b_size", &Config::l0bSize, 512, double(1ull << 32)},
    {"l0c_size", &Config::l0cSize, 64, double(1ull << 32)},
    {"ub_size", &Config::ubSize, 32, double(1ull << 32)},
    {"events", &Config::events, 1, 16},
    {"l2_size", &Config::l2Size, 0, double(1ull << 40)},
    {"l1_to_l0a_bytes_per_cycle", &Config::l1ToL0A, 1e-3, 1e6},
    {"l1_to_l0b_bytes_per_cycle", &Config::l1ToL0B, 1e-3, 1e6},
    {"l0c_to_ub_bytes_per_cycle", &Config::l0cToUB, 1e-3, 1e6},
    {"l1_to_ub_bytes_per_cycle", &Config::l1ToUB, 1e-3, 1e6},
    {"l0c_to_l1_bytes_per_cycle", &Config::l0cToL1, 1e-3, 1e6},
    {"ub_to_l1_bytes_per_cycle", &Config::ubToL1, 1e-3, 1e6},
    {"ub_to_ub_bytes_per_cycle", &Config::ubToUB, 1e-3, 1e6},
    {"gm_bandwidth_bytes_per_cycle", &Config::gmBandwidth, 1e-3, 1e7},
    {"gm_read_port_bytes_per_cycle", &Config::gmReadPort, 1e-3, 1e6},
    {"gm_write_port_bytes_per_cycle", &Config::gmWritePort, 1e-3, 1e6},
    {"gm_latency", &Config::gmLatency, 0, 1e6},
    {"gm_bin_cycles", &Config::gmBinCycles, 1, 1e6},
    {"l2_line_bytes", &Config::l2LineBytes, 32, 2048},
    {"l2_bandwidth_bytes_per_cycle", &Config::l2Bandwidth, 1e-3, 1e7},
    {"l2_latency", &Config::l2Latency, 0, 1e6},
    {"cube_cycles_per_fractal", &Config::cubeCyclesPerFractal, 1, 1e6},
    {"vector_cycles_per_repeat", &Config::vectorCyclesPerRepeat, 1, 1e6},
    {"vector_complex_cycles_per_repeat", &Config::vectorComplexCyclesPerRepeat,
     1, 1e6},
    {"scalar_cycles", &Config::scalarCycles, 1, 1e6},
    {"queue_depth", &Config::queueDepth, 1, 4096},
};

std::string fmtDouble(double d) {
  char buf[32];
  snprintf(buf, sizeof(buf), "%g", d);
  return buf;
}

bool parseNumber(StringRef s, double &out) {
  s = s.trim();
  double mult = 1;
  if (s.consume_back_insensitive("kib") || s.consume_back_insensitive("k"))
    mult = 1024;
  else if (s.consume_back_insensitive("mib") || s.consume_back_insensitive("m"))
    mult = 1024 * 1024;
  else if (s.consume_back_insensitive("gib") || s.consume_back_insensitive("g"))
    mult = 1024.0 * 1024 * 1024;
  s = s.trim();
  if (s.empty())
    return false;
  unsigned long long u;
  if (!getAsUnsignedInteger(s, 0, u)) {
    out = double(u) * mult;
    return true;
  }
  std::string str = s.str();
  char *end = nullptr;
  out = strtod(str.c_str(), &end) * mult;
  return *end == 0 && std::isfinite(out);
}
} // namespace

Expected<Config> presetConfig(StringRef name) {
  Config c;
  if (name == "dv-910")
    return c;
  if (name == "dv-a2") {
    c.name = "dv-a2";
    c.cores = 24;
    c.clockGHz = 1.8;
    c.l1Size = 512 << 10;
    c.l0cSize = 128 << 10;
    c.ubSize = 192 << 10;
    c.events = 8;
    c.l2Size = 0;
    c.gmBandwidth = 1600.0 / 1.8; // 1.6 TB/s at 1.8 GHz.
    c.gmLatency = 540;            // The same 300 ns at 1.8 GHz.
    c.l2Bandwidth = 3 * 1600.0 / 1.8; // Unused while l2Size = 0.
    c.l2Latency = 270;
    return c;
  }
  return createStringError(inconvertibleErrorCode(),
                           "unknown preset '" + name +
                               "' (expected dv-910 or dv-a2)");
}

Error applyIni(Config &cfg, StringRef text, StringRef fileName) {
  SmallVector<StringRef, 0> lines;
  text.split(lines, '\n');
  for (size_t n = 0; n < lines.size(); ++n) {
    StringRef line = lines[n];
    line = line.take_until([](char c) { return c == ';' || c == '#'; }).trim();
    auto err = [&](const Twine &msg) {
      return createStringError(inconvertibleErrorCode(),
                               fileName + ":" + Twine(n + 1) + ": error: " +
                                   msg);
    };
    if (line.empty() || (line.front() == '[' && line.back() == ']'))
      continue;
    auto [key, value] = line.split('=');
    key = key.trim();
    value = value.trim();
    if (!line.contains('='))
      return err("expected 'key = value', got '" + line + "'");
    // Keys may be written as section.key; the section is informational.
    key = key.rsplit('.').second.empty() ? key : key.rsplit('.').second;
    if (key == "preset") {
      Expected<Config> p = presetConfig(value);
      if (!p)
        return err(toString(p.takeError()));
      cfg = *p;
      continue;
    }
    if (key == "name") {
      cfg.name = value.str();
      continue;
    }
    const Key *k = nullptr;
    for (const Key &cand : kKeys)
      if (key == cand.name)
        k = &cand;
    if (!k)
      return err("unknown config key '" + key + "'");
    double v;
    if (!parseNumber(value, v))
      return err("bad value '" + value + "' for '" + key + "'");
    if (v < k->min || v > k->max)
      return err("value " + value + " for '" + key + "' out of range [" +
                 fmtDouble(k->min) + ", " + fmtDouble(k->max) + "]");
    bool integral = !std::holds_alternative<double Config::*>(k->field);
    if (integral && v != std::floor(v))
      return err("'" + key + "' must be an integer");
    std::visit(
        [&](auto member) {
          using T = std::remove_reference_t<decltype(cfg.*member)>;
          cfg.*member = T(v);
        },
        k->field);
  }
  return Error::success();
}

Error checkConfig(const Config &cfg) {
  auto err = [&](const Twine &msg) {
    return createStringError(inconvertibleErrorCode(),
                             "config '" + cfg.name + "': " + msg);
  };
  uint64_t line = cfg.l2LineBytes;
  if (line < 32 || line > 2048 || (line & (line - 1)))
    return err("l2_line_bytes = " + Twine(line) +
               " must be a power of two in [32, 2048]");
  if (cfg.l2Size && cfg.l2Size < line)
    return err("l2_size = " + Twine(cfg.l2Size) +
               " is smaller than one line (l2_line_bytes = " + Twine(line) +
               "); use 0 for no L2");
  return Error::success();
}

Expected<Config> loadConfig(StringRef presetOrFile) {
  if (!presetOrFile.ends_with(".ini"))
    return presetConfig(presetOrFile);
  ErrorOr<std::unique_ptr<MemoryBuffer>> buf =
      MemoryBuffer::getFile(presetOrFile);
  if (!buf)
    return createStringError(buf.getError(), "cannot read config '" +
                                                 presetOrFile + "': " +
                                                 buf.getError().message());
  Config cfg;
  if (Error e = applyIni(cfg, (*buf)->getBuffer(), presetOrFile))
    return std::move(e);
  if (Error e = checkConfig(cfg))
    return createStringError(inconvertibleErrorCode(),
                             presetOrFile +
                                 ": error: " + toString(std::move(e)));
  return cfg;
}

std::string configToIni(const Config &cfg) {
  std::string s;
  raw_string_ostream os(s);
  os << "name = " << cfg.name << "\n";
  for (const Key &k : kKeys) {
    os << k.name << " = ";
    std::visit(
        [&](auto member) {
          if constexpr (std::is_same_v<decltype(member), double Config::*>)
            os << format("%.17g", cfg.*member);
          else
            os << cfg.*member;
        },
        k.field);
    os << "\n";
  }
  return s;
}

} // namespace npu::sim
