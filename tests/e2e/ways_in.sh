#!/bin/sh
# Every way into the module is counted (issue #13): the vectored syscalls,
# io_uring, and the kernel path under kprobes with 50 threads at once.
# Called by tests/e2e/run.sh. One line per test: PASS/FAIL e2e/ways-in/...
set -u

SUITE=e2e/ways-in
. tests/lib/prologue.sh
WAY=build/tests/e2e/every_way_in

# rows JSON: "path op via size count" per row, and the drops, one per line.
rows() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for r in d["rows"]:
    print(r["path"], r["op"], r.get("via", "-"), r["size"], r["count"])
dr = d["drops"]
print("drops", sum(dr.values()))' "$1"
}

# name want [tracer options] -- ways...: 100 calls of each way under one
# tracer; want: its rows, each of exactly 100 calls, and no drops.
check_ways() {
	name=$1 want=$2
	shift 2
	opts=
	while [ "$1" != "--" ]; do opts="$opts $1"; shift; done
	shift
	cmd=
	for way in "$@"; do cmd="$cmd$WAY $way 100 && "; done
	# shellcheck disable=SC2086
	if ! "$TRACE" $opts --json "$TMP/$name.json" -- sh -c "${cmd}true" >/dev/null 2>"$TMP/$name.err"; then
		fail "$name" "exit $?: $(tail -c 400 "$TMP/$name.err")"
		return
	fi
	got=$(rows "$TMP/$name.json" | tr '\n' ';')
	if [ "$got" = "${want}drops 0;" ] &&
	   python3 tests/e2e/check_trace.py adds-up "$TMP/$name.json" >/dev/null; then
		pass "$name ($(echo "$got" | sed 's/ 100;/;/g; s/;drops 0;$//'): 100 calls each)"
	else
		fail "$name" "want '${want}drops 0;', got '$got'"
	fi
}

# 4 segments of 64 B per call: one call of 256 B, the syscall named.
check_ways vectored "syscall read readv 256 100;syscall read preadv 256 100;syscall read preadv2 256 100;syscall write writev 256 100;syscall write pwritev 256 100;syscall write pwritev2 256 100;" \
	-- readv preadv preadv2 writev pwritev pwritev2
check_ways vectored-kprobes "syscall read preadv 256 100;syscall write pwritev 256 100;" \
	--force-kprobes -- preadv pwritev
# io_uring: mymem has no nowait support, so io_uring hands each request
# to one of its workers, outside any syscall the tracer follows.
check_ways io_uring "syscall read outside:io_worker 64 100;syscall write outside:io_worker 64 100;" \
	-- uring-read uring-write

# --- kprobes with 50 threads inside mymem_kernel_* at once --------------------
# Without room for 50 returns in flight (the kernel's default is 10), the
# returns of the rest are missed: a run with 2 lost 13087 of 30002 calls.
race="$BENCH --mode kernel --race 50 300 --lock none --trials 1"
if $TRACE --json "$TMP/fentry.json" -- $race >/dev/null 2>"$TMP/fentry.err" &&
   $TRACE --force-kprobes -v --json "$TMP/kprobe.json" -- $race >/dev/null 2>"$TMP/kprobe.err"; then
	f=$(rows "$TMP/fentry.json" | tr '\n' ';')
	k=$(rows "$TMP/kprobe.json" | tr '\n' ';')
	if [ "$f" = "kernel read - 8 15001;kernel write - 8 15001;drops 0;" ] && [ "$k" = "$f" ] &&
	   grep -q "mymem_kernel_read *kprobe" "$TMP/kprobe.err" &&
	   [ -z "$(grep mymemtrace_ /sys/kernel/tracing/kprobe_events)" ]; then
		pass "kprobes-at-50-threads-exact (15001 reads and writes, none missed, events removed)"
	else
		fail "kprobes-at-50-threads-exact" "fentry '$f', kprobes '$k'; $(grep -c mymemtrace_ /sys/kernel/tracing/kprobe_events) events left"
	fi
else
	fail "kprobes-at-50-threads-exact" "$(tail -c 400 "$TMP/fentry.err" "$TMP/kprobe.err")"
fi

# The same in user space: 50 threads in mymem_read/mymem_write at once.
urace="$BENCH --race 50 200 --lock none --trials 1"
if $TRACE --json "$TMP/ufentry.json" -- $urace >/dev/null 2>"$TMP/ufentry.err" &&
   $TRACE --force-kprobes --json "$TMP/ukprobe.json" -- $urace >/dev/null 2>"$TMP/ukprobe.err"; then
	f=$(rows "$TMP/ufentry.json" | tr '\n' ';')
	k=$(rows "$TMP/ukprobe.json" | tr '\n' ';')
	if [ "$k" = "$f" ] && echo "$f" | grep -q "syscall read - 8 10001;" &&
	   echo "$f" | grep -q "drops 0;"; then
		pass "kprobes-user-race-50-threads-exact ($f)"
	else
		fail "kprobes-user-race-50-threads-exact" "fentry '$f', kprobes '$k'"
	fi
else
	fail "kprobes-user-race-50-threads-exact" "$(tail -c 400 "$TMP/ufentry.err" "$TMP/ukprobe.err")"
fi

# A stale event of a tracer that died is removed by the next one.
echo "r4:mymemtrace_999999/stale_999999 mymem_read" >>/sys/kernel/tracing/kprobe_events
$TRACE --force-kprobes -d 1 >/dev/null 2>&1
if grep -q "mymemtrace_999999" /sys/kernel/tracing/kprobe_events; then
	fail "stale-kretprobe-removed" "$(grep mymemtrace_ /sys/kernel/tracing/kprobe_events)"
else
	pass "stale-kretprobe-removed"
fi

exit $failed
