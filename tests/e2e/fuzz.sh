#!/bin/sh
# The module under attack: mymem-fuzz from 8 threads, every result checked
# against its model, then the kernel log checked for oopses, BUGs, WARNINGs,
# lockdep reports and hung tasks. FUZZ_OPS sets the number of calls
# (default 1000000). One line per test: PASS/FAIL e2e/fuzz/...
set -u

SUITE=e2e/fuzz
. tests/lib/prologue.sh
FUZZ=build/mymem-fuzz
OPS=${FUZZ_OPS:-300000}
SPLAT='Oops|BUG:|WARNING:|general protection|possible recursive locking|possible circular locking|blocked for more than|soft lockup|Call Trace:'

dmesg -C
"$FUZZ" --threads 8 --ops "$OPS" -v >"$TMP/out" 2>&1
st=$?
seed=$(sed -n 's/^mymem-fuzz: seed \([0-9]*\) .*/\1/p' "$TMP/out" | head -1)
calls=$(sed -n 's/.*threads, \([0-9]*\) calls in.*/\1/p' "$TMP/out")
if [ $st -eq 0 ] && [ "${calls:-0}" -ge "$OPS" ] &&
   grep -q "every result matched the model" "$TMP/out"; then
	pass "8-threads-model-holds ($calls calls, seed $seed)"
else
	fail "8-threads-model-holds" "exit $st, replay with --seed $seed: $(grep -E 'FAIL|calls' "$TMP/out" | head -3)"
fi
# Every hostile kind was reached: faults and short copies both happened.
if grep -qE "\(([1-9][0-9]*) EFAULT, ([1-9][0-9]*) short copies\)" "$TMP/out"; then
	pass "efault-and-short-copies-exercised"
else
	fail "efault-and-short-copies-exercised" "$(tail -1 "$TMP/out")"
fi
if grep -q "unmapped page are left out" "$TMP/out"; then
	fail "crossing-into-unmapped-exercised" "$(grep note "$TMP/out")"
else
	pass "crossing-into-unmapped-exercised"
fi
if dmesg | grep -qE "$SPLAT"; then
	fail "kernel-log-clean" "$(dmesg | grep -E -A3 "$SPLAT" | head -8)"
else
	pass "kernel-log-clean"
fi

# The same seed gives the same calls: a single thread's counts repeat.
"$FUZZ" --threads 1 --ops 3000 --seed 42 -v 2>&1 | grep -v " in [0-9.]* s" >"$TMP/a"
"$FUZZ" --threads 1 --ops 3000 --seed 42 -v 2>&1 | grep -v " in [0-9.]* s" >"$TMP/b"
if cmp -s "$TMP/a" "$TMP/b" && grep -q "^read " "$TMP/a"; then
	pass "seed-replays"
else
	fail "seed-replays" "$(diff "$TMP/a" "$TMP/b" | head -5)"
fi

for bad in "--threads 0" "--threads 65" "--ops -5" "--ops x" "--seconds 0" "--bogus" "extra"; do
	# shellcheck disable=SC2086
	"$FUZZ" $bad >/dev/null 2>"$TMP/err"
	st=$?
	if [ $st -eq 2 ] && [ "$(wc -l <"$TMP/err")" -eq 1 ]; then
		pass "usage-exit-2 ($bad)"
	else
		fail "usage-exit-2" "'$bad': exit $st: $(cat "$TMP/err")"
	fi
done

exit $failed
