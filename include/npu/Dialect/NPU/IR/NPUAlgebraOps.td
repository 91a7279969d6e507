// npu ops for general tensor contractions and matrix functions: einsum and
// det. Included by NPUOps.td.
#ifndef NPU_DIALECT_NPU_IR_NPUALGEBRAOPS_TD
#define NPU_DIALECT_NPU_IR_NPUALGEBRAOPS_TD

def NPU_EinsumOp : NPU_Op<"einsum", [Pure, InferTypeOpAdaptor,
                                     SameOperandsElementType]> {
  let summary = "Einstein summation in explicit form";
  let description = [{
    `equation` is `t1,..,tn->out`: one term of letters (a-z, A-Z) per
    operand with one letter per dimension, and the output's letters, each
    at most once. A letter repeated within a term takes a diagonal; letters
    missing from the output are summed over. The dimensions a letter labels
    must agree or be 1 (broadcast). The importer rewrites ONNX's implicit
    outputs and ellipses into this form.
  }];
  let arguments = (ins Variadic<NPU_Tensor>:$inputs, StrAttr:$equation);
  let results = (outs NPU_Tensor:$result);
  let assemblyFormat = [{
    $inputs attr-dict `:` functional-type($inputs, results)
  }];
}

def NPU_DetOp : NPU_Op<"det", [Pure, InferTypeOpAdaptor]> {
  let summary = "Determinants of the square matrices in the last two dims";
  let description = [{
    The input is [*, M, M]; the result [*] holds each matrix's determinant,
    computed by LU decomposition with partial pivoting.
  }];
  let arguments = (ins NPU_FloatTensor:$input);
  let results = (outs NPU_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

#endif // NPU_DIALECT_NPU_IR_NPUALGEBRAOPS_TD
