#!/bin/bash
# Tests of scripts/vm-run's contract, run on the host: each boots a guest.
# Prints one line per test: "PASS vm/<name>" or "FAIL vm/<name>: <why>".
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

failed=0
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

# expect NAME WANT_STATUS VM_RUN_ARGS...
expect() {
	local name=$1 want=$2 got
	shift 2
	scripts/vm-run "$@" >"$out" 2>"$err"
	got=$?
	if [ "$got" = "$want" ]; then
		echo "PASS vm/$name"
		return 0
	fi
	echo "FAIL vm/$name: exit $got, want $want: $(tail -c 300 "$err")"
	failed=1
	return 1
}

if expect exit-status-and-streams 7 --no-modules -- \
	sh -c 'printf "out\nline2\n"; echo err >&2; exit 7'; then
	[ "$(cat "$out")" = "$(printf 'out\nline2')" ] && [ "$(cat "$err")" = "err" ] ||
		{ echo "FAIL vm/exit-status-and-streams: stdout '$(cat "$out")' stderr '$(cat "$err")'"; failed=1; }
fi
expect warning-fails-the-run 123 --no-modules -- \
	sh -c 'insmod build/tests/vm/vmrun_warn.ko; exit 0' &&
	{ grep -q "deliberate warning" "$err" ||
		{ echo "FAIL vm/warning-printed: $(head -c 300 "$err")"; failed=1; }; }
expect panic-fails-the-run 123 --no-modules -- sh -c 'echo c > /proc/sysrq-trigger'
expect guest-death-is-not-a-pass 125 --no-modules -- sh -c 'echo o > /proc/sysrq-trigger; sleep 30'
expect timeout-kills-the-guest 124 --no-modules --timeout 10 -- sleep 120
expect usage-error 2 --timeout -1 -- true
exit $failed
