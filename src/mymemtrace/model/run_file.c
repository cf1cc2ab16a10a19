// SPDX-License-Identifier: GPL-2.0
/*
 * A saved run read back into the run model: the JSON render/json.c writes.
 *
 * Version 0.2 added each row's "part_hist"; 0.1 files read without them.
 * Version 0.3 added "compensation" and each compensated row's "raw".
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_parse.h"
#include "model/compensate.h"
#include "model/hist.h"
#include "model/names.h"
#include "model/parts.h"
#include "model/run_file.h"

static int name_index(const char *name, const char *(*name_of)(uint32_t), uint32_t n)
{
	uint32_t i;

	for (i = 0; name && i < n; i++)
		if (!strcmp(name, name_of(i)))
			return i;
	return -1;
}

/*
 * A part: a whole number of ns, or null (or absent) when it was not
 * measurable. -1 for anything else (a negative or fractional number).
 */
static int read_part(const struct jv *parts, const char *name, bool *known, uint64_t *ns)
{
	const struct jv *v = jv_get(parts, name);

	*known = v && v->type == JV_NUMBER;
	if (*known && !v->is_u64)
		return -1;
	*ns = *known ? v->u64 : 0;
	return 0;
}

/* The log2 slot whose upper bound is @le: 2^(i+1) - 1. */
static int log2_slot_of_bound(uint64_t le)
{
	int s;

	for (s = 0; s < MT_HIST_SLOTS; s++)
		if (le == (2ull << s) - 1)
			return s;
	return -1;
}

static int read_part_hists(const struct jv *ph, struct run_row *v, char *err, size_t errlen)
{
	size_t i;
	int c;

	if (!ph || ph->type != JV_OBJECT)
		return 0;	/* saved before version 0.2 */
	v->has_part_hists = true;
	for (c = 0; c < NR_PARTS; c++) {
		const struct jv *h = jv_get(ph, part_table[c].key);

		for (i = 0; h && h->type == JV_ARRAY && i < h->n; i++) {
			int s = log2_slot_of_bound(jv_get_u64(&h->items[i], "le_ns", 0));

			if (s < 0) {
				snprintf(err, errlen, "a part histogram bucket that is not one of mymemtrace's");
				return -1;
			}
			v->part_hist[part_table[c].id][s] += jv_get_u64(&h->items[i], "count", 0);
		}
	}
	return 0;
}

/* The fine slot whose upper bound is @le. */
static int slot_of_bound(uint64_t le)
{
	size_t s;

	for (s = 0; s < MT_TOTAL_SLOTS; s++) {
		uint64_t lo, hi;

		fine_bounds(s, &lo, &hi);
		if (hi == le)
			return s;
	}
	return -1;
}

/* "total_ns" and "breakdown_ns" of @jr into @b. */
static int read_stats(const struct jv *jr, struct breakdown *b)
{
	const struct jv *total = jv_get(jr, "total_ns"), *jparts = jv_get(jr, "breakdown_ns");
	int c;

	if (!total || !jparts)
		return -1;
	b->mean = jv_get_u64(total, "mean", 0);
	b->p50 = jv_get_u64(total, "p50", 0);
	b->p90 = jv_get_u64(total, "p90", 0);
	b->p99 = jv_get_u64(total, "p99", 0);
	b->min = jv_get_u64(total, "min", 0);
	b->max = jv_get_u64(total, "max", 0);
	if (read_part(jparts, "mode_switch", &b->mode_switch_known, &b->mode_switch) ||
	    read_part(jparts, "unattributed", &b->has_unattributed, &b->unattributed))
		return -1;
	for (c = 0; c < NR_PARTS; c++)
		if (read_part(jparts, part_table[c].key, &b->known[part_table[c].id],
			      &b->part[part_table[c].id]))
			return -1;
	return 0;
}

static int read_row(const struct jv *jr, struct run_row *v, char *err, size_t errlen)
{
	const struct jv *hist = jv_get(jr, "hist"), *raw = jv_get(jr, "raw");
	int path = name_index(jv_get_string(jr, "path", NULL), path_name, MT_NR_PATHS);
	int op = name_index(jv_get_string(jr, "op", NULL), op_name, MT_NR_OPS);
	struct breakdown *b = &v->b;
	size_t i;
	int c;

	memset(v, 0, sizeof(*v));
	if (path < 0 || op < 0 || !jv_get(jr, "size") || read_stats(jr, b)) {
		snprintf(err, errlen, "a row without path, op, size, total_ns or breakdown_ns, or with a part that is not a whole number of ns");
		return -1;
	}
	v->key.path = path;
	v->key.op = op;
	v->key.size = jv_get_u64(jr, "size", 0);
	v->key.size_class = !strcmp(jv_get_string(jr, "size_class", "exact"), "log2") ?
			    MT_SIZE_CLASS : 0;
	v->key.via = jv_get_u64(jr, "via_code", 0);
	v->key.result = jv_get_u64(jr, "result_code", MT_RESULT_OK);
	b->count = jv_get_u64(jr, "count", 0);
	if (raw && !read_stats(raw, &v->raw)) {
		v->compensated = true;
		v->raw.count = b->count;
	}
	v->sum_ns = b->mean * b->count;
	for (c = 0; c < MT_NR_PARTS; c++)
		v->part_sum_ns[c] = b->part[c] * b->count;
	v->switches = jv_get_u64(jr, "offcpu_switches", 0);
	v->entries = jv_get_u64(jr, "entries", b->count);
	b->switches_per_call = b->count ? (double)v->switches / b->count : 0;
	for (i = 0; hist && hist->type == JV_ARRAY && i < hist->n; i++) {
		int s = slot_of_bound(jv_get_u64(&hist->items[i], "le_ns", 0));

		if (s < 0) {
			snprintf(err, errlen, "a histogram bucket that is not one of mymemtrace's");
			return -1;
		}
		v->hist[s] += jv_get_u64(&hist->items[i], "count", 0);
	}
	return read_part_hists(jv_get(jr, "part_hist"), v, err, errlen);
}

/* "attach": every target's method, in order; "unavailable": why not. */
static int read_targets(const struct jv *attach, const struct jv *unavailable, struct run *run,
			char *err, size_t errlen)
{
	size_t i;

	for (i = 0; attach && attach->type == JV_OBJECT && i < attach->n &&
		    run->n_targets < NR_TARGETS; i++) {
		const struct jv *a = &attach->items[i];
		struct run_target *target = &run->targets[run->n_targets++];
		const struct jv *u = jv_get(unavailable, a->key);
		int m = attach_method_parse(a->type == JV_STRING ? a->string : NULL);

		if (m < 0) {
			snprintf(err, errlen, "target %s: an attach method that is not one of mymemtrace's",
				 a->key);
			return -1;
		}
		snprintf(target->func, sizeof(target->func), "%s", a->key);
		target->method = m;
		if (m == ATTACH_NONE) {
			snprintf(target->why, sizeof(target->why), "%s", jv_get_string(u, "why", "?"));
			snprintf(target->measures, sizeof(target->measures), "%s", jv_get_string(u, "missing", "?"));
		}
	}
	/* A target listed as unavailable alone (hand-written files) still counts. */
	for (i = 0; unavailable && unavailable->type == JV_OBJECT && i < unavailable->n &&
		    run->n_targets < NR_TARGETS; i++) {
		const struct jv *u = &unavailable->items[i];
		struct run_target *target;

		if (jv_get(attach, u->key))
			continue;
		target = &run->targets[run->n_targets++];
		snprintf(target->func, sizeof(target->func), "%s", u->key);
		target->method = ATTACH_NONE;
		snprintf(target->why, sizeof(target->why), "%s", jv_get_string(u, "why", "?"));
		snprintf(target->measures, sizeof(target->measures), "%s", jv_get_string(u, "missing", "?"));
	}
	return 0;
}

/* Saved before version 0.3: nothing was compensated. */
static void read_compensation(const struct jv *block, struct calibration *cal)
{
	const struct jv *k = jv_get(block, "kernel");

	cal->compensated = jv_get_bool(block, "applied", false);
	cal->edge_ns = jv_get_u64(block, "edge_ns", 0);
	cal->inner_ns = jv_get_u64(block, "inner_ns", 0);
	cal->kernel_valid = jv_get_bool(k, "valid", false);
	cal->kernel_calls = jv_get_u64(k, "calls", 0);
	cal->kernel_untraced_ns = jv_get_u64(k, "untraced_ns", 0);
	cal->kernel_traced_ns = jv_get_u64(k, "traced_ns", 0);
	cal->kernel_window_ns = jv_get_u64(k, "window_ns", 0);
	cal->kernel_probe_ns = jv_get_u64(k, "probe_ns", 0);
}

static int run_from_json(const struct jv *doc, struct run *run, char *err, size_t errlen)
{
	const struct jv *rows = jv_get(doc, "rows"), *cal = jv_get(doc, "calibration");
	const struct jv *self = jv_get(doc, "self_overhead"), *drops = jv_get(doc, "drops");
	const char *tool = jv_get_string(doc, "tool", NULL);
	size_t i;

	if (!tool || strcmp(tool, "mymemtrace")) {
		snprintf(err, errlen, "not a mymemtrace run (its \"tool\" is %s%s%s)",
			 tool ? "\"" : "", tool ? tool : "missing", tool ? "\"" : "");
		return -1;
	}
	if (!rows || rows->type != JV_ARRAY) {
		snprintf(err, errlen, "no \"rows\" array");
		return -1;
	}
	snprintf(run->kernel, sizeof(run->kernel), "%s", jv_get_string(doc, "kernel", "?"));
	run->duration_ns = jv_get_u64(doc, "duration_ns", 0);
	run->cal.valid = jv_get_bool(cal, "valid", false);
	run->cal.calls = jv_get_u64(cal, "calls", 0);
	run->cal.user_ns = jv_get_u64(cal, "user_ns", 0);
	run->cal.kernel_ns = jv_get_u64(cal, "kernel_ns", 0);
	run->cal.mode_switch_ns = jv_get_u64(cal, "mode_switch_ns", 0);
	run->cal.null_untraced_ns = jv_get_u64(cal, "untraced_ns", 0);
	run->cal.raw_mode_switch_ns = jv_get_u64(cal, "raw_mode_switch_ns", run->cal.mode_switch_ns);
	run->cal.self_valid = jv_get_bool(self, "valid", false);
	run->cal.self_calls = jv_get_u64(self, "calls", 0);
	run->cal.self_untraced_ns = jv_get_u64(self, "untraced_ns", 0);
	run->cal.self_traced_ns = jv_get_u64(self, "traced_ns", 0);
	run->cal.self_ns = jv_get_u64(self, "ns_per_call", 0);
	run->cal.self_window_ns = jv_get_u64(self, "window_ns", 0);
	read_compensation(jv_get(doc, "compensation"), &run->cal);
	run->events_dropped = jv_get_u64(drops, "events", 0);
	run->agg_failed = jv_get_u64(drops, "aggregate", 0);
	run->calls_lost = jv_get_u64(drops, "calls_lost", 0);
	run->calls_abandoned = jv_get_u64(drops, "calls_abandoned", 0);
	run->returns_missed = jv_get_u64(drops, "returns_missed", 0);
	if (read_targets(jv_get(doc, "attach"), jv_get(doc, "unavailable"), run, err, errlen))
		return -1;
	compensation_settle(&run->cal, run->targets);

	run->rows = calloc(rows->n ? rows->n : 1, sizeof(*run->rows));
	if (!run->rows) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < rows->n; i++) {
		char why[160];

		if (read_row(&rows->items[i], &run->rows[i], why, sizeof(why))) {
			snprintf(err, errlen, "row %zu: %s", i + 1, why);
			return -1;
		}
	}
	run->n = rows->n;
	return 0;
}

/* @run from a parsed document; @what names it in the message. */
static int run_from_doc(struct jv *doc, const char *what, struct run *run, char *err,
			size_t errlen)
{
	char why[200];
	int ret;

	ret = run_from_json(doc, run, why, sizeof(why));
	if (ret) {
		snprintf(err, errlen, "%s: %s", what, why);
		run_free(run);
	}
	jv_free(doc);
	return ret;
}

int run_read_json(const char *path, struct run *run, char *err, size_t errlen)
{
	struct jv *doc;

	memset(run, 0, sizeof(*run));
	doc = jv_parse_file(path, err, errlen);
	if (!doc)
		return -1;
	return run_from_doc(doc, path, run, err, errlen);
}

int run_parse_json(const char *text, struct run *run, char *err, size_t errlen)
{
	struct jv *doc;

	memset(run, 0, sizeof(*run));
	doc = jv_parse(text, err, errlen);
	if (!doc)
		return -1;
	return run_from_doc(doc, "the run", run, err, errlen);
}
