//===- Artifact.cpp - read, write and verify `.npu` artifacts -------------===//
#include "npu/Artifact/Artifact.h"
#include "npu/Runtime/Tensor.h"
#include "npu/Target/ISA/Program.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace llvm;
using namespace npu;
using namespace npu::artifact;

static Error fail(const Twine &msg) {
  return createStringError(inconvertibleErrorCode(), msg);
}

bool npu::isArtifact(StringRef bytes) {
  return bytes.starts_with(kArtifactPrefix);
}

namespace {
/// Checks one artifact; every message starts with "NAME: ".
struct Verifier {
  const Artifact &a;
  StringRef name;

  Error error(const Twine &what) { return fail(name + ": " + what); }

  Error region(uint32_t idx, const Twine &user) {
    if (idx >= uint32_t(a.gm().size()))
      return error(user + " refers to GM region " + Twine(idx) +
                   ", but the artifact has " + Twine(a.gm().size()) +
                   " regions");
    return Error::success();
  }

  /// Constants are loaded once per load: no step may write them.
  Error written(uint32_t idx, const Twine &user) {
    if (Error e = region(idx, user))
      return e;
    const GMRegion &r = a.gm(idx);
    if (r.kind() == GMRegion::CONST)
      return error(user + " writes constant region " + Twine(idx) + " ('" +
                   r.name() + "')");
    return Error::success();
  }

  Error regions() {
    if (a.gm_bytes() > kArtifactMaxGM)
      return error("GM size " + Twine(a.gm_bytes()) + " exceeds the limit of " +
                   Twine(kArtifactMaxGM) + " bytes");
    for (int i = 0; i < a.gm().size(); ++i) {
      const GMRegion &r = a.gm(i);
      std::string who =
          ("GM region " + Twine(i) + " ('" + r.name() + "')").str();
      if (r.offset() < kArtifactRegionAlign ||
          r.offset() % kArtifactRegionAlign != 0)
        return error(who + " starts at " + Twine(r.offset()) +
                     "; regions must start at a nonzero multiple of " +
                     Twine(kArtifactRegionAlign));
      if (r.size() > a.gm_bytes() || r.offset() > a.gm_bytes() - r.size())
        return error(who + " [" + Twine(r.offset()) + ", " +
                     Twine(r.offset() + r.size()) +
                     ") lies outside the GM size (gm_bytes) " +
                     Twine(a.gm_bytes()));
      if (!GMRegion::Kind_IsValid(r.kind()))
        return error(who + " has unknown kind " + Twine(int(r.kind())));
    }
    // Constants are loaded once per load, so nothing may overwrite them.
    for (int i = 0; i < a.gm().size(); ++i) {
      const GMRegion &c = a.gm(i);
      if (c.kind() != GMRegion::CONST || c.size() == 0)
        continue;
      for (int j = 0; j < a.gm().size(); ++j) {
        const GMRegion &o = a.gm(j);
        if (j == i || o.kind() == GMRegion::CONST || o.size() == 0)
          continue;
        if (c.offset() < o.offset() + o.size() &&
            o.offset() < c.offset() + c.size())
          return error("constant region " + Twine(i) + " ('" + c.name() +
                       "') overlaps region " + Twine(j) + " ('" + o.name() +
                       "')");
      }
    }
    return Error::success();
  }

  Error tensors(const google::protobuf::RepeatedPtrField<Tensor> &ts,
                StringRef what, GMRegion::Kind kind) {
    for (int i = 0; i < ts.size(); ++i) {
      const Tensor &t = ts[i];
      std::string who = (what + " " + Twine(i) + " ('" + t.name() + "')").str();
      std::optional<rt::DType> dt = rt::parseDType(t.dtype());
      if (!dt)
        return error(who + " has unknown dtype '" + t.dtype() + "'");
      uint64_t bytes = rt::dtypeSize(*dt);
      for (int64_t d : t.shape()) {
        if (d < 0 || (d > 0 && bytes > kArtifactMaxGM / uint64_t(d)))
          return error(who + " has an invalid shape");
        bytes *= uint64_t(d);
      }
      if (Error e = region(t.gm_region(), who))
        return e;
      const GMRegion &r = a.gm(t.gm_region());
      if (r.kind() != kind)
        return error(who + " is in region " + Twine(t.gm_region()) + " ('" +
                     r.name() + "') of kind " + GMRegion::Kind_Name(r.kind()) +
                     ", expected " + GMRegion::Kind_Name(kind));
      if (r.size() < bytes)
        return error(who + " needs " + Twine(bytes) + " bytes but region " +
                     Twine(t.gm_region()) + " ('" + r.name() + "') has " +
                     Twine(r.size()));
    }
    return Error::success();
  }

  Error constants() {
    for (int i = 0; i < a.constants().size(); ++i) {
      const Constant &c = a.constants(i);
      std::string who = ("constant " + Twine(i)).str();
      if (Error e = region(c.gm_region(), who))
        return e;
      const GMRegion &r = a.gm(c.gm_region());
      if (r.kind() != GMRegion::CONST)
        return error(who + " targets region " + Twine(c.gm_region()) + " ('" +
                     r.name() + "') of kind " + GMRegion::Kind_Name(r.kind()) +
                     ", expected CONST");
      if (c.data().size() > r.size())
        return error(who + " has " + Twine(c.data().size()) +
                     " bytes but region " + Twine(c.gm_region()) + " ('" +
                     r.name() + "') has " + Twine(r.size()));
    }
    return Error::success();
  }

  Error kernels() {
    if (!a.kernels().empty() && a.isa_binary_version() != isa::kBinaryVersion)
      return error("ISA binary version " + Twine(a.isa_binary_version()) +
                   " is not supported; this npu-run reads NPUBIN01 version " +
                   Twine(isa::kBinaryVersion) + "; recompile");
    for (int i = 0; i < a.kernels().size(); ++i) {
      const Kernel &k = a.kernels(i);
      std::string who = ("kernel " + Twine(i) + " ('" + k.name() + "')").str();
      ArrayRef<uint8_t> bin(
          reinterpret_cast<const uint8_t *>(k.binary().data()),
          k.binary().size());
      if (!isa::isBinary(bin) || bin.size() < 12)
        return error(who + " has no NPUBIN01 binary");
      uint32_t version = uint32_t(bin[8]) | uint32_t(bin[9]) << 8 |
                         uint32_t(bin[10]) << 16 | uint32_t(bin[11]) << 24;
      if (version != isa::kBinaryVersion)
        return error(who + " has NPUBIN01 version " + Twine(version) +
                     "; this npu-run reads version " +
                     Twine(isa::kBinaryVersion) + "; recompile");
      if (k.cores() == 0)
        return error(who + " runs on 0 cores");
      for (uint32_t r : k.reads())
        if (Error e = region(r, who))
          return e;
      for (uint32_t r : k.writes())
        if (Error e = written(r, who))
          return e;
    }
    return Error::success();
  }

  Error cpuParts() {
    if (!a.cpu_parts().empty() && !StringRef(a.cpu_library())
                                       .starts_with("\x7f"
                                                    "ELF"))
      return error("the artifact has CPU parts but its cpu_library is not an "
                   "ELF shared library");
    for (int i = 0; i < a.cpu_parts().size(); ++i) {
      const CPUPart &p = a.cpu_parts(i);
      std::string who =
          ("CPU part " + Twine(i) + " ('" + p.name() + "')").str();
      if (p.symbol().empty())
        return error(who + " has no symbol");
      if (p.num_inputs() > uint32_t(p.args().size()))
        return error(who + " has " + Twine(p.num_inputs()) +
                     " inputs but only " + Twine(p.args().size()) + " args");
      for (int j = 0; j < p.args().size(); ++j)
        if (Error e =
                uint32_t(j) < p.num_inputs()
                    ? region(p.args(j), who + " argument " + Twine(j))
                    : written(p.args(j), who + " output argument " + Twine(j)))
          return e;
    }
    return Error::success();
  }

  Error schedule() {
    for (int i = 0; i < a.schedule().size(); ++i) {
      const Step &s = a.schedule(i);
      std::string who = ("schedule step " + Twine(i)).str();
      switch (s.what_case()) {
      case Step::kKernel:
        if (s.kernel() >= uint32_t(a.kernels().size()))
          return error(who + " launches kernel " + Twine(s.kernel()) +
                       ", but the artifact has " + Twine(a.kernels().size()) +
                       " kernels");
        break;
      case Step::kCpuPart:
        if (s.cpu_part() >= uint32_t(a.cpu_parts().size()))
          return error(who + " calls CPU part " + Twine(s.cpu_part()) +
                       ", but the artifact has " + Twine(a.cpu_parts().size()) +
                       " CPU parts");
        break;
      case Step::WHAT_NOT_SET:
        return error(who + " names neither a kernel nor a CPU part");
      }
    }
    return Error::success();
  }

  Error run() {
    if (a.magic() != kArtifactMagic)
      return fail(name + " is not an npu artifact");
    if (a.format_version() != kArtifactFormatVersion)
      return error("artifact format version " + Twine(a.format_version()) +
                   " (written by " +
                   (a.producer().empty() ? "an unknown producer"
                                         : "'" + a.producer() + "'") +
                   ") is not supported; this npu-run reads version " +
                   Twine(kArtifactFormatVersion) + "; recompile");
    if (Error e = regions())
      return e;
    if (Error e = tensors(a.inputs(), "input", GMRegion::INPUT))
      return e;
    if (Error e = tensors(a.outputs(), "output", GMRegion::OUTPUT))
      return e;
    if (Error e = constants())
      return e;
    if (Error e = kernels())
      return e;
    if (Error e = cpuParts())
      return e;
    return schedule();
  }
};
} // namespace

Error npu::verifyArtifact(const Artifact &a, StringRef name) {
  return Verifier{a, name}.run();
}

Expected<Artifact> npu::readArtifactBytes(StringRef bytes, StringRef name) {
  if (!isArtifact(bytes))
    return fail(name + " is not an npu artifact");
  if (bytes.size() > uint64_t(INT32_MAX))
    return fail(name + ": " + Twine(bytes.size()) +
                " bytes is too large for an npu artifact");
  Artifact a;
  if (!a.ParseFromArray(bytes.data(), int(bytes.size())))
    return fail(name + ": malformed npu artifact (protobuf parse failed)");
  if (Error e = verifyArtifact(a, name))
    return std::move(e);
  return a;
}

Expected<Artifact> npu::readArtifact(StringRef path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> buf =
      MemoryBuffer::getFileOrSTDIN(path, /*IsText=*/false,
                                   /*RequiresNullTerminator=*/false);
  if (!buf)
    return fail("cannot read " + path + ": " + buf.getError().message());
  return readArtifactBytes((*buf)->getBuffer(), path);
}

Error npu::writeArtifact(const Artifact &a, StringRef path) {
  if (a.magic() != kArtifactMagic)
    return fail("cannot write " + path + ": the artifact's magic is not '" +
                kArtifactMagic + "'");
  size_t size = a.ByteSizeLong();
  if (size > kArtifactMaxBytes)
    return fail("cannot write " + path + ": the artifact would be " +
                Twine(size) + " bytes; the limit is " +
                Twine(kArtifactMaxBytes) + " (protobuf's 2 GiB message cap)");
  std::string bytes;
  if (!a.SerializeToString(&bytes))
    return fail("cannot write " + path + ": protobuf serialization failed");
  std::error_code ec;
  raw_fd_ostream os(path, ec);
  if (ec)
    return fail("cannot write " + path + ": " + ec.message());
  os << bytes;
  os.close();
  if (os.has_error())
    return fail("cannot write " + path + ": " + os.error().message());
  return Error::success();
}
