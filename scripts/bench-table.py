#!/usr/bin/env python3
"""The user-vs-kernel table: mymem-bench --json runs of several paths side by
side, in the course's shape (size, read, write), with each path's ratio to the
kernel path.

  bench-table.py results/bench-syscall.json results/bench-mmap.json results/bench-kernel.json
"""
import json
import sys


def load(path):
    with open(path) as f:
        doc = json.load(f)
    return doc["mode"], {(r["op"], r["size"]): r for r in doc["rows"]}


def us(ns):
    return f"{ns / 1000:.3f}"


def main(paths):
    runs = [load(p) for p in paths]
    base = dict(runs).get("kernel")
    sizes = sorted({size for _, rows in runs for _, size in rows})
    n = {r["count"] for _, rows in runs for r in rows.values()}
    print(f"Mean time per call in µs (p50 / p99 in brackets), n={','.join(map(str, sorted(n)))}.")
    print("Ratios are to the kernel path. Guest times are emulated: compare ratios.")
    for op in ("read", "write"):
        print(f"\n{op.upper():>8}", end="")
        for mode, _ in runs:
            print(f" | {mode + ' µs':>26}", end="")
            if base and mode != "kernel":
                print(f" {'x kernel':>8}", end="")
        print()
        for size in sizes:
            print(f"{size:>8}", end="")
            for mode, rows in runs:
                r = rows.get((op, size))
                if not r:
                    print(f" | {'-':>26}", end="")
                    continue
                cell = f"{us(r['mean_ns'])} ({us(r['p50_ns'])}/{us(r['p99_ns'])})"
                print(f" | {cell:>26}", end="")
                if base and mode != "kernel":
                    k = base.get((op, size))
                    ratio = r["mean_ns"] / k["mean_ns"] if k and k["mean_ns"] else float("nan")
                    print(f" {ratio:>7.1f}x", end="")
            print()


if __name__ == "__main__":
    main(sys.argv[1:])
