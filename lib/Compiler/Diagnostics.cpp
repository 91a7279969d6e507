//===- Diagnostics.cpp - collect MLIR diagnostics as one-line errors ------===//
#include "Diagnostics.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace npu;

/// Walks a location for the ONNX node name (NameLoc), op type (FusedLoc
/// metadata) and file (FileLineColLoc), as the importer builds them.
static void findParts(Location loc, std::string &node, std::string &op,
                      std::string &file) {
  if (auto fused = dyn_cast<FusedLoc>(loc)) {
    if (auto md = dyn_cast_if_present<StringAttr>(fused.getMetadata()))
      if (op.empty())
        op = md.str();
    for (Location l : fused.getLocations())
      findParts(l, node, op, file);
  } else if (auto name = dyn_cast<NameLoc>(loc)) {
    if (node.empty())
      node = name.getName().str();
    findParts(name.getChildLoc(), node, op, file);
  } else if (auto flc = dyn_cast<FileLineColLoc>(loc)) {
    if (file.empty())
      file = flc.getFilename().str();
  } else if (auto cs = dyn_cast<CallSiteLoc>(loc)) {
    findParts(cs.getCallee(), node, op, file);
  }
}

std::string npu::describeNode(Location loc) {
  std::string node, op, file;
  findParts(loc, node, op, file);
  if (node.empty())
    return "";
  return "node '" + node + "'" + (op.empty() ? "" : " (" + op + ")");
}

DiagnosticCollector::DiagnosticCollector(MLIRContext *ctx,
                                         std::string fallbackFile)
    : ctx_(ctx), fallbackFile_(std::move(fallbackFile)) {
  id_ = ctx->getDiagEngine().registerHandler([this](Diagnostic &diag) {
    if (diag.getSeverity() != DiagnosticSeverity::Error &&
        diag.getSeverity() != DiagnosticSeverity::Warning)
      return success();
    std::string node, op, file;
    findParts(diag.getLocation(), node, op, file);
    std::string msg = diag.str();
    std::string line = (file.empty() ? fallbackFile_ : file) + ": ";
    // The importer's own messages already start with the node.
    // Tensor locations (graph inputs, initializers) carry no op type; their
    // messages name the tensor themselves.
    if (!node.empty() && !op.empty() && !StringRef(msg).starts_with("node '"))
      line += describeNode(diag.getLocation()) + ": ";
    line += diag.getSeverity() == DiagnosticSeverity::Error ? "" : "warning: ";
    line += msg;
    // Notes attached to an error (e.g. "see current operation") stay out of
    // the one-line summary.
    lines_.push_back(std::move(line));
    return success();
  });
}

DiagnosticCollector::~DiagnosticCollector() {
  ctx_->getDiagEngine().eraseHandler(id_);
}

llvm::Error DiagnosticCollector::takeError(const llvm::Twine &what) {
  std::string text = lines_.empty() ? (fallbackFile_ + ": " + what).str()
                                    : llvm::join(lines_, "\n");
  lines_.clear();
  return llvm::createStringError(llvm::inconvertibleErrorCode(), text);
}
