// Scans and selection along one axis: running sums and top-k.
// Included by NPUOps.td.
#ifndef NPU_DIALECT_NPU_IR_NPUSCANOPS_TD
#define NPU_DIALECT_NPU_IR_NPUSCANOPS_TD

def NPU_CumSumOp : NPU_Op<"cumsum", [Pure, SameOperandsAndResultType]> {
  let summary = "Running sum along `axis` (ONNX CumSum)";
  let description = [{
    Element i is the sum of elements 0..i along `axis` (i..end with
    `reverse`); `exclusive` leaves out element i itself, so the first (last)
    one is 0. Integers wrap on overflow.
  }];
  let arguments = (ins NPU_Tensor:$input, I64Attr:$axis, UnitAttr:$exclusive,
                       UnitAttr:$reverse);
  let results = (outs NPU_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def NPU_TopKOp : NPU_Op<"top_k", [Pure, InferTypeOpAdaptor]> {
  let summary = "The `k` largest (or smallest) elements along `axis`, sorted";
  let description = [{
    Results have the input's shape with dimension `axis` of size `k`
    (1 <= k <= the dimension): the values best first and their i64
    indices. Equal values order by lower index, as ONNX TopK does.
    `smallest` selects the smallest; integers compare as signed unless
    `unsigned_input`.
  }];
  let arguments = (ins NPU_Tensor:$input, I64Attr:$k, I64Attr:$axis,
                       UnitAttr:$smallest, UnitAttr:$unsigned_input);
  let results = (outs NPU_Tensor:$values, RankedTensorOf<[I64]>:$indices);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($values) `,` type($indices)
  }];
}

#endif // NPU_DIALECT_NPU_IR_NPUSCANOPS_TD
