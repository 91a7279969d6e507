//===- Tensor.cpp - host tensors, element types and I/O signatures --------===//
#include "npu/Runtime/Tensor.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/JSON.h"

#include <cstdlib>
#include <cstring>

using namespace llvm;
using namespace npu::rt;

namespace {
struct DTypeInfo {
  DType type;
  const char *name;
  size_t size;
};
constexpr DTypeInfo kDTypes[] = {
    {DType::F16, "float16", 2}, {DType::BF16, "bfloat16", 2},
    {DType::F32, "float32", 4}, {DType::F64, "float64", 8},
    {DType::I8, "int8", 1},     {DType::I16, "int16", 2},
    {DType::I32, "int32", 4},   {DType::I64, "int64", 8},
    {DType::U8, "uint8", 1},    {DType::U16, "uint16", 2},
    {DType::U32, "uint32", 4},  {DType::U64, "uint64", 8},
    {DType::Bool, "bool", 1},
};
} // namespace

size_t npu::rt::dtypeSize(DType t) { return kDTypes[(int)t].size; }
StringRef npu::rt::dtypeName(DType t) { return kDTypes[(int)t].name; }
std::optional<DType> npu::rt::parseDType(StringRef name) {
  for (const DTypeInfo &info : kDTypes)
    if (name == info.name)
      return info.type;
  return std::nullopt;
}

static int64_t product(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

int64_t TensorSpec::numElements() const { return product(shape); }

std::string TensorSpec::str() const {
  std::string s = name + ": " + dtypeName(dtype).str() + "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

std::string Signature::toJSON() const {
  auto specs = [](const std::vector<TensorSpec> &list) {
    json::Array arr;
    for (const TensorSpec &s : list) {
      json::Array shape;
      for (int64_t d : s.shape)
        shape.push_back(d);
      arr.push_back(json::Object{{"name", s.name},
                                 {"dtype", dtypeName(s.dtype)},
                                 {"shape", std::move(shape)}});
    }
    return arr;
  };
  json::Object root{{"abi_version", abiVersion},
                    {"inputs", specs(inputs)},
                    {"outputs", specs(outputs)}};
  std::string out;
  raw_string_ostream os(out);
  os << json::Value(std::move(root));
  return out;
}

Expected<Signature> Signature::fromJSON(StringRef text) {
  Expected<json::Value> value = json::parse(text);
  if (!value)
    return value.takeError();
  auto bad = [](const Twine &why) {
    return createStringError(inconvertibleErrorCode(),
                             "malformed artifact signature: " + why);
  };
  const json::Object *root = value->getAsObject();
  if (!root)
    return bad("not an object");
  Signature sig;
  sig.abiVersion = root->getInteger("abi_version").value_or(-1);
  if (sig.abiVersion != kABIVersion)
    return bad("ABI version " + Twine(sig.abiVersion) + ", this runtime has " +
               Twine(kABIVersion));
  for (auto [key, list] : {std::pair{"inputs", &sig.inputs},
                           std::pair{"outputs", &sig.outputs}}) {
    const json::Array *arr = root->getArray(key);
    if (!arr)
      return bad(Twine("missing '") + key + "'");
    for (const json::Value &v : *arr) {
      const json::Object *o = v.getAsObject();
      if (!o)
        return bad("tensor entry is not an object");
      TensorSpec spec;
      auto name = o->getString("name");
      auto dtype = o->getString("dtype");
      const json::Array *shape = o->getArray("shape");
      if (!name || !dtype || !shape)
        return bad("tensor entry lacks name, dtype or shape");
      spec.name = name->str();
      auto dt = parseDType(*dtype);
      if (!dt)
        return bad("unknown dtype '" + *dtype + "'");
      spec.dtype = *dt;
      for (const json::Value &d : *shape) {
        auto dim = d.getAsInteger();
        if (!dim || *dim < 0)
          return bad("bad dimension in '" + spec.name + "'");
        spec.shape.push_back(*dim);
      }
      list->push_back(std::move(spec));
    }
  }
  return sig;
}

void Tensor::Free::operator()(void *p) const { std::free(p); }

Tensor::Tensor(DType dtype, ArrayRef<int64_t> shape)
    : dtype_(dtype), shape_(shape.begin(), shape.end()) {
  size_t bytes = byteSize();
  // aligned_alloc needs a multiple of the alignment and a non-zero size.
  size_t rounded = std::max<size_t>(64, (bytes + 63) / 64 * 64);
  storage_.reset(std::aligned_alloc(64, rounded));
  std::memset(storage_.get(), 0, rounded);
}

int64_t Tensor::numElements() const { return product(shape_); }

double Tensor::getAsDouble(int64_t i) const {
  switch (dtype_) {
  case DType::F16: return halfToFloat(as<uint16_t>()[i]);
  case DType::BF16: return bf16ToFloat(as<uint16_t>()[i]);
  case DType::F32: return as<float>()[i];
  case DType::F64: return as<double>()[i];
  case DType::I8: return as<int8_t>()[i];
  case DType::I16: return as<int16_t>()[i];
  case DType::I32: return as<int32_t>()[i];
  case DType::I64: return (double)as<int64_t>()[i];
  case DType::U8: return as<uint8_t>()[i];
  case DType::U16: return as<uint16_t>()[i];
  case DType::U32: return as<uint32_t>()[i];
  case DType::U64: return (double)as<uint64_t>()[i];
  case DType::Bool: return as<uint8_t>()[i] != 0;
  }
  return 0;
}

float npu::rt::halfToFloat(uint16_t h) {
  uint32_t sign = (uint32_t)(h & 0x8000) << 16, exp = (h >> 10) & 0x1f,
           mant = h & 0x3ff, bits;
  if (exp == 0x1f) {
    bits = sign | 0x7f800000 | (mant << 13);
  } else if (exp) {
    bits = sign | ((exp + 112) << 23) | (mant << 13);
  } else if (!mant) {
    bits = sign;
  } else { // subnormal: normalize
    int e = -1;
    do {
      ++e;
      mant <<= 1;
    } while (!(mant & 0x400));
    bits = sign | ((112 - e) << 23) | ((mant & 0x3ff) << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

uint16_t npu::rt::floatToHalf(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  uint32_t sign = (x >> 16) & 0x8000;
  uint32_t absx = x & 0x7fffffff;
  if (absx > 0x7f800000) // NaN
    return sign | 0x7e00;
  if (absx >= 0x477ff000) // overflows to inf after rounding
    return sign | 0x7c00;
  if (absx < 0x38800000) { // subnormal or zero in half
    if (absx < 0x33000000)
      return sign;
    uint32_t mant = (absx & 0x7fffff) | 0x800000;
    // value = mant * 2^(e - 150); one half subnormal step is 2^-24.
    int shift = 126 - (int)(absx >> 23);
    uint32_t halfMant = mant >> shift;
    uint32_t rem = mant & ((1u << shift) - 1);
    uint32_t halfway = 1u << (shift - 1);
    if (rem > halfway || (rem == halfway && (halfMant & 1)))
      ++halfMant;
    return sign | halfMant;
  }
  uint32_t h = ((absx >> 13) - (112 << 10));
  uint32_t rem = absx & 0x1fff;
  if (rem > 0x1000 || (rem == 0x1000 && (h & 1)))
    ++h;
  return sign | h;
}

float npu::rt::bf16ToFloat(uint16_t h) {
  uint32_t bits = (uint32_t)h << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

uint16_t npu::rt::floatToBF16(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  if ((x & 0x7fffffff) > 0x7f800000)
    return (x >> 16) | 0x40;
  x += 0x7fff + ((x >> 16) & 1);
  return x >> 16;
}

std::string npu::rt::sanitizeFileName(StringRef name) {
  std::string out = name.str();
  for (char &c : out)
    if (!isalnum((unsigned char)c) && c != '.' && c != '_' && c != '-')
      c = '_';
  return out;
}

Error npu::rt::checkInputs(const Signature &sig, ArrayRef<Tensor> inputs) {
  if (inputs.size() != sig.inputs.size())
    return createStringError(inconvertibleErrorCode(),
                             "model takes " + Twine(sig.inputs.size()) +
                                 " inputs, got " + Twine(inputs.size()));
  for (auto [spec, t] : llvm::zip(sig.inputs, inputs)) {
    if (spec.dtype != t.dtype() || ArrayRef(spec.shape) != t.shape()) {
      TensorSpec got{spec.name, t.dtype(), SmallVector<int64_t>(t.shape())};
      return createStringError(inconvertibleErrorCode(),
                               "input '" + spec.name + "' must be " +
                                   spec.str() + ", got " + got.str());
    }
  }
  return Error::success();
}
