// SPDX-License-Identifier: GPL-2.0
/*
 * The run's JSON format, both ways: run_render_json() renders a run model,
 * run_read_json() builds one back, so a saved run reports, diffs and plots
 * as the live one did. The README's "JSON" section is its schema.
 *
 * Version 0.2 added each row's "part_hist"; 0.1 files read without them.
 * Version 0.3 added "compensation" and each compensated row's "raw".
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "json_parse.h"
#include "parts.h"
#include "run_json.h"
#include "compensate.h"

static void json_part(struct json *j, const char *name, bool known, uint64_t ns)
{
	json_key(j, name);
	if (known)
		json_u64(j, ns);
	else
		json_null(j);
}

/* Non-empty slots only, each as its upper bound and count. */
static void json_hist(struct json *j, const uint64_t *hist, size_t slots, bool fine)
{
	size_t i;

	json_array_begin(j);
	for (i = 0; i < slots; i++) {
		uint64_t lo, hi;

		if (!hist[i])
			continue;
		if (fine)
			fine_bounds(i, &lo, &hi);
		else
			hi = (2ull << i) - 1;
		json_object_begin(j);
		json_key(j, "le_ns");
		json_u64(j, hi);
		json_key(j, "count");
		json_u64(j, hist[i]);
		json_object_end(j);
	}
	json_array_end(j);
}

static void json_stats(struct json *j, const struct breakdown *b)
{
	json_key(j, "total_ns");
	json_object_begin(j);
	json_key(j, "mean"); json_u64(j, b->mean);
	json_key(j, "p50"); json_u64(j, b->p50);
	json_key(j, "p90"); json_u64(j, b->p90);
	json_key(j, "p99"); json_u64(j, b->p99);
	json_key(j, "min"); json_u64(j, b->min);
	json_key(j, "max"); json_u64(j, b->max);
	json_object_end(j);
	json_key(j, "breakdown_ns");
	json_object_begin(j);
	json_part(j, "mode_switch", b->mode_switch_known, b->mode_switch);
	for (int c = 0; c < NR_PARTS; c++)
		json_part(j, parts[c].key, b->known[parts[c].comp], b->comp[parts[c].comp]);
	if (b->has_unattributed) {
		/* The parts marked null, together: measured, but not apart. */
		json_key(j, "unattributed");
		json_u64(j, b->unattributed);
	}
	json_object_end(j);
}

static void json_row(struct json *j, const struct run_row *r)
{
	int c;

	json_object_begin(j);
	json_key(j, "path");
	json_string(j, path_name(r->key.path));
	json_key(j, "op");
	json_string(j, op_name(r->key.op));
	json_key(j, "size");
	json_u64(j, r->key.size);
	json_key(j, "size_class");
	json_string(j, r->key.size_class ? "log2" : "exact");
	if (r->key.via) {
		/* Not read/write/pread64/pwrite64: how it came in (mymemtrace.h). */
		json_key(j, "via");
		json_string(j, via_name(r->key.via, (char[OP_LABEL_LEN]){ 0 }, OP_LABEL_LEN));
		json_key(j, "via_code");
		json_u64(j, r->key.via);
	}
	json_key(j, "count");
	json_u64(j, r->b.count);
	json_stats(j, &r->b);
	if (r->compensated) {
		/* As the probes saw them, their own cost included. */
		json_key(j, "raw");
		json_object_begin(j);
		json_stats(j, &r->raw);
		json_object_end(j);
	}
	json_key(j, "offcpu_switches");
	json_u64(j, r->switches);
	if (r->entries != r->b.count) {
		/* Not one entry of the traced function per call (run.h). */
		json_key(j, "entries");
		json_u64(j, r->entries);
	}
	json_key(j, "hist");
	json_hist(j, r->hist, MT_TOTAL_SLOTS, true);
	if (r->has_comp_hist) {
		/* Log2: calls that spent no time in a part count in its first slot. */
		json_key(j, "part_hist");
		json_object_begin(j);
		for (c = 0; c < NR_PARTS; c++) {
			json_key(j, parts[c].key);
			json_hist(j, r->comp_hist[parts[c].comp], MT_HIST_SLOTS, false);
		}
		json_object_end(j);
	}
	json_object_end(j);
}

void run_render_json(FILE *f, const struct run *run)
{
	struct json j;
	size_t i;

	json_begin(&j, f);
	json_object_begin(&j);
	json_key(&j, "tool"); json_string(&j, "mymemtrace");
	json_key(&j, "version"); json_string(&j, RUN_JSON_VERSION);
	json_key(&j, "kernel"); json_string(&j, run->kernel);
	json_key(&j, "duration_ns"); json_u64(&j, run->duration_ns);
	json_key(&j, "attach");
	json_object_begin(&j);
	for (i = 0; i < run->n_targets; i++) {
		json_key(&j, run->targets[i].func);
		json_string(&j, attach_method_name(run->targets[i].method));
	}
	json_object_end(&j);
	json_key(&j, "unavailable");
	json_object_begin(&j);
	for (i = 0; i < run->n_targets; i++) {
		const struct run_target *t = &run->targets[i];

		if (t->method != ATTACH_NONE)
			continue;
		json_key(&j, t->func);
		json_object_begin(&j);
		json_key(&j, "why"); json_string(&j, t->why);
		json_key(&j, "missing"); json_string(&j, t->measures);
		json_object_end(&j);
	}
	json_object_end(&j);
	json_key(&j, "drops");
	json_object_begin(&j);
	json_key(&j, "events"); json_u64(&j, run->events_dropped);
	json_key(&j, "aggregate"); json_u64(&j, run->agg_failed);
	json_key(&j, "calls_lost"); json_u64(&j, run->calls_lost);
	json_key(&j, "calls_abandoned"); json_u64(&j, run->calls_abandoned);
	json_key(&j, "returns_missed"); json_u64(&j, run->returns_missed);
	json_object_end(&j);
	json_key(&j, "calibration");
	json_object_begin(&j);
	json_key(&j, "method");
	json_string(&j, run->cal.compensated ?
		    "null syscall (getppid): its round trip from user space, untraced" :
		    "null syscall (getppid): traced round trip from user space minus its sys_enter..sys_exit window");
	json_key(&j, "valid"); json_bool(&j, run->cal.valid);
	json_key(&j, "calls"); json_u64(&j, run->cal.calls);
	json_key(&j, "untraced_ns"); json_u64(&j, run->cal.null_untraced_ns);
	json_key(&j, "user_ns"); json_u64(&j, run->cal.user_ns);
	json_key(&j, "kernel_ns"); json_u64(&j, run->cal.kernel_ns);
	json_key(&j, "mode_switch_ns"); json_u64(&j, run->cal.mode_switch_ns);
	json_key(&j, "raw_mode_switch_ns"); json_u64(&j, run->cal.raw_mode_switch_ns);
	json_object_end(&j);
	json_key(&j, "self_overhead");
	json_object_begin(&j);
	json_key(&j, "method");
	json_string(&j, "median 1-byte read of the device, traced minus untraced");
	json_key(&j, "valid"); json_bool(&j, run->cal.self_valid);
	json_key(&j, "calls"); json_u64(&j, run->cal.self_calls);
	json_key(&j, "untraced_ns"); json_u64(&j, run->cal.self_untraced_ns);
	json_key(&j, "traced_ns"); json_u64(&j, run->cal.self_traced_ns);
	json_key(&j, "ns_per_call"); json_u64(&j, run->cal.self_ns);
	json_key(&j, "window_ns"); json_u64(&j, run->cal.self_window_ns);
	json_object_end(&j);
	json_key(&j, "compensation");
	json_object_begin(&j);
	json_key(&j, "applied"); json_bool(&j, run->cal.compensated);
	json_key(&j, "syscall_ns_per_call");
	json_u64(&j, compensation_per_call(&run->cal, run->targets, MT_PATH_SYSCALL));
	json_key(&j, "kernel_ns_per_call");
	json_u64(&j, compensation_per_call(&run->cal, run->targets, MT_PATH_KERNEL));
	json_key(&j, "edge_ns"); json_u64(&j, run->cal.edge_ns);
	json_key(&j, "inner_ns"); json_u64(&j, run->cal.inner_ns);
	json_key(&j, "kernel");
	json_object_begin(&j);
	json_key(&j, "method");
	json_string(&j, "mymem_kernel_read (at the end of the buffer) timed in the kernel: traced window minus untraced time");
	json_key(&j, "valid"); json_bool(&j, run->cal.kernel_valid);
	json_key(&j, "calls"); json_u64(&j, run->cal.kernel_calls);
	json_key(&j, "untraced_ns"); json_u64(&j, run->cal.kernel_untraced_ns);
	json_key(&j, "traced_ns"); json_u64(&j, run->cal.kernel_traced_ns);
	json_key(&j, "window_ns"); json_u64(&j, run->cal.kernel_window_ns);
	json_key(&j, "probe_ns"); json_u64(&j, run->cal.kernel_probe_ns);
	json_object_end(&j);
	json_object_end(&j);
	json_key(&j, "rows");
	json_array_begin(&j);
	for (i = 0; i < run->n; i++)
		json_row(&j, &run->rows[i]);
	json_array_end(&j);
	json_object_end(&j);
	if (json_end(&j))
		fprintf(stderr, "mymemtrace: internal error: unbalanced JSON\n");
}

/* --- reading a run back --- */

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
	v->has_comp_hist = true;
	for (c = 0; c < NR_PARTS; c++) {
		const struct jv *h = jv_get(ph, parts[c].key);

		for (i = 0; h && h->type == JV_ARRAY && i < h->n; i++) {
			int s = log2_slot_of_bound(jv_get_u64(&h->items[i], "le_ns", 0));

			if (s < 0) {
				snprintf(err, errlen, "a part histogram bucket that is not one of mymemtrace's");
				return -1;
			}
			v->comp_hist[parts[c].comp][s] += jv_get_u64(&h->items[i], "count", 0);
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
		if (read_part(jparts, parts[c].key, &b->known[parts[c].comp],
			      &b->comp[parts[c].comp]))
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
	b->count = jv_get_u64(jr, "count", 0);
	if (raw && !read_stats(raw, &v->raw)) {
		v->compensated = true;
		v->raw.count = b->count;
	}
	v->sum_ns = b->mean * b->count;
	for (c = 0; c < MT_NR_COMPS; c++)
		v->comp_sum_ns[c] = b->comp[c] * b->count;
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
		struct run_target *t = &run->targets[run->n_targets++];
		const struct jv *u = jv_get(unavailable, a->key);
		int m = attach_method_parse(a->type == JV_STRING ? a->string : NULL);

		if (m < 0) {
			snprintf(err, errlen, "target %s: an attach method that is not one of mymemtrace's",
				 a->key);
			return -1;
		}
		snprintf(t->func, sizeof(t->func), "%s", a->key);
		t->method = m;
		if (m == ATTACH_NONE) {
			snprintf(t->why, sizeof(t->why), "%s", jv_get_string(u, "why", "?"));
			snprintf(t->measures, sizeof(t->measures), "%s", jv_get_string(u, "missing", "?"));
		}
	}
	/* A target listed as unavailable alone (hand-written files) still counts. */
	for (i = 0; unavailable && unavailable->type == JV_OBJECT && i < unavailable->n &&
		    run->n_targets < NR_TARGETS; i++) {
		const struct jv *u = &unavailable->items[i];
		struct run_target *t;

		if (jv_get(attach, u->key))
			continue;
		t = &run->targets[run->n_targets++];
		snprintf(t->func, sizeof(t->func), "%s", u->key);
		t->method = ATTACH_NONE;
		snprintf(t->why, sizeof(t->why), "%s", jv_get_string(u, "why", "?"));
		snprintf(t->measures, sizeof(t->measures), "%s", jv_get_string(u, "missing", "?"));
	}
	return 0;
}

/* Saved before version 0.3: nothing was compensated. */
static void read_compensation(const struct jv *comp, struct calibration *cal)
{
	const struct jv *k = jv_get(comp, "kernel");

	cal->compensated = jv_get_bool(comp, "applied", false);
	cal->edge_ns = jv_get_u64(comp, "edge_ns", 0);
	cal->inner_ns = jv_get_u64(comp, "inner_ns", 0);
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
