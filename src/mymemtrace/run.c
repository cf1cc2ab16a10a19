// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "attach.h"
#include "json_parse.h"
#include "report.h"
#include "run.h"

void run_size_label(char *buf, size_t len, const struct mt_key *key)
{
	snprintf(buf, len, "%s%" PRIu64, key->size_class ? ">=" : "", (uint64_t)key->size);
}

uint64_t hist_span(const uint64_t *hist, size_t slots, int *first, int *last)
{
	uint64_t max = 0;
	size_t i;

	*first = *last = -1;
	for (i = 0; i < slots; i++) {
		if (!hist[i])
			continue;
		if (*first < 0)
			*first = i;
		*last = i;
		if (hist[i] > max)
			max = hist[i];
	}
	return max;
}

void run_total_log2(const struct run_row *r, uint64_t log2[MT_HIST_SLOTS])
{
	size_t s;

	memset(log2, 0, MT_HIST_SLOTS * sizeof(log2[0]));
	for (s = 0; s < MT_TOTAL_SLOTS; s++) {
		uint64_t lo, hi;

		fine_bounds(s, &lo, &hi);
		log2[lo ? 63 - __builtin_clzll(lo) : 0] += r->hist[s];
	}
}

const struct run_row *run_find(const struct run *view, const struct mt_key *key)
{
	size_t i;

	for (i = 0; i < view->n; i++) {
		const struct mt_key *k = &view->rows[i].key;

		if (k->path == key->path && k->op == key->op && k->size == key->size &&
		    k->size_class == key->size_class)
			return &view->rows[i];
	}
	return NULL;
}

void run_free(struct run *view)
{
	free(view->rows);
	view->rows = NULL;
	view->n = 0;
}

int view_from_rows(const struct rows *rows, const struct run_info *run,
		   struct run *view)
{
	size_t i, s;
	int c;

	run_free(view);
	memset(view, 0, sizeof(*view));
	snprintf(view->kernel, sizeof(view->kernel), "%s", run->kernel ? run->kernel : "?");
	view->duration_ns = run->duration_ns;
	view->cal = run->cal;
	view->events_dropped = run->events_dropped;
	view->agg_failed = run->agg_failed;
	view->calls_lost = run->calls_lost;
	view->rows = calloc(rows->n ? rows->n : 1, sizeof(*view->rows));
	if (!view->rows)
		return -1;
	for (i = 0; i < rows->n; i++) {
		const struct row *r = &rows->row[i];
		struct run_row *v = &view->rows[i];

		v->key = r->key;
		breakdown_of(r, &run->cal, &v->b);
		v->switches = r->agg.offcpu_switches;
		for (s = 0; s < MT_TOTAL_SLOTS; s++)
			v->hist[s] = r->agg.total_hist[s];
		v->has_comp_hist = true;
		for (c = 0; c < MT_NR_COMPS; c++)
			for (s = 0; s < MT_HIST_SLOTS; s++)
				v->comp_hist[c][s] = r->agg.comp_hist[c][s];
	}
	view->n = rows->n;
	for (i = 0; i < NR_TARGETS && view->n_problems < 32; i++) {
		struct view_problem *p = &view->problems[view->n_problems];

		if (target_ok(i))
			continue;
		snprintf(p->func, sizeof(p->func), "%s", targets[i].func ? targets[i].func : "?");
		snprintf(p->why, sizeof(p->why), "%s", targets[i].why[0] ? targets[i].why : "?");
		snprintf(p->missing, sizeof(p->missing), "%s", targets[i].measures);
		view->n_problems++;
	}
	return 0;
}

/* --- reading a run back from its JSON --- */

static int name_index(const char *name, const char *(*name_of)(uint32_t), uint32_t n)
{
	uint32_t i;

	for (i = 0; name && i < n; i++)
		if (!strcmp(name, name_of(i)))
			return i;
	return -1;
}

/* A part: a number, or null when it was not measurable. */
static void read_part(const struct jv *parts, const char *name, bool *known, uint64_t *ns)
{
	const struct jv *v = jv_get(parts, name);

	*known = v && v->type == JV_NUMBER;
	*ns = *known ? (uint64_t)v->number : 0;
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

static int read_row(const struct jv *jr, struct run_row *v, char *err, size_t errlen)
{
	const struct jv *total = jv_get(jr, "total_ns"), *parts = jv_get(jr, "breakdown_ns");
	const struct jv *hist = jv_get(jr, "hist");
	int path = name_index(jv_get_string(jr, "path", NULL), path_name, MT_NR_PATHS);
	int op = name_index(jv_get_string(jr, "op", NULL), op_name, MT_NR_OPS);
	struct breakdown *b = &v->b;
	size_t i;
	int c;

	if (path < 0 || op < 0 || !jv_get(jr, "size") || !total || !parts) {
		snprintf(err, errlen, "a row without path, op, size, total_ns or breakdown_ns");
		return -1;
	}
	memset(v, 0, sizeof(*v));
	v->key.path = path;
	v->key.op = op;
	v->key.size = jv_get_u64(jr, "size", 0);
	v->key.size_class = !strcmp(jv_get_string(jr, "size_class", "exact"), "log2") ?
			    MT_SIZE_CLASS : 0;
	b->count = jv_get_u64(jr, "count", 0);
	b->mean = jv_get_u64(total, "mean", 0);
	b->p50 = jv_get_u64(total, "p50", 0);
	b->p90 = jv_get_u64(total, "p90", 0);
	b->p99 = jv_get_u64(total, "p99", 0);
	b->min = jv_get_u64(total, "min", 0);
	b->max = jv_get_u64(total, "max", 0);
	read_part(parts, "mode_switch", &b->mode_switch_known, &b->mode_switch);
	for (c = 0; c < NR_REPORTED_PARTS; c++)
		read_part(parts, reported_parts[c].name, &b->known[reported_parts[c].comp],
			  &b->comp[reported_parts[c].comp]);
	read_part(parts, "unattributed", &b->has_unattributed, &b->unattributed);
	v->switches = jv_get_u64(jr, "offcpu_switches", 0);
	b->switches_per_call = b->count ? (double)v->switches / b->count : 0;
	for (i = 0; hist && hist->type == JV_ARRAY && i < hist->n; i++) {
		int s = slot_of_bound(jv_get_u64(&hist->items[i], "le_ns", 0));

		if (s < 0) {
			snprintf(err, errlen, "a histogram bucket that is not one of mymemtrace's");
			return -1;
		}
		v->hist[s] += jv_get_u64(&hist->items[i], "count", 0);
	}
	return 0;
}

static void read_problems(const struct jv *unavailable, struct run *view)
{
	size_t i;

	for (i = 0; unavailable && unavailable->type == JV_OBJECT && i < unavailable->n &&
		    view->n_problems < 32; i++) {
		const struct jv *u = &unavailable->items[i];
		struct view_problem *p = &view->problems[view->n_problems++];

		snprintf(p->func, sizeof(p->func), "%s", u->key);
		snprintf(p->why, sizeof(p->why), "%s", jv_get_string(u, "why", "?"));
		snprintf(p->missing, sizeof(p->missing), "%s", jv_get_string(u, "missing", "?"));
	}
}

static int view_from_json(const struct jv *doc, struct run *view, char *err, size_t errlen)
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
	snprintf(view->kernel, sizeof(view->kernel), "%s", jv_get_string(doc, "kernel", "?"));
	view->duration_ns = jv_get_u64(doc, "duration_ns", 0);
	view->cal.valid = jv_get_bool(cal, "valid", false);
	view->cal.calls = jv_get_u64(cal, "calls", 0);
	view->cal.user_ns = jv_get_u64(cal, "user_ns", 0);
	view->cal.kernel_ns = jv_get_u64(cal, "kernel_ns", 0);
	view->cal.mode_switch_ns = jv_get_u64(cal, "mode_switch_ns", 0);
	view->cal.self_valid = jv_get_bool(self, "valid", false);
	view->cal.self_calls = jv_get_u64(self, "calls", 0);
	view->cal.self_untraced_ns = jv_get_u64(self, "untraced_ns", 0);
	view->cal.self_traced_ns = jv_get_u64(self, "traced_ns", 0);
	view->cal.self_ns = jv_get_u64(self, "ns_per_call", 0);
	view->events_dropped = jv_get_u64(drops, "events", 0);
	view->agg_failed = jv_get_u64(drops, "aggregate", 0);
	view->calls_lost = jv_get_u64(drops, "calls_lost", 0);
	read_problems(jv_get(doc, "unavailable"), view);

	view->rows = calloc(rows->n ? rows->n : 1, sizeof(*view->rows));
	if (!view->rows) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < rows->n; i++) {
		char why[160];

		if (read_row(&rows->items[i], &view->rows[i], why, sizeof(why))) {
			snprintf(err, errlen, "row %zu: %s", i + 1, why);
			return -1;
		}
	}
	view->n = rows->n;
	return 0;
}

int run_read_json(const char *path, struct run *view, char *err, size_t errlen)
{
	char why[200];
	struct jv *doc;
	int ret;

	memset(view, 0, sizeof(*view));
	doc = jv_parse_file(path, err, errlen);
	if (!doc)
		return -1;
	ret = view_from_json(doc, view, why, sizeof(why));
	if (ret) {
		snprintf(err, errlen, "%s: %s", path, why);
		run_free(view);
	}
	jv_free(doc);
	return ret;
}
