#!/usr/bin/env python3
"""Checks mymemtrace --json output for tests/e2e/trace.sh.

  check_trace.py counts FILE PATH N SIZES       every (PATH, op, size) row has count N
  check_trace.py adds-up FILE                   breakdown parts sum to the total mean
  check_trace.py copy-grows FILE                copy(largest) > copy(smallest), per op
  check_trace.py kernel-parts FILE              kernel rows: no dispatch, copy, mode switch
  check_trace.py contended FILE PATH            PATH rows show lock wait and off-CPU time
  check_trace.py same-counts FILE OTHER         both runs have the same keys and counts
  check_trace.py drops FILE PATH N SIZES        events were dropped, counts still exact
  check_trace.py attach FILE TARGET METHOD      how TARGET was attached
  check_trace.py host FILE N SIZE               tracepoints only; rest reported missing

Exits 1 with a one-line reason on failure; may print a short note.
"""
import json
import sys

PARTS = ("dispatch", "lock_wait", "copy", "buffer", "offcpu")


def fail(why):
    print(why)
    sys.exit(1)


def rows(doc, path=None):
    return [r for r in doc["rows"] if path is None or r["path"] == path]


def check_counts(doc, path, n, sizes, ops=("read", "write")):
    got = {(r["op"], r["size"]): r["count"] for r in rows(doc, path)}
    for op in ops:
        for size in sizes:
            if got.get((op, size)) != n:
                fail(f"{path} {op} {size}: count {got.get((op, size))}, want {n} (rows: {got})")
    return f"{len(ops) * len(sizes)} rows of {n}"


def check_adds_up(doc):
    checked = 0
    for r in doc["rows"]:
        b = r["breakdown_ns"]
        known = [b[p] for p in PARTS if b[p] is not None]
        total = sum(known) + b.get("unattributed", 0)
        # Each part's mean is rounded down on its own.
        if not r["total_ns"]["mean"] - len(PARTS) <= total <= r["total_ns"]["mean"]:
            fail(f"{r['path']} {r['op']} {r['size']}: parts {b} sum to {total}, "
                 f"total mean {r['total_ns']['mean']}")
        checked += 1
    if not checked:
        fail("no rows")
    return f"{checked} rows"


def check_copy_grows(doc):
    for op in ("read", "write"):
        rs = sorted((r for r in rows(doc, "syscall") if r["op"] == op), key=lambda r: r["size"])
        if len(rs) < 2:
            fail(f"need two {op} sizes")
        small, big = rs[0]["breakdown_ns"]["copy"], rs[-1]["breakdown_ns"]["copy"]
        if small is None or big is None or not big > small:
            fail(f"{op}: copy {small} at {rs[0]['size']} B, {big} at {rs[-1]['size']} B")
    return "copy grows"


def check_kernel_parts(doc):
    ks = rows(doc, "kernel")
    if not ks:
        fail("no kernel rows")
    for r in ks:
        b = r["breakdown_ns"]
        if b["dispatch"] != 0 or b["copy"] != 0 or b["mode_switch"] != 0:
            fail(f"kernel {r['op']} {r['size']}: {b}")
        if not b["buffer"] or b["buffer"] <= 0:
            fail(f"kernel {r['op']} {r['size']}: no buffer time: {b}")
    return f"{len(ks)} kernel rows"


def check_contended(doc, path):
    rs = rows(doc, path)
    lock = sum(r["breakdown_ns"]["lock_wait"] * r["count"] for r in rs)
    off = sum(r["breakdown_ns"]["offcpu"] * r["count"] for r in rs)
    switches = sum(r["offcpu_switches"] for r in rs)
    if not rs or lock <= 0 or off <= 0 or switches <= 0:
        fail(f"{path}: lock_wait {lock} ns, offcpu {off} ns, {switches} switches in all")
    return f"lock {lock // 1000} us, off-CPU {off // 1000} us, {switches} switches"


def check_same_counts(doc, other_path):
    with open(other_path) as f:
        other = json.load(f)
    a = {(r["path"], r["op"], r["size"]): r["count"] for r in doc["rows"]}
    b = {(r["path"], r["op"], r["size"]): r["count"] for r in other["rows"]}
    if a != b:
        fail(f"counts differ: {a} vs {b}")
    return f"{len(a)} rows"


def main():
    check, path, *args = sys.argv[1:]
    with open(path) as f:
        try:
            doc = json.load(f)
        except json.JSONDecodeError as e:
            fail(f"not JSON: {e}")
    for k in ("tool", "version", "kernel", "duration_ns", "attach", "drops",
              "calibration", "rows"):
        if k not in doc:
            fail(f"missing {k}")
    if check == "counts":
        note = check_counts(doc, args[0], int(args[1]), [int(s) for s in args[2].split(",")])
    elif check == "adds-up":
        note = check_adds_up(doc)
    elif check == "copy-grows":
        note = check_copy_grows(doc)
    elif check == "kernel-parts":
        note = check_kernel_parts(doc)
    elif check == "contended":
        note = check_contended(doc, args[0])
    elif check == "same-counts":
        note = check_same_counts(doc, args[0])
    elif check == "drops":
        if doc["drops"]["events"] <= 0:
            fail(f"no drops reported: {doc['drops']}")
        note = check_counts(doc, args[0], int(args[1]), [int(s) for s in args[2].split(",")])
        note = f"{doc['drops']['events']} dropped, {note}"
    elif check == "attach":
        if doc["attach"].get(args[0]) != args[1]:
            fail(f"{args[0]} attached by {doc['attach'].get(args[0])}, want {args[1]}")
        note = ""
    elif check == "host":
        for t, m in doc["attach"].items():
            if m not in ("tracepoint", "unavailable"):
                fail(f"{t}: {m} on a kernel without kprobes or fentry")
            if m == "unavailable" and t not in doc.get("unavailable", {}):
                fail(f"{t} unavailable but not explained")
        note = check_counts(doc, "syscall", int(args[0]), [int(args[1])], ops=("read",))
        r = rows(doc, "syscall")[0]["breakdown_ns"]
        if r["dispatch"] is not None or r["copy"] is not None or "unattributed" not in r:
            fail(f"unmeasurable parts not marked: {r}")
    else:
        fail(f"unknown check {check}")
    if note:
        print(note)


if __name__ == "__main__":
    main()
