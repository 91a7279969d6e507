//===- ImportScan.cpp - CumSum and TopK -----------------------------------===//
//
// Both take their axis (CumSum) or k (TopK) as an input that must be a
// constant: shapes are static.
//
//===----------------------------------------------------------------------===//
#include "ImporterImpl.h"

using namespace mlir;
using namespace npu;
using namespace npu::onnx_import;

namespace {

LogicalResult importCumSum(NodeImporter &n) {
  auto exclusive = n.intAttr("exclusive", 0);
  auto reverse = n.intAttr("reverse", 0);
  if (failed(exclusive) || failed(reverse) || failed(n.checkInputs(2, 2)))
    return failure();
  auto type = n.inputType(0);
  if (type.getElementType().isInteger(1))
    return n.error() << "x must be numeric, got bool";
  if (n.inputType(1).getNumElements() != 1)
    return n.error() << "axis must be a scalar";
  auto axisValue = n.requireConstInts(1, "axis");
  if (failed(axisValue))
    return failure();
  auto axis = n.normalizeAxis(axisValue->front(), type.getRank(), "axis");
  if (failed(axis))
    return failure();
  auto v = n.create<CumSumOp>(n.input(0), n.b().getI64IntegerAttr(*axis),
                              n.flag(*exclusive), n.flag(*reverse));
  if (failed(v))
    return failure();
  n.setOutput(0, *v, n.inputIsUnsigned(0));
  return success();
}

/// TopK-1 takes k as an attribute, later versions as an input; largest and
/// sorted come with opset 11 (sorted output is always produced: ONNX
/// leaves the order unspecified without it).
LogicalResult importTopK(NodeImporter &n) {
  bool legacy = n.opset() < 10;
  auto axisAttr = n.intAttr("axis", -1);
  bool v11 = n.opset() >= 11;
  auto largest = v11 ? n.intAttr("largest", 1) : FailureOr<int64_t>(1);
  auto sorted = v11 ? n.intAttr("sorted", 1) : FailureOr<int64_t>(1);
  if (failed(axisAttr) || failed(largest) || failed(sorted) ||
      failed(n.checkInputs(legacy ? 1 : 2, legacy ? 1 : 2)))
    return failure();
  int64_t k;
  if (legacy) {
    auto kAttr = n.intAttr("k", std::nullopt);
    if (failed(kAttr))
      return failure();
    k = *kAttr;
  } else {
    if (n.inputType(1).getNumElements() != 1)
      return n.error() << "K must hold a single value";
    auto kValue = n.requireConstInts(1, "K");
    if (failed(kValue))
      return failure();
    k = kValue->front();
  }
  auto type = n.inputType(0);
  if (type.getElementType().isInteger(1))
    return n.error() << "X must be numeric, got bool";
  auto axis = n.normalizeAxis(*axisAttr, type.getRank(), "axis");
  if (failed(axis))
    return failure();
  if (k < 1 || k > type.getDimSize(*axis))
    return n.error() << "K = " << k << " must be in [1, "
                     << type.getDimSize(*axis) << "] for axis " << *axis
                     << " of shape " << shapeString(type.getShape());
  auto op = n.createMulti<TopKOp>(
      n.input(0), n.b().getI64IntegerAttr(k), n.b().getI64IntegerAttr(*axis),
      n.flag(*largest == 0), n.flag(n.inputIsUnsigned(0)));
  if (failed(op))
    return failure();
  n.setOutput(0, (*op)->getResult(0), n.inputIsUnsigned(0));
  n.setOutput(1, (*op)->getResult(1));
  return success();
}

} // namespace

void npu::onnx_import::addScanHandlers(OpRegistry &r) {
  r.add("CumSum", 11, 17, importCumSum);
  r.add("TopK", 1, 17, importTopK);
}
