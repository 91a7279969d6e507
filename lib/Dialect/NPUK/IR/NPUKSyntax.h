//===- NPUKSyntax.h - custom assembly directives of npuk ops ----*- C++ -*-===//
#ifndef NPU_LIB_DIALECT_NPUK_IR_NPUKSYNTAX_H
#define NPU_LIB_DIALECT_NPUK_IR_NPUKSYNTAX_H

#include "npu/Dialect/NPUK/IR/NPUKOps.h"

namespace npu::npuk {

/// `custom<Enum>`: an aicore enum attribute as a bare keyword (`f16`, `MTE2`).
template <typename AttrT>
mlir::ParseResult parseEnum(mlir::OpAsmParser &parser, AttrT &attr) {
  using Enum = typename AttrT::ValueType;
  llvm::SMLoc loc = parser.getCurrentLocation();
  llvm::StringRef kw;
  if (parser.parseKeyword(&kw))
    return mlir::failure();
  std::optional<Enum> v = aicore::symbolizeEnum<Enum>(kw);
  if (!v)
    return parser.emitError(loc, "unknown value '") << kw << "'";
  attr = AttrT::get(parser.getContext(), *v);
  return mlir::success();
}

template <typename AttrT>
void printEnum(mlir::OpAsmPrinter &printer, mlir::Operation *, AttrT attr) {
  printer << aicore::stringifyEnum(attr.getValue());
}

} // namespace npu::npuk

#endif // NPU_LIB_DIALECT_NPUK_IR_NPUKSYNTAX_H
