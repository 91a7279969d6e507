#!/usr/bin/python3
"""Roofline bounds for the cube layers of a model on an npu-sim preset
(docs/design/npu-backend.md, step 0; the numbers behind §1 and the §10 decision).

For every Conv / Gemm / MatMul it gives M, N, K as the cube sees them (img2col: M =
output pixels, K = C1*16*kh*kw in load3d column order, N = output channels), the
useful MACs, the padded 16x16x16 fp16 fractals (= cube cycles on one core), the GM
bytes and the resulting compute- and GM-bound cycles on 1 and P cores.

Model (the design's assumptions; nothing here is simulated):
* fp16 everywhere in GM. Conv activations NC1HWC0 (C padded to 16), conv weights
  FRACTAL_Z and constant matmul weights FRACTAL_NZ (K, N padded to 16), matmul
  activations ND. Grouped/depthwise conv = one block-diagonal 16x16 weight per tap
  and C1 block (§7.1): a batch of C1 problems with N = 16, K = 16*kh*kw.
* Each core reads its A slice (activations) and B slice (weights) once and writes
  its C block once; one of the two slices stays in half of L1, else it is held in
  L1/2-sized chunks and the other slice is re-read per chunk. Halo rows are ignored.
* 1 core: T = max(fractals, reads / read port, writes / write port).
* P cores: the best grid (batch x M x N blocks, <= P, no K split: the ISA has no
  cross-core sync) minimising T = max(per-core fractals (imbalance counts),
  per-core reads / read port, per-core writes / write port, all bytes / shared GM
  bandwidth). N-split cores re-read activations, M-split cores re-read weights.
* L2 (the simulator's model, docs/isa.md "L2"; only if the config's l2Size > 0):
  every byte a core reads or writes crosses the L2 (l2Bandwidth, shared); HBM
  (gmBandwidth) carries only what misses and the dirty data written back. If a
  layer's unique bytes fit in l2Size, its duplicate reads hit, its input
  activation is still resident from the kernel that wrote it (unless it is a
  graph input, which the host wrote), its weights miss (first use) and its output
  is counted as written back once: shared term = max((weights + output [+ graph
  input]) / gmBandwidth, all bytes / l2Bandwidth). Otherwise as without an L2.
* Optional fixed cost per kernel (head + tail, §1: ~600 cycles) added to each layer.

Hardware constants are read from lib/Simulator/Config.{h,cpp} (the simulator's own
presets) or an INI file in the same syntax; the used ones are printed with file:line.
Usage: bench/npu/roofline.py [--model resnet50_op13 ...|--all] [--config dv-910|X.ini]
       [--cores N] [--kernel-overhead 600] [--target 12] [--json FILE]
Models come from $NPU_MODELS_DIR (default ~/.cache/npu/models). Needs onnx, numpy.
"""
import argparse, ast, json, math, operator, os, re, sys
import onnx
from onnx import shape_inference

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FRACTAL = 16  # docs/isa.md "M: the cube": one 16x16x16 fp16 fractal per cube_cycles_per_fractal
ELEM = 2      # fp16 bytes
MODELS = ["resnet50_op13", "resnet18_op13", "mobilenet_v2_op13", "bert_tiny_op13",
          "mlp_b1_op13", "mlp_b64_op13"]
USED = ["cores", "gmBandwidth", "gmReadPort", "gmWritePort", "cubeCyclesPerFractal",
        "l1Size", "l2Size", "l2Bandwidth"]

# ---------------------------------------------------------------- constants ---
_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
        ast.Div: operator.truediv, ast.LShift: operator.lshift}


def _eval(expr):
    """Evaluate a C++ initialiser: numbers, strings, + - * / <<."""
    def ev(n):
        if isinstance(n, ast.Constant):
            return n.value
        if isinstance(n, ast.BinOp) and type(n.op) in _OPS:
            return _OPS[type(n.op)](ev(n.left), ev(n.right))
        raise ValueError(f"cannot evaluate C++ initialiser '{expr}'")
    return ev(ast.parse(expr.strip(), mode="eval").body)


def load_config(name):
    """Config.h defaults (= dv-910), then presetConfig()'s overrides for `name` in
    Config.cpp, or an INI file (keys from Config.cpp's kKeys table, as applyIni)."""
    hdr, src = "include/npu/Simulator/Config.h", "lib/Simulator/Config.cpp"
    cfg, where = {}, {}
    for i, line in enumerate(open(os.path.join(ROOT, hdr)), 1):
        m = re.match(r"\s*(?:unsigned|uint64_t|double|std::string)\s+(\w+)\s*=\s*(.+?);", line)
        if m:
            cfg[m[1]], where[m[1]] = _eval(m[2]), f"{hdr}:{i}"
    lines = open(os.path.join(ROOT, src)).read().split("\n")
    keys = dict(re.findall(r'\{"(\w+)",\s*&Config::(\w+)', "\n".join(lines)))

    def preset(p):
        c, w = dict(cfg), dict(where)
        if p == "dv-910":
            return c, w
        for i, line in enumerate(lines):
            if f'if (name == "{p}")' in line:
                for j in range(i + 1, len(lines)):
                    m = re.match(r"\s*c\.(\w+)\s*=\s*(.+?);", lines[j])
                    if m:
                        c[m[1]], w[m[1]] = _eval(m[2]), f"{src}:{j + 1}"
                    elif "return c;" in lines[j]:
                        return c, w
        sys.exit(f"roofline.py: unknown preset '{p}' (not in {src})")
    if not name.endswith(".ini"):
        return preset(name)
    c, w = dict(cfg), dict(where)
    mult = {"k": 1 << 10, "kib": 1 << 10, "m": 1 << 20, "mib": 1 << 20, "g": 1 << 30, "gib": 1 << 30}
    for i, line in enumerate(open(name), 1):
        line = re.split("[;#]", line)[0].strip()
        if not line or (line.startswith("[") and line.endswith("]")):
            continue
        k, v = (s.strip() for s in line.split("=", 1))
        k = k.rsplit(".", 1)[-1]
        if k == "preset":
            c, w = preset(v)
        elif k == "name":
            c["name"], w["name"] = v, f"{name}:{i}"
        elif k in keys:
            m = re.fullmatch(r"([0-9.eE+-]+|0x[0-9a-fA-F]+)\s*([a-zA-Z]*)", v)
            c[keys[k]] = float(int(m[1], 0) if m[1].startswith("0x") else m[1]) * mult.get(m[2].lower(), 1)
            w[keys[k]] = f"{name}:{i}"
        else:
            sys.exit(f"{name}:{i}: unknown config key '{k}'")
    return c, w

# ------------------------------------------------------------------- layers ---
cdiv = lambda a, b: -(-a // b)


def layers(path):
    """Cube layers of an ONNX model as batched matmuls: dict(name, op, batch, M, N,
    K, Kp (padded K), macs, a, b, c (GM bytes per batch element), b_const,
    a_from_host (A is a graph input))."""
    mp = shape_inference.infer_shapes(onnx.load(path), data_prop=True)
    g = mp.graph
    shp = {v.name: [d.dim_value for d in v.type.tensor_type.shape.dim]
           for v in list(g.value_info) + list(g.input) + list(g.output)}
    inits = {t.name: list(t.dims) for t in g.initializer}
    shp.update(inits)
    host = {v.name for v in g.input} - set(inits)  # Graph inputs: written by the host.
    out = []
    for n in g.node:
        attr = {a.name: onnx.helper.get_attribute_value(a) for a in n.attribute}
        if n.op_type == "Conv":
            (B, C, H, W), (O, Cg, kh, kw) = shp[n.input[0]], shp[n.input[1]]
            Ho, Wo = shp[n.output[0]][2:]
            grp, M, macs = attr.get("group", 1), B * Ho * Wo, B * Ho * Wo * O * Cg * kh * kw
            ain, cout = B * cdiv(C, 16) * 16 * H * W * ELEM, M * cdiv(O, 16) * 16 * ELEM
            if grp == 1:
                Kp = cdiv(C, 16) * 16 * kh * kw
                d = dict(batch=1, M=M, N=O, K=Cg * kh * kw, Kp=Kp, a=ain, c=cout,
                         b=Kp * cdiv(O, 16) * 16 * ELEM)
            else:  # block-diagonal per C1 block; needs 16 % (C/group) == 0 (§3)
                nb = cdiv(max(C, O), 16)
                d = dict(batch=nb, M=M, N=16, K=Cg * kh * kw, Kp=16 * kh * kw, a=ain // nb,
                         c=cout // nb, b=16 * kh * kw * 16 * ELEM)
            d.update(op=f"Conv {kh}x{kw}/{attr.get('strides', [1])[0]}" + (f" g{grp}" if grp > 1 else ""),
                     macs=macs, b_const=True)
        elif n.op_type in ("Gemm", "MatMul"):
            a, b = shp[n.input[0]], shp[n.input[1]]
            if attr.get("transA"):
                a = a[::-1]
            if attr.get("transB"):
                b = b[::-1]
            K, N, const = a[-1], b[-1], n.input[1] in inits
            if len(b) == 2:  # shared B: fold A's leading dims into M
                batch, M = 1, math.prod(a[:-1])
            else:
                batch, M = math.prod(b[:-2]), a[-2]
            Kp = cdiv(K, 16) * 16
            d = dict(op=n.op_type, batch=batch, M=M, N=N, K=K, Kp=Kp, macs=batch * M * N * K,
                     a=M * K * ELEM, c=M * N * ELEM, b_const=const,
                     b=(Kp * cdiv(N, 16) * 16 if const else K * N) * ELEM)
        else:
            continue
        d["name"] = n.name or n.output[0]
        d["a_from_host"] = n.input[0] in host
        d["fractals"] = d["batch"] * cdiv(d["M"], 16) * cdiv(d["N"], 16) * d["Kp"] // 16
        out.append(d)
    return out

# --------------------------------------------------------------------- cost ---


def cost(L, cfg, P, l2=False):
    """Best grid for layer L on P cores, with the config's L2 if l2.
    Returns dict(T, bound (cube|port|GM, or with the L2 cube|port|L2|HBM), grid,
    bytes moved, cube and GM cycles)."""
    Mf, Nf, Kf, bt = cdiv(L["M"], 16), cdiv(L["N"], 16), L["Kp"] // 16, L["batch"]
    cyc = cfg["cubeCyclesPerFractal"]
    rd, wr = (min(cfg[k], cfg["gmBandwidth"]) for k in ("gmReadPort", "gmWritePort"))
    unique = bt * (L["a"] + L["b"] + L["c"])
    use_l2 = l2 and unique <= cfg["l2Size"]
    hbm = bt * (L["b"] + L["c"] + (L["a"] if L["a_from_host"] else 0))
    half_l1, best = cfg["l1Size"] / 2, None
    for gb in range(1, min(bt, P) + 1):
        for gm in range(1, min(Mf, P // gb) + 1):
            for gn in range(1, min(Nf, P // (gb * gm)) + 1):
                sa, sb = L["a"] / gm, L["b"] / gn  # per-core slices, per batch element
                # One slice resident in L1/2 (in chunks if too big), the other streamed once per chunk.
                extra = min((math.ceil(sa / half_l1) - 1) * sb, (math.ceil(sb / half_l1) - 1) * sa)
                nb = cdiv(bt, gb)
                rcore, wcore = nb * (sa + sb + extra), nb * L["c"] / (gm * gn)
                reads = bt * gm * gn * (sa + sb + extra)
                moved = reads + bt * L["c"]
                cube = nb * cdiv(Mf, gm) * cdiv(Nf, gn) * Kf * cyc
                port = max(rcore / rd, wcore / wr)
                shared, kind = moved / cfg["gmBandwidth"], "GM"
                if use_l2:
                    via_l2, via_hbm = moved / cfg["l2Bandwidth"], hbm / cfg["gmBandwidth"]
                    shared, kind = max(via_l2, via_hbm), "L2" if via_l2 >= via_hbm else "HBM"
                gmc = max(port, shared)
                t = max(cube, gmc)
                key = (t, moved)
                if best is None or key < best[0]:
                    bound = "cube" if cube >= gmc else ("port" if port >= shared else kind)
                    best = (key, bound, f"{gb}x{gm}x{gn}" if bt > 1 else f"{gm}x{gn}", moved, cube, gmc)
    (t, _), bound, grid, moved, cube, gmc = best
    return dict(T=t, bound=bound, grid=grid, bytes=moved, cube=cube, gm=gmc)


def analyse(path, cfg, P, overhead, target):
    Ls = layers(path)
    for L in Ls:
        L["c1"], L[f"c{P}"] = cost(L, cfg, 1), cost(L, cfg, P)
        if cfg["l2Size"]:
            L[f"c{P}_l2"] = cost(L, cfg, P, True)
    tot = {}
    for sub, sel in (("all", Ls), ("conv", [L for L in Ls if L["op"].startswith("Conv")])):
        if not sel:
            continue
        s = lambda key, f="T": sum(L[key][f] for L in sel)
        t1, n = s("c1"), len(sel)
        d = dict(layers=n, macs=sum(L["macs"] for L in sel), fractals=sum(L["fractals"] for L in sel),
                 cube1=s("c1", "cube"), T1=t1, unique_bytes=s("c1", "bytes"),
                 weight_bytes=sum(L["batch"] * L["b"] for L in sel if L["b_const"]),
                 **{f"bytes{P}": s(f"c{P}", "bytes"), f"cube{P}": s(f"c{P}", "cube")})
        for tag in [""] + (["_l2"] if cfg["l2Size"] else []):
            tp = s(f"c{P}{tag}")
            d[f"T{P}{tag}"], d[f"speedup{tag}"] = tp, t1 / tp
            d[f"speedup{tag}_oh{overhead}"] = (t1 + n * overhead) / (tp + n * overhead)
            # Largest fixed cost per kernel that still gives T1/TP >= target (< 0: none does).
            d[f"overhead_budget{tag}"] = (t1 - target * tp) / ((target - 1) * n)
            kinds = ("cube", "port") + (("L2", "HBM") if tag else ("GM",))
            d[f"bounds{P}{tag}"] = {b: sum(L[f"c{P}{tag}"]["bound"] == b for L in sel)
                                    for b in kinds}
        tot[sub] = d
    return Ls, tot

# ------------------------------------------------------------------- output ---


def report(name, Ls, tot, cfg, P, overhead, target):
    mb = lambda x: f"{x / 1e6:.2f}"
    print(f"\n## {name}\n")
    print(f"| layer | op | batch | M | N | K | MMACs | fractals | cube 1c | GM 1c | bound 1c "
          f"| MB 1c | grid {P}c | cube {P}c | GM {P}c | bound {P}c | MB {P}c |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|---:|---:|---|---:|")
    for L in Ls:
        a, b = L["c1"], L[f"c{P}"]
        print(f"| {L['name']} | {L['op']} | {L['batch']} | {L['M']} | {L['N']} | {L['K']} "
              f"| {L['macs'] / 1e6:.1f} | {L['fractals']} | {a['cube']:.0f} | {a['gm']:.0f} | {a['bound']} "
              f"| {mb(a['bytes'])} | {b['grid']} | {b['cube']:.0f} | {b['gm']:.0f} | {b['bound']} | {mb(b['bytes'])} |")
    for sub, d in tot.items():
        print(f"\n**Totals, {'all cube layers' if sub == 'all' else 'convs only'}** ({d['layers']} layers): "
              f"{d['macs'] / 1e9:.3f} GMAC useful, {d['fractals']:,} fractals "
              f"({d['fractals'] * 4096 / 1e9:.3f} G padded MACs).\n")
        print("| quantity | value |\n|---|---:|")
        rows = [("cube cycles, 1 core", f"{d['cube1']:,.0f}"),
                ("T1 = Σ max(cube, reads/port, writes/port)", f"{d['T1']:,.0f}"),
                ("GM bytes, 1 core (of which constant weights)",
                 f"{mb(d['unique_bytes'])} MB ({mb(d['weight_bytes'])} MB)"),
                (f"GM bytes moved, best {P}-core grids", f"{mb(d[f'bytes{P}'])} MB"),
                (f"cube cycles, {P} cores (grid imbalance counted)", f"{d[f'cube{P}']:,.0f}")]
        l2lab = f"L2 {cfg['l2Size'] / 2**20:g} MiB at {cfg['l2Bandwidth']:g} B/cycle"
        for tag, lab in [("", "no L2")] + ([("_l2", l2lab)] if cfg["l2Size"] else []):
            rows.append((f"T{P}, {lab}", f"{d[f'T{P}{tag}']:,.0f}"))
            rows.append((f"speed-up T1/T{P}, {lab} (with {overhead} cycles/kernel)",
                         f"{d[f'speedup{tag}']:.2f}x ({d[f'speedup{tag}_oh{overhead}']:.2f}x)"))
            b, ob = d[f"bounds{P}{tag}"], d[f"overhead_budget{tag}"]
            rows.append((f"layers bound by {'/'.join(b)}, {lab}", "/".join(str(v) for v in b.values())))
            rows.append((f"max cycles/kernel for {target:g}x, {lab}",
                         f"{ob:,.0f}" if ob >= 0 else f"none ({target:g}x unreachable)"))
        for r in rows:
            print(f"| {r[0]} | {r[1]} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", action="append", help="name in $NPU_MODELS_DIR or .onnx path")
    ap.add_argument("--all", action="store_true", help="all reference models")
    ap.add_argument("--config", default="dv-910", help="preset name or INI file")
    ap.add_argument("--cores", type=int, help="default: the config's cores")
    ap.add_argument("--kernel-overhead", type=int, default=600, help="head+tail cycles per kernel")
    ap.add_argument("--target", type=float, default=12, help="speed-up target (acceptance: 12)")
    ap.add_argument("--json", help="write all numbers to this file")
    args = ap.parse_args()
    cfg, where = load_config(args.config)
    P = args.cores or int(cfg["cores"])
    mdir = os.environ.get("NPU_MODELS_DIR", os.path.expanduser("~/.cache/npu/models"))
    names = MODELS if args.all else (args.model or ["resnet50_op13"])
    print(f"# Roofline: config {cfg['name']}, {P} cores, fp16\n")
    print("| constant | value | from |\n|---|---:|---|")
    for f in USED:
        print(f"| {f} | {cfg[f]:,.10g} | {where[f]} |")
    result = dict(config=cfg, sources={f: where[f] for f in USED}, cores=P,
                  kernel_overhead=args.kernel_overhead, target=args.target, models={})
    for nm in names:
        path = nm if nm.endswith(".onnx") else os.path.join(mdir, nm + ".onnx")
        Ls, tot = analyse(path, cfg, P, args.kernel_overhead, args.target)
        report(os.path.basename(path), Ls, tot, cfg, P, args.kernel_overhead, args.target)
        result["models"][os.path.basename(path)] = dict(layers=Ls, totals=tot)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
