#!/usr/bin/env python3
"""ResNet-50 on the NPU: per-layer cycles against the roofline (design §9).

Joins the npu-run stats of the one-core and 32-core artifacts, their npuc
reports (the tile plans) and roofline.py's JSON by ONNX node name, and prints
the markdown table of bench/npu/README.md. Run by bench/npu/resnet50.sh.
"""
import argparse
import json


def load(path):
    with open(path) as f:
        return json.load(f)


def kernels_by_node(stats):
    """Anchor ONNX node -> stats kernel (the first node is the conv/gemm)."""
    return {k["onnx_nodes"][0]: k for k in stats["kernels"] if k["onnx_nodes"]}


def plans_by_node(report):
    out = {}
    for k in report["kernels"]:
        if k.get("plan") and k["nodes"]:
            out[k["nodes"][0]] = k["plan"]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--stats1", required=True)
    ap.add_argument("--stats32", required=True)
    ap.add_argument("--report1", required=True)
    ap.add_argument("--report32", required=True)
    ap.add_argument("--roofline", required=True)
    a = ap.parse_args()
    s1, s32 = load(a.stats1), load(a.stats32)
    k1, k32 = kernels_by_node(s1), kernels_by_node(s32)
    p1, p32 = plans_by_node(load(a.report1)), plans_by_node(load(a.report32))
    roof = load(a.roofline)["models"]["resnet50_op13.onnx"]["layers"]

    conv_cycles = conv_busy = 0
    bound1 = bound32 = 0.0
    rows = []
    for layer in roof:
        name = layer["name"]
        if name not in k1 or name not in k32:
            continue
        c1, c32 = k1[name], k32[name]
        r1, r32 = layer["c1"]["T"], layer["c32_l2"]["T"]
        bound1 += r1
        bound32 += r32
        busy = c1["pipes"]["M"]["busy"]
        if layer["op"].startswith("Conv"):
            conv_cycles += c1["cycles"]
            conv_busy += busy
        def plan(p):
            if not p:
                return "-"
            groups = p.get("band_groups", 1)
            return "%dx%dx%d s%d n%d%s%s" % (p["mf"], p["nf"], p["kf"], p["stages"],
                                           p["n_per_block"],
                                           " g%d" % groups if groups > 1 else "",
                                           " res" if p["weights_resident"] else "")
        rows.append("| %s | %s | %d | %d | %d | %s | %s | %.2f | %.2f | %s | %d | %s | %.2f | %s |" % (
            name.replace("/", " ").strip().replace(" Conv", "").replace(" Gemm", ""),
            layer["op"], layer["M"], layer["N"], layer["K"],
            format(c1["cycles"], ","), format(round(r1), ","), r1 / c1["cycles"],
            busy / c1["cycles"], plan(p1.get(name)),
            c32["cores"], format(c32["cycles"], ","), r32 / c32["cycles"],
            plan(p32.get(name))))

    t1, t32 = s1["total_cycles"], s32["total_cycles"]
    print("| quantity | 1 core | 32 cores |")
    print("|---|---:|---:|")
    print("| total cycles (all %d kernels) | %s | %s |" % (
        len(s1["kernels"]), format(t1, ","), format(t32, ",")))
    print("| roofline bound of the cube layers (sum) | %s | %s |" % (
        format(round(bound1), ","), format(round(bound32), ",")))
    print("| ratio bound / total cycles | %.2f | %.2f |" % (bound1 / t1, bound32 / t32))
    print("| speed-up over one core | 1 | %.2fx |" % (t1 / t32))
    print("| cube utilisation over the conv layers (M busy / cycles) | %.3f | - |" %
          (conv_busy / conv_cycles))
    print("| simulator host seconds (%s) | %.2f | %.2f |" % (
        s1["mode"], s1["host_seconds"], s32["host_seconds"]))
    print()
    print("| layer | op | M | N | K | 1c cycles | 1c roofline | 1c ratio | 1c M util |"
          " 1c plan | 32c cores | 32c cycles | 32c ratio | 32c plan |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|")
    for r in rows:
        print(r)


if __name__ == "__main__":
    main()
