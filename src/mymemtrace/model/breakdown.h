/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One row's numbers as reported: statistics of the total, and the mean of
 * each part per call, with the parts that could not be measured marked.
 */
#ifndef MYMEMTRACE_MODEL_BREAKDOWN_H
#define MYMEMTRACE_MODEL_BREAKDOWN_H

#include <stdbool.h>
#include <stdint.h>

#include "model/agg_row.h"
#include "model/calibration.h"
#include "model/targets.h"

struct breakdown {
	uint64_t count, mean, p50, p90, p99, min, max;
	/* Mean ns per call of each part; known[c] false: not measurable. */
	uint64_t part[MT_NR_PARTS];
	bool known[MT_NR_PARTS];
	/* The time of the unknown parts together, when there are any. */
	uint64_t unattributed;
	bool has_unattributed;
	uint64_t mode_switch;
	bool mode_switch_known;
	double switches_per_call;
};

/*
 * @r's numbers. @targets (NR_TARGETS, enum target_id order) say which
 * parts the attached probes can tell apart.
 */
void breakdown_of(const struct agg_row *r, const struct calibration *cal,
		  const struct run_target *targets, struct breakdown *b);
/* Which parts of @k's path and op the attached probes can tell apart. */
void breakdown_known_parts(const struct mt_key *k, const struct run_target *targets,
			   bool known[MT_NR_PARTS]);


#endif /* MYMEMTRACE_MODEL_BREAKDOWN_H */
