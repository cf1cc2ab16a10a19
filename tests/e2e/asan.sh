#!/bin/sh
# The tracer itself under ASan and UBSan (build/asan, made by make asan),
# in the guest, where its BPF side really runs: a run that reaches every
# writer (--hist, --json, --csv, --events, --trace, --part-hists) on the
# syscall and kernel paths, with a contended race. A sanitizer report is
# fatal (every report halts, -fno-sanitize-recover), and checked for too.
# One line per test: PASS/FAIL/SKIP e2e/asan/<name>.
set -u

SUITE=e2e/asan
. tests/lib/prologue.sh
ASAN=build/asan

if [ ! -x $ASAN/mymemtrace ] || [ ! -x $ASAN/mymem-bench ]; then
	fail tracer "$ASAN/mymemtrace is missing: run make asan"
	exit 1
fi
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

# sanitized NAME CHECK_ARGS -- TRACER_ARGS: a traced run, its report
# clean of sanitizer output, its JSON checked.
sanitized() {
	name=$1 path=$2
	shift 2
	if ! $ASAN/mymemtrace --json "$TMP/t.json" --csv "$TMP/t.csv" --events "$TMP/t.events" \
		--trace "$TMP/t.trace" --part-hists --hist "$@" >"$TMP/out" 2>"$TMP/err"; then
		fail "$name" "exited $?: $(grep -m3 -E 'Sanitizer|runtime error|mymemtrace' "$TMP/err")"
	elif grep -qE 'Sanitizer|runtime error' "$TMP/err"; then
		fail "$name" "$(grep -m3 -E 'Sanitizer|runtime error' "$TMP/err")"
	elif note=$(python3 tests/e2e/check_trace.py counts "$TMP/t.json" "$path" 100 64,4096 2>&1); then
		pass "$name ($note)"
	else
		fail "$name" "$note"
	fi
}

sanitized syscall-path syscall -- $ASAN/mymem-bench -n 100 --sizes 64,4096
sanitized kernel-path kernel -- $ASAN/mymem-bench --mode kernel -n 100 --sizes 64,4096
# A contended race: lock waits and off-CPU parts, every way of ending a call.
if $ASAN/mymemtrace --json "$TMP/r.json" --hist -- $ASAN/mymem-bench --race 8 500 --lock ioctl \
	--trials 1 >"$TMP/out" 2>"$TMP/err" && ! grep -qE 'Sanitizer|runtime error' "$TMP/err"; then
	pass "race"
else
	fail "race" "$(grep -m3 -E 'Sanitizer|runtime error|mymemtrace' "$TMP/err")"
fi
# Saved runs read back: report and plot on what this tracer just wrote, and
# diff (exit 0, or 1 for a regression between the two runs).
$ASAN/mymemtrace report --hist "$TMP/t.json" >"$TMP/out" 2>"$TMP/err"
st_report=$?
$ASAN/mymemtrace plot -o "$TMP/t.svg" "$TMP/t.json" 2>>"$TMP/err"
st_plot=$?
$ASAN/mymemtrace diff "$TMP/t.json" "$TMP/r.json" >/dev/null 2>>"$TMP/err"
st_diff=$?
if [ $st_report -eq 0 ] && [ $st_plot -eq 0 ] && [ $st_diff -le 1 ] &&
   ! grep -qE 'Sanitizer|runtime error' "$TMP/err"; then
	pass "report-plot-diff-of-this-run"
else
	fail "report-plot-diff-of-this-run" "report $st_report, plot $st_plot, diff $st_diff: $(grep -m3 -E 'Sanitizer|runtime error|mymemtrace' "$TMP/err")"
fi

exit $failed
