#!/bin/sh
# The modules' life cycle, in the guest, the last step of tests/e2e/run.sh
# (it unloads them): mymem unloaded while in use (refused), then unloaded;
# the benchmark and the tracer without it; a mymem without BTF (kprobes
# instead of fentry, said so); mymem_test without mymem; a bad size; the
# semantics suite again on a 64 KiB buffer; and the course's load-time run.
# One line per test: PASS/FAIL e2e/module/..., e2e/bench/..., e2e/trace/...
# and e2e/semantics-64k/...
set -u

SUITE=e2e
. tests/lib/prologue.sh
SEMANTICS=build/tests/e2e/mymem_semantics

module_loaded() { grep -q "^$1 " /proc/modules; }

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

exit $failed
