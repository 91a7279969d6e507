//===- Utils.h - helpers shared by the npu-to-linalg op families -*- C++ -*-===//
#ifndef NPU_LIB_CONVERSION_NPUTOLINALG_UTILS_H
#define NPU_LIB_CONVERSION_NPUTOLINALG_UTILS_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

namespace npu {

// One entry per op family; populateNPUToLinalgPatterns calls them all.
void populateElementwisePatterns(mlir::RewritePatternSet &patterns);
void populateLinearAlgebraPatterns(mlir::RewritePatternSet &patterns);
void populateNormalizationPatterns(mlir::RewritePatternSet &patterns);
void populatePoolingPatterns(mlir::RewritePatternSet &patterns);
void populateReductionPatterns(mlir::RewritePatternSet &patterns);
void populateDataMovementPatterns(mlir::RewritePatternSet &patterns);
void populateMathLogicPatterns(mlir::RewritePatternSet &patterns);
void populateQuantizationPatterns(mlir::RewritePatternSet &patterns);
void populateScanPatterns(mlir::RewritePatternSet &patterns);
void populateControlFlowPatterns(mlir::RewritePatternSet &patterns);
void populateAlgebraPatterns(mlir::RewritePatternSet &patterns);
void populateSamplingPatterns(mlir::RewritePatternSet &patterns);

namespace detail {

/// tensor.empty of a static ranked type.
mlir::Value createEmpty(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::RankedTensorType type);

/// tensor.empty of `type` filled with the scalar `value`.
mlir::Value createFilled(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::RankedTensorType type, mlir::Value value);

/// A scalar arith.constant of element type `type` holding `value`; integers
/// truncate toward zero and saturate to the type's signed range.
mlir::Value createScalar(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Type type, double value);

/// The identity of max: -inf for floats, the signed minimum for integers.
mlir::Value createLowest(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Type type);

/// Elementwise helpers that pick the float or signed-integer arith op.
mlir::Value createAdd(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                      mlir::Value y);
mlir::Value createMul(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                      mlir::Value y);
mlir::Value createDiv(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                      mlir::Value y);
mlir::Value createMax(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                      mlir::Value y);
mlir::Value createMin(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                      mlir::Value y);

using ElementwiseBodyFn = llvm::function_ref<mlir::Value(
    mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;

/// One linalg.generic over the result shape; each input is read through its
/// numpy broadcast map, so no broadcast is ever materialized.
mlir::Value createElementwise(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::RankedTensorType resultType,
                              mlir::ValueRange inputs, ElementwiseBodyFn body);

/// Map from the `resultRank` loops to an operand of shape `operandShape`
/// under numpy broadcasting (aligned on the right). Operand dims of size 1
/// facing a larger result dim read index 0.
mlir::AffineMap getBroadcastMap(llvm::ArrayRef<int64_t> operandShape,
                                llvm::ArrayRef<int64_t> resultShape,
                                mlir::MLIRContext *ctx);

/// Map from `rank` loops that drops the loops in `dropped` (sorted).
mlir::AffineMap getProjectionMap(int64_t rank, llvm::ArrayRef<int64_t> dropped,
                                 mlir::MLIRContext *ctx);

/// Reshape between static shapes with collapse_shape/expand_shape, going
/// through a rank-1 (or rank-0) tensor when neither shape refines the other.
mlir::Value createReshape(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value input, mlir::RankedTensorType type);

/// Sum (or max) reduction of `input` over `axes` into a tensor without those
/// dims, as a linalg.generic with `init` as the identity.
mlir::Value createReduction(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Value input, llvm::ArrayRef<int64_t> axes,
                            bool isMax);

/// The tensor<Nxi64> attribute linalg's named conv/pool ops take for
/// strides and dilations.
mlir::DenseIntElementsAttr i64Pair(mlir::OpBuilder &b,
                                   llvm::ArrayRef<int64_t> values);

/// numpy matmul of `lhs` and `rhs` (any element type, the result's) as
/// linalg.matmul or linalg.batch_matmul into a zero-filled init.
mlir::Value createMatmul(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value lhs, mlir::Value rhs,
                         mlir::RankedTensorType resultType);

/// N C D1..Ds by F C/g K1..Ks convolution (s >= 1) with zero padding
/// (`pads`: all begins, then all ends) and an optional [F] bias added after:
/// named linalg conv ops for 1-D and 2-D, a linalg.generic otherwise. Any
/// element type (the result's).
mlir::Value createConv(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::Value input, mlir::Value weight, mlir::Value bias,
                       mlir::RankedTensorType resultType,
                       llvm::ArrayRef<int64_t> pads,
                       llvm::ArrayRef<int64_t> strides,
                       llvm::ArrayRef<int64_t> dilations, int64_t group);

/// Pads the spatial dims (2 on) of an N C D1.. tensor with `value`; `begin`
/// and `end` have one entry per spatial dim. Returns `input` when all are 0.
mlir::Value padSpatial(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::Value input, llvm::ArrayRef<int64_t> begin,
                       llvm::ArrayRef<int64_t> end, mlir::Value value);

/// [N, C, L] -> [N, C, 1, L] and back: 1-D window ops run as 2-D ones.
mlir::Value insertUnitDim2(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value v);
mlir::Value dropUnitDim2(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value v);

/// The input positions a window op reads: `out[i] * strides[i] +
/// kernel[i] * dilations[i]` for loop dims out[i] = outDim0 + i and
/// kernel[i] = kernelDim0 + i.
llvm::SmallVector<mlir::AffineExpr>
windowExprs(mlir::MLIRContext *ctx, unsigned outDim0, unsigned kernelDim0,
            llvm::ArrayRef<int64_t> strides, llvm::ArrayRef<int64_t> dilations);

/// Parallel iterator types for `rank` loops.
llvm::SmallVector<mlir::utils::IteratorType>
parallelIterators(int64_t rank);

} // namespace detail
} // namespace npu

#endif // NPU_LIB_CONVERSION_NPUTOLINALG_UTILS_H
