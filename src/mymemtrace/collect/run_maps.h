/* SPDX-License-Identifier: GPL-2.0 */
/* Building the run model from the live BPF maps and the attach results. */
#ifndef MYMEMTRACE_COLLECT_RUN_MAPS_H
#define MYMEMTRACE_COLLECT_RUN_MAPS_H

#include "collect/maps.h"
#include "model/run.h"

/* What the maps do not hold: the run's context, from the loader. */
struct run_context {
	const char *kernel;		/* uname -r */
	uint64_t duration_ns;
	struct calibration cal;
	const struct run_target *targets;	/* NR_TARGETS, enum target_id order */
	uint64_t returns_missed;	/* kretprobes' missed returns (collect/attach.h) */
	bool part_hists;		/* the BPF side kept each part's histogram */
};

/*
 * @run from aggregates already read (@rows) and the BPF side's counters
 * (@counters, enum mt_counter order: its drops): the breakdown of every
 * row, given what was attached. 0, or -1 (no memory).
 */
int run_from_rows(const struct agg_rows *rows, const struct run_context *ctx,
		  const uint64_t counters[MT_NR_COUNTERS], struct run *run);

/*
 * @run from the maps: the aggregates (agg_index, agg_slots) and the
 * counters. 0, or -1 with a message.
 */
int run_from_maps(int index_fd, int slots_fd, int counters_fd,
		  const struct run_context *ctx, struct run *run);

#endif /* MYMEMTRACE_COLLECT_RUN_MAPS_H */
