//===- Encoding.cpp - 128-bit instruction words and the binary container --===//
#include "npu/Target/ISA/Program.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/ADT/StringExtras.h"
#include <cmath>
#include <cstring>
#include <set>

using namespace llvm;

namespace npu::isa {

namespace {
/// A 128-bit little-endian word, filled LSB-first.
struct Word {
  uint64_t w[2] = {0, 0};
  void put(unsigned bit, unsigned bits, uint64_t v) {
    for (unsigned i = 0; i < bits; ++i, ++bit)
      if ((v >> i) & 1)
        w[bit / 64] |= uint64_t(1) << (bit % 64);
  }
  /// True if any bit at or above `from` is set.
  bool anyFrom(unsigned from) const {
    for (unsigned b = from; b < 128; ++b)
      if ((w[b / 64] >> (b % 64)) & 1)
        return true;
    return false;
  }
  uint64_t get(unsigned bit, unsigned bits) const { // bits <= 64
    uint64_t v = 0;
    for (unsigned i = 0; i < bits; ++i, ++bit)
      v |= ((w[bit / 64] >> (bit % 64)) & 1) << i;
    return v;
  }
};
} // namespace

void encodeInstruction(const Instruction &inst, uint8_t out[kInstBytes]) {
  Word word;
  word.put(0, 8, uint64_t(inst.op));
  unsigned bit = 8;
  const OperandSpec *ops = formatOperands(inst.info().format);
  for (unsigned i = 0; ops[i].kind != OperandKind::End; ++i) {
    word.put(bit, ops[i].bits, inst.f[i]);
    bit += ops[i].bits;
  }
  support::endian::write64le(out, word.w[0]);
  support::endian::write64le(out + 8, word.w[1]);
}

Expected<Instruction> decodeInstruction(const uint8_t in[kInstBytes]) {
  Word word;
  word.w[0] = support::endian::read64le(in);
  word.w[1] = support::endian::read64le(in + 8);
  unsigned opc = unsigned(word.get(0, 8));
  if (opc >= kNumOpcodes)
    return createStringError(inconvertibleErrorCode(),
                             "unknown opcode " + Twine(opc));
  Instruction inst;
  inst.op = Opcode(opc);
  unsigned bit = 8;
  const OperandSpec *ops = formatOperands(inst.info().format);
  for (unsigned i = 0; ops[i].kind != OperandKind::End; ++i) {
    inst.f[i] = word.get(bit, ops[i].bits);
    bit += ops[i].bits;
  }
  // Unused bits are reserved and must be zero, so every valid word has
  // exactly one decoding and re-encodes to itself.
  if (word.anyFrom(bit))
    return createStringError(inconvertibleErrorCode(),
                             Twine("reserved bits set in '") +
                                 inst.info().mnemonic + "' word");
  if (Error e = verifyInstruction(inst))
    return std::move(e);
  return inst;
}

//===--- Container ---------------------------------------------------------===//

static const char kMagic[8] = {'N', 'P', 'U', 'B', 'I', 'N', '0', '1'};
constexpr uint64_t kMaxGM = uint64_t(1) << 40;

namespace {
struct Writer {
  std::vector<uint8_t> &out;
  void u8(uint8_t v) { out.push_back(v); }
  void u16(uint16_t v) { u8(v & 0xff), u8(v >> 8); }
  void u32(uint32_t v) { u16(v & 0xffff), u16(v >> 16); }
  void u64(uint64_t v) { u32(uint32_t(v)), u32(uint32_t(v >> 32)); }
  void str(StringRef s) {
    u16(uint16_t(s.size()));
    out.insert(out.end(), s.begin(), s.end());
  }
};

struct Reader {
  ArrayRef<uint8_t> b;
  size_t pos = 0;
  std::string err;
  bool need(size_t n, const char *what) {
    if (!err.empty())
      return false;
    if (b.size() - pos < n) {
      err = std::string("truncated binary: ") + what + " at offset " +
            std::to_string(pos);
      return false;
    }
    return true;
  }
  uint64_t le(unsigned n, const char *what) {
    if (!need(n, what))
      return 0;
    uint64_t v = 0;
    for (unsigned i = 0; i < n; ++i)
      v |= uint64_t(b[pos + i]) << (8 * i);
    pos += n;
    return v;
  }
  std::string str(const char *what) {
    uint64_t n = le(2, what);
    if (!need(n, what))
      return {};
    std::string s(reinterpret_cast<const char *>(b.data() + pos), n);
    pos += n;
    return s;
  }
};
} // namespace

bool isBinary(ArrayRef<uint8_t> bytes) {
  return bytes.size() >= 8 && std::memcmp(bytes.data(), kMagic, 8) == 0;
}

std::vector<uint8_t> writeBinary(const Program &prog) {
  std::vector<uint8_t> out(kMagic, kMagic + 8);
  Writer w{out};
  w.u32(kBinaryVersion);
  w.u32(prog.cores);
  w.u32(uint32_t(prog.buffers.size()));
  w.u32(uint32_t(prog.outputs.size()));
  w.u32(uint32_t(prog.code.size()));
  w.u32(0);
  for (const GMBuffer &b : prog.buffers) {
    w.str(b.name);
    w.u64(b.addr);
    w.u64(b.size);
    w.u8(uint8_t(b.init));
    w.u8(uint8_t(b.dtype));
    uint64_t bits;
    std::memcpy(&bits, &b.value, 8);
    w.u64(bits);
    w.str(b.path);
  }
  for (const OutputSpec &o : prog.outputs) {
    w.str(o.buffer);
    w.str(o.path);
    w.u8(uint8_t(o.dtype));
    w.u8(uint8_t(o.shape.size()));
    for (uint64_t d : o.shape)
      w.u64(d);
  }
  for (const Instruction &inst : prog.code) {
    uint8_t word[kInstBytes];
    encodeInstruction(inst, word);
    out.insert(out.end(), word, word + kInstBytes);
  }
  return out;
}

static Error binError(const Twine &msg) {
  return createStringError(inconvertibleErrorCode(), msg);
}

/// Checks shared by the binary reader and the assembler.
Error verifyProgram(const Program &prog);

Expected<Program> readBinary(ArrayRef<uint8_t> bytes) {
  if (!isBinary(bytes))
    return binError("not an NPU binary (bad magic)");
  Reader r{bytes, 8, {}};
  Program prog;
  uint64_t version = r.le(4, "header");
  prog.cores = unsigned(r.le(4, "header"));
  uint64_t nbuf = r.le(4, "header"), nout = r.le(4, "header"),
           ninst = r.le(4, "header"), reserved = r.le(4, "header");
  if (!r.err.empty())
    return binError(r.err);
  if (version != kBinaryVersion)
    return binError("unsupported binary version " + Twine(version));
  if (reserved != 0)
    return binError("reserved header field is not zero");
  // Every table entry takes at least a few bytes; reject counts the file
  // cannot possibly hold before allocating anything.
  size_t left = bytes.size() - r.pos;
  if (nbuf > left / 24 || nout > left / 6 || ninst > left / kInstBytes)
    return binError("truncated binary: table counts exceed file size");
  for (uint64_t i = 0; i < nbuf; ++i) {
    GMBuffer b;
    b.name = r.str("buffer name");
    b.addr = r.le(8, "buffer");
    b.size = r.le(8, "buffer");
    uint64_t init = r.le(1, "buffer"), dt = r.le(1, "buffer");
    uint64_t bits = r.le(8, "buffer");
    std::memcpy(&b.value, &bits, 8);
    b.path = r.str("buffer path");
    if (!r.err.empty())
      return binError(r.err);
    if (init >= kNumGMInits)
      return binError("buffer '" + b.name + "': bad init kind " + Twine(init));
    if (dt >= kNumDTypes)
      return binError("buffer '" + b.name + "': bad element type " + Twine(dt));
    b.init = GMInit(init);
    b.dtype = DType(dt);
    prog.buffers.push_back(std::move(b));
  }
  for (uint64_t i = 0; i < nout; ++i) {
    OutputSpec o;
    o.buffer = r.str("output name");
    o.path = r.str("output path");
    uint64_t dt = r.le(1, "output"), nd = r.le(1, "output");
    if (!r.err.empty())
      return binError(r.err);
    if (dt >= kNumDTypes)
      return binError("output '" + o.buffer + "': bad element type " +
                      Twine(dt));
    for (uint64_t d = 0; d < nd; ++d)
      o.shape.push_back(r.le(8, "output shape"));
    if (!r.err.empty())
      return binError(r.err);
    o.dtype = DType(dt);
    prog.outputs.push_back(std::move(o));
  }
  if (bytes.size() - r.pos != ninst * kInstBytes)
    return binError("code section is " + Twine(bytes.size() - r.pos) +
                    " bytes, expected " + Twine(ninst * kInstBytes));
  for (uint64_t i = 0; i < ninst; ++i) {
    Expected<Instruction> inst =
        decodeInstruction(bytes.data() + r.pos + i * kInstBytes);
    if (!inst)
      return binError("instruction " + Twine(i) + ": " +
                      toString(inst.takeError()));
    prog.code.push_back(*inst);
  }
  if (Error e = verifyProgram(prog))
    return std::move(e);
  return prog;
}

static bool isIdentifier(StringRef s) {
  if (s.empty() || !(isAlpha(s[0]) || s[0] == '_' || s[0] == '$'))
    return false;
  for (char c : s)
    if (!(isAlnum(c) || c == '_' || c == '$' || c == '.'))
      return false;
  return true;
}

static bool isPrintable(StringRef s) {
  for (char c : s)
    if (uint8_t(c) < 0x20 || c == 0x7f)
      return false;
  return true;
}

Error verifyProgram(const Program &prog) {
  if (prog.cores < 1 || prog.cores > 4096)
    return binError("core count must be in 1..4096, got " + Twine(prog.cores));
  if (prog.code.empty())
    return binError("program has no instructions");
  std::set<std::string> names;
  uint64_t prevEnd = kGMBase;
  for (const GMBuffer &b : prog.buffers) {
    if (!isIdentifier(b.name) || !names.insert(b.name).second)
      return binError("GM buffer name '" + b.name +
                      "' is not an identifier or is duplicated");
    if (b.size == 0 || b.size > kMaxGM || b.addr % kGMAlign ||
        b.addr < prevEnd || b.addr > kMaxGM)
      return binError("GM buffer '" + b.name + "' has a bad address/size");
    prevEnd = b.addr + b.size;
    if (b.init == GMInit::File && (b.path.empty() || !isPrintable(b.path)))
      return binError("GM buffer '" + b.name + "' has a bad file path");
    // Fields an init kind does not use must hold their defaults, so that
    // every valid program has exactly one textual form.
    bool typed = b.init == GMInit::Random || b.init == GMInit::Const ||
                 b.init == GMInit::Iota;
    bool valued = b.init == GMInit::Random || b.init == GMInit::Const;
    if ((!typed && b.dtype != DType::F16) || (!valued && b.value != 0) ||
        (b.init != GMInit::File && !b.path.empty()) ||
        (b.init != GMInit::Const && std::signbit(b.value)))
      return binError("GM buffer '" + b.name + "' has stray init fields");
    if (b.init == GMInit::Random &&
        (b.value != std::floor(b.value) || b.value > 9007199254740992.0))
      return binError("GM buffer '" + b.name + "' has a bad random seed");
    if (b.init == GMInit::Const && !std::isfinite(b.value))
      return binError("GM buffer '" + b.name + "' has a non-finite constant");
  }
  for (const OutputSpec &o : prog.outputs) {
    const GMBuffer *b = prog.findBuffer(o.buffer);
    if (!b)
      return binError("output names unknown GM buffer '" + o.buffer + "'");
    if (o.path.empty() || !isPrintable(o.path))
      return binError("output '" + o.buffer + "' has a bad path");
    uint64_t n = dtypeSize(o.dtype);
    for (uint64_t d : o.shape) {
      if (d == 0 || d > b->size || n * d > b->size)
        return binError("output '" + o.buffer + "' shape exceeds the buffer");
      n *= d;
    }
  }
  for (size_t i = 0; i < prog.code.size(); ++i) {
    const Instruction &inst = prog.code[i];
    Format f = inst.info().format;
    if (f == Format::Branch || f == Format::Jump) {
      unsigned idx = f == Format::Branch ? fmt::Branch::target
                                         : unsigned(fmt::Jump::target);
      if (inst.f[idx] >= prog.code.size())
        return binError("instruction " + Twine(i) + ": branch target " +
                        Twine(inst.f[idx]) + " outside the program");
    }
  }
  return Error::success();
}

Expected<Program> loadProgram(StringRef path, const AsmOptions &opts) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> buf =
      MemoryBuffer::getFileOrSTDIN(path, /*IsText=*/false);
  if (!buf)
    return createStringError(buf.getError(),
                             "cannot read '" + path + "': " +
                                 buf.getError().message());
  StringRef data = (*buf)->getBuffer();
  ArrayRef<uint8_t> bytes(reinterpret_cast<const uint8_t *>(data.data()),
                          data.size());
  if (isBinary(bytes)) {
    Expected<Program> p = readBinary(bytes);
    if (!p)
      return createStringError(inconvertibleErrorCode(),
                               path + ": " + toString(p.takeError()));
    return p;
  }
  return parseAssembly(data, path, opts);
}

} // namespace npu::isa
