//===- ONNXText.cpp - text encodings of ONNX models -----------------------===//
//
// Built with -fexceptions: onnx's OnnxParser converts numbers with
// std::stoll/stof, which throw on malformed or out-of-range literals.
//
//===----------------------------------------------------------------------===//
#include "ImporterImpl.h"

#include "onnx/defs/parser.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/text_format.h>

#include <exception>

using namespace npu::onnx_import;

/// Diagnostics are one line: fold the parser's multi-line messages.
static std::string oneLine(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
    s.pop_back();
  std::string out;
  for (char c : s) {
    unsigned char u = c;
    if (c == '\n')
      out += "; ";
    else if (u < 0x20 || u == 0x7f)
      out.push_back(' ');
    else
      out.push_back(c);
  }
  return out;
}

bool npu::onnx_import::parseONNXTextModel(llvm::StringRef text,
                                          onnx::ModelProto &model,
                                          std::string &error) {
  // OnnxParser wants a NUL-terminated string.
  std::string copy = text.str();
  try {
    onnx::OnnxParser parser(copy.c_str());
    auto status = parser.Parse(model);
    if (!status.IsOK()) {
      error = "ONNX text syntax: " + oneLine(status.ErrorMessage());
      return false;
    }
    if (!parser.EndOfInput()) {
      error = "ONNX text syntax: unexpected text after the graph";
      return false;
    }
  } catch (const std::exception &e) {
    error = std::string("ONNX text syntax: malformed literal (") + e.what() +
            ")";
    return false;
  }
  return true;
}

namespace {
class CollectFirstError : public google::protobuf::io::ErrorCollector {
public:
  void AddError(int line, int column, const std::string &message) override {
    if (first.empty())
      first = "line " + std::to_string(line + 1) + ":" +
              std::to_string(column + 1) + ": " + message;
  }
  std::string first;
};
} // namespace

bool npu::onnx_import::parseProtoTextModel(llvm::StringRef text,
                                           onnx::ModelProto &model,
                                           std::string &error) {
  google::protobuf::LogSilencer silence;
  google::protobuf::TextFormat::Parser parser;
  CollectFirstError errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(text.str(), &model)) {
    error = "protobuf text format: " +
            (errors.first.empty() ? std::string("parse error") : errors.first);
    return false;
  }
  return true;
}
