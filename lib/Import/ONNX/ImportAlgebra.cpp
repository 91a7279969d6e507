//===- ImportAlgebra.cpp - Einsum and Det ---------------------------------===//
//
// Einsum: transposes and sums of one operand become npu.transpose and
// npu.reduce_sum, two-operand contractions a batched npu.matmul between
// transposes and reshapes; other forms (diagonals, sums over one of two
// operands, broadcasting, three and more operands) are npu.einsum.
//
//===----------------------------------------------------------------------===//
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

/// Transposes `v` (letters `term`) to the letter order `want`, then
/// reshapes it to `shape`.
FailureOr<Value> arrange(NodeImporter &n, Value v, StringRef term,
                         StringRef want, ArrayRef<int64_t> shape) {
  if (term == want)
    return n.reshape(v, shape);
  SmallVector<int64_t> perm;
  for (char c : want)
    perm.push_back(term.find(c));
  auto t = n.create<TransposeOp>(v, n.b().getDenseI64ArrayAttr(perm));
  return succeeded(t) ? n.reshape(*t, shape) : t;
}

/// Einsums of one or two operands without diagonals or broadcasting, in
/// existing ops. One operand: a reduce_sum over the letters the output
/// drops, then a transpose. Two operands: one batched npu.matmul, where
/// letters in both inputs and the output are batch dims, letters in one
/// input and the output are rows (lhs) or columns (rhs) and letters in
/// both inputs only are summed; each side is transposed to [batch, rows or
/// summed, summed or columns] and flattened to 3-D. Returns null for other
/// forms, which npu.einsum computes.
FailureOr<Value> einsumWithExistingOps(NodeImporter &n, StringRef equation) {
  auto terms = parseEinsumEquation(equation);
  size_t count = terms ? terms->inputs.size() : 0;
  if (count != 1 && count != 2)
    return Value();
  StringRef a = terms->inputs[0], out = terms->output;
  StringRef b = count == 2 ? StringRef(terms->inputs[1]) : StringRef();
  llvm::DenseMap<char, int64_t> sizes;
  for (unsigned t = 0; t < count; ++t) {
    StringRef term = terms->inputs[t];
    auto shape = n.inputType(t).getShape();
    for (auto [i, c] : llvm::enumerate(term)) {
      if (term.find(c, i + 1) != StringRef::npos)
        return Value(); // a diagonal
      auto [it, fresh] = sizes.try_emplace(c, shape[i]);
      if (!fresh && it->second != shape[i])
        return Value(); // broadcasting
    }
  }
  SmallVector<int64_t> outShape;
  for (char c : out) {
    if (!sizes.count(c))
      return Value(); // left to npu.einsum's verifier
    outShape.push_back(sizes[c]);
  }
  auto product = [&](StringRef letters) {
    int64_t p = 1;
    for (char c : letters)
      p *= sizes[c];
    return p;
  };

  if (count == 1) {
    SmallVector<int64_t> axes;
    std::string kept;
    for (auto [i, c] : llvm::enumerate(a)) {
      if (out.contains(c))
        kept.push_back(c);
      else
        axes.push_back(i);
    }
    FailureOr<Value> v = n.input(0);
    if (!axes.empty())
      v = n.create<ReduceSumOp>(*v, n.b().getDenseI64ArrayAttr(axes),
                                n.b().getBoolAttr(false));
    return succeeded(v) ? arrange(n, *v, kept, out, outShape) : v;
  }

  std::string batch, rows, cols, sum;
  for (char c : out)
    if (a.contains(c) && b.contains(c))
      batch.push_back(c);
  for (char c : a) {
    if (!b.contains(c) && !out.contains(c))
      return Value(); // summed over one operand alone
    if (!b.contains(c))
      rows.push_back(c);
    else if (!out.contains(c))
      sum.push_back(c);
  }
  for (char c : b) {
    if (!a.contains(c) && !out.contains(c))
      return Value();
    if (!a.contains(c))
      cols.push_back(c);
  }
  int64_t nb = product(batch), m = product(rows), k = product(sum),
          nc = product(cols);
  auto lhs = arrange(n, n.input(0), a, batch + rows + sum, {nb, m, k});
  auto rhs = succeeded(lhs) ? arrange(n, n.input(1), b, batch + sum + cols,
                                      {nb, k, nc})
                            : lhs;
  auto mm = succeeded(rhs) ? n.create<MatMulOp>(*lhs, *rhs) : rhs;
  if (failed(mm))
    return failure();
  std::string order = batch + rows + cols;
  SmallVector<int64_t> shape;
  for (char c : order)
    shape.push_back(sizes[c]);
  auto full = n.reshape(*mm, shape);
  return succeeded(full) ? arrange(n, *full, order, out, outShape) : full;
}

LogicalResult importEinsum(NodeImporter &n) {
  auto equation = n.stringAttr("equation", std::nullopt);
  if (failed(equation) || failed(n.checkInputs(1, ~0u)))
    return failure();
  for (unsigned i = 0; i < n.numInputs(); ++i)
    if (!n.hasInput(i))
      return n.error() << "input " << i << " is missing";
  // Products and sums wrap the same for unsigned integers.
  bool isUnsigned = n.inputIsUnsigned(0);
  auto eq = explicitEquation(n, *equation);
  if (failed(eq))
    return failure();
  auto known = einsumWithExistingOps(n, *eq);
  if (failed(known))
    return failure();
  if (*known) {
    n.setOutput(0, *known, isUnsigned);
    return success();
  }
  SmallVector<Value> inputs;
  for (unsigned i = 0; i < n.numInputs(); ++i)
    inputs.push_back(n.input(i));
  auto v = n.create<EinsumOp>(inputs, n.b().getStringAttr(*eq));
  if (failed(v))
    return failure();
  n.setOutput(0, *v, isUnsigned);
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
