/* SPDX-License-Identifier: GPL-2.0 */
/* The timing runs: N timed calls per op and size on one path. */
#ifndef MYMEM_BENCH_TIMING_H
#define MYMEM_BENCH_TIMING_H

#include "options.h"
#include "stats.h"
#include "target.h"

struct bench_row {
	enum bench_op op;	/* OP_READ or OP_WRITE */
	uint64_t size;
	struct sample_stats stats;
};

struct bench_result {
	struct bench_row rows[2 * BENCH_MAX_SIZES];
	size_t nr_rows;
};

/*
 * Run every size of @o on @t (the syscall or mmap path) or, for
 * MODE_KERNEL, through mymem_test. Every timed call's data is checked.
 * Returns 0, or 1 after printing what failed.
 */
int bench_user_path(struct target *t, const struct bench_opts *o,
		    struct bench_result *res);
int bench_kernel_path(const struct bench_opts *o, struct bench_result *res);

/*
 * The data of trial @trial at @size: a byte that changes with the trial,
 * and a tag at both ends, so stale or misplaced data cannot pass a check.
 */
void fill_pattern(uint8_t *buf, uint64_t size, uint64_t trial);

#endif /* MYMEM_BENCH_TIMING_H */
