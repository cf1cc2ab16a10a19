// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/run_maps.h"
#include "model/compensate.h"

int run_from_rows(const struct agg_rows *rows, const struct run_context *ctx,
		  const uint64_t counters[MT_NR_COUNTERS], struct run *run)
{
	size_t i, s;
	int c;

	run_free(run);
	memset(run, 0, sizeof(*run));
	snprintf(run->kernel, sizeof(run->kernel), "%s", ctx->kernel ? ctx->kernel : "?");
	run->duration_ns = ctx->duration_ns;
	run->cal = ctx->cal;
	run->events_dropped = counters[MT_CNT_EVENTS_DROPPED];
	run->agg_failed = counters[MT_CNT_AGG_FAILED];
	run->calls_lost = counters[MT_CNT_STATE_LOST];
	run->calls_abandoned = counters[MT_CNT_CALLS_ABANDONED];
	run->events_below_min = counters[MT_CNT_EVENTS_BELOW_MIN];
	run->returns_missed = ctx->returns_missed;
	memcpy(run->targets, ctx->targets, sizeof(run->targets));
	run->n_targets = NR_TARGETS;
	run->rows = calloc(rows->n ? rows->n : 1, sizeof(*run->rows));
	if (!run->rows)
		return -1;
	for (i = 0; i < rows->n; i++) {
		const struct agg_row *r = &rows->row[i];
		struct run_row *v = &run->rows[i];
		struct agg_row compensated = *r;

		compensated.refused = false;
		v->key = r->key;
		if (run->cal.compensated && compensate_row(&run->cal, run->targets, &compensated)) {
			breakdown_of(r, &run->cal, run->targets, &v->raw);
			if (v->raw.mode_switch_known)
				v->raw.mode_switch = run->cal.raw_mode_switch_ns;
			v->compensated = true;
			r = &compensated;
		} else if (compensated.refused) {
			run->uncompensated++;
		}
		breakdown_of(r, &run->cal, run->targets, &v->b);
		v->switches = r->agg.offcpu_switches;
		v->entries = r->agg.fn_calls ? r->agg.fn_calls : r->agg.count;
		v->sum_ns = r->agg.total_ns;
		for (c = 0; c < MT_NR_PARTS; c++)
			v->part_sum_ns[c] = r->agg.part_ns[c];
		for (s = 0; s < MT_TOTAL_SLOTS; s++)
			v->hist[s] = r->agg.total_hist[s];
		v->has_part_hists = ctx->part_hists;
		for (c = 0; c < MT_NR_PARTS && ctx->part_hists; c++)
			for (s = 0; s < MT_HIST_SLOTS; s++)
				v->part_hist[c][s] = r->agg.part_hist[c][s];
	}
	run->n = rows->n;
	return 0;
}

int run_from_maps(int index_fd, int slots_fd, int counters_fd,
		  const struct run_context *ctx, struct run *run)
{
	/* About 2.5 MiB: every slot's per-CPU sum. */
	struct agg_rows *rows = malloc(sizeof(*rows));
	uint64_t counters[MT_NR_COUNTERS];
	int ret = -1;
	uint32_t c;

	if (!rows) {
		fprintf(stderr, "mymemtrace: out of memory\n");
		return -1;
	}
	if (agg_rows_read(index_fd, slots_fd, rows)) {
		fprintf(stderr, "mymemtrace: reading the aggregates failed\n");
		rows->n = 0;
	}
	for (c = 0; c < MT_NR_COUNTERS; c++)
		counters[c] = counter_read(counters_fd, c);
	if (run_from_rows(rows, ctx, counters, run))
		fprintf(stderr, "mymemtrace: out of memory\n");
	else
		ret = 0;
	free(rows);
	return ret;
}
