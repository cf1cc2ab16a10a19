// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* The nearest rank of @pct among n > 0 sorted values, counted from 1. */
static size_t nearest_rank(size_t n, double pct)
{
	size_t rank = (size_t)ceil(pct / 100.0 * (double)n);

	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return rank;
}

uint64_t stats_percentile(const uint64_t *sorted, size_t n, double pct)
{
	if (!n)
		return 0;
	return sorted[nearest_rank(n, pct) - 1];
}

uint64_t stats_median(uint64_t *samples, size_t n)
{
	qsort(samples, n, sizeof(*samples), cmp_u64);
	return stats_percentile(samples, n, 50);
}

void stats_summarize(uint64_t *samples, size_t n, struct sample_stats *out)
{
	/* A 128-bit sum: n samples of up to 2^64 ns cannot overflow it. */
	unsigned __int128 sum = 0;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (!n)
		return;
	qsort(samples, n, sizeof(*samples), cmp_u64);
	for (i = 0; i < n; i++)
		sum += samples[i];
	out->count = n;
	out->mean = (uint64_t)(sum / n);
	out->p50 = stats_percentile(samples, n, 50);
	out->p90 = stats_percentile(samples, n, 90);
	out->p99 = stats_percentile(samples, n, 99);
	out->min = samples[0];
	out->max = samples[n - 1];
}

/* NaN after every number: qsort needs one order, and NaN compares false. */
static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	if (isnan(x) || isnan(y))
		return !!isnan(x) - !!isnan(y);
	return (x > y) - (x < y);
}

double stats_median_double(double *values, size_t n)
{
	if (!n)
		return 0;
	qsort(values, n, sizeof(*values), cmp_double);
	return values[nearest_rank(n, 50) - 1];
}
