#!/bin/sh
# mymemtrace among other tools, in the guest (called by tests/e2e/run.sh):
# CMD's stdout left as CMD wrote it, -o FILE, and the --trace timeline.
# One line per test: PASS/FAIL e2e/ecosystem/...
set -u

SUITE=e2e/ecosystem
. tests/lib/prologue.sh
TIMELINE="python3 tests/e2e/check_timeline.py"

# --- CMD's stdout is CMD's --------------------------------------------------
# A command with known output on both streams: 512 KiB of the device's
# contents on stdout, a line on stderr.
CMD='dd if=/dev/mymem bs=4096 count=128 status=none; echo "cmd says this on stderr" >&2; exit 5'
sh -c "$CMD" >"$TMP/plain.out" 2>"$TMP/plain.err"
plain_st=$?
"$TRACE" -- sh -c "$CMD" >"$TMP/traced.out" 2>"$TMP/traced.err"
traced_st=$?
if [ "$plain_st" -eq 5 ] && [ "$traced_st" -eq 5 ] && cmp -s "$TMP/plain.out" "$TMP/traced.out"; then
	pass "cmd-stdout-byte-identical ($(wc -c <"$TMP/traced.out") bytes, exit 5 both)"
else
	fail "cmd-stdout-byte-identical" "exit $plain_st/$traced_st, $(cmp "$TMP/plain.out" "$TMP/traced.out" 2>&1)"
fi
if grep -q "^syscall *read *4096 *128 " "$TMP/traced.err" &&
   grep -q "cmd says this on stderr" "$TMP/traced.err"; then
	pass "report-on-stderr-with-cmd"
else
	fail "report-on-stderr-with-cmd" "$(head -c 400 "$TMP/traced.err")"
fi

# The case that broke a script: the benchmark's JSON, traced, still parses.
if "$TRACE" -- "$BENCH" -n 20 --sizes 64 --json >"$TMP/bench.json" 2>"$TMP/bench.err" &&
   python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["rows"] else 1)' "$TMP/bench.json"; then
	pass "traced-bench-json-parses"
else
	fail "traced-bench-json-parses" "$(head -c 300 "$TMP/bench.json")"
fi

# Without CMD the report stays on stdout.
"$TRACE" -d 1 >"$TMP/nocmd.out" 2>"$TMP/nocmd.err"
if grep -q "^path *op *size" "$TMP/nocmd.out" && ! grep -q "^path *op *size" "$TMP/nocmd.err"; then
	pass "report-on-stdout-without-cmd"
else
	fail "report-on-stdout-without-cmd" "$(head -c 300 "$TMP/nocmd.out")"
fi

# --- -o FILE: the report there, whole or not at all ---------------------------
# (The benchmark above wrote to the device: its contents are read afresh.)
sh -c "$CMD" >"$TMP/plain.out" 2>/dev/null
echo "the previous report" >"$TMP/report.txt"
"$TRACE" -o "$TMP/report.txt" -- sh -c "sleep 3; $CMD" >"$TMP/o.out" 2>"$TMP/o.err" &
o_pid=$!
sleep 2
during=$(cat "$TMP/report.txt")
tmp_there=no
[ -e "$TMP/report.txt.tmp" ] && tmp_there=yes
wait $o_pid
o_st=$?
if [ "$o_st" -eq 5 ] && cmp -s "$TMP/plain.out" "$TMP/o.out" &&
   grep -q "^syscall *read *4096 *128 " "$TMP/report.txt" &&
   ! grep -q "^path *op *size" "$TMP/o.err" && grep -q "cmd says this on stderr" "$TMP/o.err"; then
	pass "output-file-has-the-report"
else
	fail "output-file-has-the-report" "exit $o_st: $(head -c 300 "$TMP/report.txt")"
fi
if [ "$during" = "the previous report" ] && [ "$tmp_there" = yes ] && [ ! -e "$TMP/report.txt.tmp" ]; then
	pass "output-file-replaced-atomically"
else
	fail "output-file-replaced-atomically" "while tracing: '$during', FILE.tmp there: $tmp_there"
fi
"$TRACE" -o "$TMP" -- true >/dev/null 2>"$TMP/err"
st=$?
if [ $st -eq 2 ] && grep -q "is a directory" "$TMP/err"; then
	pass "output-to-a-directory-exit-2"
else
	fail "output-to-a-directory-exit-2" "exit $st: $(cat "$TMP/err")"
fi

# --- --trace: a timeline for Perfetto ----------------------------------------
if "$TRACE" --trace "$TMP/tl.json" --json "$TMP/tl-run.json" -- sh -c \
	"$BENCH -n 100 --sizes 64,4096 >/dev/null && $BENCH --mode kernel -n 100 --sizes 64 >/dev/null" \
	>/dev/null 2>"$TMP/tl.err"; then
	if note=$($TIMELINE "$TMP/tl.json" "$TMP/tl-run.json" --want-parts dispatch,buffer,copy 2>&1); then
		pass "timeline-calls-and-parts ($note)"
	else
		fail "timeline-calls-and-parts" "$note"
	fi
	grep -q "calls written to $TMP/tl.json" "$TMP/tl.err" || fail "timeline-said-on-stderr" "$(cat "$TMP/tl.err")"
else
	fail "timeline-calls-and-parts" "mymemtrace failed: $(tail -c 300 "$TMP/tl.err")"
fi
# Threads racing on two vCPUs: off-CPU (and often lock wait) inside calls.
if "$TRACE" --trace "$TMP/race-tl.json" --json "$TMP/race-run.json" -- \
	"$BENCH" --race 8 2000 --lock none --trials 1 >/dev/null 2>"$TMP/race.err"; then
	if note=$($TIMELINE "$TMP/race-tl.json" "$TMP/race-run.json" --want-parts off-CPU 2>&1); then
		pass "timeline-race-offcpu-inside-calls ($note)"
	else
		fail "timeline-race-offcpu-inside-calls" "$note"
	fi
else
	fail "timeline-race-offcpu-inside-calls" "mymemtrace failed: $(tail -c 300 "$TMP/race.err")"
fi
# A one-page ring buffer drops records: counted, in the file's metadata.
if "$TRACE" --trace "$TMP/drop-tl.json" --json "$TMP/drop-run.json" --ringbuf-size 4096 -- \
	"$BENCH" --mode kernel -n 3000 --sizes 64 >/dev/null 2>"$TMP/drop.err"; then
	if note=$($TIMELINE "$TMP/drop-tl.json" "$TMP/drop-run.json" 2>&1) &&
	   python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))["otherData"]["dropped_events"] > 0 else 1)' "$TMP/drop-tl.json"; then
		pass "timeline-drops-counted ($note)"
	else
		fail "timeline-drops-counted" "$note"
	fi
else
	fail "timeline-drops-counted" "mymemtrace failed: $(tail -c 300 "$TMP/drop.err")"
fi

exit $failed
