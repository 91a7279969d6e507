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

LogicalResult Conv2dOp::verify() {
  auto in = cast<RankedTensorType>(getInput().getType());
  auto w = cast<RankedTensorType>(getWeight().getType());
  auto res = cast<RankedTensorType>(getResult().getType());
  Type t = in.getElementType();
  if (!t.isF16() && !t.isBF16())
    return emitOpError("input must be f16 or bf16, got ") << t;
  if (w.getElementType() != t)
    return emitOpError("weight element type ")
           << w.getElementType() << " differs from the input's " << t;
  Type rt = res.getElementType();
  if (!rt.isF32() && !rt.isF16() && !rt.isBF16())
    return emitOpError("result must be f32, f16 or bf16, got ") << rt;
  if (!in.hasStaticShape() || !w.hasStaticShape() || !res.hasStaticShape())
    return emitOpError("operands must have static shapes");
  if (in.getRank() != 5 || in.getShape().back() != kC0)
    return emitOpError("input must be nc1hwc0 [N][C1][H][W][16], got ") << in;
  ArrayRef<int64_t> k = getKernel(), s = getStrides(), p = getPads(),
                    d = getDilations();
  if (k.size() != 2 || s.size() != 2 || d.size() != 2 || p.size() != 4)
    return emitOpError("kernel, strides and dilations need 2 values, pads 4");
  for (int64_t v : llvm::concat<const int64_t>(k, s, d))
    if (v < 1)
      return emitOpError("kernel, strides and dilations must be positive");
  for (int64_t v : p)
    if (v < 0)
      return emitOpError("pads must be non-negative");
  int64_t n = in.getDimSize(0), c1 = in.getDimSize(1), h = in.getDimSize(2),
          wd = in.getDimSize(3), o1 = llvm::divideCeil(getO(), kC0);
  SmallVector<int64_t> wantW = {c1 * k[0] * k[1], o1, kC0, kC0};
  if (w.getShape() != ArrayRef<int64_t>(wantW))
    return emitOpError("weight must be the fz layout [")
           << wantW[0] << "][" << o1 << "][16][16], got " << w;
  if (Value bias = getBias()) {
    auto bt = cast<RankedTensorType>(bias.getType());
    if (!bt.getElementType().isF32() ||
        bt.getShape() != ArrayRef<int64_t>(getO()))
      return emitOpError("bias must be tensor<")
             << getO() << "xf32>, got " << bt;
  }
  int64_t ho = (h + p[0] + p[2] - d[0] * (k[0] - 1) - 1) / s[0] + 1;
  int64_t wo = (wd + p[1] + p[3] - d[1] * (k[1] - 1) - 1) / s[1] + 1;
  if (h + p[0] + p[2] < d[0] * (k[0] - 1) + 1 ||
      wd + p[1] + p[3] < d[1] * (k[1] - 1) + 1)
    return emitOpError("the dilated kernel is larger than the padded input");
  SmallVector<int64_t> wantR = {n, o1, ho, wo, kC0};
  if (res.getShape() != ArrayRef<int64_t>(wantR))
    return emitOpError("result must be [")
           << n << "][" << o1 << "][" << ho << "][" << wo << "][16], got "
           << res;
  return success();
}
