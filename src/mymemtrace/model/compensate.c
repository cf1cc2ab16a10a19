// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include <linux/types.h>

#include "hist_slots.h"
#include "model/compensate.h"
#include "model/hist.h"

static bool attached(const struct run_target *targets, enum target_id id)
{
	return targets[id].method != ATTACH_NONE;
}

/*
 * What the probes added to each part of @n calls on @key's path that
 * entered the module's handler @fn times in all, @copies of them with a
 * copy (the probes fire per handler entry: a vectored call enters it once
 * per segment). False when nothing is known to subtract there.
 */
static bool probe_cost(const struct calibration *cal, const struct run_target *targets,
		       const struct mt_key *key, uint64_t n, uint64_t fn, uint64_t copies,
		       uint64_t sub[MT_NR_PARTS])
{
	bool fn_on, copy_on, outside = key->via & MT_VIA_OUTSIDE;
	uint64_t q;

	memset(sub, 0, MT_NR_PARTS * sizeof(sub[0]));
	switch (key->path) {
	case MT_PATH_SYSCALL:
		if (!cal->self_valid)
			return false;
		fn_on = attached(targets, key->op == MT_OP_READ ? T_READ_FN : T_WRITE_FN);
		copy_on = attached(targets, key->op == MT_OP_READ ? T_COPY_TO_USER : T_COPY_FROM_USER);
		if (!fn_on) {
			/* No inner part told apart: all of it is dispatch. */
			sub[MT_PART_DISPATCH] = n * (cal->edge_ns + cal->inner_ns);
			return true;
		}
		/* The 1-byte read passed 2 or 4 inner probes: the share of each. */
		q = cal->inner_ns / (copy_on ? 4 : 2);
		if (outside) {
			/* Handler entry to exit: only the halves inside it. */
			sub[MT_PART_BUFFER] = fn * q;
		} else {
			sub[MT_PART_DISPATCH] = n * cal->edge_ns + fn * q;
			sub[MT_PART_BUFFER] = fn * q;
		}
		if (copy_on) {
			sub[MT_PART_BUFFER] += copies * q;
			sub[MT_PART_COPY] = copies * q;
		}
		return true;
	case MT_PATH_KERNEL:
		if (!cal->kernel_valid)
			return false;
		sub[MT_PART_BUFFER] = n * cal->kernel_probe_ns;
		return true;
	default:
		return false;
	}
}

static uint64_t compensation_per_call(const struct calibration *cal,
				      const struct run_target *targets, uint32_t path)
{
	struct mt_key key = { .path = path, .op = MT_OP_READ, .size = 1 };
	uint64_t sub[MT_NR_PARTS], sum = 0;
	int c;

	if (!probe_cost(cal, targets, &key, 1, 1, 1, sub))
		return 0;
	for (c = 0; c < MT_NR_PARTS; c++)
		sum += sub[c];
	return sum;
}

void compensation_settle(struct calibration *cal, const struct run_target *targets)
{
	uint32_t path;

	for (path = 0; path < MT_NR_PATHS; path++)
		cal->taken_out_ns[path] = compensation_per_call(cal, targets, path);
}

static uint64_t minus(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

typedef void bounds_fn(size_t slot, uint64_t *lo, uint64_t *hi);
typedef size_t slot_fn(uint64_t ns);

static void log2_bounds(size_t slot, uint64_t *lo, uint64_t *hi)
{
	*lo = slot ? 1ull << slot : 0;
	*hi = slot == MT_HIST_SLOTS - 1 ? UINT64_MAX : (2ull << slot) - 1;
}

static size_t log2_slot(uint64_t ns)
{
	return mt_hist_slot(ns);
}

static size_t fine_slot(uint64_t ns)
{
	return mt_fine_slot(ns);
}

/*
 * Every value of @hist less @d: each slot's calls spread evenly over its
 * range, moved down by d, and counted into the slots that range now
 * covers (values below d become 0).
 */
static void shift_hist(__u64 *hist, size_t slots, bounds_fn *bounds, slot_fn *slot_of,
		       uint64_t d)
{
	__u64 out[MT_TOTAL_SLOTS] = { 0 };
	size_t s, targets;

	if (!d)
		return;
	for (s = 0; s < slots; s++) {
		uint64_t lo, hi, nlo, nhi, width, given = 0;

		if (!hist[s])
			continue;
		bounds(s, &lo, &hi);
		if (hi - lo > (1ull << 40))
			hi = lo;	/* the open last slot: its lower bound */
		nlo = minus(lo, d);
		nhi = minus(hi, d);
		width = nhi - nlo + 1;
		for (targets = slot_of(nlo); targets <= slot_of(nhi) && targets < slots; targets++) {
			uint64_t tlo, thi, a, b;

			bounds(targets, &tlo, &thi);
			a = tlo > nlo ? tlo : nlo;
			b = thi < nhi ? thi : nhi;
			if (b < a)
				continue;
			out[targets] += hist[s] * (b - a + 1) / width;
			given += hist[s] * (b - a + 1) / width;
		}
		/* What rounding left over goes where the middle of the range went. */
		out[slot_of(nlo + (nhi - nlo) / 2)] += hist[s] - given;
	}
	memcpy(hist, out, slots * sizeof(hist[0]));
}

/*
 * @sub[c] out of each part @ns[c], none below zero; what a part could not
 * give is taken from the others in order, so that the total loses all of
 * the probes' cost whenever it holds that much: the split between parts is
 * the estimate, the sum is what was measured. @got[c]: what each gave.
 * Returns the sum.
 */
static uint64_t take(__u64 ns[MT_NR_PARTS], const uint64_t sub[MT_NR_PARTS],
		     uint64_t got[MT_NR_PARTS])
{
	uint64_t short_by = 0, taken = 0, g;
	int c;

	for (c = 0; c < MT_NR_PARTS; c++) {
		got[c] = ns[c] < sub[c] ? ns[c] : sub[c];
		short_by += sub[c] - got[c];
	}
	for (c = 0; c < MT_NR_PARTS && short_by; c++) {
		g = ns[c] - got[c] < short_by ? ns[c] - got[c] : short_by;
		got[c] += g;
		short_by -= g;
	}
	for (c = 0; c < MT_NR_PARTS; c++) {
		ns[c] -= got[c];
		taken += got[c];
	}
	return taken;
}

bool compensate_row(const struct calibration *cal, const struct run_target *targets,
		    struct agg_row *row)
{
	struct mt_agg *a = &row->agg;
	uint64_t sub[MT_NR_PARTS], got[MT_NR_PARTS], want, taken, d, fn, copies;
	int c;

	if (!a->count)
		return false;
	/* Saved or built without handler counts: one entry per call. */
	fn = a->fn_calls ? a->fn_calls : a->count;
	/* The calls with a copy made one per handler entry. */
	copies = (uint64_t)((double)fn * a->part_calls[MT_PART_COPY] / a->count + 0.5);
	if (!probe_cost(cal, targets, &row->key, a->count, fn, copies, sub))
		return false;
	/*
	 * A call cannot have cost less than nothing: where the fastest one
	 * took less than the probes' measured cost, the calibration does not
	 * hold for this row (the machine's speed changed since start-up, say),
	 * and it stays as measured rather than going to made-up zeros.
	 */
	for (c = 0, want = 0; c < MT_NR_PARTS; c++)
		want += sub[c];
	if (want / a->count >= a->min_ns) {
		row->refused = true;
		return false;
	}
	taken = take(a->part_ns, sub, got);
	for (c = 0; c < MT_NR_PARTS; c++) {
		uint64_t with = a->part_calls[c];

		if (with)
			shift_hist(a->part_hist[c], MT_HIST_SLOTS, log2_bounds, log2_slot,
				   got[c] / with);
	}
	/* The parts summed to the total: they still do. */
	a->total_ns = minus(a->total_ns, taken);
	d = taken / a->count;
	a->min_ns = minus(a->min_ns, d);
	a->max_ns = minus(a->max_ns, d);
	shift_hist(a->total_hist, MT_TOTAL_SLOTS, fine_bounds, fine_slot, d);
	return taken > 0;
}

void compensate_event(const struct calibration *cal, const struct run_target *targets,
		      const struct mt_event *e, uint64_t part_ns[MT_NR_PARTS], uint64_t *total_ns)
{
	struct mt_key key = { .path = e->path, .op = e->op, .size = e->size, .via = e->via };
	uint64_t sub[MT_NR_PARTS], got[MT_NR_PARTS], fn = e->fn_calls ? e->fn_calls : 1;
	uint64_t want = 0;
	__u64 ns[MT_NR_PARTS];
	int c;

	for (c = 0; c < MT_NR_PARTS; c++)
		part_ns[c] = e->part_ns[c];
	*total_ns = e->total_ns;
	if (!cal || !cal->compensated ||
	    !probe_cost(cal, targets, &key, 1, fn, part_ns[MT_PART_COPY] ? fn : 0, sub))
		return;
	/* As for rows: a call faster than the probes' cost stays as measured. */
	for (c = 0; c < MT_NR_PARTS; c++)
		want += sub[c];
	if (want >= *total_ns)
		return;
	for (c = 0; c < MT_NR_PARTS; c++)
		ns[c] = part_ns[c];
	*total_ns = minus(*total_ns, take(ns, sub, got));
	for (c = 0; c < MT_NR_PARTS; c++)
		part_ns[c] = ns[c];
}
