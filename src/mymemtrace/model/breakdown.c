// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "model/breakdown.h"
#include "model/hist.h"

/*
 * A part whose probes are missing cannot be told apart, and neither can
 * the part its time then lands in: the one that was running around it.
 */
static void mark_unknown(bool *known, int part, int around)
{
	known[part] = false;
	known[around] = false;
}

static bool ok(const struct run_target *targets, enum target_id id)
{
	return targets[id].method != ATTACH_NONE;
}

void breakdown_known_parts(const struct mt_key *k, const struct run_target *targets,
			   bool known[MT_NR_PARTS])
{
	enum target_id fn, copy;
	int c;

	for (c = 0; c < MT_NR_PARTS; c++)
		known[c] = true;
	if (!ok(targets, T_LOCK_BEGIN) || !ok(targets, T_LOCK_END))
		mark_unknown(known, MT_PART_LOCK, MT_PART_BUFFER);
	if (!ok(targets, T_SCHED_SWITCH)) {
		/* Switched-out time hides in whatever part was running. */
		for (c = 0; c < MT_NR_PARTS; c++)
			known[c] = false;
		return;
	}

	switch (k->path) {
	case MT_PATH_SYSCALL:
		fn = k->op == MT_OP_READ ? T_READ_FN : T_WRITE_FN;
		copy = k->op == MT_OP_READ ? T_COPY_TO_USER : T_COPY_FROM_USER;
		if (!ok(targets, copy))
			mark_unknown(known, MT_PART_COPY, MT_PART_BUFFER);
		if (!ok(targets, fn)) {
			/* Copies are only seen inside the module's function. */
			mark_unknown(known, MT_PART_BUFFER, MT_PART_DISPATCH);
			known[MT_PART_COPY] = false;
		}
		break;
	case MT_PATH_MMAP:
		if (!ok(targets, T_VM_FAULT))
			mark_unknown(known, MT_PART_BUFFER, MT_PART_DISPATCH);
		break;
	default:
		/* The kernel path starts and ends inside the module. */
		break;
	}
}

void breakdown_of(const struct agg_row *r, const struct calibration *cal,
		  const struct run_target *targets, struct breakdown *b)
{
	const struct mt_agg *a = &r->agg;
	int c;

	memset(b, 0, sizeof(*b));
	b->count = a->count;
	if (!a->count)
		return;
	b->mean = a->total_ns / a->count;
	b->min = a->min_ns;
	b->max = a->max_ns;
	b->switches_per_call = (double)a->offcpu_switches / a->count;

	breakdown_known_parts(&r->key, targets, b->known);
	for (c = 0; c < MT_NR_PARTS; c++) {
		b->part[c] = a->part_ns[c] / a->count;
		if (!b->known[c]) {
			b->unattributed += b->part[c];
			b->has_unattributed = true;
		}
	}
	b->p50 = hist_percentile(a->total_hist, MT_TOTAL_SLOTS, a->count, 50, b->min, b->max);
	b->p90 = hist_percentile(a->total_hist, MT_TOTAL_SLOTS, a->count, 90, b->min, b->max);
	b->p99 = hist_percentile(a->total_hist, MT_TOTAL_SLOTS, a->count, 99, b->min, b->max);

	switch (r->key.path) {
	case MT_PATH_SYSCALL:
		/* The handler's call outside a followed syscall crosses nothing itself. */
		b->mode_switch_known = cal->valid || (r->key.via & MT_VIA_OUTSIDE);
		b->mode_switch = r->key.via & MT_VIA_OUTSIDE ? 0 : cal->mode_switch_ns;
		break;
	case MT_PATH_KERNEL:
		/* No crossing at all: a measured zero. */
		b->mode_switch_known = true;
		break;
	default:
		/* A fault's entry is an exception, not a syscall: not calibrated. */
		break;
	}
}
