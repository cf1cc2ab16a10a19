#!/bin/sh
# The benchmark (mymem-bench) in the guest, with mymem and mymem_test
# loaded (a step of tests/e2e/run.sh): its JSON and exact counts on the
# three paths, exact locked races and reported losses for unlocked ones, in
# user space and in the kernel, and bad command lines (exit 2).
# One line per test: PASS/FAIL e2e/bench/... and e2e/race/...
set -u

SUITE=e2e
. tests/lib/prologue.sh
CHECK_JSON="python3 tests/e2e/check_json.py"

# json NAME CHECK ARGS -- BENCH_ARGS...: bench --json output checked by
# tests/e2e/check_json.py CHECK ARGS.
json() {
	name=$1 check=$2
	shift 2
	args=""
	while [ "$1" != "--" ]; do args="$args $1"; shift; done
	shift
	rm -f "$TMP/hang"
	if ! $BOUNDED "$BENCH" "$@" --json >"$TMP/json" 2>"$TMP/err"; then
		if [ -s "$TMP/hang" ]; then
			fail "$name" "$(cat "$TMP/hang")"
		else
			fail "$name" "mymem-bench $* failed: $(head -c 300 "$TMP/err")"
		fi
	elif why=$($CHECK_JSON "$check" "$TMP/json" $args 2>&1); then
		pass "$name${why:+ ($why)}"
	else
		fail "$name" "$why"
	fi
}

# --- the benchmark on the three paths: JSON shape and exact counts -------
for mode in syscall mmap kernel; do
	json "bench/$mode-json" rows 37 1,64,1000,65536,524288 both 0 -- \
		--mode "$mode" -n 37 --sizes 1,64,1000,65536,524288
done
json "bench/syscall-read-only" rows 20 4096 read 0 -- \
	--mode syscall --op read -n 20 --sizes 4096
json "bench/mmap-write-only-warmup" rows 20 4096 write 3 -- \
	--mode mmap --op write -n 20 --sizes 4096 --warmup 3
expect "bench/table-output" 0 "$BENCH" --mode syscall -n 5
grep -q "524288" "$TMP/out" || fail "bench/table-output-rows" "no 524288 row"

# --- the counter race, in user space and in the kernel --------------------
json "race/user-mutex-exact" race-exact 2 -- --race 4 3000 --lock mutex --trials 2
json "race/user-ioctl-exact" race-exact 2 -- --race 4 3000 --lock ioctl --trials 2
json "race/user-none-reports-loss" race-loss 3 -- --race 8 4000 --lock none
json "race/kernel-mutex-exact" race-exact 2 -- --mode kernel --race 8 20000 --lock mutex --trials 2
json "race/kernel-atomic-exact" race-exact 2 -- --mode kernel --race 8 20000 --lock atomic --trials 2
json "race/kernel-none-reports-loss" race-loss 3 -- --mode kernel --race 8 20000 --lock none
expect "race/user-none-human-output" 0 "$BENCH" --race 4 1000 --lock none --trials 1
grep -qi "lost" "$TMP/out" || fail "race/user-none-human-output-lost" "no loss column: $(cat "$TMP/out")"

# --- bad command lines: exit 2 ---------------------------------------------
expect "bench/bad-mode" 2 "$BENCH" --mode bogus
expect "bench/bad-n" 2 "$BENCH" -n 0
expect "bench/bad-size" 2 "$BENCH" --sizes 0
expect "bench/size-too-large" 2 "$BENCH" --sizes 524289
expect "bench/bad-lock" 2 "$BENCH" --race 2 10 --lock spin

exit $failed
