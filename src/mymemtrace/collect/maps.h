/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading the in-kernel aggregates: per-CPU values summed into one row per
 * (path, op, size) key, and the per-CPU counters.
 */
#ifndef MYMEMTRACE_COLLECT_MAPS_H
#define MYMEMTRACE_COLLECT_MAPS_H

#include <stdint.h>

#include "model/agg_row.h"

/*
 * Reads the aggregates (the agg_index map and the per-CPU agg_slots it
 * points into) into @rows, sorted by path, op and size.
 */
int agg_rows_read(int index_fd, int slots_fd, struct agg_rows *rows);

/*
 * Zeroes every aggregate (the live view's reset). A call finishing while
 * its slot is zeroed may be kept or lost; the drop counters are not reset.
 */
int agg_reset(int index_fd, int slots_fd);

/* The summed aggregate of @key, all zeros if it has none yet. 0, or -1. */
int agg_read_key(int index_fd, int slots_fd, const struct mt_key *key, struct mt_agg *sum);

/* Sums a per-CPU counter. */
uint64_t counter_read(int counters_fd, uint32_t which);

#endif /* MYMEMTRACE_COLLECT_MAPS_H */
