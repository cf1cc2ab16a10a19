/* SPDX-License-Identifier: GPL-2.0 */
/* The run on a terminal: the detail table, histograms, attach problems. */
#ifndef MYMEMTRACE_RENDER_REPORT_H
#define MYMEMTRACE_RENDER_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "model/run.h"

/* The detail table: every row's statistics and parts. */
void report_table(FILE *out, const struct run *run);
/* Every row's total latency as a log2 histogram (--hist). */
void report_hists(FILE *out, const struct run *run);
/* Each measurable part's log2 histogram, row by row (report --parts). */
void report_part_hists(FILE *out, const struct run *run);
void report_log2_hist(FILE *out, const uint64_t *hist, size_t slots);
void report_attach_problems(FILE *out, const struct run *run);
void report_calibration(FILE *out, const struct calibration *cal);
/* Why is user space slower: the paths side by side, and the difference split. */
void report_compare(FILE *out, const struct run *run);
/*
 * What a tracing run prints at each interval and at its end: the
 * histograms (@hists), the table, and at the end (@final) the comparison.
 */
void report_print(FILE *out, const struct run *run, bool hists, bool final);
/* -T: the time of day (HH:MM:SS) above a periodic block, as libbpf-tools print it. */
void report_time_of_day(FILE *out);

#endif /* MYMEMTRACE_RENDER_REPORT_H */
