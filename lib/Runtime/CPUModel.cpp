//===- CPUModel.cpp - load and run a compiled CPU artifact ----------------===//
#include "npu/Runtime/CPUModel.h"

#include "llvm/ADT/SmallString.h"

#include <dlfcn.h>

using namespace llvm;
using namespace npu::rt;

Expected<CPUModel> CPUModel::loadSharedLibrary(StringRef path) {
  // RTLD_LOCAL keeps each artifact's symbols private, so two models loaded
  // in one process never collide.
  // dlopen searches the library path for names without a '/'; an artifact
  // path always means that file.
  SmallString<256> file(path);
  if (!path.contains('/'))
    file = ("./" + path).str();
  void *handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    return createStringError(inconvertibleErrorCode(),
                             "cannot load artifact " + path + ": " + dlerror());
  std::shared_ptr<void> keep(handle, [](void *h) { dlclose(h); });
  auto entry = reinterpret_cast<EntryFn>(dlsym(handle, "npu_run"));
  auto sigFn = reinterpret_cast<SignatureFn>(dlsym(handle, "npu_signature"));
  if (!entry || !sigFn)
    return createStringError(inconvertibleErrorCode(),
                             path + " is not an npu CPU artifact (no npu_run "
                                    "or npu_signature symbol)");
  Expected<Signature> sig = Signature::fromJSON(sigFn());
  if (!sig)
    return joinErrors(createStringError(inconvertibleErrorCode(), path + ":"),
                      sig.takeError());
  return CPUModel(entry, std::move(*sig), std::move(keep));
}

std::vector<Tensor> CPUModel::allocateOutputs() const {
  std::vector<Tensor> outs;
  for (const TensorSpec &spec : sig_.outputs)
    outs.emplace_back(spec.dtype, spec.shape);
  return outs;
}

int32_t CPUModel::runUnchecked(ArrayRef<Tensor> inputs,
                               std::vector<Tensor> &outputs) const {
  SmallVector<void *> buffers;
  for (const Tensor &t : inputs)
    buffers.push_back(const_cast<void *>(t.data()));
  for (Tensor &t : outputs)
    buffers.push_back(t.data());
  return entry_(buffers.data());
}

Expected<std::vector<Tensor>> CPUModel::run(ArrayRef<Tensor> inputs) const {
  if (Error e = checkInputs(sig_, inputs))
    return std::move(e);
  std::vector<Tensor> outputs = allocateOutputs();
  if (int32_t rc = runUnchecked(inputs, outputs))
    return createStringError(inconvertibleErrorCode(),
                             "model returned error code " + Twine(rc));
  return std::move(outputs);
}
