/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading the in-kernel aggregates: per-CPU values summed into one row per
 * (path, op, size) key, and statistics taken from the log2 histograms.
 */
#ifndef MYMEMTRACE_AGGREGATE_H
#define MYMEMTRACE_AGGREGATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/types.h>

#include "mymemtrace.h"

#define MAX_ROWS MT_MAX_AGG_SLOTS

struct row {
	struct mt_key key;
	struct mt_agg agg;
	bool refused;	/* compensate_row(): the calibration does not hold for it */
};

struct rows {
	struct row row[MAX_ROWS];
	size_t n;
};

/*
 * Reads the aggregates (the agg_index map and the per-CPU agg_slots it
 * points into) into @rows, sorted by path, op and size.
 */
int rows_read(int index_fd, int slots_fd, struct rows *rows);

/*
 * Zeroes every aggregate (the live view's reset). A call finishing while
 * its slot is zeroed may be kept or lost; the drop counters are not reset.
 */
int rows_reset(int index_fd, int slots_fd);

/* The summed aggregate of @key, all zeros if it has none yet. 0, or -1. */
int agg_read_key(int index_fd, int slots_fd, const struct mt_key *key, struct mt_agg *sum);

/* Sums a per-CPU counter. */
uint64_t counter_read(int counters_fd, uint32_t which);

/* The range [lo, hi] of values slot @slot of a fine histogram holds. */
void fine_bounds(size_t slot, uint64_t *lo, uint64_t *hi);

/*
 * The @pct percentile of a fine histogram: the bucket holding that rank,
 * interpolated linearly inside it, clamped to [min, max].
 */
uint64_t hist_percentile(const __u64 *hist, size_t slots, uint64_t count,
			 double pct, uint64_t min, uint64_t max);

const char *path_name(uint32_t path);
const char *op_name(uint32_t op);
/* How a syscall-path call came in (mt_key.via): NULL for a plain read or write. */
const char *via_name(uint32_t via, char *buf, size_t len);
/* The op as tables show it: "read", "preadv", "read@uring" (mymemtrace.h). */
#define OP_LABEL_LEN 32
const char *op_label(const struct mt_key *k, char *buf, size_t len);
/* The same in a buffer that lives until the end of the enclosing statement. */
#define KEY_OP_LABEL(k) op_label((k), (char[OP_LABEL_LEN]){ 0 }, OP_LABEL_LEN)

#endif /* MYMEMTRACE_AGGREGATE_H */
