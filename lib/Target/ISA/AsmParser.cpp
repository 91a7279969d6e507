//===- AsmParser.cpp - Assembly text to Program (directives + code) -------===//
#include "npu/Target/ISA/Program.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"
#include <cmath>
#include <cstring>
#include <map>

using namespace llvm;

namespace npu::isa {

Error verifyProgram(const Program &prog);
const char *cmpModeName(unsigned v);
const char *roundModeName(unsigned v);
const char *initName(unsigned v);

namespace {

bool isIdentStart(char c) { return isAlpha(c) || c == '_' || c == '$'; }
bool isIdentChar(char c) { return isAlnum(c) || c == '_' || c == '$' || c == '.'; }

/// Split on commas that are not inside brackets, parentheses or quotes.
SmallVector<StringRef, 12> splitOperands(StringRef s) {
  SmallVector<StringRef, 12> out;
  int depth = 0;
  bool quoted = false;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '"')
      quoted = !quoted;
    else if (!quoted && (c == '[' || c == '('))
      ++depth;
    else if (!quoted && (c == ']' || c == ')'))
      --depth;
    else if (!quoted && depth == 0 && c == ',') {
      out.push_back(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (!s.trim().empty())
    out.push_back(s.substr(start).trim());
  return out;
}

class Parser {
public:
  Parser(StringRef bufName, const AsmOptions &opts)
      : bufName(bufName), opts(opts) {
    for (auto &kv : opts.defines)
      equs[kv.first] = kv.second;
  }
  Expected<Program> run(StringRef text);

private:
  StringRef bufName;
  const AsmOptions &opts;
  std::map<std::string, int64_t> equs;
  std::map<std::string, uint64_t> labels;
  Program prog;
  unsigned lineNo = 0;
  StringRef lineText;
  uint64_t nextGM = kGMBase;
  unsigned depth = 0; // Expression recursion depth.

  struct Fixup {
    size_t inst;
    unsigned operand;
    std::string label;
    unsigned line;
    StringRef lineText, at;
  };
  std::vector<Fixup> fixups;
  struct PendingInst {
    unsigned line;
    StringRef lineText, mnemonic, operands;
  };

  Error error(StringRef at, const Twine &msg) {
    size_t col = 1;
    if (at.data() >= lineText.data() &&
        at.data() <= lineText.data() + lineText.size())
      col = at.data() - lineText.data() + 1;
    return createStringError(inconvertibleErrorCode(),
                             bufName + ":" + Twine(lineNo) + ":" + Twine(col) +
                                 ": error: " + msg);
  }

  // Expressions.
  Expected<int64_t> expr(StringRef &s, int prec = 0);
  Expected<int64_t> primary(StringRef &s);
  Expected<int64_t> fullExpr(StringRef s) {
    StringRef rest = s.trim();
    if (rest.empty())
      return error(s, "expected an expression");
    Expected<int64_t> v = expr(rest);
    if (!v)
      return v;
    rest = rest.ltrim();
    if (!rest.empty())
      return error(rest, "unexpected '" + rest + "' in expression");
    return v;
  }

  Error directive(StringRef text);
  Error instruction(const PendingInst &pi);
  Error operand(Instruction &inst, unsigned idx, const OperandSpec &spec,
                StringRef tok, size_t instIndex);
  Expected<std::string> quoted(StringRef s) {
    s = s.trim();
    if (s.size() < 2 || s.front() != '"' || s.back() != '"')
      return error(s, "expected a quoted string");
    std::string out;
    for (size_t i = 1; i + 1 < s.size(); ++i) {
      if (s[i] == '\\' && i + 2 < s.size())
        ++i;
      out += s[i];
    }
    return out;
  }
};

Expected<int64_t> Parser::primary(StringRef &s) {
  // Unary operators and parentheses recurse; bound the depth so hostile
  // input cannot overflow the stack.
  struct Depth {
    unsigned &d;
    Depth(unsigned &d) : d(++d) {}
    ~Depth() { --d; }
  } guard(depth);
  if (depth > 200)
    return error(s, "expression nested too deeply");
  s = s.ltrim();
  if (s.empty())
    return error(s, "expected an expression");
  StringRef start = s;
  if (s.consume_front("(")) {
    Expected<int64_t> v = expr(s);
    if (!v)
      return v;
    s = s.ltrim();
    if (!s.consume_front(")"))
      return error(s, "expected ')'");
    return v;
  }
  if (s.consume_front("-")) {
    Expected<int64_t> v = primary(s);
    if (!v)
      return v;
    return int64_t(0 - uint64_t(*v));
  }
  if (s.consume_front("~")) {
    Expected<int64_t> v = primary(s);
    if (!v)
      return v;
    return ~*v;
  }
  if (s.starts_with("f32(")) {
    size_t close = s.find(')');
    if (close == StringRef::npos)
      return error(s, "expected ')'");
    std::string lit = s.slice(4, close).trim().str();
    char *end = nullptr;
    float f = strtof(lit.c_str(), &end);
    if (lit.empty() || *end)
      return error(s, "bad float literal '" + lit + "'");
    uint32_t bits;
    std::memcpy(&bits, &f, 4);
    s = s.drop_front(close + 1);
    return int64_t(bits);
  }
  if (isDigit(s.front())) {
    size_t n = 0;
    while (n < s.size() && isAlnum(s[n]))
      ++n;
    StringRef num = s.take_front(n);
    unsigned long long v;
    if (getAsUnsignedInteger(num, 0, v))
      return error(start, "bad number '" + num + "'");
    s = s.drop_front(n);
    return int64_t(v);
  }
  if (isIdentStart(s.front())) {
    size_t n = 0;
    while (n < s.size() && isIdentChar(s[n]))
      ++n;
    std::string id = s.take_front(n).str();
    s = s.drop_front(n);
    auto it = equs.find(id);
    if (it != equs.end())
      return it->second;
    if (const GMBuffer *b = prog.findBuffer(id))
      return int64_t(b->addr);
    return error(start, "unknown symbol '" + id + "'");
  }
  return error(start, "unexpected '" + s.take_front(1) + "' in expression");
}

Expected<int64_t> Parser::expr(StringRef &s, int prec) {
  Expected<int64_t> lhs = primary(s);
  if (!lhs)
    return lhs;
  int64_t v = *lhs;
  while (true) {
    s = s.ltrim();
    struct Op {
      const char *tok;
      int prec;
    };
    static const Op ops[] = {{"<<", 3}, {">>", 3}, {"|", 1}, {"&", 2},
                             {"+", 4},  {"-", 4},  {"*", 5}, {"/", 5},
                             {"%", 5}};
    const Op *found = nullptr;
    for (const Op &op : ops)
      if (s.starts_with(op.tok)) {
        found = &op;
        break;
      }
    if (!found || found->prec <= prec)
      return v;
    StringRef at = s;
    s = s.drop_front(strlen(found->tok));
    Expected<int64_t> rhs = expr(s, found->prec);
    if (!rhs)
      return rhs;
    uint64_t a = uint64_t(v), b = uint64_t(*rhs);
    switch (found->tok[0]) {
    case '<': v = int64_t(a << (b & 63)); break;
    case '>': v = int64_t(a >> (b & 63)); break;
    case '|': v = int64_t(a | b); break;
    case '&': v = int64_t(a & b); break;
    case '+': v = int64_t(a + b); break;
    case '-': v = int64_t(a - b); break;
    case '*': v = int64_t(a * b); break;
    default:
      if (*rhs == 0)
        return error(at, "division by zero");
      if (v == INT64_MIN && *rhs == -1)
        return error(at, "division overflow");
      v = found->tok[0] == '/' ? v / *rhs : v % *rhs;
    }
  }
}

Error Parser::directive(StringRef text) {
  StringRef name = text.take_while([](char c) { return !isSpace(c); });
  SmallVector<StringRef, 12> args = splitOperands(text.drop_front(name.size()));
  auto needArgs = [&](size_t lo, size_t hi) -> Error {
    if (args.size() < lo || args.size() > hi)
      return error(name, "wrong number of operands for '" + name + "'");
    return Error::success();
  };
  if (name == ".equ" || name == ".set") {
    if (Error e = needArgs(2, 2))
      return e;
    Expected<int64_t> v = fullExpr(args[1]);
    if (!v)
      return v.takeError();
    std::string id = args[0].str();
    if (id.empty() || !isIdentStart(id[0]))
      return error(args[0], "bad symbol name");
    if (!opts.defines.count(id))
      equs[id] = *v;
    return Error::success();
  }
  if (name == ".cores") {
    if (Error e = needArgs(1, 1))
      return e;
    Expected<int64_t> v = fullExpr(args[0]);
    if (!v)
      return v.takeError();
    if (*v < 1 || *v > 4096)
      return error(args[0], "core count must be in 1..4096");
    prog.cores = unsigned(*v);
    return Error::success();
  }
  if (name == ".gm") {
    if (Error e = needArgs(2, 3))
      return e;
    GMBuffer b;
    b.name = args[0].str();
    if (b.name.empty() || !isIdentStart(b.name[0]))
      return error(args[0], "bad buffer name");
    if (prog.findBuffer(b.name) || equs.count(b.name))
      return error(args[0], "symbol '" + b.name + "' already defined");
    StringRef last = args.back();
    // Optional explicit placement: a trailing "@ADDR".
    std::optional<uint64_t> at;
    size_t atPos = last.rfind('@');
    if (atPos != StringRef::npos && last.find('"', atPos) == StringRef::npos) {
      Expected<int64_t> a = fullExpr(last.substr(atPos + 1));
      if (!a)
        return a.takeError();
      at = uint64_t(*a);
      args.back() = last.take_front(atPos).trim();
    }
    Expected<int64_t> size = fullExpr(args[1]);
    if (!size)
      return size.takeError();
    if (*size <= 0 || uint64_t(*size) > (uint64_t(1) << 40))
      return error(args[1], "GM buffer size must be in 1..2^40");
    b.size = uint64_t(*size);
    if (args.size() == 3) {
      SmallVector<StringRef, 4> words;
      args[2].split(words, ' ', -1, false);
      StringRef kind = words.empty() ? StringRef() : words[0];
      auto typeWord = [&](size_t i) -> Error {
        std::optional<DType> t =
            i < words.size() ? parseDType(words[i]) : std::nullopt;
        if (!t)
          return error(args[2], "expected an element type after '" + kind +
                                    "'");
        b.dtype = *t;
        return Error::success();
      };
      if (kind == "zero" && words.size() == 1) {
        b.init = GMInit::Zero;
      } else if (kind == "random" && words.size() == 3) {
        b.init = GMInit::Random;
        if (Error e = typeWord(1))
          return e;
        Expected<int64_t> seed = fullExpr(words[2]);
        if (!seed)
          return seed.takeError();
        if (*seed < 0 || *seed > (int64_t(1) << 53))
          return error(words[2], "seed must be in 0..2^53");
        b.value = double(*seed);
      } else if (kind == "const" && words.size() == 3) {
        b.init = GMInit::Const;
        if (Error e = typeWord(1))
          return e;
        std::string lit = words[2].str();
        char *end = nullptr;
        b.value = strtod(lit.c_str(), &end);
        if (*end || !std::isfinite(b.value))
          return error(words[2], "bad constant '" + lit + "'");
      } else if (kind == "iota" && words.size() == 2) {
        b.init = GMInit::Iota;
        if (Error e = typeWord(1))
          return e;
      } else if (kind == "file") {
        Expected<std::string> path =
            quoted(args[2].drop_front(4));
        if (!path)
          return path.takeError();
        b.init = GMInit::File;
        b.path = *path;
      } else {
        return error(args[2], "expected zero, random TYPE SEED, const TYPE "
                              "VALUE, iota TYPE or file \"PATH\"");
      }
    }
    if (at) {
      if (*at % kGMAlign || *at < nextGM)
        return error(last, "explicit GM address must be 4 KiB aligned and "
                           "after the previous buffer");
      nextGM = *at;
    }
    b.addr = nextGM;
    nextGM = alignTo(b.addr + b.size, kGMAlign);
    prog.buffers.push_back(std::move(b));
    return Error::success();
  }
  if (name == ".output") {
    if (args.size() < 3)
      return error(name, "expected .output BUFFER, \"PATH\", TYPE[, dims...]");
    OutputSpec o;
    o.buffer = args[0].str();
    if (!prog.findBuffer(o.buffer))
      return error(args[0], "unknown GM buffer '" + o.buffer + "'");
    Expected<std::string> path = quoted(args[1]);
    if (!path)
      return path.takeError();
    o.path = *path;
    std::optional<DType> t = parseDType(args[2]);
    if (!t)
      return error(args[2], "unknown element type '" + args[2] + "'");
    o.dtype = *t;
    for (size_t i = 3; i < args.size(); ++i) {
      Expected<int64_t> d = fullExpr(args[i]);
      if (!d)
        return d.takeError();
      if (*d <= 0)
        return error(args[i], "dimensions must be positive");
      o.shape.push_back(uint64_t(*d));
    }
    if (o.shape.size() > 8)
      return error(args[3], "at most 8 dimensions");
    prog.outputs.push_back(std::move(o));
    return Error::success();
  }
  return error(name, "unknown directive '" + name + "'");
}

Error Parser::operand(Instruction &inst, unsigned idx, const OperandSpec &spec,
                      StringRef tok, size_t instIndex) {
  auto parseReg = [&](StringRef r) -> std::optional<unsigned> {
    unsigned n;
    if (r.size() < 2 || r[0] != 'x' || r.drop_front().getAsInteger(10, n) ||
        n >= 32)
      return std::nullopt;
    return n;
  };
  switch (spec.kind) {
  case OperandKind::Reg: {
    std::optional<unsigned> r = parseReg(tok);
    if (!r)
      return error(tok, "expected a register x0..x31, got '" + tok + "'");
    inst.f[idx] = *r;
    return Error::success();
  }
  case OperandKind::Imm:
  case OperandKind::Event:
  case OperandKind::SImm: {
    Expected<int64_t> v = fullExpr(tok);
    if (!v)
      return v.takeError();
    unsigned bits = spec.bits;
    if (spec.kind == OperandKind::SImm) {
      if (bits < 64 && (*v < -(int64_t(1) << (bits - 1)) ||
                        *v >= (int64_t(1) << (bits - 1))))
        return error(tok, Twine("value ") + Twine(*v) + " out of range for '" +
                              spec.name + "' (" + Twine(bits) +
                              "-bit signed)");
      inst.f[idx] =
          bits < 64 ? uint64_t(*v) & ((uint64_t(1) << bits) - 1) : uint64_t(*v);
    } else {
      if (*v < 0 || (bits < 64 && uint64_t(*v) >> bits))
        return error(tok, Twine("value ") + Twine(*v) + " out of range for '" +
                              spec.name + "' (0.." +
                              Twine((uint64_t(1) << bits) - 1) + ")");
      inst.f[idx] = uint64_t(*v);
    }
    return Error::success();
  }
  case OperandKind::F32: {
    uint32_t bits;
    if (tok.starts_with("f32:")) {
      unsigned long long v;
      if (getAsUnsignedInteger(tok.drop_front(4), 0, v) || v > 0xffffffffull)
        return error(tok, "bad f32 bit pattern '" + tok + "'");
      bits = uint32_t(v);
    } else {
      std::string lit = tok.str();
      char *end = nullptr;
      float f = strtof(lit.c_str(), &end);
      if (lit.empty() || *end)
        return error(tok, "expected a float, got '" + tok + "'");
      std::memcpy(&bits, &f, 4);
    }
    inst.f[idx] = bits;
    return Error::success();
  }
  case OperandKind::Target: {
    if (tok.empty() || !isIdentStart(tok[0]))
      return error(tok, "expected a label, got '" + tok + "'");
    fixups.push_back({instIndex, idx, tok.str(), lineNo, lineText, tok});
    return Error::success();
  }
  case OperandKind::Pipe: {
    std::optional<Pipe> p = parsePipe(tok);
    if (!p)
      return error(tok, "expected a pipe (MTE1 MTE2 MTE3 M V FIX), got '" +
                            tok + "'");
    inst.f[idx] = uint64_t(*p);
    return Error::success();
  }
  default:
    break;
  }
  // Address: buf[xN], buf[xN+expr], buf[expr].
  size_t open = tok.find('[');
  if (open == StringRef::npos || !tok.ends_with("]"))
    return error(tok, Twine("expected an address ") +
                          bufferName(addressBuffer(spec.kind)) + "[...], got '" +
                          tok + "'");
  StringRef buf = tok.take_front(open).trim();
  if (buf != bufferName(addressBuffer(spec.kind)))
    return error(tok, Twine("operand '") + spec.name + "' must be in " +
                          bufferName(addressBuffer(spec.kind)) + ", not '" +
                          buf + "'");
  StringRef inner = tok.slice(open + 1, tok.size() - 1).trim();
  unsigned reg = 0;
  StringRef regTok = inner.take_while([](char c) { return isAlnum(c); });
  if (std::optional<unsigned> r = parseReg(regTok)) {
    reg = *r;
    inner = inner.drop_front(regTok.size()).ltrim();
    if (!inner.empty() && !inner.consume_front("+"))
      return error(inner, "expected '+' after the base register");
    if (inner.trim().empty() && tok.rtrim("]").rtrim().ends_with("+"))
      return error(inner, "expected an offset after '+'");
  }
  int64_t off = 0;
  if (!inner.trim().empty()) {
    Expected<int64_t> v = fullExpr(inner);
    if (!v)
      return v.takeError();
    off = *v;
  }
  if (off < 0 || off % kAddrUnit || uint64_t(off) / kAddrUnit >= (1u << 15))
    return error(tok, "address offset " + Twine(off) +
                          " must be a multiple of 32 below 1 MiB");
  inst.f[idx] = makeAddr(reg, uint64_t(off));
  return Error::success();
}

Error Parser::instruction(const PendingInst &pi) {
  lineNo = pi.line;
  lineText = pi.lineText;
  SmallVector<StringRef, 4> parts;
  pi.mnemonic.split(parts, '.');
  StringRef base = parts[0];
  SmallVector<StringRef, 12> toks = splitOperands(pi.operands);
  size_t instIndex = prog.code.size();
  std::optional<Error> best;
  int bestProgress = -1;
  bool known = false;
  for (unsigned opc = 0; opc < kNumOpcodes; ++opc) {
    const OpcodeInfo &info = opcodeInfo(Opcode(opc));
    if (base != info.mnemonic)
      continue;
    known = true;
    Instruction inst;
    inst.op = Opcode(opc);
    const OperandSpec *ops = formatOperands(info.format);
    size_t numFixups = fixups.size();
    int progress = 0;
    Error err = Error::success();
    // Suffixes.
    size_t sfx = 1;
    for (unsigned i = 0; ops[i].kind != OperandKind::End && !err; ++i) {
      if (!isSuffix(ops[i].kind))
        continue;
      if (sfx >= parts.size()) {
        if (ops[i].kind == OperandKind::SfxRound) {
          inst.f[i] = unsigned(RoundMode::RNE);
          continue;
        }
        err = error(pi.mnemonic, Twine("missing suffix on '") + base + "'");
        break;
      }
      StringRef s = parts[sfx++];
      int found = -1;
      for (unsigned v = 0; v < 8 && found < 0; ++v) {
        const char *n = ops[i].kind == OperandKind::SfxType
                            ? (v < kNumDTypes ? dtypeName(DType(v)).data() : "")
                        : ops[i].kind == OperandKind::SfxCmp  ? cmpModeName(v)
                        : ops[i].kind == OperandKind::SfxInit ? initName(v)
                                                              : roundModeName(v);
        if (s == n)
          found = int(v);
      }
      if (found < 0)
        err = error(pi.mnemonic, "unknown suffix '." + s + "'");
      else
        inst.f[i] = unsigned(found);
    }
    if (!err && sfx < parts.size())
      err = error(pi.mnemonic, "unexpected suffix '." + parts[sfx] + "'");
    if (!err) {
      ++progress;
      unsigned t = 0;
      for (unsigned i = 0; ops[i].kind != OperandKind::End; ++i) {
        if (isSuffix(ops[i].kind))
          continue;
        if (t >= toks.size()) {
          err = error(pi.operands.empty() ? pi.mnemonic : pi.operands,
                      Twine("too few operands for '") + base + "'");
          break;
        }
        if ((err = operand(inst, i, ops[i], toks[t], instIndex)))
          break;
        ++t;
        ++progress;
      }
      if (!err && t < toks.size())
        err = error(toks[t], Twine("too many operands for '") + base + "'");
    }
    if (!err) {
      if (Error v = verifyInstruction(inst))
        err = error(pi.mnemonic, toString(std::move(v)));
      else {
        if (best)
          consumeError(std::move(*best));
        prog.code.push_back(inst);
        return Error::success();
      }
      progress = 1000;
    }
    fixups.resize(numFixups);
    if (progress > bestProgress) {
      if (best)
        consumeError(std::move(*best));
      best.emplace(std::move(err));
      bestProgress = progress;
    } else {
      consumeError(std::move(err));
    }
  }
  if (!known)
    return error(pi.mnemonic, "unknown instruction '" + base + "'");
  return std::move(*best);
}

Expected<Program> Parser::run(StringRef text) {
  SmallVector<StringRef, 0> lines;
  text.split(lines, '\n');
  std::vector<PendingInst> pending;
  for (size_t n = 0; n < lines.size(); ++n) {
    lineNo = unsigned(n + 1);
    lineText = lines[n];
    StringRef s = lineText;
    // Strip comments (';', '#', '//') outside quotes.
    bool quoted = false;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '"')
        quoted = !quoted;
      else if (!quoted && (s[i] == ';' || s[i] == '#' ||
                           (s[i] == '/' && i + 1 < s.size() && s[i + 1] == '/'))) {
        s = s.take_front(i);
        break;
      }
    }
    s = s.trim();
    if (s.contains('\0'))
      return error(s, "NUL byte in assembly text");
    // Labels.
    while (!s.empty() && isIdentStart(s[0])) {
      size_t i = 0;
      while (i < s.size() && isIdentChar(s[i]))
        ++i;
      if (i >= s.size() || s[i] != ':')
        break;
      std::string label = s.take_front(i).str();
      if (labels.count(label))
        return error(s, "label '" + label + "' defined twice");
      labels[label] = pending.size();
      s = s.drop_front(i + 1).ltrim();
    }
    if (s.empty())
      continue;
    if (s[0] == '.') {
      if (Error e = directive(s))
        return std::move(e);
      continue;
    }
    StringRef mnem = s.take_while([](char c) { return !isSpace(c); });
    pending.push_back({lineNo, lineText, mnem, s.drop_front(mnem.size()).trim()});
  }
  for (const PendingInst &pi : pending)
    if (Error e = instruction(pi))
      return std::move(e);
  for (const Fixup &f : fixups) {
    auto it = labels.find(f.label);
    lineNo = f.line;
    lineText = f.lineText;
    if (it == labels.end())
      return error(f.at, "undefined label '" + f.label + "'");
    if (it->second >= prog.code.size())
      return error(f.at, "label '" + f.label + "' is past the last instruction");
    prog.code[f.inst].f[f.operand] = it->second;
  }
  if (Error e = verifyProgram(prog))
    return createStringError(inconvertibleErrorCode(),
                             bufName + ": error: " + toString(std::move(e)));
  return std::move(prog);
}

} // namespace

Expected<Program> parseAssembly(StringRef text, StringRef bufferName,
                                const AsmOptions &opts) {
  Parser p(bufferName, opts);
  return p.run(text);
}

} // namespace npu::isa
