#!/usr/bin/env python3
"""User space over kernel, per size: the untraced benchmark's ratio beside the
tracer's, compensated and as measured (--raw figures, kept in the JSON).
Medians on both sides; the syscall path's traced figure is what user space pays
(the window plus the mode switch).

  ratio-table.py results/bench-syscall.json results/bench-kernel.json results/trace.json
"""
import json
import sys


def bench(path):
    with open(path) as f:
        return {(r["op"], r["size"]): r["p50_ns"] for r in json.load(f)["rows"]}


def traced(path):
    with open(path) as f:
        doc = json.load(f)
    comp, raw = {}, {}
    ms = doc["calibration"]["mode_switch_ns"] if doc["calibration"]["valid"] else None
    raw_ms = doc["calibration"].get("raw_mode_switch_ns", ms)
    for r in doc["rows"]:
        if r["path"] not in ("syscall", "kernel") or r["size_class"] != "exact":
            continue
        key = (r["path"], r["op"], r["size"])
        add, raw_add = (ms, raw_ms) if r["path"] == "syscall" else (0, 0)
        if add is None:
            continue
        comp[key] = r["total_ns"]["p50"] + add
        raw[key] = r.get("raw", r)["total_ns"]["p50"] + raw_add
    return comp, raw, doc.get("compensation", {}).get("applied", False)


def ratio(table, op, size, path=lambda p: p):
    u, k = table.get(path("syscall") + (op, size)), table.get(path("kernel") + (op, size))
    return u / k if u and k else None


def main(syscall, kernel, trace):
    user, kern = bench(syscall), bench(kernel)
    comp, raw, applied = traced(trace)
    untraced = {("syscall",) + k: v for k, v in user.items()}
    untraced.update({("kernel",) + k: v for k, v in kern.items()})
    print("User space over kernel (p50s), untraced beside the tracer's answer:")
    print(f"{'op':<6}{'size':>8}{'untraced':>10}{'tracer':>10}{'error':>8}{'raw':>10}{'error':>8}")
    for op in ("read", "write"):
        for size in sorted({s for (_, o, s) in untraced if o == op}):
            u = ratio(untraced, op, size, lambda p: (p,))
            t = ratio(comp, op, size, lambda p: (p,))
            r = ratio(raw, op, size, lambda p: (p,))
            if not (u and t and r):
                continue
            print(f"{op:<6}{size:>8}{u:>9.2f}x{t:>9.2f}x{100 * (t - u) / u:>+7.0f}%"
                  f"{r:>9.2f}x{100 * (r - u) / u:>+7.0f}%")
    if not applied:
        print("(the tracer ran with --raw: its figures are not compensated)")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
