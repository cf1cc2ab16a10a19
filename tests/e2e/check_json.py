#!/usr/bin/env python3
"""Checks mymem-bench --json output for tests/e2e/bench.sh.

  check_json.py rows FILE N SIZES OPS WARMUP   timing rows: exact counts, sane stats
  check_json.py race-exact FILE TRIALS         every trial observed == expected
  check_json.py race-loss FILE TRIALS          losses reported, never gains

Exits 1 with a one-line reason on failure; on success may print a short note.
"""
import json
import sys

STAT_FIELDS = ("mean_ns", "p50_ns", "p99_ns", "min_ns", "max_ns")


def fail(why):
    print(why)
    sys.exit(1)


def check_rows(doc, n, sizes, ops, warmup):
    want_ops = ["read", "write"] if ops == "both" else [ops]
    want_sizes = [int(s) for s in sizes.split(",")]
    if doc.get("mode") not in ("syscall", "mmap", "kernel"):
        fail(f"bad mode {doc.get('mode')!r}")
    if doc.get("warmup", 0) != int(warmup):
        fail(f"warmup {doc.get('warmup')!r}, want {warmup}")
    rows = doc.get("rows")
    if not isinstance(rows, list):
        fail("no rows array")
    keys = sorted((r.get("op"), r.get("size")) for r in rows)
    want = sorted((o, s) for o in want_ops for s in want_sizes)
    if keys != want:
        fail(f"rows {keys}, want {want}")
    for r in rows:
        where = f"{r['op']} {r['size']}"
        if r.get("count") != int(n):
            fail(f"{where}: count {r.get('count')}, want {n}")
        for f in STAT_FIELDS:
            if not isinstance(r.get(f), int) or r[f] < 0:
                fail(f"{where}: {f} = {r.get(f)!r}")
        if not r["min_ns"] <= r["p50_ns"] <= r["p99_ns"] <= r["max_ns"]:
            fail(f"{where}: min <= p50 <= p99 <= max does not hold: {r}")
        if not r["min_ns"] <= r["mean_ns"] <= r["max_ns"]:
            fail(f"{where}: mean outside [min, max]: {r}")
        if r["max_ns"] == 0:
            fail(f"{where}: all samples are zero")
    return f"{len(rows)} rows"


def check_race(doc, trials, exact):
    for k in ("workers", "iterations", "lock", "trials",
              "expected_increments", "observed_increments"):
        if k not in doc:
            fail(f"missing {k}")
    expected = doc["workers"] * doc["iterations"]
    if doc["expected_increments"] != expected:
        fail(f"expected_increments {doc['expected_increments']}, want {expected}")
    obs = doc["observed_increments"]
    if doc["trials"] != int(trials) or len(obs) != int(trials):
        fail(f"{len(obs)} trials reported, want {trials}")
    for i, o in enumerate(obs):
        if exact and o != expected:
            fail(f"trial {i}: observed {o}, want exactly {expected}")
        if not 0 < o <= expected:
            fail(f"trial {i}: observed {o} outside (0, {expected}]")
    if not exact:
        return "lost " + ",".join(str(expected - o) for o in obs)
    return ""


def main():
    check, path, *args = sys.argv[1:]
    with open(path) as f:
        try:
            doc = json.load(f)
        except json.JSONDecodeError as e:
            fail(f"not JSON: {e}")
    if check == "rows":
        note = check_rows(doc, *args)
    elif check in ("race-exact", "race-loss"):
        note = check_race(doc, args[0], check == "race-exact")
    else:
        fail(f"unknown check {check}")
    if note:
        print(note)


if __name__ == "__main__":
    main()
