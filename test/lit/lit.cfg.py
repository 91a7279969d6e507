# lit configuration for npu's FileCheck tests.
import os
import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "NPU"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".onnxtxt", ".test", ".s"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.npu_obj_root, "test", "lit")
config.excludes = ["Inputs", "lit.cfg.py", "lit.site.cfg.py"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%python", "/usr/bin/python3"))
config.substitutions.append(("%npu_src_root", config.npu_src_root))
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Inputs")))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP", "ORT_NODE_DIR", "NPU_MODELS_DIR"])
llvm_config.use_default_substitutions()
tool_dirs = [config.npu_tools_dir, config.llvm_tools_dir]
tools = ["npu-opt", "npu-translate", "npuc", "npu-run", "npu-sim"]
llvm_config.add_tool_substitutions(tools, tool_dirs)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.npu_tools_dir, append_path=True)

# `ort`: ONNX Runtime (npm onnxruntime-node) and node are available for the
# differential tests; without them those tests are UNSUPPORTED.
import shutil
_ort_dirs = [os.path.expanduser("~/.cache/npu/ort/node_modules")]
if os.environ.get("ORT_NODE_DIR"):
    _ort_dirs.insert(0, os.environ["ORT_NODE_DIR"])
if shutil.which("node") and any(
        os.path.isdir(os.path.join(d, "onnxruntime-node")) for d in _ort_dirs):
    config.available_features.add("ort")

# `protoc` (protobuf-compiler) encodes hand-written .npu artifacts from text
# format: %protoc-artifact reads text on stdin and writes the binary.
_protoc = shutil.which("protoc")
if _protoc:
    config.available_features.add("protoc")
    config.substitutions.append(("%protoc-artifact", "%s --encode=npu.artifact.Artifact -I %s npu_artifact.proto" % (
        _protoc, os.path.join(config.npu_src_root, "lib", "Artifact"))))
