//===- ImportAlgebra.cpp - Einsum and Det ---------------------------------===//
#include "ImporterImpl.h"

#include "llvm/ADT/StringExtras.h"

#include <map>

using namespace mlir;
using namespace npu;
using namespace npu::onnx_import;

namespace {

/// Rewrites an ONNX equation into npu.einsum's explicit form: spaces go,
/// each "..." becomes letters the equation does not use (aligned on the
/// right across operands, like numpy broadcasting), and an implicit output
/// lists the ellipsis dims, then the letters used once in alphabetical
/// order.
FailureOr<std::string> explicitEquation(NodeImporter &n, StringRef raw) {
  std::string eq;
  for (char c : raw)
    if (!llvm::isSpace(c))
      eq.push_back(c);
  StringRef all(eq);
  auto [lhs, rhs] = all.split("->");
  bool hasOutput = lhs.size() != all.size();
  SmallVector<StringRef> terms;
  lhs.split(terms, ',');
  if (terms.size() != n.numInputs())
    return n.attrError("equation")
           << "'" << raw << "' has " << terms.size() << " terms for "
           << n.numInputs() << " inputs";
  std::string unused;
  for (char c = 'A'; c <= 'z'; ++c)
    if (llvm::isAlpha(c) && all.find(c) == StringRef::npos)
      unused.push_back(c);

  auto bad = [&](const Twine &why) {
    return n.attrError("equation") << "'" << raw << "' " << why;
  };
  // Letters of each term with the ellipsis still marked as '.'.
  auto checkTerm = [&](StringRef t) -> LogicalResult {
    size_t dots = t.find("...");
    std::string rest = t.str();
    if (dots != StringRef::npos)
      rest.erase(dots, 3);
    if (!llvm::all_of(rest, llvm::isAlpha))
      return bad("has a term '" + t + "' with characters other than letters "
                 "and one '...'");
    return success();
  };
  SmallVector<int64_t> ellipsisRanks;
  int64_t maxEllipsis = 0;
  for (auto [i, t] : llvm::enumerate(terms)) {
    if (failed(checkTerm(t)))
      return failure();
    int64_t letters = t.size() - (t.contains("...") ? 3 : 0);
    int64_t rank = n.inputType(i).getRank();
    int64_t e = t.contains("...") ? rank - letters : 0;
    if (e < 0 || (!t.contains("...") && letters != rank))
      return bad("has a term '" + t + "' for input " + Twine(i) +
                 " of rank " + Twine(rank));
    ellipsisRanks.push_back(e);
    maxEllipsis = std::max(maxEllipsis, e);
  }
  if (maxEllipsis > (int64_t)unused.size())
    return bad("needs more letters than are left for '...'");
  StringRef ellipsis = StringRef(unused).take_front(maxEllipsis);
  auto expand = [&](StringRef t, int64_t e) {
    std::string out = t.str();
    size_t dots = out.find("...");
    if (dots != std::string::npos)
      out.replace(dots, 3, ellipsis.take_back(e).str());
    return out;
  };

  std::string result;
  for (auto [i, t] : llvm::enumerate(terms)) {
    if (i)
      result.push_back(',');
    result += expand(t, ellipsisRanks[i]);
  }
  std::string out;
  if (hasOutput) {
    if (failed(checkTerm(rhs)))
      return failure();
    out = expand(rhs, maxEllipsis);
  } else {
    std::map<char, int> counts;
    for (StringRef t : terms)
      for (char c : t)
        if (c != '.')
          ++counts[c];
    out = ellipsis.str();
    for (auto [c, k] : counts)
      if (k == 1)
        out.push_back(c);
  }
  return result + "->" + out;
}

LogicalResult importEinsum(NodeImporter &n) {
  auto equation = n.stringAttr("equation", std::nullopt);
  if (failed(equation) || failed(n.checkInputs(1, ~0u)))
    return failure();
  for (unsigned i = 0; i < n.numInputs(); ++i)
    if (!n.hasInput(i))
      return n.error() << "input " << i << " is missing";
  if (failed(n.rejectUnsignedInputs()))
    return failure();
  auto eq = explicitEquation(n, *equation);
  if (failed(eq))
    return failure();
  SmallVector<Value> inputs;
  for (unsigned i = 0; i < n.numInputs(); ++i)
    inputs.push_back(n.input(i));
  auto v = n.create<EinsumOp>(inputs, n.b().getStringAttr(*eq));
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

LogicalResult importDet(NodeImporter &n) {
  if (failed(n.checkInputs(1, 1)))
    return failure();
  auto v = n.create<DetOp>(n.input(0));
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

} // namespace

void npu::onnx_import::addAlgebraHandlers(OpRegistry &r) {
  r.add("Einsum", 12, 17, importEinsum);
  r.add("Det", 11, 17, importDet);
}
