// SPDX-License-Identifier: GPL-2.0
/* Unit tests of src/common/stats.c: mean, nearest-rank percentiles and medians. */
#include <math.h>
#include <stdint.h>

#include "stats.h"
#include "unit.h"

static bool test_empty(void)
{
	struct sample_stats s = { .count = 9 };

	stats_summarize(NULL, 0, &s);
	ASSERT_EQ(s.count, 0, "count");
	ASSERT_EQ(s.max, 0, "max");
	ASSERT_EQ(stats_percentile(NULL, 0, 50), 0, "percentile of nothing");
	return true;
}

static bool test_one_sample(void)
{
	uint64_t v[] = { 42 };
	struct sample_stats s;

	stats_summarize(v, 1, &s);
	ASSERT_EQ(s.count, 1, "count");
	ASSERT_EQ(s.mean, 42, "mean");
	ASSERT_EQ(s.p50, 42, "p50");
	ASSERT_EQ(s.p99, 42, "p99");
	ASSERT_EQ(s.min, 42, "min");
	ASSERT_EQ(s.max, 42, "max");
	return true;
}

static bool test_two_samples(void)
{
	uint64_t v[] = { 30, 10 };
	struct sample_stats s;

	stats_summarize(v, 2, &s);
	/* rank ceil(0.5 * 2) = 1: the lower one; p99: rank 2. */
	ASSERT_EQ(s.p50, 10, "p50");
	ASSERT_EQ(s.p99, 30, "p99");
	ASSERT_EQ(s.mean, 20, "mean");
	return true;
}

static bool test_unsorted_hundred(void)
{
	uint64_t v[100];
	struct sample_stats s;
	int i;

	/* 1..100 in a scrambled order (37 is coprime with 100). */
	for (i = 0; i < 100; i++)
		v[i] = (uint64_t)((i * 37) % 100) + 1;
	stats_summarize(v, 100, &s);
	ASSERT_EQ(v[0], 1, "sorted in place");
	ASSERT_EQ(s.min, 1, "min");
	ASSERT_EQ(s.max, 100, "max");
	ASSERT_EQ(s.p50, 50, "p50");
	ASSERT_EQ(s.p90, 90, "p90");
	ASSERT_EQ(s.p99, 99, "p99");
	ASSERT_EQ(s.mean, 50, "mean of 1..100 is 50.5, rounded down");
	return true;
}

static bool test_percentile_ranks(void)
{
	uint64_t v[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

	ASSERT_EQ(stats_percentile(v, 10, 0), 1, "p0 is the first");
	ASSERT_EQ(stats_percentile(v, 10, 10), 1, "p10");
	ASSERT_EQ(stats_percentile(v, 10, 11), 2, "p11 rounds the rank up");
	ASSERT_EQ(stats_percentile(v, 10, 99), 10, "p99");
	ASSERT_EQ(stats_percentile(v, 10, 100), 10, "p100 is the last");
	return true;
}

static bool test_large_values(void)
{
	uint64_t v[] = { UINT64_MAX, UINT64_MAX - 2 };
	struct sample_stats s;

	stats_summarize(v, 2, &s);
	ASSERT_EQ(s.mean, UINT64_MAX - 1, "mean does not overflow");
	ASSERT_EQ(s.max, UINT64_MAX, "max");
	return true;
}

static bool test_median_double(void)
{
	double odd[] = { 2.5, -1.0, 0.5 };
	double even[] = { 4.0, -3.0, 1.0, 2.0 };
	double nan_last[] = { NAN, 1.0, 3.0 };

	ASSERT_TRUE(stats_median_double(NULL, 0) == 0, "median of nothing is 0");
	ASSERT_TRUE(stats_median_double(odd, 3) == 0.5, "odd count: the middle one");
	ASSERT_TRUE(odd[0] == -1.0 && odd[2] == 2.5, "sorted in place");
	/* Ranks as stats_median(): the lower middle one, not (1 + 2) / 2. */
	ASSERT_TRUE(stats_median_double(even, 4) == 1.0, "even count: never interpolated");
	ASSERT_TRUE(stats_median_double(nan_last, 3) == 3.0, "NaN sorts after every number");
	ASSERT_TRUE(isnan(nan_last[2]), "NaN last");
	return true;
}

static bool test_median_no_interpolation(void)
{
	uint64_t v[] = { 40, 10, 30, 20 };

	ASSERT_EQ(stats_median(v, 4), 20, "even count: the lower middle one");
	return true;
}

static const struct unit_test tests[] = {
	{ "empty", test_empty },
	{ "one_sample", test_one_sample },
	{ "two_samples", test_two_samples },
	{ "unsorted_hundred", test_unsorted_hundred },
	{ "percentile_ranks", test_percentile_ranks },
	{ "large_values", test_large_values },
	{ "median_double", test_median_double },
	{ "median_no_interpolation", test_median_no_interpolation },
};

UNIT_MAIN("stats", tests)
