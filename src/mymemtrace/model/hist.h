/* SPDX-License-Identifier: GPL-2.0 */
/* Reading the fine histograms of a call's total (mymemtrace.h). */
#ifndef MYMEMTRACE_MODEL_HIST_H
#define MYMEMTRACE_MODEL_HIST_H

#include <stddef.h>
#include <stdint.h>

#include <linux/types.h>

#include "mymemtrace.h"

/* The range [lo, hi] of values slot @slot of a fine histogram holds. */
void fine_bounds(size_t slot, uint64_t *lo, uint64_t *hi);

/*
 * The @pct percentile of a fine histogram: the bucket holding that rank,
 * interpolated linearly inside it, clamped to [min, max].
 */
uint64_t hist_percentile(const __u64 *hist, size_t slots, uint64_t count,
			 double pct, uint64_t min, uint64_t max);

#endif /* MYMEMTRACE_MODEL_HIST_H */
