/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The run model: everything one run says, built once and rendered by every
 * output. A row per (path, op, size) with its breakdown and histograms (the
 * total's and each part's), the coverage (how each target was attached, or
 * why not), the calibration, the drops and the duration.
 *
 * Two modules build it: collect/run_maps.c from the live BPF maps,
 * model/run_file.c from a saved run (render/run_json.c writes one).
 * Everything else only reads it: the renderers (render/) and the metrics
 * server (serve/).
 */
#ifndef MYMEMTRACE_MODEL_RUN_H
#define MYMEMTRACE_MODEL_RUN_H

#include <stdio.h>

#include "model/breakdown.h"
#include "model/targets.h"

/* A run has at most one row per aggregate the BPF side can keep. */
#define MAX_RUN_ROWS MT_MAX_AGG_SLOTS

struct run_row {
	struct mt_key key;
	struct breakdown b;
	/*
	 * With the probes' cost taken out (compensate.h), b and everything
	 * below are compensated; raw holds the figures as the probes saw them.
	 */
	bool compensated;
	struct breakdown raw;
	/*
	 * The sums behind b's means, for counters (Prometheus): exact from
	 * the maps; from a saved run, mean times count.
	 */
	uint64_t sum_ns;
	uint64_t part_sum_ns[MT_NR_PARTS];
	uint64_t switches;
	/*
	 * Entries of the traced function by the row's calls: a vectored
	 * call's segments, a fault's tries (6.12 retries each once); count
	 * where each call entered it once.
	 */
	uint64_t entries;
	uint64_t hist[MT_TOTAL_SLOTS];	/* the total's, fine (mymemtrace.h) */
	/* Each part's log2 histogram; false in runs saved before version 0.2. */
	bool has_part_hists;
	uint64_t part_hist[MT_NR_PARTS][MT_HIST_SLOTS];
};

struct run {
	char kernel[128];
	uint64_t duration_ns;
	struct calibration cal;
	uint64_t events_dropped, agg_failed, calls_lost;
	uint64_t calls_abandoned;	/* seen starting, not followed to the end (mymemtrace.h) */
	uint64_t events_below_min;	/* records left out: faster than --min-latency */
	uint64_t returns_missed;	/* kretprobes: calls whose return was not seen */
	size_t uncompensated;	/* rows left as measured: faster than the probes' cost */
	struct run_row *rows;
	size_t n;
	/* Coverage: a live run has NR_TARGETS, in enum target_id order. */
	struct run_target targets[NR_TARGETS];
	size_t n_targets;
};

void run_free(struct run *run);

/* A renderer: render/report.c, csv.c, run_json.c and svg.c each have one. */
typedef void run_renderer(FILE *out, const struct run *run);
/* @run rendered into @path, whole or not at all. 0, or -1 (message). */
int run_write(const char *path, run_renderer *render, const struct run *run);

/* The row of (path, op, size, size_class, via, result), or NULL. */
const struct run_row *run_find(const struct run *run, const struct mt_key *key);

/* How many targets could not be attached. */
size_t run_unattached(const struct run *run);

/* "64", or ">=1024" for a log2 size class. */
void run_size_label(char *buf, size_t len, const struct mt_key *key);

/*
 * The first and last non-empty slots of @hist (-1, -1 when all are empty);
 * returns the largest count.
 */
uint64_t hist_span(const uint64_t *hist, size_t slots, int *first, int *last);

/* The log2 histogram of the total, folded from the fine one. */
void run_total_log2(const struct run_row *r, uint64_t log2[MT_HIST_SLOTS]);

#endif /* MYMEMTRACE_MODEL_RUN_H */
