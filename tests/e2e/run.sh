#!/bin/sh
# End-to-end tests, run inside the guest by tests/check.sh through
# scripts/vm-run, from the repository root, with mymem and mymem_test loaded,
# once per guest kernel. E2E_SCOPE=kernel (every kernel but the first)
# leaves out what does not depend on the kernel: the benchmark scripts'
# plumbing, the module fuzzer and the soak.
#
# Prints one line per test: "PASS e2e/<name>", "FAIL e2e/<name>: <why>" or
# "SKIP e2e/<name>: <why>". Exits 1 if any test failed.
set -u

BENCH=build/mymem-bench
# The modules built for the kernel this guest runs (make: build/kmod/VERSION).
KMOD=build/kmod/$(uname -r)
SEMANTICS=build/tests/e2e/mymem_semantics
CHECK_JSON="python3 tests/e2e/check_json.py"
TMP=$(mktemp -d)
failed=0
# One command of a test, bounded (tests/e2e/bounded.py): a hang leaves its
# report in $TMP/hang, which expect and json turn into the test's FAIL.
BOUNDED="python3 tests/e2e/bounded.py --report $TMP/hang - 120"

pass() { echo "PASS e2e/$1"; }
fail() { echo "FAIL e2e/$1: $2"; failed=1; }

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

module_loaded() { grep -q "^$1 " /proc/modules; }

# step NAME SECONDS CMD...: one script of tests, bounded. A step that hangs
# fails as "e2e/NAME: hung", with where each of its processes waits, and
# the run goes on (vm-run's timeout would stop the whole guest unexplained).
# The bounds are two to three times the step's time on a slow host with
# another guest beside it (trace: 377 s of 900).
step() {
	t0=$(date +%s)
	python3 tests/e2e/bounded.py "$@" || failed=1
	echo "-- e2e/$1: $(($(date +%s) - t0)) s"
}

# One user-space build and one BPF object for every kernel (CO-RE): the
# same files run here as on the other kernels (tests/check.sh compares).
echo "NOTE e2e/build: kernel $(uname -r), $(cat build/mymemtrace build/bpf/mymemtrace.bpf.o | sha256sum | cut -c1-16)"

# --- /dev/mymem semantics, at the default size and at a small one --------
step semantics 120 "$SEMANTICS"

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

# --- the tracer ---------------------------------------------------------------
step trace 900 tests/e2e/trace.sh
step live 240 tests/e2e/live.sh
step ecosystem 400 tests/e2e/ecosystem.sh
step ways-in 300 tests/e2e/ways_in.sh
step prometheus 240 python3 tests/e2e/prometheus.py
# A real client: fio, every engine.
step fio 400 tests/e2e/fio.sh
# The tracer itself under ASan and UBSan.
step asan 240 tests/e2e/asan.sh

# --- hostile input: the fuzzer, and unloading modules in use ---------------
[ "${E2E_SCOPE:-all}" = all ] && step fuzz 300 tests/e2e/fuzz.sh
step modules 240 tests/e2e/modules.sh
step faults 500 tests/e2e/tracer_faults.sh
# make soak's long run, short: the tracer's memory and counts over 30 s.
if [ "${E2E_SCOPE:-all}" = all ]; then
	step soak 240 scripts/soak --seconds 30 --prefix e2e/soak -o "$TMP/soak.json"
fi

# --- module life cycle ------------------------------------------------------
exec 3</dev/mymem
if rmmod mymem 2>/dev/null; then
	fail "module/unload-mymem-while-in-use" "rmmod succeeded"
else
	pass "module/unload-mymem-while-in-use"
fi
exec 3<&-

rmmod mymem_test && rmmod mymem || fail "module/unload" "rmmod failed"
if module_loaded mymem; then
	fail "module/unload" "mymem still loaded"
else
	pass "module/unload"
	expect "bench/missing-device" 1 "$BENCH" --mode syscall -n 1
	grep -q "mymem.ko" "$TMP/err" || fail "bench/missing-device-message" "$(cat "$TMP/err")"
	expect "trace/mymem-not-loaded-exit-3" 3 build/mymemtrace -- true
	grep -q "mymem is not loaded" "$TMP/err" ||
		fail "trace/mymem-not-loaded-message" "$(cat "$TMP/err")"

	# A mymem without BTF: no fentry on its functions, kprobes instead, said so.
	objcopy --remove-section=.BTF "$KMOD"/mymem.ko "$TMP/mymem-nobtf.ko"
	if insmod "$TMP/mymem-nobtf.ko"; then
		if build/mymemtrace -v --json "$TMP/nobtf.json" -- "$BENCH" -n 30 --sizes 64 \
			>"$TMP/out" 2>"$TMP/err" &&
		   grep -q "has no BTF" "$TMP/err" && grep -q "mymem_read *kprobe" "$TMP/err" &&
		   note=$(python3 tests/e2e/check_trace.py counts "$TMP/nobtf.json" syscall 30 64 2>&1); then
			pass "trace/module-without-btf-uses-kprobes ($note)"
		else
			fail "trace/module-without-btf-uses-kprobes" "$(head -5 "$TMP/err")"
		fi
		rmmod mymem
	else
		fail "trace/module-without-btf-uses-kprobes" "insmod of the BTF-less copy failed"
	fi

	dmesg -C
	if insmod "$KMOD"/mymem_test.ko 2>/dev/null; then
		fail "module/test-without-mymem" "insmod succeeded"
		rmmod mymem_test
	elif dmesg | grep -q "mymem is not loaded"; then
		pass "module/test-without-mymem"
	else
		fail "module/test-without-mymem" "no clear message: $(dmesg | tail -3)"
	fi

	if insmod "$KMOD"/mymem.ko size=1000 2>/dev/null; then
		fail "module/bad-size-param" "size=1000 accepted"
		rmmod mymem
	else
		pass "module/bad-size-param"
	fi

	# The whole semantics suite again on a 64 KiB buffer.
	if insmod "$KMOD"/mymem.ko size=65536 && insmod "$KMOD"/mymem_test.ko; then
		"$SEMANTICS" >"$TMP/sem64k" || failed=1
		sed 's|e2e/semantics/|e2e/semantics-64k/|' "$TMP/sem64k"
		rmmod mymem_test && rmmod mymem
	else
		fail "module/size-param" "insmod size=65536 failed"
	fi

	# The course's load-time run: results in the kernel log.
	dmesg -C
	insmod "$KMOD"/mymem.ko
	if insmod "$KMOD"/mymem_test.ko run_on_load=1 sizes=64,4096 trials=16 \
		workers=4 iterations=1000 race_trials=1; then
		if dmesg | grep -q "race lock=mutex trial 0: expected 4000 observed 4000" &&
		   dmesg | grep -qE "^\[.*\] mymem_test: +4096 +[0-9]+ +[0-9]+"; then
			pass "module/run-on-load"
		else
			fail "module/run-on-load" "log: $(dmesg | grep mymem_test | tail -5)"
		fi
	else
		fail "module/run-on-load" "insmod failed"
		insmod "$KMOD"/mymem_test.ko
	fi
fi

rm -rf "$TMP"
exit $failed
