#!/usr/bin/python3
"""ONNX backend conformance: compile every case of the ONNX backend test data
with npuc, run it with npu-run, and compare with the expected outputs.

Each case is classified as pass, compile-error, run-error, mismatch, timeout
or crash. Known failures are listed, with a reason, in expected_failures.txt
next to this script. The exit status is 1 on any crash, any failure that is
not listed (or listed with another class) and any listed case that passes.

Usage: run_backend.py [--build DIR] [--suite S ...] [--filter REGEX]
                      [--jobs N] [--results FILE] [--update-expected]
"""
import argparse, concurrent.futures as cf, json, os, re, shutil, signal
import subprocess, sys, tempfile, time

import numpy as np
import onnx
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = "/usr/share/libonnx-testdata/data"
SUITES = ["node", "pytorch-converted", "pytorch-operator", "simple"]
EXPECTED = os.path.join(HERE, "expected_failures.txt")
CLASSES = ["pass", "compile-error", "run-error", "mismatch", "timeout", "crash"]
RTOL, ATOL = 1e-3, 1e-5
CRASH_MARKS = ("Stack dump", "PLEASE submit a bug report", "Segmentation fault",
               "Aborted")
PLACEHOLDER = "TODO(review): "
MAX_OPSET = 17  # newest opset the importer implements


class CaseFailure(Exception):
    def __init__(self, cls, detail):
        super().__init__(detail)
        self.cls, self.detail = cls, detail


def sanitize(name):
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)


def first_error(text):
    """The most telling line of a tool's stderr, for the results file."""
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    for l in lines:
        if "error" in l.lower():
            return l[:400]
    return (lines[0] if lines else "")[:400]


def run_tool(cmd, deadline, what):
    """Runs cmd in its own process group; CaseFailure on timeout or crash."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise CaseFailure("timeout", f"no time left for {what}")
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, errors="replace", start_new_session=True)
    try:
        out, err = p.communicate(timeout=left)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        raise CaseFailure("timeout", f"{what} exceeded the time limit")
    if p.returncode < 0:
        raise CaseFailure("crash", f"{what} killed by signal {-p.returncode}: "
                          + first_error(err))
    for mark in CRASH_MARKS:
        if mark in err:
            raise CaseFailure("crash", f"{what}: '{mark}' in stderr: "
                              + first_error(err))
    return p.returncode, out, err


def compare(name, got, exp):
    """None when `got` matches `exp`, else why not."""
    if got.dtype != exp.dtype:
        return f"{name}: dtype {got.dtype}, expected {exp.dtype}"
    if got.shape != exp.shape:
        return f"{name}: shape {got.shape}, expected {exp.shape}"
    if np.issubdtype(exp.dtype, np.floating):
        g, e = got.astype(np.float64), exp.astype(np.float64)
        ok = np.isclose(g, e, rtol=RTOL, atol=ATOL, equal_nan=True)
        if not ok.all():
            i = np.unravel_index(np.argmin(ok), ok.shape) if ok.ndim else ()
            return (f"{name}: {int((~ok).sum())}/{ok.size} elements differ, "
                    f"e.g. at {tuple(int(x) for x in i)} got {g[i]!r} "
                    f"expected {e[i]!r}")
        return None
    if not np.array_equal(got, exp):
        diff = got != exp
        return f"{name}: {int(diff.sum())}/{diff.size} elements differ"
    return None


def graph_inputs(model):
    inits = {t.name for t in model.graph.initializer}
    return [i for i in model.graph.input if i.name not in inits]


def bf16_to_float(bits):
    """numpy has no bfloat16: ONNX and npu-run store its uint16 bit patterns."""
    return (bits.astype(np.uint32) << 16).view(np.float32)


def elem_type(tp):
    """Element type of a tensor type, or of a sequence's/optional's tensors."""
    while True:
        kind = tp.WhichOneof("value")
        if kind == "sequence_type":
            tp = tp.sequence_type.elem_type
        elif kind == "optional_type":
            tp = tp.optional_type.elem_type
        else:
            return tp.tensor_type.elem_type if kind == "tensor_type" else 0


def shape_spec(a):
    """npuc --input-shape syntax of an array's shape."""
    return "x".join(map(str, a.shape)) if a.ndim else "scalar"


def has_open_dims(tp):
    """Whether a tensor type leaves a dimension symbolic or unknown."""
    if tp.WhichOneof("value") == "optional_type":
        tp = tp.optional_type.elem_type
    if tp.WhichOneof("value") != "tensor_type":
        return False
    t = tp.tensor_type
    return not t.HasField("shape") or any(not d.HasField("dim_value")
                                          for d in t.shape.dim)


def load_value(pb, tp):
    """Reads a test-data file of ONNX type `tp`: ("tensor", array),
    ("sequence", [arrays]) or ("none", None)."""
    with open(pb, "rb") as f:
        data = f.read()
    kind = tp.WhichOneof("value")
    if kind == "optional_type":
        o = onnx.OptionalProto()
        o.ParseFromString(data)
        val = numpy_helper.to_optional(o)
        if val is None:
            return "none", None
        return ("sequence", val) if isinstance(val, list) else ("tensor", val)
    if kind == "sequence_type":
        q = onnx.SequenceProto()
        q.ParseFromString(data)
        return "sequence", numpy_helper.to_list(q)
    if kind not in (None, "tensor_type"):
        raise CaseFailure("run-error", f"runner: {kind} values are not supported")
    t = onnx.TensorProto()
    t.ParseFromString(data)
    return "tensor", numpy_helper.to_array(t)


BIND_HINT = re.compile(r"--bind-input (\S+?)=FILE")


def compile_case(args, cdir, so, inputs, deadline, flags=()):
    """Compiles with npuc. When npuc says a run-time graph input must be a
    compile-time constant (it defines a shape: a Reshape target, TopK's K...)
    and suggests --bind-input, binds that input to the case's test value and
    compiles again. Returns the bound input names."""
    bound = {}
    while True:
        cmd = [args.npuc, os.path.join(cdir, "model.onnx"), "--target=cpu",
               "-O", str(args.opt), "-o", so, *flags]
        cmd += [f"--bind-input={n}={p}" for n, p in bound.items()]
        rc, _, err = run_tool(cmd, deadline, "npuc")
        if rc == 0:
            return bound
        new = [n for n in BIND_HINT.findall(err)
               if n in inputs and n not in bound and os.path.exists(inputs[n])]
        if not new:
            raise CaseFailure("compile-error",
                              first_error(err.replace(cdir + "/", "")))
        bound.update((n, inputs[n]) for n in new)


def run_case(suite, case, args):
    """Returns the result record of one case."""
    t0 = time.monotonic()
    deadline = t0 + args.timeout
    cdir = os.path.join(DATA, suite, case)
    work = tempfile.mkdtemp(prefix=case[:40] + ".", dir=args.work)
    rec = {"suite": suite, "case": case}
    try:
        model = onnx.load(os.path.join(cdir, "model.onnx"))
        rec["class"], rec["detail"] = "pass", ""
        so = os.path.join(work, "model.so")
        ddir = os.path.join(cdir, "test_data_set_0")
        inputs = {gi.name: os.path.join(ddir, f"input_{k}.pb")
                  for k, gi in enumerate(graph_inputs(model))}
        # Sequence and optional inputs are fixed at compile time: element
        # shapes, or None; their tensors are then ordinary inputs.
        flags, feeds = [], []
        for k, gi in enumerate(graph_inputs(model)):
            pb = inputs[gi.name]
            if not os.path.exists(pb):
                continue
            kind, val = load_value(pb, gi.type)
            if kind == "none":
                flags.append(f"--input-shape={gi.name}:none")
            elif kind == "sequence":
                shapes = ",".join(shape_spec(a) for a in val)
                flags.append(f"--input-shape={gi.name}:[{shapes}]")
                feeds += [(f"{gi.name}.{j}", a) for j, a in enumerate(val)]
            else:
                # Static shapes: symbolic dims take the test value's shape.
                if has_open_dims(gi.type):
                    flags.append(f"--input-shape={gi.name}:{shape_spec(val)}")
                feeds.append((gi.name, val))
        bound = compile_case(args, cdir, so, inputs, deadline, flags)
        if bound:
            rec["bound"] = sorted(bound)
        cmd = [args.npu_run, so, "--output-dir", os.path.join(work, "out")]
        for j, (name, arr) in enumerate(feeds):
            if name in bound:
                continue
            npy = os.path.join(work, f"in{j}.npy")
            np.save(npy, arr)
            cmd += ["--input", f"{name}={npy}"]
        rc, _, err = run_tool(cmd, deadline, "npu-run")
        if rc != 0:
            raise CaseFailure("run-error", first_error(err))
        problems = []
        for k, go in enumerate(model.graph.output):
            kind, val = load_value(os.path.join(ddir, f"output_{k}.pb"), go.type)
            if kind == "none":
                problems.append(f"{go.name}: expected None")
                continue
            expected = ([(f"{go.name}.{j}", a) for j, a in enumerate(val)]
                        if kind == "sequence" else [(go.name, val)])
            if kind == "sequence" and os.path.exists(os.path.join(
                    work, "out", sanitize(f"{go.name}.{len(val)}") + ".npy")):
                problems.append(f"{go.name}: more than {len(val)} elements")
            for name, exp in expected:
                path = os.path.join(work, "out", sanitize(name) + ".npy")
                if not os.path.exists(path):
                    problems.append(f"{name}: no output written")
                    continue
                got = np.load(path)
                if elem_type(go.type) == onnx.TensorProto.BFLOAT16:
                    got, exp = bf16_to_float(got), bf16_to_float(exp)
                why = compare(name, got, exp)
                if why:
                    problems.append(why)
        if problems:
            raise CaseFailure("mismatch", "; ".join(problems)[:400])
    except CaseFailure as f:
        rec["class"], rec["detail"] = f.cls, f.detail
    except Exception as e:  # a runner problem must not pass silently
        rec["class"], rec["detail"] = "run-error", f"runner: {type(e).__name__}: {e}"[:400]
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    rec["seconds"] = round(time.monotonic() - t0, 2)
    rec.update(describe_model(os.path.join(cdir, "model.onnx")))
    return rec


_VERSIONS = {}


def schema_versions(op, domain):
    """Every opset version in which `op` got a new definition."""
    if not _VERSIONS:
        for sc in onnx.defs.get_all_schemas_with_history():
            _VERSIONS.setdefault((sc.domain, sc.name), set()).add(sc.since_version)
    return sorted(_VERSIONS.get((domain, op), ()))


def describe_model(path):
    """Default-domain opset and, per top-level node, op type, the opset its
    definition dates from and its dtype ("in" or "in->out")."""
    try:
        m = onnx.load(path)
        try:
            m = onnx.shape_inference.infer_shapes(m)
        except Exception:
            pass
        opset = max([o.version for o in m.opset_import
                     if o.domain in ("", "ai.onnx")] or [1])
        types = {}
        for v in list(m.graph.input) + list(m.graph.value_info) + list(m.graph.output):
            tt = v.type.WhichOneof("value")
            if tt == "tensor_type":
                types[v.name] = onnx.TensorProto.DataType.Name(
                    v.type.tensor_type.elem_type).lower()
            elif tt:
                types[v.name] = tt.replace("_type", "")
        for t in m.graph.initializer:
            types[t.name] = onnx.TensorProto.DataType.Name(t.data_type).lower()
        nodes = []
        for n in m.graph.node:
            since, until = opset, opset
            try:
                since = onnx.defs.get_schema(n.op_type, opset, n.domain).since_version
                later = [v for v in schema_versions(n.op_type, n.domain) if v > since]
                until = later[0] - 1 if later else MAX_OPSET
            except Exception:
                pass
            ins = [types.get(i, "?") for i in n.input if i]
            outs = [types.get(o, "?") for o in n.output if o]
            dt = ins[0] if ins else (outs[0] if outs else "?")
            if outs and outs[0] != dt:
                dt += "->" + outs[0]
            node = {"op": n.op_type, "since": since, "until": min(until, MAX_OPSET),
                    "dtype": dt}
            if n.domain not in ("", "ai.onnx"):
                node["domain"] = n.domain
            if node not in nodes:
                nodes.append(node)
        return {"opset": opset, "nodes": nodes}
    except Exception as e:
        return {"opset": 0, "nodes": [], "model_error": str(e)[:200]}


#===------------------------------------------------------------------------===#
# Expected failures
#===------------------------------------------------------------------------===#

LINE = re.compile(r"^(\S+)/(\S+)\s+(\S+)\s*(?:#\s*(.*))?$")


def read_expected(path):
    exp = {}
    if not os.path.exists(path):
        return exp
    with open(path) as f:
        for n, line in enumerate(f, 1):
            s = line.strip()
            if not s or s.startswith("#"):
                continue
            m = LINE.match(s)
            if not m or m.group(3) not in CLASSES[1:]:
                sys.exit(f"{path}:{n}: expected 'suite/case  class  # reason', got: {s}")
            exp[(m.group(1), m.group(2))] = (m.group(3), (m.group(4) or "").strip())
    return exp


TRAINING_OPS = {"Adagrad", "Adam", "Momentum", "Gradient"}
SEQUENCE_OPS = {"SequenceAt", "SequenceConstruct", "SequenceEmpty", "SequenceErase",
                "SequenceInsert", "SequenceLength", "SequenceMap", "SplitToSequence",
                "ConcatFromSequence", "OptionalHasElement", "OptionalGetElement",
                "Optional"}
REASONS = [  # (pattern on the detail, reason); {0} is the first group
    (r"domain 'ai\.onnx\.preview\.training'|no default-domain .* opset",
     "training op (ai.onnx.preview.training)"),
    (r"unsupported element type string|names unsupported type string",
     "string tensors unsupported"),
    (r"is not a tensor; sequence, map, optional",
     "sequence/optional values unsupported"),
    (r"must be a constant; only static shapes",
     "shape-defining input is a run-time graph input (static shapes only)"),
    (r"symbolic dimension", "symbolic input dims (static shapes only)"),
    (r"zero-sized graph inputs", "zero-sized graph input/output (rejected: graph I/O must hold data)"),
    (r"\((\w+)\): supported only on constant integer inputs",
     "{0} supported on constant integer inputs only (shape computations)"),
    (r"only 1-D and 2-D windows", "3-D convolution/pooling not implemented yet"),
    (r"\((\w+)\): output \d+ \('[^']*'\) is used",
     "{0}: optional output not implemented yet"),
    (r"training_mode", "training mode unsupported (inference only)"),
]


def suggest_reason(rec):
    """A grouped reason for a new expected failure, for the reviewer."""
    d = rec["detail"]
    m = re.search(r"unsupported operator '([^']+)'", d)
    if m:
        op = m.group(1).split(".")[-1]
        if op in TRAINING_OPS:
            return "training op (ai.onnx.preview.training)"
        if op in SEQUENCE_OPS:
            return "sequence/optional values unsupported"
        if op in ("If", "Loop", "Scan"):
            return "control flow (If/Loop/Scan) not implemented yet"
        if op in ("StringNormalizer", "TfIdfVectorizer"):
            return "string tensors unsupported"
        if op.startswith("Random") or op == "Bernoulli":
            return "random-number ops unsupported (outputs not reproducible)"
        return f"op {op} not implemented yet"
    for pattern, reason in REASONS:
        m = re.search(pattern, d)
        if m:
            return reason.format(*m.groups())
    return PLACEHOLDER + d[:120]


def write_expected(path, results, old, selected):
    """Keeps entries outside the run's selection and the reasons of entries
    that still fail; new failures get a placeholder for the reviewer."""
    entries = {k: v for k, v in old.items() if not selected(*k)}
    for r in results:
        if r["class"] == "pass":
            continue
        key = (r["suite"], r["case"])
        reason = old[key][1] if key in old else suggest_reason(r)
        entries[key] = (r["class"], reason)
    header = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if not line.startswith("#"):
                    break
                header.append(line)
    with open(path, "w") as f:
        f.writelines(header)
        width = max([len(f"{s}/{c}") for s, c in entries] + [0]) + 2
        for (s, c), (cls, reason) in sorted(entries.items()):
            f.write(f"{s}/{c}".ljust(width) + cls.ljust(15) + f"# {reason}\n")


#===------------------------------------------------------------------------===#
# Main
#===------------------------------------------------------------------------===#

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--suite", action="append", choices=SUITES,
                    help="suite to run (repeatable; default: all four)")
    ap.add_argument("--filter", help="regex on 'suite/case'")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=60.0,
                    help="seconds per case for compile and run together")
    ap.add_argument("-O", dest="opt", type=int, default=1,
                    help="npuc -O level for the cases (default 1)")
    ap.add_argument("--results", default=os.path.join(HERE, "results.json"),
                    help="JSON results file (a .csv twin is written beside it)")
    ap.add_argument("--expected", default=EXPECTED)
    ap.add_argument("--update-expected", action="store_true",
                    help="rewrite the expected-failures file from this run")
    ap.add_argument("--keep", action="store_true", help="keep work folders")
    ap.add_argument("--work", help="folder for work files (default: a temp dir)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    args.npuc = os.path.join(args.build, "bin", "npuc")
    args.npu_run = os.path.join(args.build, "bin", "npu-run")
    for tool in (args.npuc, args.npu_run):
        if not os.access(tool, os.X_OK):
            sys.exit(f"run_backend.py: {tool} not found (build it or pass --build)")
    suites = args.suite or SUITES
    rx = re.compile(args.filter) if args.filter else None

    def selected(suite, case):
        return suite in suites and (not rx or rx.search(f"{suite}/{case}"))

    cases = [(s, c) for s in suites for c in sorted(os.listdir(os.path.join(DATA, s)))
             if selected(s, c)]
    if not cases:
        sys.exit("run_backend.py: no case matches")
    own_work = not args.work
    args.work = args.work or tempfile.mkdtemp(prefix="npu-backend.")
    os.makedirs(args.work, exist_ok=True)

    t0 = time.monotonic()
    results = []
    with cf.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futs = [pool.submit(run_case, s, c, args) for s, c in cases]
        for n, fut in enumerate(cf.as_completed(futs), 1):
            r = fut.result()
            results.append(r)
            if args.verbose or r["class"] == "crash":
                print(f"[{n}/{len(cases)}] {r['suite']}/{r['case']}: {r['class']}"
                      + (f" ({r['detail']})" if r["detail"] else ""), flush=True)
    elapsed = time.monotonic() - t0
    if own_work and not args.keep:
        shutil.rmtree(args.work, ignore_errors=True)
    results.sort(key=lambda r: (SUITES.index(r["suite"]), r["case"]))

    write_results(args.results, results, suites, rx)
    expected = read_expected(args.expected)
    if args.update_expected:
        write_expected(args.expected, results, expected, selected)
        expected = read_expected(args.expected)
    return report(results, expected, suites, elapsed)


def write_results(path, results, suites, rx):
    """Merges this run into the results file (a subset run only replaces
    its own cases) and writes the CSV twin."""
    old = []
    if (rx or set(suites) != set(SUITES)) and os.path.exists(path):
        with open(path) as f:
            old = json.load(f).get("cases", [])
    mine = {(r["suite"], r["case"]) for r in results}
    merged = [r for r in old if (r["suite"], r["case"]) not in mine] + results
    merged.sort(key=lambda r: (SUITES.index(r["suite"]), r["case"]))
    stable = [{k: v for k, v in r.items() if k != "seconds"} for r in merged]
    with open(path, "w") as f:
        json.dump({"data": DATA, "rtol": RTOL, "atol": ATOL, "cases": stable},
                  f, indent=1, sort_keys=True)
        f.write("\n")
    with open(os.path.splitext(path)[0] + ".csv", "w") as f:
        f.write("suite,case,class,seconds,detail\n")
        for r in results:
            d = r["detail"].replace('"', "'")
            f.write(f'{r["suite"]},{r["case"]},{r["class"]},{r["seconds"]},"{d}"\n')


def report(results, expected, suites, elapsed):
    bad = []
    print(f"{'suite':<20}{'cases':>6}{'pass':>6}{'rate':>8}   " +
          "  ".join(c for c in CLASSES[1:]))
    for s in suites:
        rs = [r for r in results if r["suite"] == s]
        if not rs:
            continue
        n = {c: sum(r["class"] == c for r in rs) for c in CLASSES}
        print(f"{s:<20}{len(rs):>6}{n['pass']:>6}{100.0 * n['pass'] / len(rs):>7.1f}%   "
              + "  ".join(f"{n[c]:>{len(c)}}" for c in CLASSES[1:]))
    for r in results:
        key = (r["suite"], r["case"])
        name = f"{r['suite']}/{r['case']}"
        if r["class"] == "crash":
            bad.append(f"CRASH       {name}: {r['detail']}")
        elif r["class"] == "pass" and key in expected:
            bad.append(f"UNEXPECTED PASS {name} (listed as {expected[key][0]})")
        elif r["class"] != "pass" and key not in expected:
            bad.append(f"NEW FAILURE {name}: {r['class']}: {r['detail']}")
        elif r["class"] != "pass" and expected[key][0] != r["class"]:
            bad.append(f"CHANGED     {name}: {r['class']} (listed as "
                       f"{expected[key][0]}): {r['detail']}")
    print(f"{len(results)} cases in {elapsed:.0f} s")
    for line in bad:
        print(line)
    if bad:
        print(f"FAILED: {len(bad)} problems (update {os.path.relpath(EXPECTED, ROOT)} "
              "with --update-expected after review)")
        return 1
    print("OK: every result is as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
