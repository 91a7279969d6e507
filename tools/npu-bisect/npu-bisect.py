#!/usr/bin/python3
"""npu-bisect: differential testing of npu against ONNX Runtime.

Runs the same inputs through npu (npuc --target=cpu + npu-run) and through
ONNX Runtime (third_party/shared/ort_run.js, the npm onnxruntime-node
package). If any graph output diverges beyond the tolerance, it exposes the
model's intermediate tensors as extra graph outputs (through Identity nodes,
so names never collide), runs both again and names the FIRST node in
topological order whose output diverges -- the node whose inputs still
agree but whose outputs do not.

  npu-bisect.py model.onnx --input x=x.npy
  npu-bisect.py model.onnx --random-inputs --seed 1
  npu-bisect.py model.onnx --random-inputs --npuc-arg=--debug-perturb-node=conv1

Error metric per tensor: max|npu - ort| / max|ort| for floats (absolute
when max|ort| < 1, so near-zero tensors are not over-weighted), exact for
integers and booleans; NaN/Inf must sit at the same positions.
Default tolerance 1e-4.

Exit status: 0 outputs match, 1 divergence found (the first diverging node
is printed), 2 usage or tool error (a model npu cannot compile included).
Needs /usr/bin/python3 with numpy and onnx, node, and onnxruntime-node
under $ORT_NODE_DIR (default ~/.cache/npu/ort/node_modules).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PREFIX = "npu_bisect_"


class ToolError(Exception):
    pass


def sanitize(name):
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)


def find_tool(explicit, name):
    """--npuc/--npu-run if given, else PATH, else the source tree's build/bin."""
    if explicit:
        return explicit
    p = shutil.which(name)
    if p:
        return p
    p = os.path.join(ROOT, "build", "bin", name)
    if os.access(p, os.X_OK):
        return p
    raise ToolError(f"cannot find {name}; put it on PATH or pass --{name}")


def run(cmd, what, env=None):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, env=env)
    if p.returncode != 0:
        raise ToolError(f"{what} failed (exit {p.returncode}): "
                        f"{' '.join(cmd)}\n{p.stderr.strip()}")
    return p


# ----------------------------------------------------------------- inputs
def np_dtype(elem_type):
    import numpy as np
    import onnx
    try:
        return np.dtype(onnx.helper.tensor_dtype_to_np_dtype(elem_type))
    except AttributeError:  # onnx < 1.13
        return np.dtype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[elem_type])


def graph_inputs(model):
    inits = {i.name for i in model.graph.initializer}
    return [i for i in model.graph.input if i.name not in inits]


def random_inputs(model, seed, workdir, fixed):
    import numpy as np
    rng = np.random.default_rng(seed)
    paths, shapes = {}, {}
    for vi in graph_inputs(model):
        if vi.name in fixed:
            continue
        tt = vi.type.tensor_type
        shape = []
        symbolic = False
        for d in tt.shape.dim:
            if d.HasField("dim_value") and d.dim_value > 0:
                shape.append(d.dim_value)
            else:
                shape.append(1)
                symbolic = True
        if symbolic:
            shapes[vi.name] = shape
        dt = np_dtype(tt.elem_type)
        if dt == np.bool_:
            x = rng.integers(0, 2, size=shape).astype(np.bool_)
        elif np.issubdtype(dt, np.integer):
            x = rng.integers(0, 4, size=shape).astype(dt)
        else:
            x = rng.standard_normal(size=shape).astype(dt)
        path = os.path.join(workdir, f"in_{sanitize(vi.name)}.npy")
        np.save(path, x)
        paths[vi.name] = path
    return paths, shapes


# -------------------------------------------------------------- comparing
def tensor_error(a, b):
    """Error of npu result a against reference b; inf on shape/dtype mismatch."""
    import numpy as np
    if a.shape != b.shape:
        return float("inf"), f"shape {a.shape} vs reference {b.shape}"
    if a.dtype.kind in "iub" or b.dtype.kind in "iub":
        if a.dtype.kind in "f" or b.dtype.kind in "f":
            return float("inf"), f"dtype {a.dtype} vs reference {b.dtype}"
        n = int(np.count_nonzero(a != b))
        return (0.0 if n == 0 else float("inf")), f"{n} of {a.size} elements differ"
    a = a.astype(np.float64)
    b = b.astype(np.float64)
    if a.size == 0:
        return 0.0, "empty"
    fa, fb = np.isfinite(a), np.isfinite(b)
    special = ~(fa & fb)
    if special.any():
        same = (np.isnan(a) & np.isnan(b)) | (a == b)
        if not same[special].all():
            n = int(np.count_nonzero(special & ~same))
            return float("inf"), f"{n} NaN/Inf elements differ"
    both = fa & fb
    if not both.any():
        return 0.0, "all NaN/Inf, matching"
    diff = np.abs(a[both] - b[both])
    scale = max(1.0, float(np.abs(b[both]).max()))
    err = float(diff.max()) / scale
    return err, f"max|a-b| = {float(diff.max()):.6g}, max|ref| = {float(np.abs(b[both]).max()):.6g}"


# ---------------------------------------------------------------- running
class Runner:
    def __init__(self, args, workdir, inputs, shapes):
        self.args = args
        self.workdir = workdir
        self.inputs = inputs
        self.shapes = shapes
        self.npuc = find_tool(args.npuc, "npuc")
        self.npu_run = find_tool(args.npu_run, "npu-run")
        self.ort_env = dict(os.environ)
        self.ort_env.setdefault("ORT_NODE_DIR",
                                os.path.expanduser("~/.cache/npu/ort/node_modules"))
        self.count = 0

    def input_flags(self):
        flags = []
        for name, path in self.inputs.items():
            flags += ["--input", f"{name}={path}"]
        return flags

    def run_both(self, model_path, names):
        """Runs model_path on both; returns {name: (npu array, ort array)}."""
        import numpy as np
        self.count += 1
        tag = f"run{self.count}"
        npu_dir = os.path.join(self.workdir, tag + "-npu")
        ort_dir = os.path.join(self.workdir, tag + "-ort")
        so = os.path.join(self.workdir, tag + ".so")
        ort_cmd = ["node", self.args.ort_runner, model_path] + self.input_flags() + \
            ["--output-dir", ort_dir]
        ort = subprocess.Popen(ort_cmd, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=self.ort_env)
        try:
            npuc_cmd = [self.npuc, model_path, "--target=cpu", "-o", so]
            npuc_cmd += [f"--input-shape={n}:{'x'.join(map(str, s))}"
                         for n, s in self.shapes.items()]
            npuc_cmd += self.args.npuc_arg
            run(npuc_cmd, "npuc")
            run([self.npu_run, so] + self.input_flags() + ["--output-dir", npu_dir],
                "npu-run")
        finally:
            out, err = ort.communicate()
        if ort.returncode != 0:
            raise ToolError(f"ONNX Runtime failed (exit {ort.returncode}): "
                            f"{' '.join(ort_cmd)}\n{err.strip()}")
        result = {}
        for name in names:
            f = sanitize(name) + ".npy"
            pa, pb = os.path.join(npu_dir, f), os.path.join(ort_dir, f)
            for p, who in ((pa, "npu-run"), (pb, "ONNX Runtime")):
                if not os.path.exists(p):
                    raise ToolError(f"{who} did not write {p}")
            result[name] = (np.load(pa), np.load(pb))
        return result


def expose(model, tensors, path):
    """Writes a copy of model with each tensor also a graph output, through
    an Identity node; returns {tensor: exposed output name}."""
    import onnx
    import onnx.helper as oh
    m = onnx.ModelProto()
    m.CopyFrom(model)
    g = m.graph
    existing = {o.name for o in g.output}
    names = {}
    for i, (t, vtype) in enumerate(tensors):
        if t in existing:
            names[t] = t
            continue
        out = f"{PREFIX}{i}"
        g.node.append(oh.make_node("Identity", [t], [out], name=f"{PREFIX}node_{i}"))
        vi = onnx.ValueInfoProto()
        vi.name = out
        vi.type.CopyFrom(vtype)
        g.output.append(vi)
        names[t] = out
    onnx.save(m, path)
    return names


def main(argv):
    ap = argparse.ArgumentParser(
        prog="npu-bisect",
        description="Compare npu with ONNX Runtime on one model and, if they "
                    "diverge, name the first diverging ONNX node.",
        epilog="Exit status: 0 match, 1 divergence found, 2 usage/tool error.")
    ap.add_argument("model")
    ap.add_argument("--input", action="append", default=[], metavar="NAME=FILE.npy")
    ap.add_argument("--random-inputs", action="store_true",
                    help="generate inputs not given with --input (symbolic dims become 1)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--tolerance", type=float, default=1e-4,
                    help="max|a-b|/max(1, max|ref|) allowed for floats (default 1e-4)")
    ap.add_argument("--chunk", type=int, default=0,
                    help="expose at most N intermediates per run, in topological "
                         "order, stopping at the first diverging chunk (default: all at once)")
    ap.add_argument("--npuc-arg", action="append", default=[], metavar="FLAG",
                    help="extra npuc flag, e.g. --npuc-arg=--debug-perturb-node=X")
    ap.add_argument("--npuc")
    ap.add_argument("--npu-run")
    ap.add_argument("--ort-runner", default=os.path.join(ROOT, "third_party", "shared", "ort_run.js"))
    ap.add_argument("--keep", metavar="DIR", help="work in DIR and keep it")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every tensor's error")
    try:
        args = ap.parse_args(argv)
    except SystemExit as e:
        return 0 if e.code == 0 else 2

    try:
        import numpy as np  # noqa: F401
        import onnx
        import onnx.shape_inference
    except ImportError as e:
        print(f"npu-bisect: error: {e} (use /usr/bin/python3)", file=sys.stderr)
        return 2

    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
        workdir = args.keep
        cleanup = None
    else:
        cleanup = tempfile.TemporaryDirectory(prefix="npu-bisect-")
        workdir = cleanup.name
    try:
        return bisect(args, workdir)
    except ToolError as e:
        print(f"npu-bisect: error: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # a bug here must not read as "divergence found"
        import traceback
        traceback.print_exc()
        print(f"npu-bisect: internal error: {e}", file=sys.stderr)
        return 2
    finally:
        if cleanup:
            cleanup.cleanup()


def bisect(args, workdir):
    import onnx
    import onnx.shape_inference
    try:
        model = onnx.load(args.model)
    except Exception as e:
        raise ToolError(f"cannot load {args.model}: {e}")
    inputs = {}
    for spec in args.input:
        if "=" not in spec:
            raise ToolError(f"bad --input '{spec}' (expected NAME=FILE.npy)")
        n, p = spec.split("=", 1)
        inputs[n] = os.path.abspath(p)
    shapes = {}
    missing = [i.name for i in graph_inputs(model) if i.name not in inputs]
    if missing:
        if not args.random_inputs:
            raise ToolError(f"no value for input(s) {', '.join(missing)}; "
                            "pass --input NAME=FILE.npy or --random-inputs")
        gen, shapes = random_inputs(model, args.seed, workdir, inputs)
        inputs.update(gen)
    runner = Runner(args, workdir, inputs, shapes)
    tol = args.tolerance

    # 1. The final outputs.
    outs = [o.name for o in model.graph.output]
    res = runner.run_both(os.path.abspath(args.model), outs)
    bad = []
    for name in outs:
        err, detail = tensor_error(*res[name])
        if args.verbose or err > tol:
            print(f"output '{name}': error {err:.3g} ({detail})")
        if err > tol:
            bad.append(name)
    if not bad:
        print(f"MATCH: all {len(outs)} output(s) within tolerance {tol:g} "
              f"of ONNX Runtime")
        return 0
    print(f"DIVERGED: {len(bad)} of {len(outs)} output(s) beyond tolerance {tol:g}; "
          "bisecting")

    # 2. Every top-level node output whose type is known, in topological order.
    try:
        inferred = onnx.shape_inference.infer_shapes(model)
    except Exception as e:
        print(f"npu-bisect: warning: shape inference failed ({e}); "
              "exposing only tensors with declared types", file=sys.stderr)
        inferred = model
    types = {}
    for vi in list(inferred.graph.value_info) + list(inferred.graph.output):
        if vi.type.HasField("tensor_type") and vi.type.tensor_type.elem_type:
            types[vi.name] = vi.type
    producer = {}
    tensors = []
    for idx, node in enumerate(model.graph.node):
        for o in node.output:
            if o and o in types:
                producer[o] = idx
                tensors.append((o, types[o]))
    if not tensors:
        raise ToolError("no intermediate tensor has a known type")

    chunk = args.chunk if args.chunk > 0 else len(tensors)
    errors = {}
    first = None
    variant = os.path.join(workdir, "exposed.onnx")
    for start in range(0, len(tensors), chunk):
        part = tensors[start:start + chunk]
        exposed = expose(model, part, variant)
        res = runner.run_both(variant, list(exposed.values()))
        for t, _ in part:
            errors[t] = tensor_error(*res[exposed[t]])
        for t, _ in part:
            if errors[t][0] > tol:
                first = t
                break
        if first:
            break

    print(f"ran {runner.count} compile+run pair(s), exposing {len(errors)} "
          f"of {len(tensors)} intermediate tensor(s)")
    if args.verbose:
        for t, (err, detail) in errors.items():
            print(f"  {err:10.3g}  {t}  ({detail})")
    if first is None:
        print("no intermediate tensor diverges although an output does "
              "(divergence disappears when intermediates are exposed?)")
        return 1
    node = model.graph.node[producer[first]]
    err, detail = errors[first]
    print(f"FIRST DIVERGING NODE: '{node.name}' ({node.op_type}), "
          f"node #{producer[first]} in topological order")
    print(f"  output '{first}': error {err:.3g} ({detail})")
    for i in node.input:
        if i in errors:
            print(f"  input '{i}': error {errors[i][0]:.3g} (within tolerance)")
        elif i:
            print(f"  input '{i}': graph input or initializer (identical)")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
