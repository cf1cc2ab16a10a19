#!/usr/bin/env python3
"""Checks a mymemtrace --json run of fio against fio's own JSON output.

  check_fio.py TRACE.json FIO.json ENGINE

Per direction, the tracer's calls must equal fio's total_ios (for the
vectored engines, the handler's entries: fio may merge adjacent I/Os into
one readv), every row must be named by how the calls came in for ENGINE,
and nothing may be dropped. Prints a one-line note, or the problem and
exits 1.
"""
import json
import sys

# ENGINE -> (what the rows' "via" must be for reads, for writes): None for
# read/write/pread64/pwrite64 (no "via"), a prefix ending in ':' for calls
# of the handler outside the syscalls followed.
VIA = {
    "sync": (None, None),
    "psync": (None, None),
    "posixaio": (None, None),
    "vsync": ("readv", "writev"),
    "pvsync": ("preadv", "pwritev"),
    "pvsync2": ("preadv2", "pwritev2"),
    "io_uring": ("outside:", "outside:"),
}


def via_ok(want, got):
    if want is None:
        return got is None
    if want.endswith(":"):
        return got is not None and got.startswith(want)
    return got == want


def main():
    trace_path, fio_path, engine = sys.argv[1:4]
    trace = json.load(open(trace_path))
    fio = json.load(open(fio_path))
    want_via = dict(zip(("read", "write"), VIA[engine]))
    problems = []
    for job in fio["jobs"]:
        if job.get("error"):
            problems.append(f"fio job {job['jobname']} failed: error {job['error']}")
    drops = {k: v for k, v in trace["drops"].items() if v}
    if drops:
        problems.append(f"drops {drops}")
    note = []
    for op in ("read", "write"):
        ios = sum(job[op]["total_ios"] for job in fio["jobs"])
        rows = [r for r in trace["rows"] if r["path"] == "syscall" and r["op"] == op]
        calls = sum(r["count"] for r in rows)
        entries = sum(r.get("entries", r["count"]) for r in rows)
        bad = sorted({str(r.get("via")) for r in rows if not via_ok(want_via[op], r.get("via"))})
        if bad:
            problems.append(f"{op} rows named {', '.join(bad)}, want {want_via[op] or 'plain'}")
        if entries != ios:
            problems.append(f"{op}: fio made {ios} I/Os, the tracer counted {entries} "
                            f"({calls} calls)")
        vias = sorted({r.get("via") or "plain" for r in rows})
        merged = f", in {calls} calls" if calls != entries else ""
        note.append(f"{op} {ios}{merged} via {'/'.join(vias) or '-'}")
    other = [r for r in trace["rows"] if r["path"] != "syscall"]
    if other:
        problems.append(f"rows on other paths: {[(r['path'], r['count']) for r in other]}")
    if problems:
        print("; ".join(problems))
        sys.exit(1)
    print(", ".join(note))


if __name__ == "__main__":
    main()
