/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The course's Part 3 counter race: W workers each add 1 to the u64 at
 * offset 0 of the buffer N times, starting from RACE_INITIAL.
 */
#ifndef MYMEM_BENCH_RACE_H
#define MYMEM_BENCH_RACE_H

#include "stats.h"

#include "options.h"

#define RACE_INITIAL 0xdeadbeefull
#define RACE_MAX_TRIALS 1000

struct race_result {
	uint64_t expected;			/* W * N */
	uint64_t observed[RACE_MAX_TRIALS];	/* final - RACE_INITIAL */
	uint64_t elapsed_ns[RACE_MAX_TRIALS];
	/* --call-times: every trial's calls, each in ns (p50 and mean). */
	struct sample_stats read_ns, write_ns;
};

/*
 * Runs o->trials trials in user space (threads on @dev) or, in kernel
 * mode, through mymem_test's kernel threads. Returns 0, or 1 after printing
 * what failed.
 */
int race_run(const struct bench_opts *o, struct race_result *res);

/* A locked race must count exactly: returns 1 after saying which trial lost. */
int race_check_exact(const struct bench_opts *o, const struct race_result *res);

#endif /* MYMEM_BENCH_RACE_H */
