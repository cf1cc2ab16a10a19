#!/bin/bash
# The saved-run reader under libFuzzer (build/fuzz/fuzz_run_file, built
# by make fuzz-harness with ASan and UBSan). The corpus starts from the
# unit tests' saved runs and tests/fuzz/corpus (inputs that once broke the
# reader, kept so that every run replays them first).
#
#   tests/fuzz/run.sh [--seconds N] [--corpus DIR]
#
# --seconds: how long to fuzz (default 30, what make check gives it);
# --corpus: where the corpus grows (default: a temporary folder, so that
# make check starts from the same seeds every time; make fuzz keeps one in
# build/fuzz/corpus). Prints one line, PASS or FAIL host/fuzz/run-file; a
# crash leaves its input in build/fuzz/artifacts/ and the sanitizer's
# report on stdout.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

seconds=30 corpus=""
while [ $# -gt 0 ]; do
	case $1 in
	--seconds) seconds=$2; shift 2 ;;
	--corpus) corpus=$2; shift 2 ;;
	*) echo "usage: tests/fuzz/run.sh [--seconds N] [--corpus DIR]" >&2; exit 2 ;;
	esac
done
harness=build/fuzz/fuzz_run_file
[ -x "$harness" ] || { echo "FAIL host/fuzz/run-file: $harness is missing: run make fuzz-harness"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -n "$corpus" ] || corpus=$tmp/corpus
mkdir -p "$corpus" build/fuzz/artifacts
cp tests/unit/fixtures/*.json tests/fuzz/corpus/* "$corpus/"

# -seed: the same mutations each time for the same binary and seeds.
"$harness" -seed=1 -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	-dict=tests/fuzz/run_file.dict -artifact_prefix=build/fuzz/artifacts/ \
	-print_final_stats=1 "$corpus" >"$tmp/log" 2>&1
status=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/log")
if [ $status -eq 0 ]; then
	echo "PASS host/fuzz/run-file (${runs:-?} inputs in ${seconds} s, corpus $(ls "$corpus" | wc -l), no crash, leak or undefined behaviour)"
	exit 0
fi
echo "FAIL host/fuzz/run-file: libFuzzer exited $status after ${runs:-?} inputs; input kept in build/fuzz/artifacts/:"
grep -E -A25 'ERROR: |runtime error|SUMMARY' "$tmp/log" | head -40 | sed 's/^/  | /'
exit 1
