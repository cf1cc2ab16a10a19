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
# A reader that falls behind (a loaded host) loses nothing: 2 MB of lines
# through a pipe that nobody empties for 10 s. (Through FIFOs, QEMU's
# serial port lost every other character once the pipe was full.)
want=$(seq 1 300000 | md5sum)
got=$(scripts/vm-run --no-modules -- seq 1 300000 2>"$err" | { sleep 10; md5sum; })
if [ "$got" = "$want" ]; then
	echo "PASS vm/slow-reader-loses-nothing (300000 lines)"
else
	echo "FAIL vm/slow-reader-loses-nothing: md5 $got, want $want: $(tail -c 300 "$err")"; failed=1
fi
expect warning-fails-the-run 123 --no-modules -- \
	sh -c 'insmod build/tests/vm/$(uname -r)/vmrun_warn.ko; exit 0' &&
	{ grep -q "deliberate warning" "$err" ||
		{ echo "FAIL vm/warning-printed: $(head -c 300 "$err")"; failed=1; }; }
expect panic-fails-the-run 123 --no-modules -- sh -c 'echo c > /proc/sysrq-trigger'
expect guest-death-is-not-a-pass 125 --no-modules -- sh -c 'echo o > /proc/sysrq-trigger; sleep 30'
# Where each vCPU was, just before the end, named by the kernel's symbols
# (saved by the earlier boots): what a guest that hangs silently leaves.
site='^  vCPU 0: RIP 0x[0-9a-f]+ [a-z_][a-z0-9_.]*\+0x[0-9a-f]+, interrupts (on|off)$'
expect timeout-kills-the-guest 124 --no-modules --timeout 12 -- sleep 120 &&
	if grep -qE "$site" "$err"; then
		echo "PASS vm/timeout-says-where-the-vcpus-were ($(grep -m1 -E "$site" "$err" | sed 's/^ *//'))"
	else
		echo "FAIL vm/timeout-says-where-the-vcpus-were: $(tail -c 400 "$err")"; failed=1
	fi
expect usage-error 2 --timeout -1 -- true
expect bad-tcg-mode 2 --tcg fast -- true

# A QEMU that exits before it opens its serial files (here, an option it
# does not know) must not leave vm-run waiting on its serial files.
start=$SECONDS
if expect qemu-dies-at-start 125 --no-modules --timeout 300 --qemu-arg -no-such-option -- true; then
	took=$((SECONDS - start))
	if [ "$took" -gt 15 ]; then
		echo "FAIL vm/qemu-dies-at-start-fast: took $took s"; failed=1
	elif ! grep -q 'no-such-option' "$err"; then
		echo "FAIL vm/qemu-dies-at-start-says-why: $(tail -c 300 "$err")"; failed=1
	else
		echo "PASS vm/qemu-dies-at-start-fast ($took s, QEMU's message shown)"
	fi
fi

# --kernel: each guest kernel installed boots as asked (the default is
# Debian's default kernel, whatever else is installed); an unknown one is
# bad usage, naming the ones there are.
kernels=$(scripts/guest-kernel-version --all)
default=$(scripts/guest-kernel-version)
if [ "$(scripts/vm-run --kernel list)" = "$kernels" ]; then
	echo "PASS vm/kernel-list ($(echo $kernels))"
else
	echo "FAIL vm/kernel-list: '$(scripts/vm-run --kernel list 2>&1)', want '$kernels'"; failed=1
fi
if scripts/vm-run --no-modules -- uname -r >"$out" 2>"$err" && [ "$(cat "$out")" = "$default" ]; then
	echo "PASS vm/default-kernel-is-debians-default ($default)"
else
	echo "FAIL vm/default-kernel-is-debians-default: booted '$(cat "$out")', want $default"; failed=1
fi
for k in $kernels; do
	[ "$k" = "$default" ] && continue
	if scripts/vm-run --kernel "$k" -- sh -c 'uname -r; grep -c "^mymem" /proc/modules' >"$out" 2>"$err" &&
	   [ "$(cat "$out")" = "$(printf '%s\n2' "$k")" ]; then
		echo "PASS vm/kernel-option-boots-it ($k, its mymem and mymem_test loaded)"
	else
		echo "FAIL vm/kernel-option-boots-it: '$(cat "$out")', want $k and 2 modules: $(tail -c 300 "$err")"; failed=1
	fi
done
scripts/vm-run --kernel 1.2.3-nosuch -- true >"$out" 2>"$err"
if [ $? -eq 2 ] && grep -q "installed: " "$err"; then
	echo "PASS vm/unknown-kernel-names-the-installed-ones"
else
	echo "FAIL vm/unknown-kernel-names-the-installed-ones: $(head -c 300 "$err")"; failed=1
fi

# A soft lockup: the fixture spins with preemption off for 120 s; RCU
# reports a stall about 21 s in and the watchdog a soft lockup at 22 s.
# vm-run must stop the guest within 30 s of that report, not wait out its
# 300 s timeout nor the 120 s spin. The clock starts when the guest says
# it is about to spin.
spin_out=$(mktemp)
scripts/vm-run --no-modules --timeout 300 -- \
	sh -c 'echo spinning; insmod build/tests/vm/$(uname -r)/vmrun_spin.ko; echo "spin ended"' \
	>"$spin_out" 2>"$err" &
vm=$!
spin_start=""
while kill -0 "$vm" 2>/dev/null; do
	[ -z "$spin_start" ] && grep -q spinning "$spin_out" && spin_start=$SECONDS
	sleep 0.2
done
wait "$vm"
got=$?
end=$SECONDS
if [ "$got" != 123 ] || [ -z "$spin_start" ]; then
	echo "FAIL vm/soft-lockup-fails-fast: exit $got (want 123), spin seen: ${spin_start:-no}: $(tail -c 300 "$err")"
	failed=1
elif ! grep -qE 'the guest hung \((soft lockup|rcu_[a-z]+ self-detected stall)\)' "$err"; then
	echo "FAIL vm/soft-lockup-named: $(head -c 300 "$err")"
	failed=1
elif [ $((end - spin_start)) -gt 50 ] || grep -q 'spin ended' "$spin_out"; then
	echo "FAIL vm/soft-lockup-fails-fast: stopped $((end - spin_start)) s after the spin began (the kernel reports it about 21 s in)"
	failed=1
else
	echo "PASS vm/soft-lockup-fails-fast (stopped $((end - spin_start)) s after the spin began; the kernel reports it at about 21 s)"
fi
rm -f "$spin_out"
exit $failed
