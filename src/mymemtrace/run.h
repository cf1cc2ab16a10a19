/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A run as it is reported: one row per (path, op, size) with its
 * breakdown and histogram, the calibration, the drops and what could not
 * be attached. Built from the live maps or read back from a run's JSON, so
 * that every output (tables, live view, SVG, diff) renders both the same.
 */
#ifndef MYMEMTRACE_VIEW_H
#define MYMEMTRACE_VIEW_H

#include "breakdown.h"

struct run_info;

struct run_row {
	struct mt_key key;
	struct breakdown b;
	uint64_t switches;
	uint64_t hist[MT_TOTAL_SLOTS];	/* the total's, fine (mymemtrace.h) */
	/* The parts' log2 histograms: live runs only, not kept in the JSON. */
	bool has_comp_hist;
	uint64_t comp_hist[MT_NR_COMPS][MT_HIST_SLOTS];
};

struct view_problem {
	char func[64];
	char why[160];
	char missing[96];
};

struct run {
	char kernel[128];
	uint64_t duration_ns;
	struct calibration cal;
	uint64_t events_dropped, agg_failed, calls_lost;
	struct run_row *rows;
	size_t n;
	struct view_problem problems[32];
	size_t n_problems;
};

/* From the live aggregates and the attach table. 0, or -1 (no memory). */
int view_from_rows(const struct rows *rows, const struct run_info *run,
		   struct run *view);
/* From a file export_json() wrote. 0, or -1 with a message in @err. */
int run_read_json(const char *path, struct run *view, char *err, size_t errlen);
void run_free(struct run *view);

/* The row of (path, op, size, size_class), or NULL. */
const struct run_row *run_find(const struct run *view, const struct mt_key *key);

/* "64", or ">=1024" for a log2 size class. */
void run_size_label(char *buf, size_t len, const struct mt_key *key);

/*
 * The first and last non-empty slots of @hist (-1, -1 when all are empty);
 * returns the largest count.
 */
uint64_t hist_span(const uint64_t *hist, size_t slots, int *first, int *last);

/* The log2 histogram of the total, folded from the fine one. */
void run_total_log2(const struct run_row *r, uint64_t log2[MT_HIST_SLOTS]);

#endif /* MYMEMTRACE_VIEW_H */
