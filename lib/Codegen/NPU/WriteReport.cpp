//===- WriteReport.cpp - write the compile report as JSON -----------------===//
#include "npu/Codegen/NPU/Passes.h"
#include "npu/Codegen/NPU/Report.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/ToolOutputFile.h"

namespace npu {
#define GEN_PASS_DEF_WRITEREPORT
#include "npu/Codegen/NPU/Passes.h.inc"
} // namespace npu

using namespace mlir;

namespace {
struct WriteReportPass : npu::impl::WriteReportBase<WriteReportPass> {
  using WriteReportBase::WriteReportBase;

  void runOnOperation() override {
    std::error_code ec;
    llvm::ToolOutputFile out(path, ec, llvm::sys::fs::OF_Text);
    if (ec) {
      getOperation().emitError("cannot write the report to ")
          << path << ": " << ec.message();
      return signalPassFailure();
    }
    out.os() << llvm::formatv(
        "{0:2}\n", llvm::json::Value(npu::buildReport(getOperation(), entry)));
    out.keep();
  }
};
} // namespace
