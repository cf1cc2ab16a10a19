# shellcheck shell=sh disable=SC2034 # the variables are for the tests that source this
# The prologue every shell test shares: tests/e2e/*.sh in the guest (run by
# /bin/sh, dash, from the host's root over 9p) and tests/host/*.sh on the
# host (bash). POSIX sh only. Sourced from the repository root, once SUITE
# names the test's results:
#
#	SUITE=e2e/trace
#	. tests/lib/prologue.sh
#
# It gives:
#   TRACE, BENCH, KMOD, CHECK  the programs under test (TRACE= in the
#                              environment puts another tracer under test)
#                              and the modules built for the running kernel
#   TMP                        a temporary folder, removed on exit; a test
#                              with more to clean up defines on_exit
#   pass NAME                  prints "PASS $SUITE/NAME"
#   fail NAME WHY              prints "FAIL $SUITE/NAME: WHY"; failed=1
#   skip NAME WHY              prints "SKIP $SUITE/NAME: WHY"
#   failed                     0, or 1 after a fail: the script ends with
#                              exit $failed
#   expect NAME WANT CMD...    CMD's exit status must be WANT, within 120 s
#                              (its output in $TMP/out and $TMP/err)
# These result lines are what tests/check.sh reads.

TRACE=${TRACE:-build/mymemtrace}
BENCH=build/mymem-bench
# The modules built for the kernel this runs on (make: build/kmod/VERSION).
KMOD=build/kmod/$(uname -r)
CHECK="python3 tests/e2e/check_trace.py"

TMP=$(mktemp -d)
on_exit() { :; }
trap 'on_exit; rm -rf "$TMP"' EXIT

failed=0
pass() { echo "PASS $SUITE/$1"; }
fail() { echo "FAIL $SUITE/$1: $2"; failed=1; }
skip() { echo "SKIP $SUITE/$1: $2"; }

# One command of a test, bounded (tests/e2e/bounded.py): a hang leaves its
# report in $TMP/hang, which expect (and a test's own helpers) turn into the
# test's FAIL.
BOUNDED="python3 tests/e2e/bounded.py --report $TMP/hang - 120"

# expect NAME WANT_STATUS CMD...: CMD's exit status must be WANT_STATUS.
expect() {
	name=$1 want=$2
	shift 2
	rm -f "$TMP/hang"
	$BOUNDED "$@" >"$TMP/out" 2>"$TMP/err"
	got=$?
	if [ -s "$TMP/hang" ]; then
		fail "$name" "$(cat "$TMP/hang")"
	elif [ "$got" -eq "$want" ]; then
		pass "$name"
	else
		fail "$name" "exit $got, want $want: $(head -c 300 "$TMP/err")"
	fi
}
