//===- CliTest.cpp - npu-sim end to end: outputs, and bad input handling --===//
#include "SimTestUtil.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include <fstream>

using namespace llvm;

namespace {
struct Cli {
  SmallString<128> dir;
  Cli() { EXPECT_FALSE(sys::fs::createUniqueDirectory("npu-sim-cli", dir)); }
  ~Cli() { sys::fs::remove_directories(dir); }
  std::string path(StringRef name) {
    SmallString<128> p(dir);
    sys::path::append(p, name);
    return std::string(p);
  }
  void write(StringRef name, StringRef text) {
    std::ofstream(path(name), std::ios::binary) << text.str();
  }
  std::string read(StringRef name) {
    auto buf = MemoryBuffer::getFile(path(name));
    return buf ? (*buf)->getBuffer().str() : "";
  }
  /// Runs npu-sim; returns the exit code, stderr in `err`.
  int run(std::vector<std::string> args, std::string &err) {
    std::vector<StringRef> argv = {NPU_SIM_PATH};
    for (const std::string &a : args)
      argv.push_back(a);
    std::string errFile = path("stderr.txt"), outFile = path("stdout.txt");
    sys::fs::remove(errFile);
    sys::fs::remove(outFile);
    std::optional<StringRef> redirects[] = {std::nullopt, StringRef(outFile),
                                            StringRef(errFile)};
    int rc = sys::ExecuteAndWait(NPU_SIM_PATH, argv, std::nullopt, redirects,
                                 /*SecondsToWait=*/120);
    err = read("stderr.txt");
    return rc;
  }
};
} // namespace

TEST(Cli, RunsAKernelAndWritesStatsTraceAndOutputs) {
  Cli cli;
  std::string err;
  int rc = cli.run({NPU_BENCH_DIR "/conv_load3d_f16.s", "--stats",
                    cli.path("s.json"), "--trace=" + cli.path("t.json"),
                    "--output-dir", cli.dir.str().str()},
                   err);
  ASSERT_EQ(rc, 0) << err;
  EXPECT_TRUE(bool(json::parse(cli.read("s.json"))));
  EXPECT_TRUE(bool(json::parse(cli.read("t.json"))));
  EXPECT_EQ(cli.read("conv_y.npy").size(), 128u + 256 * 32 * 2);
  EXPECT_NE(cli.read("stdout.txt").find("total cycles: 1695"),
            std::string::npos);
  // Assemble to a binary and run that: same cycle count.
  ASSERT_EQ(cli.run({NPU_BENCH_DIR "/conv_load3d_f16.s", "--emit-binary",
                     cli.path("k.bin")},
                    err),
            0);
  ASSERT_EQ(cli.run({cli.path("k.bin"), "--timing-only",
                     "--input-dir=" NPU_BENCH_DIR},
                    err),
            0)
      << err;
  EXPECT_NE(cli.read("stdout.txt").find("total cycles: 1695"),
            std::string::npos);
}

TEST(Cli, BadInputGivesOneLineErrorAndExitCode1) {
  Cli cli;
  cli.write("bad.s", "  vadd.f16 ub[0], ub[0], ub[0], 300, 1, 1, 1, 8, 8, 8\n");
  cli.write("junk.bin", std::string("NPUBIN01\x01\0\0\0garbage", 19));
  cli.write("trunc.bin", std::string("NPUBIN01", 8));
  std::string word(16, '\0');
  word[0] = char(0xff); // Unknown opcode in an otherwise valid container.
  std::string bin("NPUBIN01", 8);
  for (uint32_t v : {1u, 1u, 0u, 0u, 1u, 0u})
    bin.append(reinterpret_cast<const char *>(&v), 4);
  cli.write("opcode.bin", bin + word);
  cli.write("bad.ini", "preset = dv-910\nub_size = lots\n");
  cli.write("ok.s", "  end\n");
  cli.write("race.s", ".gm A, 4096\n  li x1, A\n  copy ub[0], gm[x1], 1, 1, "
                      "0, 0\n  vabs.f16 ub[0x100], ub[0], 1, 1, 1, 8, 8\n  end\n");
  struct Case {
    std::vector<std::string> args;
    const char *msg;
  } cases[] = {
      {{cli.path("bad.s")}, "out of range for 'repeat'"},
      {{cli.path("junk.bin")}, "truncated binary"},
      {{cli.path("trunc.bin")}, "truncated binary"},
      {{cli.path("opcode.bin")}, "unknown opcode 255"},
      {{cli.path("ok.s"), "--config", cli.path("bad.ini")}, "bad value 'lots'"},
      {{cli.path("ok.s"), "--config", "dv-3000"}, "unknown preset"},
      {{cli.path("missing.s")}, "cannot read"},
      {{cli.path("ok.s"), "--cores", "99"}, "has 32"},
      {{cli.path("race.s")}, "data race"},
      {{cli.path("ok.s"), "-Dnovalue"}, "bad -D"},
  };
  for (const Case &c : cases) {
    std::string err;
    int rc = cli.run(c.args, err);
    EXPECT_EQ(rc, 1) << c.args[0] << ": " << err;
    EXPECT_NE(err.find(c.msg), std::string::npos) << err;
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  }
}
