#!/bin/bash
# mymemtrace's subcommands on saved runs (tests/unit/fixtures): exit
# statuses, and the SVG checked by an XML parser and rendered to PNG by
# librsvg's rsvg-convert. They need no privileges and no BPF, so they run
# on the host. One line per test: PASS/FAIL host/subcommands/...
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

# BUILD=build/asan: the same tests on the sanitizers' build (tests/check.sh).
BUILD=${BUILD:-build}
T=$BUILD/mymemtrace
export ASAN_OPTIONS=halt_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
A=tests/unit/fixtures/run-a.json
B=tests/unit/fixtures/run-b.json
SUITE=host/subcommands
. tests/lib/prologue.sh

# status NAME WANT CMD...: CMD's exit status must be WANT.
status() {
	local name=$1 want=$2 got
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"
	got=$?
	if [ "$got" -eq "$want" ]; then
		pass "$name"
	else
		fail "$name" "exit $got, want $want: $(head -c 300 "$TMP/err")"
	fi
}

status report-ok 0 $T report $A
if grep -q '6.16x' "$TMP/out" && grep -q 'Where the difference goes' "$TMP/out"; then
	pass "report-renders-the-comparison"
else
	fail report-renders-the-comparison "$(head -c 300 "$TMP/out")"
fi
status report-hist 0 $T report --hist $A
# A file that is not a run, whichever way, is bad input: a message, exit 2.
status report-missing-file 2 $T report "$TMP/none.json"
status report-not-json 2 $T report /etc/hostname
for bad in tests/fuzz/corpus/*; do
	status "report-fuzz-found-$(basename "$bad")" 2 $T report --hist "$bad"
	grep -q "^mymemtrace report: " "$TMP/err" ||
		fail "report-fuzz-found-$(basename "$bad")-message" "$(head -c 200 "$TMP/err")"
done
status plot-not-a-run 2 $T plot /etc/hostname -o "$TMP/x.svg"
status report-no-file 2 $T report
status diff-same 0 $T diff $A $A
status diff-regressed 1 $T diff $A $B
status diff-threshold 0 $T diff --threshold 60 $A $B
status diff-metric-p99 1 $T diff --metric p99 $A $B
status diff-bad-metric 2 $T diff --metric p42 $A $B
status diff-bad-threshold 2 $T diff --threshold -5 $A $B
status diff-missing-file 2 $T diff $A "$TMP/none.json"
status plot-no-output 2 $T plot $A
status plot-unwritable 1 $T plot $A -o /nonexistent/dir/x.svg
status plot-ok 0 $T plot $A -o "$TMP/run.svg"

if python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$TMP/run.svg" 2>"$TMP/err"; then
	pass "svg-well-formed"
else
	fail svg-well-formed "$(head -c 300 "$TMP/err")"
fi
if ! command -v rsvg-convert >/dev/null; then
	fail svg-renders "rsvg-convert is missing (librsvg2-bin, in scripts/apt-packages)"
elif rsvg-convert "$TMP/run.svg" -o "$TMP/run.png" 2>"$TMP/err" &&
     [ "$(head -c 8 "$TMP/run.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then
	pass "svg-renders-to-png ($(stat -c %s "$TMP/run.png") bytes)"
else
	fail svg-renders-to-png "$(head -c 300 "$TMP/err")"
fi
exit $failed
