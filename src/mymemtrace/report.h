/* SPDX-License-Identifier: GPL-2.0 */
/* What mymemtrace prints and writes: the table, histograms, JSON and CSV. */
#ifndef MYMEMTRACE_REPORT_H
#define MYMEMTRACE_REPORT_H

#include <stdio.h>

#include "aggregate.h"
#include "breakdown.h"

struct run_info {
	const char *kernel;		/* uname -r */
	uint64_t duration_ns;
	uint64_t events_dropped;	/* ring buffer reserve failures */
	uint64_t events_written;
	uint64_t agg_failed;
	uint64_t calls_lost;		/* switched out, could not be parked */
	struct calibration cal;
};

void report_table(FILE *out, const struct rows *rows, const struct run_info *run);
void report_hists(FILE *out, const struct rows *rows);
void report_attach_problems(FILE *out);
void report_calibration(FILE *out, const struct calibration *cal);

/* Written to FILE.tmp, then renamed: never a truncated file. 0 or -1. */
int export_json(const char *path, const struct rows *rows, const struct run_info *run);
int export_csv(const char *path, const struct rows *rows, const struct run_info *run);

#endif /* MYMEMTRACE_REPORT_H */
