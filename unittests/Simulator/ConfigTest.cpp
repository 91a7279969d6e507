//===- ConfigTest.cpp - Presets and INI overrides -------------------------===//
#include "npu/Simulator/Config.h"
#include "gtest/gtest.h"

using namespace npu::sim;
using namespace llvm;

TEST(Config, PresetsMatchTheTable) {
  Config a = cantFail(presetConfig("dv-910"));
  EXPECT_EQ(a.cores, 32u);
  EXPECT_EQ(a.clockGHz, 1.0);
  EXPECT_EQ(a.l1Size, 1u << 20);
  EXPECT_EQ(a.l0aSize, 64u << 10);
  EXPECT_EQ(a.l0bSize, 64u << 10);
  EXPECT_EQ(a.l0cSize, 256u << 10);
  EXPECT_EQ(a.ubSize, 256u << 10);
  EXPECT_EQ(a.events, 4u);
  EXPECT_EQ(a.l2Size, 32u << 20);
  EXPECT_EQ(a.l1ToL0A, 512);
  EXPECT_EQ(a.l1ToL0B, 256);
  EXPECT_EQ(a.l0cToUB, 256);
  EXPECT_EQ(a.l1ToUB, 128);
  Config b = cantFail(presetConfig("dv-a2"));
  EXPECT_EQ(b.cores, 24u);
  EXPECT_EQ(b.clockGHz, 1.8);
  EXPECT_EQ(b.l1Size, 512u << 10);
  EXPECT_EQ(b.l0cSize, 128u << 10);
  EXPECT_EQ(b.ubSize, 192u << 10);
  EXPECT_EQ(b.events, 8u);
  EXPECT_EQ(b.l2Size, 0u);
  Expected<Config> bad = presetConfig("dv-999");
  ASSERT_FALSE(bool(bad));
  EXPECT_NE(toString(bad.takeError()).find("unknown preset"), std::string::npos);
}

TEST(Config, IniOverridesAnyValue) {
  Config c = cantFail(presetConfig("dv-910"));
  ASSERT_FALSE(bool(applyIni(c, R"(
; a comment
preset = dv-a2
[memory]
ub_size = 128KiB
memory.l1_size = 2 MiB     # section-qualified key
[rates]
gm_bandwidth_bytes_per_cycle = 333.5
gm_latency = 0x100
)",
                                  "t.ini")));
  EXPECT_EQ(c.name, "dv-a2");
  EXPECT_EQ(c.cores, 24u);
  EXPECT_EQ(c.ubSize, 128u << 10);
  EXPECT_EQ(c.l1Size, 2u << 20);
  EXPECT_EQ(c.gmBandwidth, 333.5);
  EXPECT_EQ(c.gmLatency, 256u);
  // Printing and re-reading gives the same config.
  Config d;
  ASSERT_FALSE(bool(applyIni(d, configToIni(c), "round.ini")));
  EXPECT_EQ(configToIni(d), configToIni(c));
}

TEST(Config, BadValuesGiveOneLineErrors) {
  const char *cases[][2] = {
      {"frobs = 1", "t.ini:1: error: unknown config key 'frobs'"},
      {"cores = many", "bad value 'many'"},
      {"cores = 0", "out of range"},
      {"events = 2.5", "must be an integer"},
      {"clock_ghz = -1", "out of range"},
      {"just text", "expected 'key = value'"},
      {"preset = dv-1", "unknown preset"},
      {"ub_size = 1e999", "bad value"},
  };
  for (auto &c : cases) {
    Config cfg;
    Error e = applyIni(cfg, c[0], "t.ini");
    ASSERT_TRUE(bool(e)) << c[0];
    std::string msg = toString(std::move(e));
    EXPECT_NE(msg.find(c[1]), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos);
  }
}

TEST(Config, L2KeysAndTheirCrossChecks) {
  Config a = cantFail(presetConfig("dv-910"));
  EXPECT_EQ(a.l2LineBytes, 512u);
  EXPECT_EQ(a.l2Bandwidth, 3 * a.gmBandwidth);
  EXPECT_EQ(a.l2Latency, 150u);
  Config b = cantFail(presetConfig("dv-a2"));
  EXPECT_EQ(b.l2Size, 0u); // dv-a2 keeps the no-L2 timing.
  EXPECT_FALSE(bool(checkConfig(a)));
  ASSERT_FALSE(bool(applyIni(a, R"(
l2_size = 1 MiB
l2_line_bytes = 128
l2_bandwidth_bytes_per_cycle = 2400
l2_latency = 90
)",
                             "t.ini")));
  EXPECT_EQ(a.l2Size, 1u << 20);
  EXPECT_EQ(a.l2LineBytes, 128u);
  EXPECT_EQ(a.l2Bandwidth, 2400);
  EXPECT_EQ(a.l2Latency, 90u);
  EXPECT_FALSE(bool(checkConfig(a)));
  a.l2LineBytes = 384;
  EXPECT_EQ(toString(checkConfig(a)),
            "config 'dv-910': l2_line_bytes = 384 must be a power of two in "
            "[32, 2048]");
  Config c;
  Error e = applyIni(c, "l2_line_bytes = 4096", "t.ini");
  EXPECT_NE(toString(std::move(e)).find("out of range"), std::string::npos);
}
