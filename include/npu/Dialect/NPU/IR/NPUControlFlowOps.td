// Structured control flow of the npu dialect: a two-way branch and a counted
// loop with carried values and scanned inputs/outputs (ONNX If, Loop, Scan,
// and the recurrences RNN/GRU/LSTM are built from them).
#ifndef NPU_DIALECT_NPU_IR_NPUCONTROLFLOWOPS_TD
#define NPU_DIALECT_NPU_IR_NPUCONTROLFLOWOPS_TD

include "mlir/Interfaces/ControlFlowInterfaces.td"

def NPU_YieldOp : NPU_Op<"yield", [Pure, ReturnLike, Terminator,
                                   ParentOneOf<["IfOp", "LoopOp"]>]> {
  let summary = "Values a branch of npu.if or an iteration of npu.loop produces";
  let arguments = (ins Variadic<NPU_Tensor>:$values);
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
}

def NPU_IfOp : NPU_Op<"if", [RecursiveMemoryEffects, NoRegionArguments]> {
  let summary = "Runs one of two regions on a run-time boolean";
  let description = [{
    `cond` is a single-element i1 tensor. Each region ends in npu.yield of
    values whose types are the result types. Regions may use values defined
    above the op.
  }];
  let arguments = (ins RankedTensorOf<[I1]>:$cond);
  let results = (outs Variadic<NPU_Tensor>:$results);
  let regions = (region SizedRegion<1>:$then_region,
                        SizedRegion<1>:$else_region);
  let assemblyFormat = [{
    $cond `:` type($cond) (`->` type($results)^)? $then_region `else`
    $else_region attr-dict
  }];
  let hasVerifier = 1;
}

def NPU_LoopOp : NPU_Op<"loop", [RecursiveMemoryEffects,
                                 AttrSizedOperandSegments]> {
  let summary = "Counted loop with carried values and scanned tensors";
  let description = [{
    Runs `body` `trip_count` (>= 1) times. The body block takes the
    iteration number (tensor<i64>, counting from 0), one argument per
    `inits` value (the carried values, initially `inits`) and one slice per
    `scan_inputs` value, and yields the next carried values followed by one
    slice per scan output.

    Scan input k is read along `scan_input_axes[k]`, whose size must be
    `trip_count`: iteration i sees the slice at i, or at trip_count - 1 - i
    when `scan_input_reverse[k]`, with that dimension removed. Scan output k
    stacks the yielded slices along `scan_output_axes[k]` (a dimension of
    the result) the same way. Results are the final carried values followed
    by the scan outputs. The body may use values defined above the op.

    With `conditional`, the first carried value is a single-element i1
    tensor and the loop also ends before any iteration that would start
    with it false; such loops have no scan inputs or outputs, and
    `trip_count` only bounds them.
  }];
  let arguments = (ins Variadic<NPU_Tensor>:$inits,
                       Variadic<NPU_Tensor>:$scan_inputs,
                       ConfinedAttr<I64Attr, [IntPositive]>:$trip_count,
                       DenseI64ArrayAttr:$scan_input_axes,
                       DenseBoolArrayAttr:$scan_input_reverse,
                       DenseI64ArrayAttr:$scan_output_axes,
                       DenseBoolArrayAttr:$scan_output_reverse,
                       UnitAttr:$conditional);
  let results = (outs Variadic<NPU_Tensor>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    (`(` $inits^ `:` type($inits) `)`)?
    (`scan` `(` $scan_inputs^ `:` type($scan_inputs) `)`)?
    attr-dict `->` type($results) $body
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Number of carried values (the first results and yielded values).
    unsigned getNumCarried() { return getInits().size(); }
    /// Results after the carried values.
    mlir::ResultRange getScanOutputs() {
      return getResults().drop_front(getNumCarried());
    }
  }];
}

#endif // NPU_DIALECT_NPU_IR_NPUCONTROLFLOWOPS_TD
