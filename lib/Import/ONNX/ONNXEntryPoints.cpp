//===- ONNXEntryPoints.cpp - reading model files, options, translation ---===//
//
// Detects the encoding of a model (binary protobuf, ONNX text syntax or
// protobuf text), parses it and hands it to importONNXModel; parses
// --input-shape specs; registers the npu-translate --import-onnx entry.
//
//===----------------------------------------------------------------------===//
#include "npu/Import/ONNX/ONNXImporter.h"

#include "ImporterImpl.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/stubs/logging.h>

#include <climits>

using namespace mlir;
using namespace npu;
using namespace npu::onnx_import;

namespace {
enum class Encoding { Binary, ONNXText, ProtoText };
} // namespace

/// Binary ModelProtos start with field tags (control bytes); text models do
/// not contain any.
static bool looksLikeText(StringRef buffer) {
  StringRef head = buffer.take_front(4096);
  return !head.empty() && llvm::all_of(head, [](char c) {
    unsigned char u = c;
    return u >= 0x20 || u == '\n' || u == '\r' || u == '\t';
  });
}

static Encoding detectEncoding(StringRef buffer) {
  if (!looksLikeText(buffer))
    return Encoding::Binary;
  // Skip blank lines and '#' comments, then look at the first token.
  StringRef rest = buffer;
  while (true) {
    rest = rest.ltrim();
    if (!rest.starts_with("#"))
      break;
    rest = rest.drop_until([](char c) { return c == '\n'; });
  }
  if (rest.starts_with("<"))
    return Encoding::ONNXText;
  // A header-less ONNX text graph is "name (inputs) => (outputs) {...}";
  // protobuf text format starts with "field:" or "field {".
  StringRef ident = rest.take_while(
      [](char c) { return llvm::isAlnum(c) || c == '_'; });
  StringRef after = rest.drop_front(ident.size()).ltrim();
  return after.starts_with("(") ? Encoding::ONNXText : Encoding::ProtoText;
}

static bool parseBinaryModel(StringRef buffer, onnx::ModelProto &model,
                             std::string &error) {
  if (buffer.size() > size_t(INT_MAX)) {
    error = "the file is larger than 2 GB, the protobuf limit; store the "
            "weights as external data";
    return false;
  }
  google::protobuf::LogSilencer silence;
  google::protobuf::io::CodedInputStream stream(
      reinterpret_cast<const uint8_t *>(buffer.data()), int(buffer.size()));
  stream.SetTotalBytesLimit(INT_MAX);
  if (!model.ParseFromCodedStream(&stream) ||
      !stream.ConsumedEntireMessage()) {
    error = "the file is truncated or not an ONNX model (protobuf parse "
            "failed)";
    return false;
  }
  return true;
}

OwningOpRef<ModuleOp> npu::importONNXBuffer(StringRef buffer,
                                            StringRef modelDir,
                                            StringRef displayName,
                                            MLIRContext *ctx,
                                            const ONNXImportOptions &opts,
                                            bool forceText) {
  Location loc = FileLineColLoc::get(ctx, displayName, 0, 0);
  Encoding enc = detectEncoding(buffer);
  if (forceText && enc == Encoding::Binary)
    enc = Encoding::ONNXText;
  onnx::ModelProto model;
  std::string error;
  bool ok = false;
  switch (enc) {
  case Encoding::Binary:
    ok = parseBinaryModel(buffer, model, error);
    break;
  case Encoding::ONNXText:
    ok = parseONNXTextModel(buffer, model, error);
    break;
  case Encoding::ProtoText:
    ok = parseProtoTextModel(buffer, model, error);
    break;
  }
  if (!ok) {
    emitError(loc) << "cannot parse ONNX model: " << error;
    return nullptr;
  }
  return importONNXModel(model, modelDir, displayName, ctx, opts);
}

OwningOpRef<ModuleOp> npu::importONNXFile(StringRef path, MLIRContext *ctx,
                                          const ONNXImportOptions &opts) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) {
    emitError(FileLineColLoc::get(ctx, path, 0, 0))
        << "cannot open ONNX model: " << buffer.getError().message();
    return nullptr;
  }
  StringRef dir = llvm::sys::path::parent_path(path);
  bool forceText = path.ends_with(".onnxtxt") || path.ends_with(".txt");
  return importONNXBuffer((*buffer)->getBuffer(), dir.empty() ? "." : dir,
                          path, ctx, opts, forceText);
}

static bool parseDims(StringRef dims, SmallVectorImpl<int64_t> &shape) {
  if (dims == "scalar")
    return true;
  SmallVector<StringRef> parts;
  dims.split(parts, 'x');
  for (StringRef p : parts) {
    int64_t d;
    if (p.getAsInteger(10, d))
      return false;
    shape.push_back(d);
  }
  return true;
}

bool npu::parseONNXInputShape(StringRef spec, ONNXImportOptions &opts) {
  auto [name, dims] = spec.rsplit(':');
  if (name.empty() || dims.empty())
    return false;
  if (dims == "none") {
    opts.noneInputs.insert(name);
    return true;
  }
  if (dims.consume_front("[")) {
    if (!dims.consume_back("]"))
      return false;
    SmallVector<SmallVector<int64_t>> shapes;
    SmallVector<StringRef> elements;
    if (!dims.empty())
      dims.split(elements, ',');
    for (StringRef e : elements)
      if (!parseDims(e, shapes.emplace_back()))
        return false;
    opts.sequenceShapes[name] = std::move(shapes);
    return true;
  }
  SmallVector<int64_t> shape;
  if (!parseDims(dims, shape))
    return false;
  opts.inputShapes[name] = shape;
  return true;
}

void npu::registerONNXImportTranslation() {
  static llvm::cl::list<std::string> inputShapes(
      "onnx-input-shape",
      llvm::cl::desc("Static shape for an ONNX graph input with symbolic "
                     "dimensions, as NAME:D0xD1x... (repeatable)"));
  static llvm::cl::opt<bool> forceText(
      "onnx-text",
      llvm::cl::desc("Read the ONNX input as text syntax (default: detect)"));
  static TranslateToMLIRRegistration reg(
      "import-onnx",
      "import an ONNX model (binary, ONNX text syntax or protobuf text) into "
      "the npu dialect",
      [](const std::shared_ptr<llvm::SourceMgr> &sourceMgr,
         MLIRContext *ctx) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buf =
            sourceMgr->getMemoryBuffer(sourceMgr->getMainFileID());
        StringRef id = buf->getBufferIdentifier();
        ONNXImportOptions opts;
        for (const std::string &spec : inputShapes)
          if (!parseONNXInputShape(spec, opts)) {
            emitError(FileLineColLoc::get(ctx, id, 0, 0))
                << "bad --onnx-input-shape '" << spec
                << "', expected NAME:D0xD1x...";
            return nullptr;
          }
        StringRef dir = id == "<stdin>" ? "" : llvm::sys::path::parent_path(id);
        return importONNXBuffer(buf->getBuffer(), dir.empty() ? "." : dir, id,
                                ctx, opts, forceText);
      },
      [](DialectRegistry &registry) {
        registry.insert<func::FuncDialect, npu::NPUDialect>();
      });
}

//===----------------------------------------------------------------------===//
// The model entry point: the graph importer, with its diagnostics re-issued
// on one line each
//===----------------------------------------------------------------------===//

OwningOpRef<ModuleOp> npu::importONNXModel(const onnx::ModelProto &model,
                                           StringRef modelDir,
                                           StringRef displayName,
                                           MLIRContext *ctx,
                                           const ONNXImportOptions &opts) {
  // Names in messages come from the model and may hold any byte; diagnostics
  // are collected and re-issued with control characters replaced so every
  // one stays on one line.
  SmallVector<std::tuple<Location, DiagnosticSeverity, std::string>> diags;
  OwningOpRef<ModuleOp> module;
  {
    ScopedDiagnosticHandler collect(ctx, [&](Diagnostic &d) {
      diags.emplace_back(d.getLocation(), d.getSeverity(), d.str());
      return success();
    });
    module = detail::importGraph(model, modelDir, displayName, ctx, opts);
  }
  for (auto &[loc, severity, text] : diags) {
    for (char &c : text)
      if ((unsigned char)c < 0x20 || c == 0x7f)
        c = '?';
    switch (severity) {
    case DiagnosticSeverity::Error:
      emitError(loc) << text;
      break;
    case DiagnosticSeverity::Warning:
      emitWarning(loc) << text;
      break;
    default:
      emitRemark(loc) << text;
      break;
    }
  }
  return module;
}
