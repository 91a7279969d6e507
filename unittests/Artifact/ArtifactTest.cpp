//===- ArtifactTest.cpp - .npu container: round trip and verifier errors --===//
#include "npu/Artifact/Artifact.h"
#include "npu/Target/ISA/Program.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "gtest/gtest.h"

#include <functional>

using namespace npu;
using namespace npu::artifact;

namespace {

std::string kernelBinary() {
  llvm::Expected<isa::Program> p =
      isa::parseAssembly(".gm X, 32 @0x1000\n  end\n", "k.s");
  EXPECT_TRUE(bool(p));
  std::vector<uint8_t> bin = isa::writeBinary(*p);
  return std::string(bin.begin(), bin.end());
}

GMRegion *addRegion(Artifact &a, const char *name, uint64_t offset,
                    uint64_t size, GMRegion::Kind kind) {
  GMRegion *r = a.add_gm();
  r->set_name(name);
  r->set_offset(offset);
  r->set_size(size);
  r->set_kind(kind);
  return r;
}

/// x (input) -> kernel k0 (+ constant c) -> t -> CPU part p0 -> y (output).
Artifact valid() {
  Artifact a;
  a.set_magic(kArtifactMagic.str());
  a.set_format_version(kArtifactFormatVersion);
  a.set_producer("ArtifactTest");
  a.set_isa_binary_version(isa::kBinaryVersion);
  a.mutable_target()->set_config_name("dv-910");
  a.set_gm_bytes(5 * 4096);
  addRegion(a, "x", 0x1000, 32, GMRegion::INPUT);
  addRegion(a, "c", 0x2000, 32, GMRegion::CONST);
  addRegion(a, "t", 0x3000, 32, GMRegion::ACT);
  addRegion(a, "y", 0x4000, 32, GMRegion::OUTPUT);
  Tensor *in = a.add_inputs();
  in->set_name("X");
  in->set_dtype("float32");
  in->add_shape(2);
  in->add_shape(4);
  in->set_gm_region(0);
  Tensor *out = a.add_outputs();
  *out = *in;
  out->set_name("Y");
  out->set_gm_region(3);
  Constant *c = a.add_constants();
  c->set_gm_region(1);
  c->set_data(std::string(32, '\1'));
  Kernel *k = a.add_kernels();
  k->set_name("k0");
  k->add_onnx_nodes("add");
  k->set_cores(1);
  k->set_binary(kernelBinary());
  k->add_reads(0);
  k->add_reads(1);
  k->add_writes(2);
  a.set_cpu_library(std::string("\x7f"
                                "ELF-not-really-loaded-here"));
  CPUPart *p = a.add_cpu_parts();
  p->set_name("p0");
  p->set_symbol("npu_run");
  p->add_args(2);
  p->add_args(3);
  p->set_num_inputs(1);
  a.add_schedule()->set_kernel(0);
  a.add_schedule()->set_cpu_part(0);
  return a;
}

std::string verifyError(const Artifact &a) {
  llvm::Error e = verifyArtifact(a, "m.npu");
  return e ? llvm::toString(std::move(e)) : "";
}

TEST(Artifact, ValidVerifies) { EXPECT_EQ(verifyError(valid()), ""); }

TEST(Artifact, RoundTripThroughAFile) {
  llvm::SmallString<128> path;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("artifact", "npu", path));
  Artifact a = valid();
  a.set_report_json("{\"x\": 1}");
  ASSERT_FALSE(bool(writeArtifact(a, path)));
  auto buf = llvm::MemoryBuffer::getFile(path);
  ASSERT_TRUE(bool(buf));
  // The magic is the fixed prefix of the file.
  EXPECT_TRUE((*buf)->getBuffer().starts_with(kArtifactPrefix));
  EXPECT_TRUE(isArtifact((*buf)->getBuffer()));
  llvm::Expected<Artifact> back = readArtifact(path);
  ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError());
  EXPECT_EQ(back->SerializeAsString(), a.SerializeAsString());
  EXPECT_EQ(back->kernels(0).binary(), a.kernels(0).binary());
  EXPECT_EQ(back->report_json(), "{\"x\": 1}");
  llvm::sys::fs::remove(path);
}

TEST(Artifact, WriterNeedsTheMagic) {
  Artifact a = valid();
  a.clear_magic();
  llvm::Error e = writeArtifact(a, "/nonexistent/never-written.npu");
  ASSERT_TRUE(bool(e));
  EXPECT_NE(llvm::toString(std::move(e)).find("magic is not 'NPUART01'"),
            std::string::npos);
}

TEST(Artifact, ReaderRejectsOtherFiles) {
  auto err = [](llvm::StringRef bytes) {
    llvm::Expected<Artifact> a = readArtifactBytes(bytes, "f.bin");
    return a ? std::string() : llvm::toString(a.takeError());
  };
  EXPECT_EQ(err("\x7f"
                "ELF"),
            "f.bin is not an npu artifact");
  EXPECT_EQ(err(""), "f.bin is not an npu artifact");
  EXPECT_EQ(err(std::string(kArtifactPrefix) + "\xff\xff"),
            "f.bin: malformed npu artifact (protobuf parse failed)");
  // The reader verifies.
  Artifact a = valid();
  a.set_format_version(2);
  EXPECT_NE(err(a.SerializeAsString()).find("format version 2"),
            std::string::npos);
  llvm::Expected<Artifact> missing = readArtifact("/nonexistent/x.npu");
  ASSERT_FALSE(bool(missing));
  EXPECT_NE(llvm::toString(missing.takeError()).find("cannot read"),
            std::string::npos);
}

struct Case {
  const char *what;
  std::function<void(Artifact &)> mutate;
  const char *error;
};

TEST(Artifact, EachVerifierError) {
  const Case cases[] = {
      {"magic", [](Artifact &a) { a.set_magic("NPUART02"); },
       "m.npu is not an npu artifact"},
      {"version",
       [](Artifact &a) {
         a.set_format_version(99);
         a.set_producer("npuc 9");
       },
       "m.npu: artifact format version 99 (written by 'npuc 9') is not "
       "supported; this npu-run reads version 1; recompile"},
      {"version, no producer",
       [](Artifact &a) {
         a.set_format_version(0);
         a.clear_producer();
       },
       "m.npu: artifact format version 0 (written by an unknown producer)"},
      {"isa version", [](Artifact &a) { a.set_isa_binary_version(3); },
       "m.npu: ISA binary version 3 is not supported; this npu-run reads "
       "NPUBIN01 version 1; recompile"},
      {"kernel binary version",
       [](Artifact &a) {
         std::string b = a.kernels(0).binary();
         b[8] = 7;
         a.mutable_kernels(0)->set_binary(b);
       },
       "m.npu: kernel 0 ('k0') has NPUBIN01 version 7; this npu-run reads "
       "version 1; recompile"},
      {"kernel binary",
       [](Artifact &a) { a.mutable_kernels(0)->set_binary("x"); },
       "m.npu: kernel 0 ('k0') has no NPUBIN01 binary"},
      {"kernel cores", [](Artifact &a) { a.mutable_kernels(0)->set_cores(0); },
       "m.npu: kernel 0 ('k0') runs on 0 cores"},
      {"kernel read", [](Artifact &a) { a.mutable_kernels(0)->add_reads(4); },
       "m.npu: kernel 0 ('k0') refers to GM region 4, but the artifact has 4 "
       "regions"},
      {"kernel writes a constant",
       [](Artifact &a) { a.mutable_kernels(0)->add_writes(1); },
       "m.npu: kernel 0 ('k0') writes constant region 1 ('c')"},
      {"unaligned", [](Artifact &a) { a.mutable_gm(2)->set_offset(0x3010); },
       "m.npu: GM region 2 ('t') starts at 12304; regions must start at a "
       "nonzero multiple of 4096"},
      {"address 0", [](Artifact &a) { a.mutable_gm(0)->set_offset(0); },
       "m.npu: GM region 0 ('x') starts at 0;"},
      {"outside", [](Artifact &a) { a.set_gm_bytes(0x4010); },
       "m.npu: GM region 3 ('y') [16384, 16416) lies outside the GM size "
       "(gm_bytes) 16400"},
      {"huge gm", [](Artifact &a) { a.set_gm_bytes(uint64_t(1) << 41); },
       "m.npu: GM size 2199023255552 exceeds the limit"},
      {"overflowing region",
       [](Artifact &a) { a.mutable_gm(3)->set_size(~uint64_t(0)); },
       "m.npu: GM region 3 ('y') ["},
      {"bad kind",
       [](Artifact &a) { a.mutable_gm(2)->set_kind(GMRegion::Kind(9)); },
       "m.npu: GM region 2 ('t') has unknown kind 9"},
      {"constant overlap",
       [](Artifact &a) { a.mutable_gm(2)->set_offset(0x2000); },
       "m.npu: constant region 1 ('c') overlaps region 2 ('t')"},
      {"input dtype",
       [](Artifact &a) { a.mutable_inputs(0)->set_dtype("f33"); },
       "m.npu: input 0 ('X') has unknown dtype 'f33'"},
      {"input shape",
       [](Artifact &a) { a.mutable_inputs(0)->set_shape(0, -1); },
       "m.npu: input 0 ('X') has an invalid shape"},
      {"input region",
       [](Artifact &a) { a.mutable_inputs(0)->set_gm_region(9); },
       "m.npu: input 0 ('X') refers to GM region 9, but the artifact has 4 "
       "regions"},
      {"input kind", [](Artifact &a) { a.mutable_inputs(0)->set_gm_region(2); },
       "m.npu: input 0 ('X') is in region 2 ('t') of kind ACT, expected INPUT"},
      {"output too small", [](Artifact &a) { a.mutable_gm(3)->set_size(16); },
       "m.npu: output 0 ('Y') needs 32 bytes but region 3 ('y') has 16"},
      {"constant region",
       [](Artifact &a) { a.mutable_constants(0)->set_gm_region(0); },
       "m.npu: constant 0 targets region 0 ('x') of kind INPUT, expected "
       "CONST"},
      {"constant size",
       [](Artifact &a) {
         a.mutable_constants(0)->set_data(std::string(33, 0));
       },
       "m.npu: constant 0 has 33 bytes but region 1 ('c') has 32"},
      {"library", [](Artifact &a) { a.set_cpu_library("MZ"); },
       "m.npu: the artifact has CPU parts but its cpu_library is not an ELF "
       "shared library"},
      {"symbol", [](Artifact &a) { a.mutable_cpu_parts(0)->clear_symbol(); },
       "m.npu: CPU part 0 ('p0') has no symbol"},
      {"num_inputs",
       [](Artifact &a) { a.mutable_cpu_parts(0)->set_num_inputs(3); },
       "m.npu: CPU part 0 ('p0') has 3 inputs but only 2 args"},
      {"part arg", [](Artifact &a) { a.mutable_cpu_parts(0)->set_args(0, 5); },
       "m.npu: CPU part 0 ('p0') argument 0 refers to GM region 5"},
      {"part writes a constant",
       [](Artifact &a) { a.mutable_cpu_parts(0)->set_args(1, 1); },
       "m.npu: CPU part 0 ('p0') output argument 1 writes constant region 1 "
       "('c')"},
      {"step kernel", [](Artifact &a) { a.mutable_schedule(0)->set_kernel(1); },
       "m.npu: schedule step 0 launches kernel 1, but the artifact has 1 "
       "kernels"},
      {"step part", [](Artifact &a) { a.mutable_schedule(1)->set_cpu_part(2); },
       "m.npu: schedule step 1 calls CPU part 2, but the artifact has 1 CPU "
       "parts"},
      {"empty step", [](Artifact &a) { a.add_schedule(); },
       "m.npu: schedule step 2 names neither a kernel nor a CPU part"},
  };
  for (const Case &c : cases) {
    Artifact a = valid();
    c.mutate(a);
    std::string err = verifyError(a);
    EXPECT_EQ(err.rfind(c.error, 0), 0u)
        << c.what << ": got '" << err << "', expected '" << c.error << "'";
  }
}

} // namespace
