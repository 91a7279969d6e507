//===- ExecVector.cpp - Functional semantics of the vector unit -----------===//
//
// 16-bit float ops compute in fp32 and round once to the element type (RNE);
// fp32 is wide enough (24 >= 2*11+2 bits) that this equals correctly rounded
// fp16/bf16 add, sub, mul, div and sqrt. Integer ops wrap.
//===----------------------------------------------------------------------===//
#include "Machine.h"
#include "npu/Simulator/Float.h"
#include <cmath>
#include <cstring>

namespace npu::sim::detail {

using namespace isa::fmt;

namespace {

double loadElem(DType t, const uint8_t *p) {
  switch (t) {
  case DType::F16:
  case DType::BF16: {
    uint16_t h;
    std::memcpy(&h, p, 2);
    return t == DType::F16 ? halfToFloat(h) : bf16ToFloat(h);
  }
  case DType::F32: {
    float f;
    std::memcpy(&f, p, 4);
    return f;
  }
  case DType::S8:
    return int8_t(*p);
  case DType::U8:
    return *p;
  case DType::S16: {
    int16_t x;
    std::memcpy(&x, p, 2);
    return x;
  }
  default: {
    int32_t x;
    std::memcpy(&x, p, 4);
    return x;
  }
  }
}

int64_t intRange(DType t, bool hi) {
  switch (t) {
  case DType::S8:
    return hi ? 127 : -128;
  case DType::U8:
    return hi ? 255 : 0;
  case DType::S16:
    return hi ? 32767 : -32768;
  default:
    return hi ? INT32_MAX : INT32_MIN;
  }
}

/// Store with conversion: floats round to nearest even; integers use `rm`
/// and saturate (NaN -> 0).
void storeElem(DType t, uint8_t *p, double x,
               isa::RoundMode rm = isa::RoundMode::RNE) {
  switch (t) {
  case DType::F16: {
    uint16_t h = floatToHalf(float(x));
    std::memcpy(p, &h, 2);
    return;
  }
  case DType::BF16: {
    uint16_t h = floatToBf16(float(x));
    std::memcpy(p, &h, 2);
    return;
  }
  case DType::F32: {
    float f = float(x);
    std::memcpy(p, &f, 4);
    return;
  }
  default:
    break;
  }
  int64_t y = 0;
  if (!std::isnan(x)) {
    switch (rm) {
    case isa::RoundMode::RNE:
      x = std::nearbyint(x);
      break;
    case isa::RoundMode::RZ:
      x = std::trunc(x);
      break;
    case isa::RoundMode::FLOOR:
      x = std::floor(x);
      break;
    case isa::RoundMode::CEIL:
      x = std::ceil(x);
      break;
    case isa::RoundMode::AWAY:
      x = std::round(x);
      break;
    }
    double lo = double(intRange(t, false)), hi = double(intRange(t, true));
    y = x <= lo ? int64_t(lo) : x >= hi ? int64_t(hi) : int64_t(x);
  }
  std::memcpy(p, &y, isa::dtypeSize(t)); // Little-endian truncation.
}

/// Integer results wrap to the element width.
void storeWrap(DType t, uint8_t *p, int64_t x) {
  std::memcpy(p, &x, isa::dtypeSize(t));
}

float nanMax(float a, float b) {
  return std::isnan(a) ? a : std::isnan(b) ? b : (a > b ? a : b);
}
float nanMin(float a, float b) {
  return std::isnan(a) ? a : std::isnan(b) ? b : (a < b ? a : b);
}

/// Per-element operand addressing: repeat r, element i.
struct Operand {
  uint64_t base, blk, rep, blockBytes;
  unsigned es;
  uint64_t at(uint64_t r, unsigned i, unsigned perBlock) const {
    return base + r * rep * 32 + (i / perBlock) * blk * blockBytes +
           (i % perBlock) * es;
  }
};

} // namespace

void Machine::execVector(Core &c, const Instruction &inst, const Entry &e) {
  const uint64_t *v = e.v;
  uint8_t *ub = c.mem[unsigned(Buffer::UB)].data();
  // The element type is field 0 of every vector format but vcmp's, whose
  // first field is the comparison.
  DType t =
      DType(inst.info().format == isa::Format::VCmp ? v[VCmp::type] : v[0]);
  unsigned es = isa::dtypeSize(t);
  unsigned E = elemsPerRepeat(t), perBlock = 32 / es;
  auto active = [&](unsigned i) {
    return i < 64 ? (c.maskLo >> i) & 1 : (c.maskHi >> (i - 64)) & 1;
  };
  bool fl = isa::isFloat(t);
  // Scalar operands are first converted to the element type.
  auto scalarOf = [&](uint64_t bits) -> double {
    uint8_t tmp[4];
    storeElem(t, tmp, double(bitsFloat(uint32_t(bits))));
    return loadElem(t, tmp);
  };
  Opcode op = inst.op;
  switch (inst.info().format) {
  case isa::Format::VBin: {
    Operand d{v[VBin::dst], v[VBin::dstblk], v[VBin::dstrep], 32, es};
    Operand a{v[VBin::a], v[VBin::ablk], v[VBin::arep], 32, es};
    Operand b{v[VBin::b], v[VBin::bblk], v[VBin::brep], 32, es};
    for (uint64_t r = 0; r < v[VBin::repeat]; ++r)
      for (unsigned i = 0; i < E; ++i) {
        if (!active(i))
          continue;
        double x = loadElem(t, ub + a.at(r, i, perBlock));
        double y = loadElem(t, ub + b.at(r, i, perBlock));
        uint8_t *out = ub + d.at(r, i, perBlock);
        if (fl) {
          float fx = float(x), fy = float(y), z;
          switch (op) {
          case Opcode::VADD: z = fx + fy; break;
          case Opcode::VSUB: z = fx - fy; break;
          case Opcode::VMUL: z = fx * fy; break;
          case Opcode::VDIV: z = fx / fy; break;
          case Opcode::VMAX: z = nanMax(fx, fy); break;
          default: z = nanMin(fx, fy); break;
          }
          storeElem(t, out, z);
        } else {
          int64_t ix = int64_t(x), iy = int64_t(y), z;
          switch (op) {
          case Opcode::VADD: z = int64_t(uint64_t(ix) + uint64_t(iy)); break;
          case Opcode::VSUB: z = int64_t(uint64_t(ix) - uint64_t(iy)); break;
          case Opcode::VMUL: z = int64_t(uint64_t(ix) * uint64_t(iy)); break;
          case Opcode::VMAX: z = std::max(ix, iy); break;
          default: z = std::min(ix, iy); break;
          }
          storeWrap(t, out, z);
        }
      }
    return;
  }
  case isa::Format::VUn:
  case isa::Format::VScalar: {
    bool sc = inst.info().format == isa::Format::VScalar;
    Operand d{v[VUn::dst], sc ? v[VScalar::dstblk] : v[VUn::dstblk],
              sc ? v[VScalar::dstrep] : v[VUn::dstrep], 32, es};
    Operand a{v[VUn::a], sc ? v[VScalar::ablk] : v[VUn::ablk],
              sc ? v[VScalar::arep] : v[VUn::arep], 32, es};
    uint64_t repeat = sc ? v[VScalar::repeat] : v[VUn::repeat];
    double s = sc ? scalarOf(v[VScalar::scalar]) : 0;
    for (uint64_t r = 0; r < repeat; ++r)
      for (unsigned i = 0; i < E; ++i) {
        if (!active(i))
          continue;
        double x = loadElem(t, ub + a.at(r, i, perBlock));
        uint8_t *out = ub + d.at(r, i, perBlock);
        if (fl) {
          float fx = float(x), fs = float(s), z;
          switch (op) {
          case Opcode::VABS: z = std::fabs(fx); break;
          case Opcode::VEXP: z = std::exp(fx); break;
          case Opcode::VLN: z = std::log(fx); break;
          case Opcode::VSQRT: z = std::sqrt(fx); break;
          case Opcode::VREC: z = 1.0f / fx; break;
          case Opcode::VRELU: z = fx < 0 ? 0.0f : fx; break;
          case Opcode::VMOV: z = fx; break;
          case Opcode::VADDS: z = fx + fs; break;
          case Opcode::VMULS: z = fx * fs; break;
          case Opcode::VMAXS: z = nanMax(fx, fs); break;
          default: z = nanMin(fx, fs); break;
          }
          if (op == Opcode::VMOV) { // Bit-exact copy, NaN payloads included.
            std::memmove(out, ub + a.at(r, i, perBlock), es);
            continue;
          }
          storeElem(t, out, z);
        } else {
          int64_t ix = int64_t(x), is = int64_t(s), z;
          switch (op) {
          case Opcode::VABS: z = ix < 0 ? int64_t(0 - uint64_t(ix)) : ix; break;
          case Opcode::VRELU: z = ix < 0 ? 0 : ix; break;
          case Opcode::VMOV: z = ix; break;
          case Opcode::VADDS: z = int64_t(uint64_t(ix) + uint64_t(is)); break;
          case Opcode::VMULS: z = int64_t(uint64_t(ix) * uint64_t(is)); break;
          case Opcode::VMAXS: z = std::max(ix, is); break;
          default: z = std::min(ix, is); break;
          }
          storeWrap(t, out, z);
        }
      }
    return;
  }
  case isa::Format::VDup: {
    Operand d{v[VDup::dst], v[VDup::dstblk], v[VDup::dstrep], 32, es};
    uint8_t val[4];
    storeElem(t, val, double(bitsFloat(uint32_t(v[VDup::scalar]))));
    for (uint64_t r = 0; r < v[VDup::repeat]; ++r)
      for (unsigned i = 0; i < E; ++i)
        if (active(i))
          std::memcpy(ub + d.at(r, i, perBlock), val, es);
    return;
  }
  case isa::Format::VConv: {
    DType st = DType(v[VConv::srctype]);
    unsigned ss = isa::dtypeSize(st);
    unsigned n = 256 / std::max(es, ss), pb = n / 8;
    Operand d{v[VConv::dst], v[VConv::dstblk], v[VConv::dstrep], pb * es, es};
    Operand a{v[VConv::a], v[VConv::ablk], v[VConv::arep], pb * ss, ss};
    auto rm = isa::RoundMode(v[VConv::round]);
    for (uint64_t r = 0; r < v[VConv::repeat]; ++r)
      for (unsigned i = 0; i < n; ++i)
        if (active(i))
          storeElem(t, ub + d.at(r, i, pb), loadElem(st, ub + a.at(r, i, pb)),
                    rm);
    return;
  }
  case isa::Format::VCmp: {
    Operand a{v[VCmp::a], v[VCmp::ablk], v[VCmp::arep], 32, es};
    Operand b{v[VCmp::b], v[VCmp::bblk], v[VCmp::brep], 32, es};
    auto mode = isa::CmpMode(v[VCmp::cmp]);
    for (uint64_t r = 0; r < v[VCmp::repeat]; ++r) {
      uint8_t *bits = ub + v[VCmp::dst] + r * E / 8;
      std::memset(bits, 0, E / 8);
      for (unsigned i = 0; i < E; ++i) {
        if (!active(i))
          continue;
        double x = loadElem(t, ub + a.at(r, i, perBlock));
        double y = loadElem(t, ub + b.at(r, i, perBlock));
        bool res;
        switch (mode) {
        case isa::CmpMode::EQ: res = x == y; break;
        case isa::CmpMode::NE: res = x != y; break;
        case isa::CmpMode::LT: res = x < y; break;
        case isa::CmpMode::LE: res = x <= y; break;
        case isa::CmpMode::GT: res = x > y; break;
        default: res = x >= y; break;
        }
        if (res)
          bits[i / 8] |= uint8_t(1u << (i % 8));
      }
    }
    return;
  }
  case isa::Format::VSel: {
    Operand d{v[VSel::dst], 1, v[VSel::dstrep], 32, es};
    Operand a{v[VSel::a], 1, v[VSel::arep], 32, es};
    Operand b{v[VSel::b], 1, v[VSel::brep], 32, es};
    for (uint64_t r = 0; r < v[VSel::repeat]; ++r) {
      const uint8_t *bits = ub + v[VSel::sel] + r * E / 8;
      for (unsigned i = 0; i < E; ++i) {
        if (!active(i))
          continue;
        bool pick = (bits[i / 8] >> (i % 8)) & 1;
        std::memmove(ub + d.at(r, i, perBlock),
                     ub + (pick ? a : b).at(r, i, perBlock), es);
      }
    }
    return;
  }
  case isa::Format::VReduce: {
    Operand a{v[VReduce::a], v[VReduce::ablk], v[VReduce::arep], 32, es};
    for (uint64_t r = 0; r < v[VReduce::repeat]; ++r) {
      uint8_t *out = ub + v[VReduce::dst] + r * es;
      if (op == Opcode::VCADD) { // Ascending order, fp32 accumulator.
        float acc = 0;
        for (unsigned i = 0; i < E; ++i)
          if (active(i))
            acc += float(loadElem(t, ub + a.at(r, i, perBlock)));
        storeElem(t, out, acc);
      } else if (fl) {
        float acc = -INFINITY;
        for (unsigned i = 0; i < E; ++i)
          if (active(i))
            acc = nanMax(acc, float(loadElem(t, ub + a.at(r, i, perBlock))));
        storeElem(t, out, acc);
      } else {
        int64_t acc = intRange(t, false);
        for (unsigned i = 0; i < E; ++i)
          if (active(i))
            acc = std::max(acc, int64_t(loadElem(t, ub + a.at(r, i, perBlock))));
        storeWrap(t, out, acc);
      }
    }
    return;
  }
  default:
    return;
  }
}

} // namespace npu::sim::detail
