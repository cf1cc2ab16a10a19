/* SPDX-License-Identifier: GPL-2.0 */
/* What mymemtrace prints and writes: the table, histograms, JSON and CSV. */
#ifndef MYMEMTRACE_REPORT_H
#define MYMEMTRACE_REPORT_H

#include <stdio.h>

#include "aggregate.h"
#include "breakdown.h"
#include "run.h"

struct run_info {
	const char *kernel;		/* uname -r */
	uint64_t duration_ns;
	uint64_t events_dropped;	/* ring buffer reserve failures */
	uint64_t events_written;
	uint64_t agg_failed;
	uint64_t calls_lost;		/* switched out, could not be parked */
	struct calibration cal;
};

/* The detail table: every row's statistics and parts. */
void report_table(FILE *out, const struct run *run);
/* Every row's total latency as a log2 histogram (--hist). */
void report_hists(FILE *out, const struct run *run);
void report_log2_hist(FILE *out, const uint64_t *hist, size_t slots);
void report_attach_problems(FILE *out, const struct run *run);
void report_calibration(FILE *out, const struct calibration *cal);
/* Why is user space slower: the paths side by side, and the difference split. */
void report_compare(FILE *out, const struct run *run);

/* Both written whole or not at all (src/common/atomic_file.h). */

/* Written to FILE.tmp, then renamed: never a truncated file. 0 or -1. */
int export_json(const char *path, const struct rows *rows, const struct run_info *run);
int export_csv(const char *path, const struct rows *rows, const struct run_info *run);

#endif /* MYMEMTRACE_REPORT_H */
