/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Two runs compared row by row: B's time over A's, for before/after
 * comparisons and regression tracking.
 */
#ifndef MYMEMTRACE_RENDER_DIFF_H
#define MYMEMTRACE_RENDER_DIFF_H

#include <stdio.h>

#include "model/run.h"

enum diff_metric { DIFF_MEAN, DIFF_P50, DIFF_P90, DIFF_P99 };

/* "mean", "p50", "p90", "p99"; -1 for anything else. */
int diff_metric_parse(const char *name);

/*
 * Prints one line per row with the means, the p99s and B/A, marking the
 * rows whose @metric grew by more than @threshold_pct. Returns how many.
 */
size_t diff_runs(FILE *out, const struct run *a, const struct run *b,
		 enum diff_metric metric, double threshold_pct);

#endif /* MYMEMTRACE_RENDER_DIFF_H */
