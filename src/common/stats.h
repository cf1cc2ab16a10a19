/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Summary statistics of latency samples (ns), shared by the benchmark and
 * the tracer.
 *
 * Percentiles are nearest-rank: the p-th percentile of n sorted samples is
 * the sample at rank ceil(p/100 * n), counted from 1 (at least rank 1). It
 * is always one of the samples, never an interpolation.
 */
#ifndef MYMEM_STATS_H
#define MYMEM_STATS_H

#include <stddef.h>
#include <stdint.h>

struct sample_stats {
	uint64_t count;
	uint64_t mean;	/* rounded down */
	uint64_t p50;
	uint64_t p90;
	uint64_t p99;
	uint64_t min;
	uint64_t max;
};

/* The nearest-rank percentile @pct (0..100] of @n sorted samples; 0 if n is 0. */
uint64_t stats_percentile(const uint64_t *sorted, size_t n, double pct);

/* Sorts @samples in place and summarises them. All zeros when n is 0. */
void stats_summarize(uint64_t *samples, size_t n, struct sample_stats *out);

/* The nearest-rank median of @samples, sorted in place; 0 if n is 0. */
uint64_t stats_median(uint64_t *samples, size_t n);

/*
 * The same median of figures that can be negative or fractional (errors
 * in %): one of @values (sorted in place, NaN last), the lower middle one
 * of an even count, never the mean of the two; 0 if n is 0.
 */
double stats_median_double(double *values, size_t n);

#endif /* MYMEM_STATS_H */
