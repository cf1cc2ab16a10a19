#!/bin/bash
# make check: unit tests on the host, then the end-to-end tests in the guest
# (scripts/vm-run). Every test prints one line, PASS, FAIL or SKIP; this
# script tallies them and ends with "N passed, N failed, N skipped".
# A skipped test is reported with its reason and never counted as passed.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

results=$(mktemp)
trap 'rm -f "$results"' EXIT

# record NAME CMD...: run CMD, show and keep its result lines; a CMD that
# fails without printing a FAIL line is itself a failure.
record() {
	local name=$1 status fails_before
	shift
	echo "== $name"
	fails_before=$(grep -c '^FAIL ' "$results")
	"$@" 2>&1 | tee -a "$results"
	status=${PIPESTATUS[0]}
	if [ "$status" -ne 0 ] &&
	   [ "$(grep -c '^FAIL ' "$results")" -eq "$fails_before" ]; then
		echo "FAIL $name: exited $status" | tee -a "$results"
	fi
}

for t in build/tests/unit/test_*; do
	[ -x "$t" ] || continue
	record "unit/$(basename "$t" | sed 's/^test_//')" "$t"
done

# The build: a module that does not compile fails make.
record host-build tests/host/build.sh

# The tracer on the host's own kernel (tracepoints only).
record host tests/host/run.sh

# --prometheus, --trace and -o on the host's kernel.
record host-ecosystem tests/host/ecosystem.sh

# report, diff and plot on saved runs: no privileges needed.
record host-subcommands tests/host/subcommands.sh

# vm-run's own contract: statuses, splats, timeouts.
record vm tests/vm/run.sh

# Exit codes of vm-run itself (123 splat, 124 timeout, 125 guest died) land
# here as a failure of e2e/guest, with what vm-run printed above it.
record e2e scripts/vm-run --timeout "${E2E_TIMEOUT:-1200}" -- tests/e2e/run.sh

# The tracer's own cost taken out: traced against untraced in one boot,
# counted in instructions (--icount --smp 1 repeats within 1%).
record e2e-compensation scripts/vm-run --icount --smp 1 --timeout 900 -- tests/e2e/compensation.sh
# make demo as CI runs it (no terminal), and the files it leaves.
record demo tests/demo/check.sh

passed=$(grep -c '^PASS ' "$results")
failed=$(grep -c '^FAIL ' "$results")
skipped=$(grep -c '^SKIP ' "$results")
echo
grep -E '^(FAIL|SKIP) ' "$results" || true
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
