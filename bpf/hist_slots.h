/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The histogram slot of a duration, computed without a branch.
 *
 * Every call that ends pays for four of these (the total and the parts it
 * spent time in), so they are written for the hot path: BPF has neither a
 * conditional move nor a count-leading-zeros, and clang turns each
 * comparison into a jump, which splits the code into many small blocks.
 * Here every comparison is a subtraction whose sign bit is the answer.
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

/*
 * The empty asm keeps the compiler from seeing through a value: without
 * it clang would turn the sign-bit tricks back into compares and jumps,
 * and would drop the masks that the 6.1 verifier needs to bound an index.
 */
#define MT_OPAQUE(x) asm volatile("" : "+r"(x))

/* 1 if @v > @c, else 0; exact for v < 2^63 + c (every duration is). */
static __always_inline __u64 mt_gt(__u64 v, __u64 c)
{
	__u64 d = c - v;

	MT_OPAQUE(d);
	return d >> 63;
}

/* floor(log2(v)); 0 for 0. */
static __always_inline __u32 mt_log2(__u64 v)
{
	__u64 r, s;

	s = mt_gt(v, 0xffffffffULL) << 5; v >>= s; r = s;
	s = mt_gt(v, 0xffff) << 4; v >>= s; r |= s;
	s = mt_gt(v, 0xff) << 3; v >>= s; r |= s;
	s = mt_gt(v, 0xf) << 2; v >>= s; r |= s;
	s = mt_gt(v, 0x3) << 1; v >>= s; r |= s;
	return r | (v >> 1);
}

/* min(@v, @limit) for v, limit < 2^63. */
static __always_inline __u64 mt_min(__u64 v, __u64 limit)
{
	__u64 over = -mt_gt(v, limit);	/* all ones if v > limit */

	MT_OPAQUE(over);
	return v - ((v - limit) & over);
}

/* The slot of a part's log2 histogram (mymemtrace.h). */
static __always_inline __u32 mt_hist_slot(__u64 ns)
{
	__u64 slot = mt_min(mt_log2(ns), MT_HIST_SLOTS - 1);

	MT_OPAQUE(slot);	/* keep the mask */
	return slot & (MT_HIST_SLOTS - 1);
}

/*
 * The slot of the total's fine histogram (mymemtrace.h): 0..7 for the
 * values 0..7, then MT_FINE_SUB slots per power of two. With l = log2(ns),
 * the slot is 4 * (l - 1) + the two bits below the top one; for ns < 8
 * the same formula gives ns itself once l is raised to at least 1 and the
 * shift is kept at 0.
 */
static __always_inline __u32 mt_fine_slot(__u64 ns)
{
	__u64 l = mt_log2(ns), shift, slot;

	l += 1 - mt_gt(ns, 1);			/* ns < 2: l = 1 */
	shift = l - 1 - mt_gt(ns, 3);		/* ns < 4: 0; else l - 2 */
	slot = (l - 1) * MT_FINE_SUB + ((ns >> shift) & (MT_FINE_SUB - 1));
	slot = mt_min(slot, MT_TOTAL_SLOTS - 1);
	MT_OPAQUE(slot);	/* keep the mask */
	return slot & (MT_TOTAL_SLOTS - 1);
}

#endif /* MYMEMTRACE_HIST_SLOTS_H */
