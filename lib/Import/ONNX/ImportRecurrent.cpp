//===- ImportRecurrent.cpp - RNN, GRU, LSTM and ReverseSequence -----------===//
#include "ImportControlFlow.h"

using namespace mlir;
using namespace npu;
using namespace npu::onnx_import;

void npu::onnx_import::addRecurrentHandlers(OpRegistry &r) {}
