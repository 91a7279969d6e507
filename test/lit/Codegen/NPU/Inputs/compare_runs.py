"""Compares a compiled tile kernel with its hand-written counterpart.

usage: compare_runs.py OURS.json REF.json OURS.s REF.s TOLERANCE
Prints both cycle counts and flag counts; exits 1 if our cycles exceed the
reference by more than TOLERANCE (a fraction), or if we use more flags
(distinct pipe pair and event) or execute more flag instructions.
"""
import json
import re
import sys

ours, ref = (json.load(open(p)) for p in sys.argv[1:3])
tol = float(sys.argv[5])


def flags(path):
    events = set()
    static = 0
    for line in open(path):
        m = re.match(r"\s*(?:\w+:)?\s*(set_flag|wait_flag)\s+(\w+),\s*(\w+),\s*(\d+)", line)
        if m:
            static += 1
            events.add(m.group(2, 3, 4))
    return len(events), static


def queued(stats):
    # Instructions the six queued pipes ran: the kernels' data instructions
    # are the same, so the difference is in set_flag/wait_flag/pipe_barrier.
    return sum(p["instructions"] for c in stats["cores"]
               for name, p in c["pipes"].items() if name != "S")


a, b = ours["total_cycles"], ref["total_cycles"]
fa, fb = flags(sys.argv[3]), flags(sys.argv[4])
da, db = queued(ours), queued(ref)
print(f"cycles: tile IR {a}, hand-written {b}, ratio {a / b:.4f}")
print(f"flags (pipe pair, event): tile IR {fa[0]}, hand-written {fb[0]}")
print(f"flag instructions (static): tile IR {fa[1]}, hand-written {fb[1]}")
print(f"queued-pipe instructions (dynamic): tile IR {da}, hand-written {db}")
warnings = ours["warnings"] + ref["warnings"]
for w in warnings:
    print("warning:", w)
ok = a <= b * (1 + tol) and fa[0] <= fb[0] and da <= db and not warnings
print("OK" if ok else "FAIL")
sys.exit(0 if ok else 1)
