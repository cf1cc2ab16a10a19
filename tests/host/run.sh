#!/bin/bash
# mymemtrace on the host kernel itself, where only tracepoints work (no
# modules, kprobes or fentry here): it must load, attach the tracepoints,
# report the rest as unavailable, and count a known workload on /dev/zero
# exactly. One line per test: PASS/FAIL/SKIP host/...
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

SUITE=host
. tests/lib/prologue.sh

if [ "$(id -u)" != 0 ]; then
	skip tracepoints-only "not root, cannot load BPF programs"
	exit 0
fi
# A kernel older than the oldest supported (5.15) is refused before
# anything is loaded, naming what it lacks: setarch's UNAME26 personality
# makes this kernel report itself as 2.6.x.
setarch "$(uname -m)" --uname-2.6 build/mymemtrace --dev /dev/zero -- true >"$TMP/out" 2>&1
st=$?
if [ $st -eq 3 ] && grep -q "older than 5.15, the oldest mymemtrace runs on: it needs bpf_task_pt_regs" "$TMP/out"; then
	pass "kernel-too-old-exit-3 ($(grep -o 'kernel [^ ]* is older than 5.15' "$TMP/out"))"
else
	fail kernel-too-old-exit-3 "exit $st: $(head -c 300 "$TMP/out")"
	exit 1
fi

if [ -e /sys/bus/event_source/devices/kprobe/type ]; then
	skip tracepoints-only "this host kernel has kprobes; the tracepoint-only case does not apply (the guest tests cover the rest)"
	exit 0
fi

if ! build/mymemtrace --dev /dev/zero --json "$TMP/host.json" -- \
	dd if=/dev/zero of=/dev/null bs=64 count=1000 status=none >"$TMP/out" 2>&1; then
	fail tracepoints-only "mymemtrace failed: $(tail -c 400 "$TMP/out")"
	exit 1
fi
if note=$(python3 tests/e2e/check_trace.py host "$TMP/host.json" 1000 64 2>&1); then
	pass "tracepoints-only-exact-dev-zero-counts${note:+ ($note)}"
else
	fail tracepoints-only-exact-dev-zero-counts "$note"
	exit 1
fi
if grep -q "not attached: mymem_read" "$TMP/out"; then
	pass "unavailable-targets-reported"
else
	fail unavailable-targets-reported "$(tail -c 400 "$TMP/out")"
	exit 1
fi
