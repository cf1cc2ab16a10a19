#!/bin/sh
# The end-to-end suite, run inside the guest by tests/check.sh through
# scripts/vm-run, from the repository root, with mymem and mymem_test loaded,
# once per guest kernel: it runs the steps below, one script each, in order,
# each bounded. E2E_SCOPE=kernel (every kernel but the first) leaves out the
# steps marked -a, which do not depend on the kernel: the module fuzzer and
# the soak.
#
#   tests/e2e/run.sh             every step
#   tests/e2e/run.sh STEP...     the steps named, in the suite's order
#                                (lifecycle, last, unloads the modules)
#
# Each step prints one line per test: "PASS e2e/<name>", "FAIL e2e/<name>:
# <why>" or "SKIP e2e/<name>: <why>". Exits 1 if any test failed.
set -u

SUITE=e2e
. tests/lib/prologue.sh

# steps: the suite, one step a line: step [-a] NAME SECONDS CMD... (-a: on
# the first kernel only). The bounds are two to three times the step's time
# on a slow host with another guest beside it (trace: 377 s of 900); bench
# and lifecycle (17 s and 8 s on a quiet host) get 240 s, above the 120 s
# each of their commands has (prologue.sh's expect), so that a command that
# hangs is named by its own test.
steps() {
	# /dev/mymem's semantics, at the default size (lifecycle: at a small one)
	step semantics 120 build/tests/e2e/mymem_semantics
	# the benchmark on the three paths, the counter race, bad command lines
	step bench 240 tests/e2e/bench.sh
	# the tracer
	step trace 900 tests/e2e/trace.sh
	step live 240 tests/e2e/live.sh
	step ecosystem 400 tests/e2e/ecosystem.sh
	step ways-in 300 tests/e2e/ways_in.sh
	step prometheus 240 python3 tests/e2e/prometheus.py
	# a real client: fio, every engine
	step fio 400 tests/e2e/fio.sh
	# the tracer itself under ASan and UBSan
	step asan 240 tests/e2e/asan.sh
	# hostile input: the fuzzer, and unloading modules in use
	step -a fuzz 300 tests/e2e/fuzz.sh
	step modules 240 tests/e2e/modules.sh
	step faults 500 tests/e2e/tracer_faults.sh
	step filters 240 tests/e2e/filters.sh
	# make soak's long run, short: the tracer's memory and counts over 30 s
	step -a soak 240 scripts/soak --seconds 30 --prefix e2e/soak -o "$TMP/soak.json"
	# the modules' life cycle, unloads included: last
	step lifecycle 240 tests/e2e/lifecycle.sh
}

# step [-a] NAME SECONDS CMD...: one script of tests, bounded. A step that
# hangs fails as "e2e/NAME: hung", with where each of its processes waits,
# and the run goes on (vm-run's timeout would stop the whole guest
# unexplained). With list=1, only prints NAME.
step() {
	first_only=0
	[ "$1" = -a ] && { first_only=1; shift; }
	if [ "$list" = 1 ]; then
		echo "$1"
		return
	fi
	case $only in
	"  " | *" $1 "*) ;;
	*) return ;;
	esac
	[ $first_only = 1 ] && [ "${E2E_SCOPE:-all}" != all ] && return
	t0=$(date +%s)
	# Its result lines are counted here, in the guest, and the count ends
	# the step: tests/lib/step-tally.awk checks on the host that as many
	# arrived, so that no result is lost on the way without being counted.
	# (A shell loop, not awk: mawk reads a pipe a block at a time, and the
	# lines would come out only at the step's end.)
	{ python3 tests/e2e/bounded.py "$@"; echo $? >"$TMP/step.status"; } | {
		n=0
		while IFS= read -r line || [ -n "$line" ]; do
			printf '%s\n' "$line"
			case $line in "PASS "* | "FAIL "* | "SKIP "*) n=$((n + 1)) ;; esac
		done
		echo $n >"$TMP/step.results"
	}
	[ "$(cat "$TMP/step.status")" = 0 ] || failed=1
	results=$((results + $(cat "$TMP/step.results")))
	echo "-- e2e/$1: $(($(date +%s) - t0)) s, $(cat "$TMP/step.results") results"
}

list=1
known=$(steps | tr '\n' ' ')
for name in "$@"; do
	case " $known" in
	*" $name "*) ;;
	*) echo "usage: tests/e2e/run.sh [STEP...]; no step '$name' (the steps: ${known% })" >&2; exit 2 ;;
	esac
done
only=" $* "
list=0

# One user-space build and one BPF object for every kernel (CO-RE): the
# same files run here as on the other kernels (tests/check.sh compares).
echo "NOTE e2e/build: kernel $(uname -r), $(cat build/mymemtrace build/bpf/mymemtrace.bpf.o | sha256sum | cut -c1-16)"

results=0
steps
echo "-- e2e: $results results in all"
exit $failed
