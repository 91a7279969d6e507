// aicore modules that verify but cannot be encoded as an NPU program.
// RUN: npu-translate --aicore-to-bin --split-input-file --verify-diagnostics %s

// expected-error @below {{expected exactly one aicore.program, found 0}}
module {}

// -----

module {
  aicore.program cores(1) {
    // expected-error @below {{'builtin.unrealized_conversion_cast' op has no NPU encoding}}
    %0 = builtin.unrealized_conversion_cast to memref<64xi8, #aicore.space<ub>>
    aicore.end
  }
}

// -----

module {
  // expected-error @below {{'aicore.program' op is not a valid NPU program: instruction 0: branch target 1 outside the program}}
  aicore.program cores(1) {
    aicore.j @done
    aicore.label @done
  }
}

// -----

module {
  // expected-error @below {{'aicore.program' op is not a valid NPU program: GM buffer 'B' has a bad address/size}}
  aicore.program cores(1) {
    aicore.gm @A, 8192 at 4096 zero
    aicore.gm @B, 4096 at 8192 zero
    aicore.end
  }
}

// -----

module {
  // expected-error @below {{'aicore.program' op is not a valid NPU program: program has no instructions}}
  aicore.program cores(1) {
  }
}
