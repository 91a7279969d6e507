#!/usr/bin/python3
"""End-to-end check: compile each reference model with npuc, run it with
npu-run, run the same inputs through ONNX Runtime (ort_run.js), and compare
every output.
- --target cpu (default): max|npu - ort| / max|ort| <= 1e-4.
- --target npu: the artifact runs on the simulator (--config, default dv-910)
  with the race checker on; it needs cosine similarity >= 0.999 and
  max|npu - ort| / max|ort| <= 2e-2 (fp16 cube inputs), and no simulator
  warnings in the run statistics.

Usage: run_models.py --build BUILD [--target cpu|npu] [--models mlp_b1_op13 ...] [--keep DIR]
Models come from $NPU_MODELS_DIR (default ~/.cache/npu/models; make them with
scripts/models.sh). Exit status 1 if any model fails."""
import argparse, json, os, subprocess, sys, tempfile, time
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT = ["mlp_b1_op13", "mlp_b64_op13", "resnet18_op13", "resnet50_op13",
           "mobilenet_v2_op13", "bert_tiny_op13", "bert_tiny_op17"]
TOL = {"cpu": 1e-4, "npu": 2e-2}
COS_MIN = 0.999


def make_input(name, rng):
    if name.startswith("bert_tiny"):
        return rng.integers(0, 8192, size=(1, 128), dtype=np.int64)
    if name.startswith("mlp_b64"):
        return rng.standard_normal((64, 1024), dtype=np.float32)
    if name.startswith("mlp_b1"):
        return rng.standard_normal((1, 1024), dtype=np.float32)
    return rng.standard_normal((1, 3, 224, 224), dtype=np.float32)


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stderr.strip()}")
    return p


def check(name, build, models_dir, work, target, config, npuc_args=()):
    model = os.path.join(models_dir, name + ".onnx")
    if not os.path.exists(model):
        raise RuntimeError(f"{model} is missing (run scripts/models.sh)")
    art = os.path.join(work, name + (".npu" if target == "npu" else ".so"))
    t0 = time.time()
    cmd = [os.path.join(build, "bin", "npuc"), model, "--target=" + target, "-o", art]
    if target == "npu":
        cmd += ["--config=" + config, "--report=" + os.path.join(work, name + "_report.json")]
    run(cmd + list(npuc_args))
    compile_s = time.time() - t0
    x = make_input(name, np.random.default_rng(0))
    xin = os.path.join(work, name + "_input.npy")
    np.save(xin, x)
    out_npu, out_ort = os.path.join(work, name + "_npu"), os.path.join(work, name + "_ort")
    cmd = [os.path.join(build, "bin", "npu-run"), art, "--input", "input=" + xin,
           "--output-dir", out_npu]
    stats_path = os.path.join(work, name + "_stats.json")
    if target == "npu":
        cmd += ["--config=" + config, "--stats=" + stats_path]
    p = run(cmd)
    latency = p.stdout.strip().splitlines()[-1]
    if target == "npu":
        with open(stats_path) as f:
            stats = json.load(f)
        if stats.get("warnings"):
            raise RuntimeError(f"simulator warnings: {stats['warnings'][:3]}")
        latency = (f"{stats['total_cycles']} cycles, {stats['kernel_count']} NPU kernels, "
                   f"{len(stats.get('cpu_parts', []))} CPU parts, sim {stats['host_seconds']:.2f} s")
    env = dict(os.environ)
    env.setdefault("ORT_NODE_DIR", os.path.expanduser("~/.cache/npu/ort/node_modules"))
    run(["node", os.path.join(ROOT, "third_party/shared/ort_run.js"), model, "--input",
         "input=" + xin, "--output-dir", out_ort], env=env)
    worst, worst_cos = 0.0, 1.0
    outs = sorted(os.listdir(out_ort))
    if not outs:
        raise RuntimeError("ONNX Runtime produced no outputs")
    for f in outs:
        ref = np.load(os.path.join(out_ort, f))
        got_path = os.path.join(out_npu, f)
        if not os.path.exists(got_path):
            raise RuntimeError(f"npu-run did not write {f}")
        got = np.load(got_path)
        if got.shape != ref.shape or got.dtype != ref.dtype:
            raise RuntimeError(f"{f}: npu {got.dtype}{got.shape} vs ort {ref.dtype}{ref.shape}")
        scale = float(np.max(np.abs(ref.astype(np.float64))))
        err = float(np.max(np.abs(got.astype(np.float64) - ref.astype(np.float64))))
        rel = err / scale if scale > 0 else err
        if not np.all(np.isfinite(got)):
            rel = float("inf")
        worst = max(worst, rel)
        a, b = got.astype(np.float64).ravel(), ref.astype(np.float64).ravel()
        denom = np.linalg.norm(a) * np.linalg.norm(b)
        cos = float(a @ b / denom) if denom > 0 else float(np.array_equal(a, b))
        worst_cos = min(worst_cos, cos)
    return worst, worst_cos, compile_s, latency


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--models", nargs="+", default=DEFAULT)
    ap.add_argument("--keep", help="keep artifacts and outputs in this folder")
    ap.add_argument("--target", choices=["cpu", "npu"], default="cpu")
    ap.add_argument("--config", default="dv-910", help="simulator preset (npu target)")
    ap.add_argument("--npuc-arg", action="append", default=[],
                    help="extra npuc flag, e.g. --npuc-arg=--npu-kernels=matmul (repeatable)")
    a = ap.parse_args()
    models_dir = os.environ.get("NPU_MODELS_DIR", os.path.expanduser("~/.cache/npu/models"))
    work = a.keep or tempfile.mkdtemp(prefix="npu-e2e-")
    os.makedirs(work, exist_ok=True)
    failures = 0
    tol = TOL[a.target]
    print(f"{'model':20s} {'max|a-b|/max|ref|':>18s} {'cosine':>9s} {'npuc s':>7s}  npu-run")
    for name in a.models:
        try:
            rel, cos, cs, lat = check(name, a.build, models_dir, work, a.target, a.config,
                                      a.npuc_arg)
            ok = rel <= tol and (a.target == "cpu" or cos >= COS_MIN)
            failures += not ok
            verdict = "ok" if ok else f"FAIL (tolerance {tol:g}" + (
                f", cosine >= {COS_MIN})" if a.target == "npu" else ")")
            print(f"{name:20s} {rel:18.3e} {cos:9.6f} {cs:7.1f}  {lat}  {verdict}", flush=True)
        except Exception as e:  # report and continue with the next model
            failures += 1
            print(f"{name:20s} FAIL: {e}", flush=True)
    print(f"{len(a.models) - failures}/{len(a.models)} models match ONNX Runtime")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
