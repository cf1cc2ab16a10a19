# The host's side of tests/e2e/run.sh's tally: each step ends with
# "-- e2e/NAME: T s, N results", N the result lines it printed in the
# guest. The lines pass through as they are; where fewer (or more) result
# lines arrived than the guest counted (output garbled on the way), a FAIL
# line says so, so that a lost result is never a silent one. A step's
# own name is prefixed with the kernel line (-v pre=6.1), as check.sh
# prefixes results. The run ends with "-- e2e: N results in all": the
# total is checked too, and a run with steps but without it fails.
/^(PASS|FAIL|SKIP) / { n++; all++ }
{ print; fflush() }
/^-- e2e\/[^:]+: [0-9]+ s, [0-9]+ results$/ {
	step = $2
	sub(/:$/, "", step)
	want = $(NF - 1)
	if (want != n) {
		printf "FAIL %s%s/results-intact: the guest printed %d results, %d arrived (output garbled on the way)\n",
		       pre == "" ? "" : pre "/", step, want, n
		fflush()
	}
	n = 0
}
/^-- e2e: [0-9]+ results in all$/ {
	ended = 1
	if ($3 != all)
		printf "FAIL %se2e/results-intact: the guest printed %d results in all, %d arrived\n",
		       pre == "" ? "" : pre "/", $3, all
}
/^-- e2e\// { steps++ }
END {
	if (steps && !ended)
		printf "FAIL %se2e/results-intact: the guest's final tally never arrived (%d results did)\n",
		       pre == "" ? "" : pre "/", all
}
