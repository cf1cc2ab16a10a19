// SPDX-License-Identifier: GPL-2.0
/* Reading the fine histograms (mymemtrace.h): bucket bounds, percentiles. */
#include "model/hist.h"

void fine_bounds(size_t slot, uint64_t *lo, uint64_t *hi)
{
	size_t l = slot / MT_FINE_SUB + 1, q = slot % MT_FINE_SUB;

	if (slot < 8) {
		*lo = *hi = slot;
		return;
	}
	*lo = (uint64_t)(MT_FINE_SUB + q) << (l - 2);
	*hi = *lo + (1ull << (l - 2)) - 1;
	if (slot == MT_TOTAL_SLOTS - 1)
		*hi = UINT64_MAX;	/* also everything above */
}

uint64_t hist_percentile(const __u64 *hist, size_t slots, uint64_t count,
			 double pct, uint64_t min, uint64_t max)
{
	uint64_t rank, seen = 0, lo, hi, v;
	size_t i;

	if (!count)
		return 0;
	rank = (uint64_t)(pct / 100.0 * (double)count + 0.999999);
	if (rank < 1)
		rank = 1;
	for (i = 0; i < slots; i++) {
		if (!hist[i] || seen + hist[i] < rank) {
			seen += hist[i];
			continue;
		}
		/* The bucket holds [lo, hi]; its last rank maps to hi. */
		fine_bounds(i, &lo, &hi);
		v = lo + (uint64_t)((double)(hi - lo) * (double)(rank - seen) / (double)hist[i]);
		if (v < min)
			v = min;
		if (max && v > max)
			v = max;
		return v;
	}
	return max;
}
