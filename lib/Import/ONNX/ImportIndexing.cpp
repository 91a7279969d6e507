//===- ImportIndexing.cpp - GatherElements, OneHot, Trilu, Hardmax, ... --===//
//
// Index-driven ops built from existing npu ops. GatherElements, OneHot,
// Trilu and Hardmax compare an index tensor with an iota constant and
// select, so the indices (and Trilu's k) may be run-time values;
// DepthToSpace and SpaceToDepth are reshape-transpose-reshape.
//
//===----------------------------------------------------------------------===//
#include "ImporterImpl.h"

using namespace mlir;
using namespace npu;
using namespace npu::onnx_import;

namespace {

/// Constant of `rank` dims, all 1 except `dim` of size `size`, holding
/// 0..size-1 along `dim`.
Value iota(NodeImporter &n, Type elementType, int64_t rank, int64_t dim,
           int64_t size) {
  SmallVector<int64_t> shape(rank, 1);
  shape[dim] = size;
  SmallVector<int64_t> values(size);
  for (int64_t i = 0; i < size; ++i)
    values[i] = i;
  return n.constant(makeIntElements(RankedTensorType::get(shape, elementType),
                                    values, n.blobName()));
}

/// out[.., i, ..] = data[.., indices[.., i, ..], ..] along `axis`, as a sum
/// over a one-hot mask [.., i, k, ..] (k over data's axis) of the data.
LogicalResult importGatherElements(NodeImporter &n) {
  auto axisAttr = n.intAttr("axis", 0);
  if (failed(axisAttr) || failed(n.checkInputs(2, 2)))
    return failure();
  auto dType = n.inputType(0);
  auto iType = n.inputType(1);
  int64_t rank = dType.getRank();
  Type it = iType.getElementType();
  if (!isa<IntegerType>(it) || it.isInteger(1))
    return n.error() << "indices must be an integer tensor";
  if (iType.getRank() != rank || rank == 0)
    return n.error() << "indices of shape " << shapeString(iType.getShape())
                     << " must have the rank of data of shape "
                     << shapeString(dType.getShape()) << " (at least 1)";
  auto axis = n.normalizeAxis(*axisAttr, rank, "axis");
  if (failed(axis))
    return failure();
  int64_t size = dType.getDimSize(*axis);
  // Data cropped to the indices' extent in every other dimension.
  SmallVector<int64_t> starts(rank, 0), sizes(dType.getShape()),
      steps(rank, 1);
  for (int64_t d = 0; d < rank; ++d) {
    if (d == *axis)
      continue;
    if (iType.getDimSize(d) > dType.getDimSize(d))
      return n.error() << "indices of shape " << shapeString(iType.getShape())
                       << " exceed data of shape "
                       << shapeString(dType.getShape()) << " in dimension "
                       << d;
    sizes[d] = iType.getDimSize(d);
  }
  Value data = n.input(0);
  if (ArrayRef<int64_t>(sizes) != dType.getShape()) {
    auto s = n.create<SliceOp>(data, n.b().getDenseI64ArrayAttr(starts),
                               n.b().getDenseI64ArrayAttr(sizes),
                               n.b().getDenseI64ArrayAttr(steps));
    if (failed(s))
      return failure();
    data = *s;
  }
  // Negative indices count from the end.
  Value idx = n.input(1);
  if (!n.inputIsUnsigned(1)) {
    auto neg = n.create<CompareOp>(idx, n.scalar(it, 0),
                                   n.b().getStringAttr("lt"), UnitAttr());
    if (failed(neg))
      return failure();
    auto wrapped = n.create<AddOp>(idx, n.scalar(it, double(size)));
    if (failed(wrapped))
      return failure();
    auto sel = n.create<SelectOp>(*neg, *wrapped, idx);
    if (failed(sel))
      return failure();
    idx = *sel;
  }
  SmallVector<int64_t> idxShape(iType.getShape());
  idxShape.insert(idxShape.begin() + *axis + 1, 1);
  auto idxE = n.reshape(idx, idxShape);
  if (failed(idxE))
    return failure();
  auto mask = n.create<CompareOp>(*idxE, iota(n, it, rank + 1, *axis + 1, size),
                                  n.b().getStringAttr("eq"), UnitAttr());
  if (failed(mask))
    return failure();
  SmallVector<int64_t> dataShape(sizes);
  dataShape.insert(dataShape.begin() + *axis, 1);
  auto dataE = n.reshape(data, dataShape);
  if (failed(dataE))
    return failure();
  Type et = dType.getElementType();
  auto sel = n.create<SelectOp>(*mask, *dataE, n.scalar(et, 0));
  if (failed(sel))
    return failure();
  return n.setResult(
      n.create<ReduceSumOp>(*sel, n.b().getDenseI64ArrayAttr({*axis + 1}),
                            n.b().getBoolAttr(false)),
      n.inputIsUnsigned(0));
}

/// Input 1 (the indices) as i64, honouring unsigned index types.
FailureOr<Value> indicesAsI64(NodeImporter &n) {
  auto type = n.inputType(1);
  Type i64 = n.b().getI64Type();
  if (type.getElementType() == i64)
    return n.input(1);
  return n.createTyped<CastOp>(
      type.clone(i64), n.input(1),
      n.inputIsUnsigned(1) ? n.b().getUnitAttr() : UnitAttr());
}

/// Reads negative entries of `idx` as counting from the end of `size`
/// (a scalar or a tensor broadcasting against `idx`).
FailureOr<Value> wrapNegative(NodeImporter &n, Value idx, Value size) {
  Type it = cast<RankedTensorType>(idx.getType()).getElementType();
  auto neg = n.create<CompareOp>(idx, n.scalar(it, 0),
                                 n.b().getStringAttr("lt"), UnitAttr());
  if (failed(neg))
    return failure();
  auto wrapped = n.create<AddOp>(idx, size);
  if (failed(wrapped))
    return failure();
  return n.create<SelectOp>(*neg, *wrapped, idx);
}

/// The linear offset of each index tuple in input 1 (last dim k) into data
/// dims [b, b + k) of `dType`, row-major, negative entries wrapped; shape
/// indices.shape[:-1]. `block` is set to the number of elements those dims
/// span.
FailureOr<Value> linearizeIndices(NodeImporter &n, RankedTensorType dType,
                                  int64_t b, int64_t k, int64_t &block) {
  auto idx = indicesAsI64(n);
  if (failed(idx))
    return failure();
  SmallVector<int64_t> dims(dType.getShape().slice(b, k)), strides(k);
  block = 1;
  for (int64_t j = k - 1; j >= 0; --j) {
    strides[j] = block;
    block *= dims[j];
  }
  auto vecType = RankedTensorType::get({k}, n.b().getI64Type());
  if (!n.inputIsUnsigned(1)) {
    idx = wrapNegative(
        n, *idx, n.constant(makeIntElements(vecType, dims, n.blobName())));
    if (failed(idx))
      return failure();
  }
  auto scaled = n.create<MulOp>(
      *idx, n.constant(makeIntElements(vecType, strides, n.blobName())));
  if (failed(scaled))
    return failure();
  int64_t q = n.inputType(1).getRank();
  return n.create<ReduceSumOp>(*scaled, n.b().getDenseI64ArrayAttr({q - 1}),
                               n.b().getBoolAttr(false));
}

/// The scatter result for `data` given a one-hot `mask` whose dim `axis`
/// runs over the updates (`updE`, broadcasting against it) and is summed
/// (or multiplied) away, leaving data's shape. `reduction` none replaces
/// the elements some update hits.
FailureOr<Value> combineScatter(NodeImporter &n, Value data, Value mask,
                                Value updE, int64_t axis,
                                StringRef reduction) {
  Type et = cast<RankedTensorType>(data.getType()).getElementType();
  auto axes = n.b().getDenseI64ArrayAttr({axis});
  auto noKeep = n.b().getBoolAttr(false);
  bool isMul = reduction == "mul";
  auto picked = n.create<SelectOp>(mask, updE, n.scalar(et, isMul ? 1 : 0));
  if (failed(picked))
    return failure();
  FailureOr<Value> combined =
      isMul ? n.create<ReduceProdOp>(*picked, axes, noKeep)
            : n.create<ReduceSumOp>(*picked, axes, noKeep);
  if (failed(combined))
    return failure();
  if (reduction == "add")
    return n.create<AddOp>(data, *combined);
  if (isMul)
    return n.create<MulOp>(data, *combined);
  Type i32 = n.b().getI32Type();
  auto ones = n.create<SelectOp>(mask, n.scalar(i32, 1), n.scalar(i32, 0));
  if (failed(ones))
    return failure();
  auto hits = n.create<ReduceSumOp>(*ones, axes, noKeep);
  if (failed(hits))
    return failure();
  auto hit = n.create<CompareOp>(*hits, n.scalar(i32, 0),
                                 n.b().getStringAttr("gt"), UnitAttr());
  if (failed(hit))
    return failure();
  return n.create<SelectOp>(*hit, *combined, data);
}

FailureOr<std::string> scatterReduction(NodeImporter &n) {
  auto reduction = n.opset() >= 16
                       ? n.stringAttr("reduction", StringRef("none"))
                       : FailureOr<std::string>(std::string("none"));
  if (failed(reduction))
    return failure();
  if (*reduction != "none" && *reduction != "add" && *reduction != "mul")
    return n.attrError("reduction") << "must be none, add or mul";
  return reduction;
}

/// data[.., indices[.., i, ..], ..] op= updates[.., i, ..] along `axis`.
/// A one-hot mask [.., i, k, ..] (k over data's axis) selects the updates
/// that land on each element; they are summed (or multiplied) over i.
LogicalResult importScatterElements(NodeImporter &n) {
  auto axisAttr = n.intAttr("axis", 0);
  auto reduction = scatterReduction(n);
  if (failed(axisAttr) || failed(reduction) || failed(n.checkInputs(3, 3)))
    return failure();
  auto dType = n.inputType(0);
  auto iType = n.inputType(1);
  auto uType = n.inputType(2);
  int64_t rank = dType.getRank();
  Type it = iType.getElementType();
  if (!isa<IntegerType>(it) || it.isInteger(1))
    return n.error() << "indices must be an integer tensor";
  if (uType.getElementType() != dType.getElementType())
    return n.error() << "updates and data have different element types";
  if (iType.getShape() != uType.getShape() || iType.getRank() != rank ||
      rank == 0)
    return n.error() << "indices of shape " << shapeString(iType.getShape())
                     << " and updates of shape "
                     << shapeString(uType.getShape())
                     << " must match and have the rank of data of shape "
                     << shapeString(dType.getShape()) << " (at least 1)";
  auto axis = n.normalizeAxis(*axisAttr, rank, "axis");
  if (failed(axis))
    return failure();
  for (int64_t d = 0; d < rank; ++d)
    if (d != *axis && iType.getDimSize(d) != dType.getDimSize(d))
      return n.error() << "indices of shape " << shapeString(iType.getShape())
                       << " differ from data of shape "
                       << shapeString(dType.getShape()) << " in dimension "
                       << d << " (not supported)";
  int64_t size = dType.getDimSize(*axis);
  Value idx = n.input(1);
  if (!n.inputIsUnsigned(1)) {
    auto w = wrapNegative(n, idx, n.scalar(it, double(size)));
    if (failed(w))
      return failure();
    idx = *w;
  }
  SmallVector<int64_t> eShape(iType.getShape());
  eShape.insert(eShape.begin() + *axis + 1, 1);
  auto idxE = n.reshape(idx, eShape);
  auto updE = n.reshape(n.input(2), eShape);
  if (failed(idxE) || failed(updE))
    return failure();
  auto mask = n.create<CompareOp>(*idxE, iota(n, it, rank + 1, *axis + 1, size),
                                  n.b().getStringAttr("eq"), UnitAttr());
  if (failed(mask))
    return failure();
  auto v = combineScatter(n, n.input(0), *mask, *updE, *axis, *reduction);
  return n.setResult(v, n.inputIsUnsigned(0));
}

/// ScatterND on data flattened to [P, rest..] (P = the product of the K
/// indexed dims): each index tuple becomes a row-major row number, and a
/// one-hot mask [M, P, 1..] over the M tuples places the updates.
LogicalResult importScatterND(NodeImporter &n) {
  auto reduction = scatterReduction(n);
  if (failed(reduction) || failed(n.checkInputs(3, 3)))
    return failure();
  auto dType = n.inputType(0);
  auto iType = n.inputType(1);
  auto uType = n.inputType(2);
  int64_t r = dType.getRank(), q = iType.getRank();
  Type it = iType.getElementType();
  if (!isa<IntegerType>(it) || it.isInteger(1))
    return n.error() << "indices must be an integer tensor";
  if (uType.getElementType() != dType.getElementType())
    return n.error() << "updates and data have different element types";
  if (!dType.hasStaticShape() || !iType.hasStaticShape() ||
      !uType.hasStaticShape())
    return n.error() << "dynamic shapes are not supported";
  int64_t k = q >= 1 ? iType.getDimSize(q - 1) : 0;
  if (q < 1 || r < 1 || k < 1 || k > r)
    return n.error() << "the last dim of indices of shape "
                     << shapeString(iType.getShape())
                     << " does not index data of shape "
                     << shapeString(dType.getShape());
  SmallVector<int64_t> wantUpd(iType.getShape().drop_back());
  wantUpd.append(dType.getShape().begin() + k, dType.getShape().end());
  if (uType.getShape() != ArrayRef<int64_t>(wantUpd))
    return n.error() << "updates of shape " << shapeString(uType.getShape())
                     << " must have shape " << shapeString(wantUpd);
  Type i64 = n.b().getI64Type();
  int64_t block;
  auto linear = linearizeIndices(n, dType, /*b=*/0, k, block);
  if (failed(linear))
    return failure();
  int64_t m = 1;
  for (int64_t d : iType.getShape().drop_back())
    m *= d;
  ArrayRef<int64_t> rest = dType.getShape().drop_front(k);
  int64_t restRank = rest.size();
  // [M, 1, 1..] indices against an iota [1, P, 1..].
  SmallVector<int64_t> idxShape(2 + restRank, 1);
  idxShape[0] = m;
  auto idxE = n.reshape(*linear, idxShape);
  SmallVector<int64_t> updShape{m, 1};
  updShape.append(rest.begin(), rest.end());
  auto updE = n.reshape(n.input(2), updShape);
  SmallVector<int64_t> flatShape{block};
  flatShape.append(rest.begin(), rest.end());
  auto flat = n.reshape(n.input(0), flatShape);
  if (failed(idxE) || failed(updE) || failed(flat))
    return failure();
  auto mask = n.create<CompareOp>(*idxE, iota(n, i64, 2 + restRank, 1, block),
                                  n.b().getStringAttr("eq"), UnitAttr());
  if (failed(mask))
    return failure();
  auto v = combineScatter(n, *flat, *mask, *updE, 0, *reduction);
  if (failed(v))
    return failure();
  return n.setResult(n.reshape(*v, dType.getShape()), n.inputIsUnsigned(0));
}

/// GatherND as Gather along axis 0 of data with its batch dims and the K
/// indexed dims flattened into one, at the row-major linear index of each
/// index tuple (plus the batch offset).
LogicalResult importGatherND(NodeImporter &n) {
  auto batchAttr =
      n.opset() >= 12 ? n.intAttr("batch_dims", 0) : FailureOr<int64_t>(0);
  if (failed(batchAttr) || failed(n.checkInputs(2, 2)))
    return failure();
  auto dType = n.inputType(0);
  auto iType = n.inputType(1);
  int64_t r = dType.getRank(), q = iType.getRank(), b = *batchAttr;
  Type it = iType.getElementType();
  if (!isa<IntegerType>(it) || it.isInteger(1))
    return n.error() << "indices must be an integer tensor";
  if (b < 0 || q < 1 || b >= std::min(r, q))
    return n.attrError("batch_dims")
           << b << " must be less than the ranks of data and indices";
  int64_t k = iType.getDimSize(q - 1);
  if (ShapedType::isDynamic(k) || k < 1 || b + k > r)
    return n.error() << "the last dim of indices of shape "
                     << shapeString(iType.getShape())
                     << " does not index data of shape "
                     << shapeString(dType.getShape());
  for (int64_t d = 0; d < b; ++d)
    if (iType.getDimSize(d) != dType.getDimSize(d))
      return n.error() << "batch dim " << d << " of indices and data differ";
  if (!dType.hasStaticShape() || !iType.hasStaticShape())
    return n.error() << "dynamic shapes are not supported";
  Type i64 = n.b().getI64Type();
  int64_t block;
  FailureOr<Value> linear = linearizeIndices(n, dType, b, k, block);
  if (failed(linear))
    return failure();
  // Batch offset: a row-major linear index over the batch dims, times the
  // block of indexed elements per batch entry.
  int64_t batchStride = block;
  for (int64_t d = b - 1; d >= 0; --d) {
    int64_t size = dType.getDimSize(d);
    SmallVector<int64_t> offsets(size);
    for (int64_t i = 0; i < size; ++i)
      offsets[i] = i * batchStride;
    SmallVector<int64_t> shape(q - 1, 1);
    shape[d] = size;
    linear = n.create<AddOp>(
        *linear,
        n.constant(makeIntElements(RankedTensorType::get(shape, i64), offsets,
                                   n.blobName())));
    if (failed(linear))
      return failure();
    batchStride *= size;
  }
  SmallVector<int64_t> flatShape{batchStride};
  flatShape.append(dType.getShape().begin() + b + k, dType.getShape().end());
  auto flat = n.reshape(n.input(0), flatShape);
  if (failed(flat))
    return failure();
  return n.setResult(
      n.create<GatherOp>(*flat, *linear, n.b().getI64IntegerAttr(0)),
      n.inputIsUnsigned(0));
}

/// values[1] where the index (negative ones wrapped by depth) equals the
/// position along the new `axis`, values[0] elsewhere; indices outside
/// [-depth, depth) give only values[0].
LogicalResult importOneHot(NodeImporter &n) {
  auto axisAttr = n.intAttr("axis", -1);
  if (failed(axisAttr) || failed(n.checkInputs(3, 3)))
    return failure();
  auto iType = n.inputType(0);
  auto vType = n.inputType(2);
  if (iType.getElementType().isInteger(1))
    return n.error() << "indices must be numeric, got bool";
  if (vType.getRank() != 1 || vType.getDimSize(0) != 2)
    return n.error() << "values must be [off_value, on_value], got shape "
                     << shapeString(vType.getShape());
  auto depthValue = n.requireConstScalar(1, "depth");
  if (failed(depthValue))
    return failure();
  // ONNX casts a non-integer depth to int64.
  if (!(*depthValue >= 1 && *depthValue < double(kMaxFoldElements) * 1024))
    return n.error() << "depth must be positive and below 2^22, got "
                     << *depthValue;
  int64_t depth = int64_t(*depthValue);
  int64_t rank = iType.getRank() + 1;
  auto axis = n.normalizeAxis(*axisAttr, rank, "axis");
  if (failed(axis))
    return failure();
  SmallVector<int64_t> shape(iType.getShape());
  shape.insert(shape.begin() + *axis, depth);
  Type et = vType.getElementType();
  if (failed(checkShape(shape, et, n.loc(),
                        "node '" + n.name() + "' (OneHot): result shape")))
    return failure();
  Type i64 = n.b().getI64Type();
  FailureOr<Value> idx = n.input(0);
  if (iType.getElementType() != i64)
    idx = n.createTyped<CastOp>(iType.clone(i64), n.input(0),
                                n.flag(n.inputIsUnsigned(0)));
  if (succeeded(idx) && !n.inputIsUnsigned(0))
    idx = wrapNegative(n, *idx, n.scalar(i64, double(depth)));
  if (failed(idx))
    return failure();
  shape[*axis] = 1;
  auto idxE = n.reshape(*idx, shape);
  if (failed(idxE))
    return failure();
  auto mask = n.create<CompareOp>(*idxE, iota(n, i64, rank, *axis, depth),
                                  n.b().getStringAttr("eq"), UnitAttr());
  if (failed(mask))
    return failure();
  Value pick[2];
  for (int64_t i = 0; i < 2; ++i) {
    auto s = n.create<SliceOp>(n.input(2), n.b().getDenseI64ArrayAttr({i}),
                               n.b().getDenseI64ArrayAttr({1}),
                               n.b().getDenseI64ArrayAttr({1}));
    auto r = succeeded(s) ? n.reshape(*s, {}) : FailureOr<Value>();
    if (failed(r))
      return failure();
    pick[i] = *r;
  }
  return n.setResult(n.create<SelectOp>(*mask, pick[1], pick[0]),
                     n.inputIsUnsigned(2));
}

/// Compress keeps the slices along `axis` (of the flattened input without
/// one) whose condition is true. The condition decides the result shape, so
/// it must be a compile-time constant; the kept positions become a gather.
LogicalResult importCompress(NodeImporter &n) {
  if (failed(n.checkInputs(2, 2)))
    return failure();
  auto cond = n.requireConstInts(1, "condition");
  if (failed(cond))
    return failure();
  if (n.inputType(1).getRank() != 1)
    return n.error() << "condition must be 1-D, got "
                     << shapeString(n.inputType(1).getShape());
  Value data = n.input(0);
  auto type = n.inputType(0);
  int64_t axis = 0;
  if (n.hasAttr("axis")) {
    auto a = n.intAttr("axis", std::nullopt);
    if (failed(a))
      return failure();
    auto norm = n.normalizeAxis(*a, type.getRank(), "axis");
    if (failed(norm))
      return failure();
    axis = *norm;
  } else {
    auto flat = n.reshape(data, {type.getNumElements()});
    if (failed(flat))
      return failure();
    data = *flat;
  }
  int64_t dim = cast<RankedTensorType>(data.getType()).getDimSize(axis);
  if (int64_t(cond->size()) > dim)
    return n.error() << "condition has " << cond->size()
                     << " entries, more than the " << dim
                     << " slices along axis " << axis;
  SmallVector<int64_t> kept;
  for (auto [i, c] : llvm::enumerate(*cond))
    if (c)
      kept.push_back(i);
  if (kept.empty())
    return n.error() << "condition selects nothing; zero-sized results are "
                        "not supported";
  auto idxType = RankedTensorType::get({int64_t(kept.size())},
                                       n.b().getI64Type());
  Value idx = n.constant(makeIntElements(idxType, kept, n.blobName()));
  return n.setResult(
      n.create<GatherOp>(data, idx, n.b().getI64IntegerAttr(axis)),
      n.inputIsUnsigned(0));
}

/// Keeps x where col - row >= k (upper) or <= k (lower), zero elsewhere;
/// k may be a run-time scalar.
LogicalResult importTrilu(NodeImporter &n) {
  auto upper = n.intAttr("upper", 1);
  if (failed(upper) || failed(n.checkInputs(1, 2)))
    return failure();
  auto type = n.inputType(0);
  int64_t rank = type.getRank();
  if (rank < 2)
    return n.error() << "input must have rank >= 2, got rank " << rank;
  Type i64 = n.b().getI64Type();
  Value k = n.scalar(i64, 0);
  if (n.hasInput(1)) {
    auto kType = n.inputType(1);
    if (kType.getNumElements() != 1 || !kType.getElementType().isInteger(64))
      return n.error() << "k must be a single int64";
    auto r = n.reshape(n.input(1), {});
    if (failed(r))
      return failure();
    k = *r;
  }
  int64_t rows = type.getDimSize(rank - 2), cols = type.getDimSize(rank - 1);
  auto diff = n.create<SubOp>(iota(n, i64, 2, 1, cols),
                              iota(n, i64, 2, 0, rows));
  if (failed(diff))
    return failure();
  auto keep = n.create<CompareOp>(*diff, k,
                                  n.b().getStringAttr(*upper ? "ge" : "le"),
                                  UnitAttr());
  if (failed(keep))
    return failure();
  return n.setResult(
      n.create<SelectOp>(*keep, n.input(0), n.scalar(type.getElementType(), 0)),
      n.inputIsUnsigned(0));
}

/// 1 at the first maximum along `axis`, 0 elsewhere. Before opset 13 the
/// input is coerced to 2-D at `axis`, as for Softmax.
LogicalResult importHardmax(NodeImporter &n) {
  bool legacy = n.opset() < 13;
  auto axisAttr = n.intAttr("axis", legacy ? 1 : -1);
  if (failed(axisAttr) || failed(n.checkInputs(1, 1)))
    return failure();
  auto type = n.inputType(0);
  if (!isa<FloatType>(type.getElementType()))
    return n.error() << "input must be a float tensor";
  int64_t rank = type.getRank();
  auto axis = n.normalizeAxis(*axisAttr, rank, "axis");
  if (failed(axis))
    return failure();
  Value x = n.input(0);
  int64_t a = *axis;
  if (legacy && a != rank - 1) {
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < rank; ++d)
      (d < a ? outer : inner) *= type.getDimSize(d);
    auto r = n.reshape(x, {outer, inner});
    if (failed(r))
      return failure();
    x = *r;
    a = 1;
  }
  auto xType = cast<RankedTensorType>(x.getType());
  auto am = n.create<ArgMaxOp>(x, n.b().getI64IntegerAttr(a),
                               n.b().getBoolAttr(true), UnitAttr(),
                               UnitAttr(), UnitAttr());
  if (failed(am))
    return failure();
  Type i64 = n.b().getI64Type();
  auto mask = n.create<CompareOp>(
      *am, iota(n, i64, xType.getRank(), a, xType.getDimSize(a)),
      n.b().getStringAttr("eq"), UnitAttr());
  if (failed(mask))
    return failure();
  FailureOr<Value> v = n.createTyped<CastOp>(xType, *mask, false);
  if (succeeded(v))
    v = n.reshape(*v, type.getShape());
  return n.setResult(v);
}

/// A constant: ones on the k-th diagonal of the input's 2-D shape.
LogicalResult importEyeLike(NodeImporter &n) {
  auto k = n.intAttr("k", 0);
  if (failed(k) || failed(n.checkInputs(1, 1)))
    return failure();
  auto type = n.inputType(0);
  if (type.getRank() != 2)
    return n.error() << "input must be 2-D, got rank " << type.getRank();
  Type et = type.getElementType();
  bool isUnsigned = n.inputIsUnsigned(0);
  if (n.hasAttr("dtype")) {
    auto dtype = n.intAttr("dtype", std::nullopt);
    if (failed(dtype))
      return failure();
    et = convertDataType(*dtype, n.ctx(), &isUnsigned);
    if (!et)
      return n.attrError("dtype") << "names unsupported type "
                                  << dataTypeName(*dtype);
  }
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  SmallVector<int64_t> values(rows * cols, 0);
  for (int64_t r = 0; r < rows; ++r)
    if (r + *k >= 0 && r + *k < cols)
      values[r * cols + r + *k] = 1;
  auto resultType = type.clone(et);
  ElementsAttr attr;
  if (isa<FloatType>(et))
    attr = makeFloatElements(resultType,
                             SmallVector<double>(values.begin(), values.end()),
                             n.blobName());
  else
    attr = makeIntElements(resultType, values, n.blobName());
  n.setOutput(0, n.constant(attr), isUnsigned);
  return success();
}

/// Reshape, transpose, reshape.
FailureOr<Value> shuffle(NodeImporter &n, Value x, ArrayRef<int64_t> split,
                         ArrayRef<int64_t> perm, ArrayRef<int64_t> result) {
  auto r = n.reshape(x, split);
  if (failed(r))
    return failure();
  auto t = n.create<TransposeOp>(*r, n.b().getDenseI64ArrayAttr(perm));
  if (failed(t))
    return failure();
  return n.reshape(*t, result);
}

template <bool ToSpace>
LogicalResult importDepthSpace(NodeImporter &n) {
  auto bs = n.intAttr("blocksize", std::nullopt);
  auto mode = ToSpace && n.opset() >= 11
                  ? n.stringAttr("mode", StringRef("DCR"))
                  : FailureOr<std::string>(std::string("DCR"));
  if (failed(bs) || failed(mode) || failed(n.checkInputs(1, 1)))
    return failure();
  if (*bs <= 0)
    return n.attrError("blocksize") << "must be positive, got " << *bs;
  if (*mode != "DCR" && *mode != "CRD")
    return n.attrError("mode") << "must be DCR or CRD, got '" << *mode << "'";
  auto type = n.inputType(0);
  if (type.getRank() != 4)
    return n.error() << "input must be 4-D (N, C, H, W), got rank "
                     << type.getRank();
  int64_t b = *bs, N = type.getDimSize(0), C = type.getDimSize(1),
          H = type.getDimSize(2), W = type.getDimSize(3);
  FailureOr<Value> v;
  if (ToSpace) {
    if (C % (b * b))
      return n.error() << "channels " << C << " not divisible by blocksize^2 "
                       << b * b;
    int64_t c = C / (b * b);
    if (*mode == "DCR")
      v = shuffle(n, n.input(0), {N, b, b, c, H, W}, {0, 3, 4, 1, 5, 2},
                  {N, c, H * b, W * b});
    else
      v = shuffle(n, n.input(0), {N, c, b, b, H, W}, {0, 1, 4, 2, 5, 3},
                  {N, c, H * b, W * b});
  } else {
    if (H % b || W % b)
      return n.error() << "spatial dims " << H << "x" << W
                       << " not divisible by blocksize " << b;
    v = shuffle(n, n.input(0), {N, C, H / b, b, W / b, b},
                {0, 3, 5, 1, 2, 4}, {N, C * b * b, H / b, W / b});
  }
  return n.setResult(v, n.inputIsUnsigned(0));
}

} // namespace

void npu::onnx_import::addIndexingHandlers(OpRegistry &r) {
  r.add("GatherElements", 11, 17, importGatherElements);
  r.add("GatherND", 11, 17, importGatherND);
  r.add("ScatterElements", 11, 17, importScatterElements);
  r.add("Scatter", 9, 10, importScatterElements);
  r.add("ScatterND", 11, 17, importScatterND);
  r.add("OneHot", 9, 17, importOneHot);
  r.add("Trilu", 14, 17, importTrilu);
  r.add("Compress", 9, 17, importCompress);
  r.add("EyeLike", 9, 17, importEyeLike);
  r.add("Hardmax", 1, 17, importHardmax);
  r.add("DepthToSpace", 1, 17, importDepthSpace<true>);
  r.add("SpaceToDepth", 1, 17, importDepthSpace<false>);
}
