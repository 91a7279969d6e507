//===- NPUKPhysicalOps.cpp - NPU compute on physical layouts --------------===//
#include "npu/Dialect/NPUK/IR/NPUKLayout.h"
#include "npu/Dialect/NPUK/IR/NPUKOps.h"

#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace npu::npuk;

LogicalResult MatmulOp::verify() {
  auto lhs = cast<RankedTensorType>(getLhs().getType());
  auto rhs = cast<RankedTensorType>(getRhs().getType());
  auto res = cast<RankedTensorType>(getResult().getType());
  Type t = lhs.getElementType();
  if (!t.isF16() && !t.isBF16())
    return emitOpError("lhs must be f16 or bf16, got ") << t;
  if (rhs.getElementType() != t)
    return emitOpError("rhs element type ")
           << rhs.getElementType() << " differs from lhs's " << t;
  Type rt = res.getElementType();
  if (!rt.isF32() && !rt.isF16() && !rt.isBF16())
    return emitOpError("result must be f32, f16 or bf16, got ") << rt;
  if (lhs.getRank() < 1 || !lhs.hasStaticShape() || !rhs.hasStaticShape())
    return emitOpError("operands must have static shapes, lhs rank >= 1");
  int64_t k = lhs.getShape().back(), n = getN();
  SmallVector<int64_t> want = {llvm::divideCeil(k, kC0),
                               llvm::divideCeil(n, kC0), kC0, kC0};
  if (rhs.getShape() != ArrayRef<int64_t>(want))
    return emitOpError("rhs must be the fnz layout of a ")
           << k << "x" << n << " weight, [" << want[0] << "][" << want[1]
           << "][16][16], got " << rhs;
  if (Value bias = getBias()) {
    auto bt = cast<RankedTensorType>(bias.getType());
    if (!bt.getElementType().isF32() || bt.getShape() != ArrayRef<int64_t>(n))
      return emitOpError("bias must be tensor<") << n << "xf32>, got " << bt;
  }
  SmallVector<int64_t> shape(lhs.getShape());
  shape.back() = n;
  if (res.getShape() != ArrayRef<int64_t>(shape))
    return emitOpError("result shape must be lhs's with N = ") << n;
  return success();
}
