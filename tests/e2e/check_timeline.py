#!/usr/bin/env python3
"""Checks a mymemtrace --trace file (Chrome Trace Event Format) against the
--json export of the same run, for tests/e2e/ecosystem.sh.

  check_timeline.py TRACE.json RUN.json [--want-parts PART,...]

- the file parses, and its metadata (otherData) has the run's drop count;
- every call is a complete event ("ph": "X") named by its op, with path
  and size in args, on a pid and tid that have process_name and
  thread_name metadata events;
- every part lies inside its call and the parts sum to it, exactly (in ns);
- the calls per (path, op, size) equal the aggregates' counts; where the
  ring buffer dropped records, the calls plus the drops equal them in all;
- with --want-parts, each named part appears on the timeline at least once.

Exits 1 with a one-line reason on failure; prints a short note.
"""
import bisect
import collections
import json
import sys


def fail(why):
    print(why)
    sys.exit(1)


def ns(us):
    """The format's µs (3 decimals) back to whole ns, exactly."""
    whole, _, frac = str(us).partition(".")
    return int(whole) * 1000 + int((frac + "000")[:3])


def main():
    args = sys.argv[1:]
    want = []
    if "--want-parts" in args:
        i = args.index("--want-parts")
        want = args[i + 1].split(",")
        del args[i:i + 2]
    trace_path, run_path = args
    # Keep the µs as written: float would lose the ns of a boot-time clock.
    with open(trace_path) as f:
        doc = json.load(f, parse_float=str)
    with open(run_path) as f:
        run = json.load(f)
    events = doc["traceEvents"]
    meta = doc["otherData"]
    if meta["dropped_events"] != run["drops"]["events"]:
        fail(f"dropped_events {meta['dropped_events']} != the run's {run['drops']['events']}")

    calls = [e for e in events if e.get("ph") == "X" and e.get("cat") != "part"]
    part_events = [e for e in events if e.get("ph") == "X" and e.get("cat") == "part"]
    names = {(e["pid"], e.get("tid")): e["args"]["name"]
             for e in events if e.get("ph") == "M" and e["name"] == "thread_name"}
    procs = {e["pid"]: e["args"]["name"]
             for e in events if e.get("ph") == "M" and e["name"] == "process_name"}
    if len(calls) != meta["calls"]:
        fail(f"{len(calls)} call events, otherData says {meta['calls']}")

    by_tid = collections.defaultdict(list)
    for c in calls:
        if c["name"] not in ("read", "write", "fault"):
            fail(f"a call named {c['name']!r}")
        if c["cat"] != c["args"]["path"] or "size" not in c["args"]:
            fail(f"a call without path and size: {c}")
        if (c["pid"], c["tid"]) not in names or c["pid"] not in procs:
            fail(f"pid {c['pid']} tid {c['tid']} has no process or thread name")
        start = ns(c["ts"])
        by_tid[c["tid"]].append([start, start + ns(c["dur"]), 0, c])
    starts = {}
    for tid, lst in by_tid.items():
        lst.sort(key=lambda x: x[0])
        starts[tid] = [x[0] for x in lst]

    seen_parts = collections.Counter()
    for p in part_events:
        lst = by_tid.get(p["tid"], [])
        start, end = ns(p["ts"]), ns(p["ts"]) + ns(p["dur"])
        i = bisect.bisect_right(starts.get(p["tid"], []), start) - 1
        if i < 0 or not (lst[i][0] <= start and end <= lst[i][1]):
            fail(f"part {p['name']} [{start}, {end}] ns of tid {p['tid']} is inside no call")
        lst[i][2] += end - start
        seen_parts[p["name"]] += 1
    for lst in by_tid.values():
        for start, end, parts, c in lst:
            if parts != end - start:
                fail(f"a {c['name']} of {end - start} ns at {start} has parts summing to {parts}")

    got = collections.Counter((c["args"]["path"], c["name"], c["args"]["size"]) for c in calls)
    dropped = meta["dropped_events"]
    for r in run["rows"]:
        key = (r["path"], r["op"], r["size"])
        if r["size_class"] != "exact":
            fail("a size class in the run: this check wants exact sizes")
        if not dropped and got.get(key, 0) != r["count"]:
            fail(f"{key}: {got.get(key, 0)} calls on the timeline, {r['count']} in the aggregates")
    total = sum(r["count"] for r in run["rows"])
    if sum(got.values()) + dropped != total:
        fail(f"{sum(got.values())} calls on the timeline + {dropped} dropped, {total} in the aggregates")
    for w in want:
        if not seen_parts[w]:
            fail(f"no {w!r} part on the timeline (parts seen: {dict(seen_parts)})")
    print(f"{len(calls)} calls, {dropped} dropped, {len(part_events)} parts on {len(by_tid)} threads; "
          + ", ".join(f"{k} {v}" for k, v in sorted(seen_parts.items())))


main()
