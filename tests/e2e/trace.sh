#!/bin/sh
# End-to-end tests of mymemtrace, in the guest with mymem and mymem_test
# loaded (called by tests/e2e/run.sh). One line per test: PASS/FAIL e2e/trace/...
set -u

SUITE=e2e/trace
. tests/lib/prologue.sh

# trace NAME OUT.json [TRACER OPTIONS] -- CMD...: run CMD under the tracer.
trace() {
	name=$1 out=$2
	shift 2
	if "$TRACE" --json "$out" "$@" >"$TMP/stdout" 2>"$TMP/stderr"; then
		return 0
	fi
	fail "$name" "mymemtrace exited $?: $(tail -c 400 "$TMP/stderr")"
	return 1
}

# check NAME CHECK ARGS...: one assertion of check_trace.py.
check() {
	name=$1
	shift
	if note=$($CHECK "$@" 2>&1); then
		pass "$name${note:+ ($note)}"
	else
		fail "$name" "$note"
	fi
}

SIZES=64,4096,65536
N=200

if trace syscall "$TMP/sys.json" -- "$BENCH" -n $N --sizes $SIZES; then
	check syscall-counts-exact counts "$TMP/sys.json" syscall $N $SIZES
	check syscall-parts-add-up adds-up "$TMP/sys.json"
	check syscall-copy-grows copy-grows "$TMP/sys.json"
	check module-functions-on-fentry attach "$TMP/sys.json" mymem_read fentry
	# fentry on the syscalls that can reach the device, not the raw tracepoints every syscall pays.
	check syscall-layer-on-fentry attach "$TMP/sys.json" sys_enter fentry
	check copy-falls-back-per-function attach "$TMP/sys.json" mymem_copy_to_user fentry
fi

if trace kernel "$TMP/kernel.json" -- "$BENCH" --mode kernel -n $N --sizes $SIZES; then
	check kernel-counts-exact counts "$TMP/kernel.json" kernel $N $SIZES
	check kernel-no-dispatch-copy-or-mode-switch kernel-parts "$TMP/kernel.json"
	check kernel-parts-add-up adds-up "$TMP/kernel.json"
fi

if trace mmap "$TMP/mmap.json" -- "$BENCH" --mode mmap -n 10 --sizes 65536; then
	# 64 KiB at offset 0: 16 pages, each faulted in once. How many tries
	# of handle_mm_fault a fault takes is the kernel's: one on 6.1; two on
	# 6.12, whose first try under the VMA's own lock is told to retry
	# under mmap_lock (mymem's mapping has no map_pages). Either way one
	# call per fault, and the row's entries say which kernel did which.
	if note=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
r = [r for r in d["rows"] if r["path"] == "mmap"]
if len(r) != 1 or r[0]["count"] != 16:
    print([(x["count"], x.get("entries")) for x in r]); sys.exit(1)
tries = r[0].get("entries", 16)
if tries == 16:
    print("16 faults, one try of handle_mm_fault each")
elif tries == 32:
    print("16 faults, each tried twice: retried under mmap_lock after the per-VMA lock")
else:
    print(f"16 faults in {tries} tries: neither one nor two each"); sys.exit(1)' "$TMP/mmap.json" 2>&1); then
		pass "mmap-faults-counted ($note)"
	else
		fail "mmap-faults-counted" "$note"
	fi
	check mmap-parts-add-up adds-up "$TMP/mmap.json"
fi

if trace kprobes "$TMP/kprobes.json" --force-kprobes -- "$BENCH" -n $N --sizes $SIZES; then
	check forced-kprobes-same-counts same-counts "$TMP/kprobes.json" "$TMP/sys.json"
	check forced-kprobes-attached attach "$TMP/kprobes.json" mymem_read kprobe
fi

# vm-run's vCPUs take turns on one host thread (--tcg single), switching
# every few milliseconds: a lock is contended only when a turn ends inside
# a critical section, so the races run long enough for many turns. (At
# 8 x 5000 in the kernel, one run in seven showed no lock wait at all.)
if trace race "$TMP/race.json" -- "$BENCH" --race 8 4000 --lock none --trials 1; then
	check user-race-shows-lock-and-offcpu contended "$TMP/race.json" syscall
fi
if trace krace "$TMP/krace.json" -- "$BENCH" --mode kernel --race 8 20000 --lock none --trials 1; then
	check kernel-race-shows-lock-and-offcpu contended "$TMP/krace.json" kernel
fi

# A ring buffer of one page cannot hold the kernel path's burst (calls in a
# tight in-kernel loop): drops are counted and reported, and the in-kernel
# counts stay exact.
if trace drops "$TMP/drops.json" --events "$TMP/events.csv" --ringbuf-size 4096 -- \
	"$BENCH" --mode kernel -n 3000 --sizes 64; then
	check tiny-ringbuf-drops-reported drops "$TMP/drops.json" kernel 3000 64
	grep -q "dropped" "$TMP/stderr" || fail "drops-said-on-stderr" "$(cat "$TMP/stderr")"
	lines=$(($(wc -l <"$TMP/events.csv") - 1))
	dropped=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["drops"]["events"])' "$TMP/drops.json")
	# Every call is either written or counted as dropped.
	if [ $((lines + dropped)) -eq 6000 ]; then
		pass "events-written-plus-dropped-is-calls ($lines + $dropped)"
	else
		fail "events-written-plus-dropped-is-calls" "$lines written + $dropped dropped != 6000"
	fi
fi

if trace events "$TMP/ev.json" --events "$TMP/events.jsonl" -- "$BENCH" -n 50 --sizes 64; then
	if python3 -c '
import json, sys
evs = [json.loads(l) for l in open(sys.argv[1])]
ok = len(evs) == 100 and all(e["total_ns"] >= e["dispatch_ns"] + e["buffer_ns"] + e["copy_ns"] for e in evs)
sys.exit(0 if ok else 1)' "$TMP/events.jsonl"; then
		pass "events-jsonl-one-per-call (100)"
	else
		fail "events-jsonl-one-per-call" "$(wc -l <"$TMP/events.jsonl") lines"
	fi
fi

"$TRACE" -- sh -c 'exit 3' >/dev/null 2>&1
st=$?
[ $st -eq 3 ] && pass "cmd-exit-status-passed-on" || fail "cmd-exit-status-passed-on" "exit $st, want 3"

"$TRACE" --csv "$TMP/sys.csv" -- "$BENCH" -n 20 --sizes 64 >/dev/null 2>&1
if [ "$(head -1 "$TMP/sys.csv" | cut -d, -f1-5)" = "path,op,size,size_class,count" ] &&
   grep -q "^syscall,read,64,exact,20," "$TMP/sys.csv"; then
	pass "csv-export"
else
	fail "csv-export" "$(head -3 "$TMP/sys.csv")"
fi

# 300 distinct sizes: the first 256 keyed exactly, the rest by log2 class.
if trace sizes "$TMP/sizes.json" -- python3 -c '
import os
fd = os.open("/dev/mymem", os.O_RDONLY)
for size in range(1, 301):
    os.pread(fd, size, 0)'; then
	if note=$(python3 -c '
import json, sys
rows = [r for r in json.load(open(sys.argv[1]))["rows"] if r["path"] == "syscall"]
exact = [r for r in rows if r["size_class"] == "exact"]
log2 = [r for r in rows if r["size_class"] == "log2"]
total = sum(r["count"] for r in rows)
ok = total == 300 and len(exact) <= 256 and log2 and all(r["size"] & (r["size"] - 1) == 0 for r in log2)
print(f"{len(exact)} exact, {len(log2)} log2 classes, {total} calls")
sys.exit(0 if ok else 1)' "$TMP/sizes.json"); then
		pass "sizes-exact-then-log2-class ($note)"
	else
		fail "sizes-exact-then-log2-class" "$note"
	fi
fi

# Errors apart: calls that failed or moved fewer bytes than asked are rows
# of their own, with their errno, and never in the successes' row. 20 good
# 64-byte reads, 5 into an address that is not mapped (EFAULT), 7 of 100
# bytes 36 from the end (short), 4 writes at the end (ENOSPC).
if trace results "$TMP/results.json" --csv "$TMP/results.csv" -- python3 -c '
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
libc.pread.argtypes = libc.pwrite.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_long]
fd = os.open("/dev/mymem", os.O_RDWR)
end = 512 * 1024
for _ in range(20):
    os.pread(fd, 64, 0)
for _ in range(5):
    assert libc.pread(fd, 1, 64, 0) == -1 and ctypes.get_errno() == 14
for _ in range(7):
    assert len(os.pread(fd, 100, end - 36)) == 36
for _ in range(4):
    assert libc.pwrite(fd, ctypes.create_string_buffer(64), 64, end) == -1 and ctypes.get_errno() == 28'; then
	if note=$(python3 -c '
import csv, json, sys
rows = {(r["op"], r["size"], r.get("result", "ok")): r["count"]
        for r in json.load(open(sys.argv[1]))["rows"] if r["path"] == "syscall"}
want = {("read", 64, "ok"): 20, ("read", 64, "EFAULT"): 5, ("read", 100, "short"): 7,
        ("write", 64, "ENOSPC"): 4}
csv_rows = {(r["op"], int(r["size"]), r["result"]): int(r["count"])
            for r in csv.DictReader(open(sys.argv[2])) if r["path"] == "syscall"}
got = {k: rows.get(k) for k in want}
print(f"JSON {got}, CSV {dict((k, csv_rows.get(k)) for k in want)}")
sys.exit(0 if got == want and all(csv_rows.get(k) == v for k, v in want.items()) else 1)' \
		"$TMP/results.json" "$TMP/results.csv" 2>&1); then
		pass "failed-and-short-calls-apart ($note)"
	else
		fail "failed-and-short-calls-apart" "$note"
	fi
	if grep -q 'read:EFAULT' "$TMP/stderr" "$TMP/stdout"; then
		pass "report-names-the-errno"
	else
		fail "report-names-the-errno" "no read:EFAULT row in: $(tail -c 600 "$TMP/stderr")"
	fi
fi

# --min-latency: the records keep only the slow calls (512 KiB copies
# take milliseconds here, 1-byte reads microseconds), the aggregates count
# every call, and the left-out ones are counted.
if trace minlat "$TMP/minlat.json" --events "$TMP/minlat.csv" --min-latency 200us -- \
	sh -c "$BENCH -n 300 --sizes 1 >/dev/null && $BENCH -n 20 --sizes 524288 >/dev/null"; then
	if note=$(python3 -c '
import csv, json, re, sys
run = json.load(open(sys.argv[1]))
rows = list(csv.DictReader(open(sys.argv[2])))
left = int(re.search(r"(\d+) faster than --min-latency left out", open(sys.argv[3]).read()).group(1))
calls = {}
for r in run["rows"]:
    calls[r["size"]] = calls.get(r["size"], 0) + r["count"]
kept = {}
for r in rows:
    kept[int(r["size"])] = kept.get(int(r["size"]), 0) + 1
ok = (all(int(r["total_ns"]) >= 200000 for r in rows) and
      len(rows) + left == sum(calls.values()) and
      kept.get(524288, 0) == calls.get(524288) and kept.get(1, 0) * 10 <= calls.get(1, 0))
print(f"{len(rows)} kept of {sum(calls.values())}, {left} left out; kept by size {kept}, calls {calls}")
sys.exit(0 if ok else 1)' "$TMP/minlat.json" "$TMP/minlat.csv" "$TMP/stderr" 2>&1); then
		pass "min-latency-keeps-slow-calls ($note)"
	else
		fail "min-latency-keeps-slow-calls" "$note"
	fi
fi

# -T: a time of day above every periodic block, none without it.
if trace timestamps "$TMP/ts.json" -T -i 1 -d 3 --no-live; then
	blocks=$(grep -c '^[0-2][0-9]:[0-5][0-9]:[0-5][0-9]$' "$TMP/stdout")
	if [ "$blocks" -ge 2 ]; then
		pass "timestamp-above-each-block ($blocks blocks)"
	else
		fail "timestamp-above-each-block" "$blocks times of day in: $(head -c 300 "$TMP/stdout")"
	fi
	if trace no-timestamps "$TMP/nots.json" -i 1 -d 2 --no-live &&
	   ! grep -q '^[0-2][0-9]:[0-5][0-9]:[0-5][0-9]$' "$TMP/stdout"; then
		pass "no-timestamp-without-T"
	else
		fail "no-timestamp-without-T" "a time of day without -T"
	fi
fi

# -c: only tasks of that name; -p: only that process.
if trace comm "$TMP/comm.json" -n nobody-has-this -d 1 -- "$BENCH" -n 5 --sizes 64; then
	if grep -q '"rows":\[\]' "$TMP/comm.json"; then
		pass "comm-filter-excludes"
	else
		fail "comm-filter-excludes" "rows traced for another comm"
	fi
fi
# The bench waits on a FIFO until the tracer says it is tracing; SIGINT
# then ends the trace, which must still write its report.
mkfifo "$TMP/go"
sh -c 'read go <"$1"; exec "$2" -n 7 --sizes 64 >/dev/null' sh "$TMP/go" "$BENCH" &
bench_pid=$!
"$TRACE" -p $bench_pid --json "$TMP/pid.json" >/dev/null 2>"$TMP/pid.err" &
trace_pid=$!
for _ in $(seq 100); do
	grep -q "Tracing" "$TMP/pid.err" && break
	sleep 0.2
done
echo go >"$TMP/go"
wait $bench_pid
kill -INT $trace_pid
if wait $trace_pid; then
	check pid-filter-and-sigint-report counts "$TMP/pid.json" syscall 7 64
else
	fail "pid-filter-and-sigint-report" "mymemtrace exited $?: $(cat "$TMP/pid.err")"
fi

# Two tracers at once, each of every process: neither reports the other's
# start-up calibration (1000 1-byte reads on a file opened O_NOATIME|O_SYNC)
# as calls of its own. B starts while A traces, so A sees B calibrate.
"$TRACE" --json "$TMP/two-a.json" >/dev/null 2>"$TMP/two-a.err" &
a_pid=$!
for _ in $(seq 150); do grep -q "Tracing" "$TMP/two-a.err" && break; sleep 0.2; done
"$TRACE" --json "$TMP/two-b.json" >/dev/null 2>"$TMP/two-b.err" &
b_pid=$!
for _ in $(seq 150); do grep -q "Tracing" "$TMP/two-b.err" && break; sleep 0.2; done
"$BENCH" -n 10 --sizes 64 >/dev/null
kill -INT $a_pid $b_pid
wait $a_pid; a_st=$?
wait $b_pid; b_st=$?
if [ $a_st -eq 0 ] && [ $b_st -eq 0 ] &&
   note_a=$($CHECK counts "$TMP/two-a.json" syscall 10 64 2>&1) &&
   note_b=$($CHECK counts "$TMP/two-b.json" syscall 10 64 2>&1) &&
   python3 -c '
import json, sys
for f in sys.argv[1:]:
    d = json.load(open(f))
    rows = [(r["path"], r["op"], r["size"], r["count"]) for r in d["rows"]]
    # The calibration ran (its calls are what the other must leave out);
    # whether its wall-clock result held beside another tracer is not
    # what this tests (traced minus untraced can come out below zero).
    own = d["self_overhead"]
    if len(rows) != 2 or not own["calls"]:
        sys.exit(f"{f}: rows {rows}, self_overhead {own}")' "$TMP/two-a.json" "$TMP/two-b.json"; then
	pass "two-tracers-leave-out-each-others-calibration ($note_a each)"
else
	fail "two-tracers-leave-out-each-others-calibration" "exit $a_st/$b_st: ${note_a:-} ${note_b:-} $(python3 -c 'import json,sys; print([(r["path"], r["op"], r["size"], r["count"]) for r in json.load(open(sys.argv[1]))["rows"]])' "$TMP/two-a.json")"
fi

# Without privileges: refused with the reason, nothing loaded.
if command -v setpriv >/dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$TRACE" -- true >/dev/null 2>"$TMP/err"
	st=$?
	if [ $st -eq 3 ] && grep -q "missing: CAP_BPF and CAP_PERFMON" "$TMP/err"; then
		pass "not-root-says-why"
	else
		fail "not-root-says-why" "exit $st: $(cat "$TMP/err")"
	fi
else
	echo "SKIP e2e/trace/not-root-says-why: no setpriv in this system"
fi

# --calibrate: the mode switch and the tracer's own cost, then exit.
if "$TRACE" --calibrate >"$TMP/cal" 2>&1 &&
   grep -q "^mode switch: [0-9]* ns" "$TMP/cal" && grep -q "^tracer's own cost: [0-9]* ns" "$TMP/cal"; then
	pass "calibrate-reports-mode-switch-and-own-cost"
else
	fail "calibrate-reports-mode-switch-and-own-cost" "$(cat "$TMP/cal")"
fi
if python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["self_overhead"]; sys.exit(0 if s["valid"] and s["calls"] == 1008 and s["traced_ns"] >= s["untraced_ns"] else 1)' "$TMP/sys.json"; then
	pass "json-self-overhead"
else
	fail "json-self-overhead" "$(grep -o '"self_overhead":{[^}]*}' "$TMP/sys.json")"
fi

# --floor: the same attach points, empty programs, nothing measured.
"$TRACE" --floor -v -- "$BENCH" -n 10 --sizes 64 >"$TMP/floor" 2>&1
st=$?
if [ $st -eq 0 ] && grep -q "nothing was measured" "$TMP/floor" &&
   grep -q "mymem_read *fentry" "$TMP/floor" && ! grep -q "^syscall" "$TMP/floor"; then
	pass "floor-attaches-and-measures-nothing"
else
	fail "floor-attaches-and-measures-nothing" "exit $st: $(tail -c 300 "$TMP/floor")"
fi
"$TRACE" --floor --json x.json -- true >/dev/null 2>&1
st=$?
[ $st -eq 2 ] && pass "floor-refuses-outputs" || fail "floor-refuses-outputs" "exit $st"

# Part histograms cost the probes: kept only with --part-hists, and then
# each part's counts add up to the row's calls.
if "$TRACE" --json "$TMP/noparts.json" -- "$BENCH" -n 50 --sizes 64 >/dev/null 2>&1 &&
   "$TRACE" --part-hists --json "$TMP/parts.json" -- "$BENCH" -n 50 --sizes 64 >/dev/null 2>&1 &&
   python3 -c '
import json, sys
plain = json.load(open(sys.argv[1]))["rows"]
parts = json.load(open(sys.argv[2]))["rows"]
ok = plain and parts and all("part_hist" not in r for r in plain)
for r in parts:
    ph = r.get("part_hist", {})
    ok = ok and set(ph) >= {"dispatch", "buffer", "copy"} and all(
        sum(b["count"] for b in h) == r["count"] for h in ph.values() if h)
sys.exit(0 if ok else 1)' "$TMP/noparts.json" "$TMP/parts.json"; then
	pass "part-hists-only-when-asked"
else
	fail "part-hists-only-when-asked" "$(head -c 300 "$TMP/parts.json")"
fi

# The benchmark scripts' own plumbing does not differ by kernel: tested on
# the first kernel only (tests/check.sh sets E2E_SCOPE=kernel for others).
if [ "${E2E_SCOPE:-all}" = all ]; then
# The overhead benchmark runs and writes well-formed JSON, at scale too,
# and merges an instructions run with a wall-clock one (timings are never
# asserted; make bench is the real run; this guest's clock is not counting
# instructions, but the merge only reads the labels).
if scripts/bench-overhead -n 300 --race-iterations 100 --rounds 1 --scale 4 200 \
	--ringbuf-sizes 65536 -o "$TMP/overhead.json" >"$TMP/ov" 2>&1 &&
   scripts/bench-overhead -n 300 --race-iterations 100 --rounds 1 --clock instructions \
	--workloads read_64 --configs untraced,floor,hist -o "$TMP/ov-i.json" >>"$TMP/ov" 2>&1 &&
   scripts/bench-overhead --combine "$TMP/ov-i.json" "$TMP/overhead.json" \
	-o "$TMP/ov-both.json" >>"$TMP/ov" 2>&1 &&
   python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
confs = {"untraced", "floor", "hist", "events", "bpftrace", "funclatency"}
ok = set(d["workloads"]) == {"read_64", "read_64k", "race_8"} and all(
    set(w["median"]) == confs and all(v > 0 for v in w["median"].values())
    for w in d["workloads"].values())
# At scale: --hist, --events, --events with a 64 KiB ring; exact, every call accounted for.
s = d["scale"]
ok = ok and [x["config"] for x in s] == ["hist", "events", "events"] and all(
    x["exact"] for x in s) and all(x["accounted"] for x in s if x["config"] == "events")
both = json.load(open(sys.argv[2]))
ok = ok and both["decided_by"] == "instructions" and \
    both["instructions"]["clock"] == "instructions" and both["wall_clock"]["clock"] == "wall"
sys.exit(0 if ok else 1)' "$TMP/overhead.json" "$TMP/ov-both.json"; then
	pass "bench-overhead-runs-and-writes-json"
else
	fail "bench-overhead-runs-and-writes-json" "$(tail -c 600 "$TMP/ov")"
fi

# The tax benchmark runs: every op of a workload that never opens the
# device, untraced and under --hist, its figures in its JSON.
if scripts/bench-tax -n 300 --configs untraced,hist,untraced -o "$TMP/tax.json" >"$TMP/tax" 2>&1 &&
   python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
ops = {"geteuid", "getppid", "read64", "pingpong", "fault"}
ok = set(d["untraced"]) == ops and all(r["per_op"] and set(r["per_op"]) == ops and
                                       all(v > 0 for v in r["per_op"].values()) for r in d["runs"])
sys.exit(0 if ok else 1)' "$TMP/tax.json"; then
	pass "bench-tax-runs-and-writes-json"
else
	fail "bench-tax-runs-and-writes-json" "$(tail -c 600 "$TMP/tax")"
fi

# The per-program cost report runs, restores the statistics switch and
# writes JSON in which every configuration's programs ran.
stats_before=$(cat /proc/sys/kernel/bpf_stats_enabled)
if scripts/bpf-prog-cost -n 2000 -o "$TMP/cost.json" >"$TMP/cost" 2>&1 &&
   [ "$(cat /proc/sys/kernel/bpf_stats_enabled)" = "$stats_before" ] &&
   python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["configs"]
ok = set(d) == {"floor", "hist", "events"} and all(
    c["bpf_ns_per_unit"] > 0 and ("exit_read" in c["programs"] or "sys_exit" in c["programs"])
    for c in d.values())
sys.exit(0 if ok else 1)' "$TMP/cost.json"; then
	pass "bpf-prog-cost-runs-and-writes-json"
else
	fail "bpf-prog-cost-runs-and-writes-json" "$(tail -c 600 "$TMP/cost")"
fi
fi

"$TRACE" --bogus >/dev/null 2>&1
st=$?
[ $st -eq 2 ] && pass "bad-option-exit-2" || fail "bad-option-exit-2" "exit $st"
"$TRACE" -- /nonexistent/cmd >/dev/null 2>&1
st=$?
[ $st -eq 2 ] && pass "missing-command-exit-2" || fail "missing-command-exit-2" "exit $st"

exit $failed
