// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of bpf/hist_slots.h, the table-driven slot functions the BPF
 * programs run on every call: each is checked against a plain reference
 * and against the bounds user space reads the slots back with.
 */
#include <stdint.h>
#include <linux/types.h>

#include "model/hist.h"
#include "hist_slots.h"
#include "model/run.h"
#include "unit.h"

/*
 * The values tried: every one below 2^16, then the five around each power
 * of two above it, up to the largest duration (2^63 - 1).
 */
#define NR_SMALL	(1u << 16)
#define NR_VALUES	(NR_SMALL + 5 * 47)

static uint64_t value(uint32_t i)
{
	uint32_t d = i - NR_SMALL;

	if (i < NR_SMALL)
		return i;
	if (d / 5 == 46)	/* 2^63: keep below it */
		return (1ull << 63) - 1 - d % 5;
	return (1ull << (17 + d / 5)) + d % 5 - 2;
}

static uint32_t ref_log2(uint64_t v)
{
	return v ? 63 - __builtin_clzll(v) : 0;
}

static bool test_log2(void)
{
	uint64_t v;
	uint32_t i;

	for (i = 0; i < NR_VALUES; i++) {
		v = value(i);
		ASSERT_EQ(mt_log2(v), ref_log2(v), "log2");
	}
	ASSERT_EQ(mt_log2((1ull << 63) - 1), 62, "log2 of the largest duration");
	return true;
}

/* Every power of two finds its own entry: the multiplier is a de Bruijn sequence. */
static bool test_table_covers_every_bit(void)
{
	uint32_t k;

	for (k = 0; k < 64; k++)
		ASSERT_EQ(mt_slot_entry_of(1ull << k)->log2, k, "2^k's entry says k");
	return true;
}

static bool test_hist_slot(void)
{
	uint64_t v;
	uint32_t i, want;

	for (i = 0; i < NR_VALUES; i++) {
		v = value(i);
		want = ref_log2(v) < MT_HIST_SLOTS - 1 ? ref_log2(v) : MT_HIST_SLOTS - 1;
		ASSERT_EQ(mt_hist_slot(v), want, "log2 slot, the last one holding the rest");
	}
	return true;
}

static bool test_fine_slot_within_its_bounds(void)
{
	uint64_t v, lo, hi;
	uint32_t i, slot, prev = 0;

	for (i = 0; i < NR_VALUES; i++) {
		v = value(i);
		slot = mt_fine_slot(v);
		fine_bounds(slot, &lo, &hi);
		if (v < lo || v > hi)
			printf("  %llu in slot %u [%llu, %llu]\n", (unsigned long long)v, slot,
			       (unsigned long long)lo, (unsigned long long)hi);
		ASSERT_TRUE(lo <= v && v <= hi, "a value lies within its slot's bounds");
		ASSERT_TRUE(slot >= prev, "slots grow with the value");
		prev = slot;
	}
	for (v = 0; v < 8; v++)
		ASSERT_EQ(mt_fine_slot(v), v, "0..7 have a slot each");
	ASSERT_EQ(mt_fine_slot(1ull << 33), MT_TOTAL_SLOTS - 1, "8.6 s and up: the last slot");
	ASSERT_EQ(mt_fine_slot((1ull << 63) - 1), MT_TOTAL_SLOTS - 1, "the largest duration");
	return true;
}

/*
 * Folding the fine histogram into the log2 one: every fine slot lands in
 * the log2 slot its lower bound's BPF slot is, the last ones (from 2^31 ns,
 * up to 2^33 and above) in the last log2 slot, and nothing is lost.
 * (run_total_log2 wrote past its 32 slots for the top four, found by ASan.)
 */
static bool test_total_log2_folds_every_slot(void)
{
	static struct run_row row;
	uint64_t log2[MT_HIST_SLOTS + 1], lo, hi, sum = 0;
	size_t s;

	for (s = 0; s < MT_TOTAL_SLOTS; s++)
		row.hist[s] = s + 1;
	log2[MT_HIST_SLOTS] = 12345;	/* the slot past the end */
	run_total_log2(&row, log2);
	ASSERT_EQ(log2[MT_HIST_SLOTS], 12345, "the slot past the end is untouched");
	for (s = 0; s < MT_HIST_SLOTS; s++)
		sum += log2[s];
	ASSERT_EQ(sum, MT_TOTAL_SLOTS * (MT_TOTAL_SLOTS + 1) / 2, "every call is in a log2 slot");
	memset(log2, 0, sizeof(log2));
	for (s = 0; s < MT_TOTAL_SLOTS; s++) {
		memset(&row.hist, 0, sizeof(row.hist));
		row.hist[s] = 1;
		run_total_log2(&row, log2);
		fine_bounds(s, &lo, &hi);
		ASSERT_EQ(log2[mt_hist_slot(lo)], 1, "fine slot folded into its lower bound's log2 slot");
		log2[mt_hist_slot(lo)] = 0;
	}
	return true;
}

static const struct unit_test tests[] = {
	{ "log2", test_log2 },
	{ "table_covers_every_bit", test_table_covers_every_bit },
	{ "hist_slot", test_hist_slot },
	{ "fine_slot_within_its_bounds", test_fine_slot_within_its_bounds },
	{ "total_log2_folds_every_slot", test_total_log2_folds_every_slot },
};

UNIT_MAIN("trace_slots", tests)
