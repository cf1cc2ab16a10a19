/* SPDX-License-Identifier: GPL-2.0 */
/* mymem-bench's output: the course's table, or one JSON object. */
#ifndef MYMEM_BENCH_REPORT_H
#define MYMEM_BENCH_REPORT_H

#include <stdio.h>

#include "options.h"
#include "race.h"
#include "timing.h"

void report_timing_table(FILE *out, const struct bench_opts *o,
			 const struct bench_result *res);
void report_timing_json(FILE *out, const struct bench_opts *o,
			const struct bench_result *res);
void report_race_table(FILE *out, const struct bench_opts *o,
		       const struct race_result *res);
void report_race_json(FILE *out, const struct bench_opts *o,
		      const struct race_result *res);

#endif /* MYMEM_BENCH_REPORT_H */
