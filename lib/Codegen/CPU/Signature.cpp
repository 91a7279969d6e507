//===- Signature.cpp - derive an artifact signature from an entry ---------===//
#include "npu/Codegen/CPU/Signature.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace npu;

static FailureOr<rt::DType> dtypeOf(Type t, bool isUnsigned) {
  if (t.isF16()) return rt::DType::F16;
  if (t.isBF16()) return rt::DType::BF16;
  if (t.isF32()) return rt::DType::F32;
  if (t.isF64()) return rt::DType::F64;
  if (auto i = dyn_cast<IntegerType>(t)) {
    bool u = isUnsigned || i.isUnsigned();
    switch (i.getWidth()) {
    case 1: return rt::DType::Bool;
    case 8: return u ? rt::DType::U8 : rt::DType::I8;
    case 16: return u ? rt::DType::U16 : rt::DType::I16;
    case 32: return u ? rt::DType::U32 : rt::DType::I32;
    case 64: return u ? rt::DType::U64 : rt::DType::I64;
    default: break;
    }
  }
  return failure();
}

static FailureOr<rt::TensorSpec> specOf(func::FuncOp func, Type type,
                                        DictionaryAttr attrs, StringRef kind,
                                        unsigned index) {
  rt::TensorSpec spec;
  auto name = attrs ? attrs.getAs<StringAttr>(kNameAttrName) : StringAttr();
  spec.name = name ? name.str() : (kind + std::to_string(index)).str();
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.hasStaticShape())
    return func.emitError() << kind << " '" << spec.name
                            << "' must be a statically shaped tensor, got "
                            << type;
  bool isUnsigned = attrs && attrs.get("npu.unsigned");
  auto dtype = dtypeOf(tensor.getElementType(), isUnsigned);
  if (failed(dtype))
    return func.emitError() << kind << " '" << spec.name
                            << "' has unsupported element type "
                            << tensor.getElementType();
  spec.dtype = *dtype;
  spec.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
  return spec;
}

FailureOr<rt::Signature> npu::signatureOf(func::FuncOp func) {
  rt::Signature sig;
  FunctionType type = func.getFunctionType();
  for (unsigned i = 0; i < type.getNumInputs(); ++i) {
    auto spec = specOf(func, type.getInput(i), func.getArgAttrDict(i),
                       "input", i);
    if (failed(spec))
      return failure();
    sig.inputs.push_back(std::move(*spec));
  }
  for (unsigned i = 0; i < type.getNumResults(); ++i) {
    auto spec = specOf(func, type.getResult(i), func.getResultAttrDict(i),
                       "output", i);
    if (failed(spec))
      return failure();
    sig.outputs.push_back(std::move(*spec));
  }
  return sig;
}

FailureOr<std::string> npu::signatureToJSON(func::FuncOp func) {
  auto sig = signatureOf(func);
  if (failed(sig))
    return failure();
  return sig->toJSON();
}
