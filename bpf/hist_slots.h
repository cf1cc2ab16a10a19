/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The histogram slot of a duration, without a branch and without a loop.
 *
 * Every call that ends pays for four of these (the total and the parts it
 * spent time in), so they are written for the hot path. BPF has no
 * count-leading-zeros: the top bit is isolated (v smeared to all ones
 * below it, minus its half) and multiplied by a de Bruijn sequence, whose
 * top six bits then differ for each of the 64 powers of two; a table
 * indexed by them gives the log2 and the slots that follow from it. About
 * twenty instructions, where a branch-free binary search took about fifty;
 * a branching one would make the verifier walk 32 paths per duration.
 *
 * Included by the BPF programs and by a unit test, which checks every
 * slot against the bounds user space gives it (fine_bounds()).
 */
#ifndef MYMEMTRACE_HIST_SLOTS_H
#define MYMEMTRACE_HIST_SLOTS_H

#include "mymemtrace.h"

#ifndef __always_inline		/* user space */
#define __always_inline inline __attribute__((always_inline))
#endif

#define MT_DE_BRUIJN	0x022fdd63cc95386dULL

/*
 * For a duration whose top set bit is bit k (log2 = k): its part slot,
 * min(k, MT_HIST_SLOTS - 1); and its fine slot, base + ((ns >> shift) &
 * mask): 4 * (k - 1) plus the two bits below the top one, the values 0..7
 * as themselves (k <= 2: shift 0), 2^33 ns and up in the last slot (mask 0).
 */
struct mt_slot_entry {
	__u8 log2;
	__u8 part;
	__u8 base;
	__u8 shift;
	__u8 mask;
	__u8 pad[3];
};

/* Indexed by the top six bits of 2^k * MT_DE_BRUIJN (made by a script, checked by the unit test). */
static const struct mt_slot_entry mt_slot_table[64] = {
	{  0,  0,   0,  0, 3, { 0 } },
	{  1,  1,   0,  0, 3, { 0 } },
	{  2,  2,   4,  0, 3, { 0 } },
	{ 53, 31, 127,  0, 0, { 0 } },
	{  3,  3,   8,  1, 3, { 0 } },
	{  7,  7,  24,  5, 3, { 0 } },
	{ 54, 31, 127,  0, 0, { 0 } },
	{ 27, 27, 104, 25, 3, { 0 } },
	{  4,  4,  12,  2, 3, { 0 } },
	{ 38, 31, 127,  0, 0, { 0 } },
	{ 41, 31, 127,  0, 0, { 0 } },
	{  8,  8,  28,  6, 3, { 0 } },
	{ 34, 31, 127,  0, 0, { 0 } },
	{ 55, 31, 127,  0, 0, { 0 } },
	{ 48, 31, 127,  0, 0, { 0 } },
	{ 28, 28, 108, 26, 3, { 0 } },
	{ 62, 31, 127,  0, 0, { 0 } },
	{  5,  5,  16,  3, 3, { 0 } },
	{ 39, 31, 127,  0, 0, { 0 } },
	{ 46, 31, 127,  0, 0, { 0 } },
	{ 44, 31, 127,  0, 0, { 0 } },
	{ 42, 31, 127,  0, 0, { 0 } },
	{ 22, 22,  84, 20, 3, { 0 } },
	{  9,  9,  32,  7, 3, { 0 } },
	{ 24, 24,  92, 22, 3, { 0 } },
	{ 35, 31, 127,  0, 0, { 0 } },
	{ 59, 31, 127,  0, 0, { 0 } },
	{ 56, 31, 127,  0, 0, { 0 } },
	{ 49, 31, 127,  0, 0, { 0 } },
	{ 18, 18,  68, 16, 3, { 0 } },
	{ 29, 29, 112, 27, 3, { 0 } },
	{ 11, 11,  40,  9, 3, { 0 } },
	{ 63, 31, 127,  0, 0, { 0 } },
	{ 52, 31, 127,  0, 0, { 0 } },
	{  6,  6,  20,  4, 3, { 0 } },
	{ 26, 26, 100, 24, 3, { 0 } },
	{ 37, 31, 127,  0, 0, { 0 } },
	{ 40, 31, 127,  0, 0, { 0 } },
	{ 33, 31, 127,  0, 0, { 0 } },
	{ 47, 31, 127,  0, 0, { 0 } },
	{ 61, 31, 127,  0, 0, { 0 } },
	{ 45, 31, 127,  0, 0, { 0 } },
	{ 43, 31, 127,  0, 0, { 0 } },
	{ 21, 21,  80, 19, 3, { 0 } },
	{ 23, 23,  88, 21, 3, { 0 } },
	{ 58, 31, 127,  0, 0, { 0 } },
	{ 17, 17,  64, 15, 3, { 0 } },
	{ 10, 10,  36,  8, 3, { 0 } },
	{ 51, 31, 127,  0, 0, { 0 } },
	{ 25, 25,  96, 23, 3, { 0 } },
	{ 36, 31, 127,  0, 0, { 0 } },
	{ 32, 31, 124, 30, 3, { 0 } },
	{ 60, 31, 127,  0, 0, { 0 } },
	{ 20, 20,  76, 18, 3, { 0 } },
	{ 57, 31, 127,  0, 0, { 0 } },
	{ 16, 16,  60, 14, 3, { 0 } },
	{ 50, 31, 127,  0, 0, { 0 } },
	{ 31, 31, 120, 29, 3, { 0 } },
	{ 19, 19,  72, 17, 3, { 0 } },
	{ 15, 15,  56, 13, 3, { 0 } },
	{ 30, 30, 116, 28, 3, { 0 } },
	{ 14, 14,  52, 12, 3, { 0 } },
	{ 13, 13,  48, 11, 3, { 0 } },
	{ 12, 12,  44, 10, 3, { 0 } },
};

/* The table entry of @v's top bit (v = 0 reads as 1: log2 0). */
static __always_inline const struct mt_slot_entry *mt_slot_entry_of(__u64 v)
{
	v |= v >> 1;
	v |= v >> 2;
	v |= v >> 4;
	v |= v >> 8;
	v |= v >> 16;
	v |= v >> 32;
	v -= v >> 1;		/* the top bit alone */
	return &mt_slot_table[(v * MT_DE_BRUIJN) >> 58];
}

/* floor(log2(v)); 0 for 0. */
static __always_inline __u32 mt_log2(__u64 v)
{
	return mt_slot_entry_of(v)->log2;
}

/* The slot of a part's log2 histogram (mymemtrace.h). */
static __always_inline __u32 mt_hist_slot(__u64 ns)
{
	return mt_slot_entry_of(ns)->part & (MT_HIST_SLOTS - 1);
}

/*
 * The slot of the total's fine histogram (mymemtrace.h). The mask tells
 * the verifier what the table already guarantees.
 */
static __always_inline __u32 mt_fine_slot(__u64 ns)
{
	const struct mt_slot_entry *e = mt_slot_entry_of(ns);

	return (e->base + ((ns >> e->shift) & e->mask)) & (MT_TOTAL_SLOTS - 1);
}

#endif /* MYMEMTRACE_HIST_SLOTS_H */
