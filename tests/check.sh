#!/bin/bash
# make check: unit tests on the host (the normal build and the ASan+UBSan
# one), the host tests, a bounded fuzz of the saved-run reader, vm-run's
# contract, then the end-to-end tests in the guest on every guest kernel
# installed (scripts/guest-kernel-version --all: Debian's default first).
# Every test prints one line, PASS, FAIL or SKIP (the unit test programs
# print KTAP, turned into those lines by tests/lib/from-ktap.awk); a guest
# test's name starts with the kernel line it ran on (6.1/e2e/...,
# 6.12/e2e/...). This script tallies them and ends with "N passed, N
# failed, N skipped". A skipped test is reported with its reason and never
# counted as passed. All of it comes out as one KTAP stream
# (tests/lib/to-ktap.awk): "ok N NAME", "not ok N NAME # WHY", "ok N NAME
# # SKIP WHY", every other line a "# " diagnostic, the plan after the last
# result and the tally, "# N passed, ...", last. TAP tools read it as it is:
#
#   tests/check.sh --unit | prove -v -e cat /dev/stdin
#
#   tests/check.sh           everything (make check)
#   tests/check.sh --unit    the unit tests only, both builds (make unit)
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

unit_only=0
case ${1:-} in
--unit) unit_only=1 ;;
"") ;;
*) echo "usage: tests/check.sh [--unit]" >&2; exit 2 ;;
esac

results=$(mktemp)
trap 'rm -f "$results"' EXIT
started=$SECONDS

# ktap NAME CMD...: CMD's KTAP (tests/unit/unit.h) as result lines
# (tests/lib/from-ktap.awk); NAME fails if CMD planned more than it printed.
ktap() {
	local name=$1
	shift
	"$@" 2>&1 | awk -v name="$name" -f tests/lib/from-ktap.awk
	return "${PIPESTATUS[0]}"
}

# prefix P: result lines renamed P/NAME (which build or kernel they ran on).
prefix() {
	if [ -n "$1" ]; then
		sed -u -E "s#^(PASS|FAIL|SKIP|NOTE) #\1 $1/#"
	else
		cat
	fi
}

# record [-p PREFIX] NAME CMD...: run CMD, show and keep its result lines; a
# CMD that fails without printing a FAIL line is itself a failure (named
# PREFIX/NAME, unless NAME starts with PREFIX/ already).
record() {
	local pre="" name full status fails_before t0=$SECONDS
	if [ "$1" = -p ]; then pre=$2; shift 2; fi
	name=$1
	shift
	full=$name
	[ -n "$pre" ] && [[ $name != "$pre"/* ]] && full=$pre/$name
	echo "== $name"
	fails_before=$(grep -c '^FAIL ' "$results")
	"$@" 2>&1 | prefix "$pre" | awk -v pre="$pre" -f tests/lib/step-tally.awk | tee -a "$results"
	status=${PIPESTATUS[0]}
	if [ "$status" -ne 0 ] &&
	   [ "$(grep -c '^FAIL ' "$results")" -eq "$fails_before" ]; then
		echo "FAIL $full: exited $status" | tee -a "$results"
	fi
	echo "-- $name: $((SECONDS - t0)) s"
}

# summary: the failures and skips again, as diagnostics, then the tally;
# false if anything failed or nothing passed.
summary() {
	local passed failed skipped
	passed=$(grep -c '^PASS ' "$results")
	failed=$(grep -c '^FAIL ' "$results")
	skipped=$(grep -c '^SKIP ' "$results")
	echo "#"
	grep -E '^(FAIL|SKIP) ' "$results" | sed 's/^/# /'
	echo "$passed passed, $failed failed, $skipped skipped ($((SECONDS - started)) s)"
	[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
}

# main: every test, one after another; ends with summary's tally and status.
main() {
	# The sanitizers' reports are fatal (the build has -fno-sanitize-recover).
	export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
	for build in build build/asan; do
		pre=""
		[ $build = build/asan ] && pre=asan
		for t in $build/tests/unit/test_*; do
			[ -x "$t" ] || { echo "FAIL ${pre:+$pre/}unit: no unit tests in $build: run make" | tee -a "$results"; break; }
			suite=unit/$(basename "$t" | sed 's/^test_//')
			record -p "$pre" "${pre:+$pre/}$suite" ktap "$suite" "$t"
		done
	done
	if [ $unit_only = 1 ]; then
		summary
		return
	fi

	# This output itself: KTAP that perl's TAP::Parser reads as meant.
	record host-ktap tests/host/ktap.sh

	# The build: a module that does not compile fails make.
	record host-build tests/host/build.sh

	# The guest's vmlinux out of every compression a kernel image can have.
	record host-extract-vmlinux python3 tests/host/extract_vmlinux.py

	# The tracer on the host's own kernel (tracepoints only).
	record host tests/host/run.sh

	# --prometheus, --trace and -o on the host's kernel.
	record host-ecosystem tests/host/ecosystem.sh

	# report, diff and plot on saved runs: no privileges needed; again under
	# the sanitizers.
	record host-subcommands tests/host/subcommands.sh
	record -p asan asan/host-subcommands env BUILD=build/asan tests/host/subcommands.sh

	# make install and uninstall in a staging tree; the man pages and bash
	# completion against every --help.
	record host-install tests/host/install.sh

	# DKMS in trees of its own: build, sign, install for every guest kernel,
	# module BTF kept; each kernel booted with what DKMS installed, fentry on
	# mymem's functions.
	record host-dkms tests/host/dkms.sh

	# Saved runs from other machines, mutated under libFuzzer, bounded. On the
	# host's other core while vm-run's contract boots guests (a guest runs on
	# one host thread), and recorded after it.
	fuzz_log=$(mktemp)
	tests/fuzz/run.sh --seconds "${FUZZ_SECONDS:-30}" >"$fuzz_log" 2>&1 &
	fuzz_pid=$!

	# vm-run's own contract: statuses, splats, timeouts, --kernel.
	record vm tests/vm/run.sh

	wait "$fuzz_pid"
	record host-fuzz-run-file sh -c 'cat "$1"; exit "$2"' fuzz "$fuzz_log" $?
	rm -f "$fuzz_log"

	# Every guest kernel: the first (Debian's default) runs everything; the
	# others what can differ by kernel (E2E_SCOPE=kernel, tests/e2e/run.sh).
	# Exit codes of vm-run itself (123 splat, 124 timeout, 125 guest died) land
	# here as a failure of the run, with what vm-run printed above it.
	line_of() { sed -E 's/^([0-9]+\.[0-9]+).*/\1/' <<<"$1"; }
	# e2e KERNEL SCOPE: the end-to-end suite in one boot.
	e2e() {
		record -p "$(line_of "$1")" "e2e on $1" scripts/vm-run --kernel "$1" \
			--timeout "${E2E_TIMEOUT:-1800}" -- env E2E_SCOPE="$2" tests/e2e/run.sh
	}
	# compensation KERNEL: the tracer's own cost taken out, traced against
	# untraced in one boot, counted in instructions (--icount --smp 1 repeats
	# within 1%, whatever runs beside it on the host).
	compensation() {
		record -p "$(line_of "$1")" "e2e-compensation on $1" scripts/vm-run --kernel "$1" \
			--icount --smp 1 --timeout 900 -- tests/e2e/compensation.sh
	}
	kernels=$(scripts/guest-kernel-version --all) ||
		{ echo "FAIL e2e: no guest kernel" | tee -a "$results"; kernels=""; }
	first=$(head -n 1 <<<"$kernels")
	others=$(tail -n +2 <<<"$kernels")
	# A guest runs on one host thread (vm-run's single-threaded TCG), so two
	# lanes use the host's two cores: here the first kernel's whole suite,
	# streamed; beside it the other kernels' suites and every compensation run,
	# one after another, their lines held and shown after. No test asserts a
	# time, and the compensation runs count instructions.
	held=$(mktemp -d)
	if [ -n "$kernels" ]; then
		# shellcheck disable=SC2030,SC2031 # the subshell's results are its own
		(
			results=$held/results
			: >"$results"
			for k in $others; do e2e "$k" kernel; compensation "$k"; done
			compensation "$first"
		) >"$held/log" 2>&1 &
		beside=$!
		e2e "$first" all
		wait "$beside"
		echo "== beside it: $(for k in $others; do echo -n "e2e on $k, "; done)compensation on every kernel"
		cat "$held/log"
		cat "$held/results" >>"$results"
	fi
	rm -rf "$held"

	# CO-RE: one user-space build and one BPF object served every kernel.
	builds=$(sed -n 's#^NOTE [^ ]*/e2e/build: kernel \([^,]*\), \(.*\)$#\1 \2#p' "$results")
	if [ "$(wc -l <<<"$builds")" -ne "$(wc -w <<<"$kernels")" ] || [ -z "$builds" ]; then
		echo "FAIL matrix/one-build-for-every-kernel: $(wc -w <<<"$kernels") kernels, build notes: ${builds:-none}" | tee -a "$results"
	elif [ "$(awk '{print $2}' <<<"$builds" | sort -u | wc -l)" -ne 1 ]; then
		echo "FAIL matrix/one-build-for-every-kernel: the binaries differ between kernels: $builds" | tee -a "$results"
	else
		echo "PASS matrix/one-build-for-every-kernel (build/mymemtrace and its BPF object $(awk 'NR==1 {print $2}' <<<"$builds") on $(awk '{print $1}' <<<"$builds" | paste -sd' '))" | tee -a "$results"
	fi

	# make demo as CI runs it (no terminal), and the files it leaves.
	record demo tests/demo/check.sh

	summary
}

# One KTAP stream on stdout, everything this script and its tests print in
# it; the exit status is main's, or the stream's if its count disagrees.
main 2>&1 | awk -f tests/lib/to-ktap.awk
status=("${PIPESTATUS[@]}")
[ "${status[0]}" -eq 0 ] && [ "${status[1]}" -eq 0 ]
