//===- NPUAlgebraOps.cpp - type inference of NPUAlgebraOps.td -------------===//
#include "npu/Dialect/NPU/IR/NPUOps.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace npu;

std::optional<EinsumTerms> npu::parseEinsumEquation(StringRef equation) {
  auto [lhs, out] = equation.split("->");
  if (lhs.size() == equation.size())
    return std::nullopt;
  auto isTerm = [](StringRef t) { return llvm::all_of(t, llvm::isAlpha); };
  EinsumTerms terms;
  SmallVector<StringRef> parts;
  lhs.split(parts, ',');
  for (StringRef t : parts) {
    if (!isTerm(t))
      return std::nullopt;
    terms.inputs.push_back(t.str());
  }
  if (!isTerm(out))
    return std::nullopt;
  for (size_t i = 0; i < out.size(); ++i)
    if (out.find(out[i], i + 1) != StringRef::npos)
      return std::nullopt;
  terms.output = out.str();
  return terms;
}

LogicalResult EinsumOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor a,
                                         SmallVectorImpl<Type> &results) {
  auto terms = parseEinsumEquation(a.getEquation());
  if (!terms)
    return emitOptionalError(loc, "malformed einsum equation '",
                             a.getEquation(), "'");
  if (terms->inputs.size() != a.getInputs().size() || a.getInputs().empty())
    return emitOptionalError(loc, "einsum equation has ",
                             terms->inputs.size(), " terms for ",
                             a.getInputs().size(), " operands");
  // Size of each letter: the dims it labels agree or are 1.
  llvm::DenseMap<char, int64_t> sizes;
  for (auto [term, v] : llvm::zip(terms->inputs, a.getInputs())) {
    auto type = cast<RankedTensorType>(v.getType());
    if ((int64_t)term.size() != type.getRank())
      return emitOptionalError(loc, "einsum term '", term, "' does not match ",
                               "an operand of rank ", type.getRank());
    for (auto [c, d] : llvm::zip(term, type.getShape())) {
      int64_t &size = sizes.try_emplace(c, d).first->second;
      if (size != d && size != 1 && d != 1)
        return emitOptionalError(loc, "einsum letter '", StringRef(&c, 1),
                                 "' labels dimensions of sizes ", size,
                                 " and ", d);
      size = std::max(size, d);
    }
  }
  SmallVector<int64_t> shape;
  for (char c : terms->output) {
    auto it = sizes.find(c);
    if (it == sizes.end())
      return emitOptionalError(loc, "einsum output letter '", StringRef(&c, 1),
                               "' labels no operand dimension");
    shape.push_back(it->second);
  }
  auto first = cast<RankedTensorType>(a.getInputs().front().getType());
  results.push_back(RankedTensorType::get(shape, first.getElementType()));
  return success();
}

LogicalResult DetOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc, Adaptor a,
                                      SmallVectorImpl<Type> &results) {
  auto type = cast<RankedTensorType>(a.getInput().getType());
  int64_t rank = type.getRank();
  if (rank < 2 || type.getDimSize(rank - 1) != type.getDimSize(rank - 2))
    return emitOptionalError(loc, "det expects square matrices [*, M, M], "
                                  "got ",
                             type);
  results.push_back(RankedTensorType::get(type.getShape().drop_back(2),
                                          type.getElementType()));
  return success();
}
