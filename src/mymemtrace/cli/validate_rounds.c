// SPDX-License-Identifier: GPL-2.0
/*
 * One round of mymemtrace validate. mymem-bench runs untraced, and its own
 * per-call medians are one side. Then it runs under this mymemtrace, and
 * the medians of the tracer's per-call records (--events, compensated
 * unless --raw) are the other side. On the syscall path the mode switch is
 * added to them, because user space pays for it too.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "command.h"
#include "json_parse.h"
#include "stats.h"
#include "cli/validate_rounds.h"

const struct validate_path validate_paths[VALIDATE_NR_PATHS] = {
	[VALIDATE_SYSCALL]	= { "syscall", MT_PATH_SYSCALL },
	[VALIDATE_KERNEL]	= { "kernel", MT_PATH_KERNEL },
};

/* The scratch files of a round, in validate_opts.dir. */
enum scratch { SCRATCH_BENCH_OUT, SCRATCH_EVENTS, SCRATCH_RUN_JSON, SCRATCH_REPORT, NR_SCRATCH };

static const char *const scratch_name[NR_SCRATCH] = {
	[SCRATCH_BENCH_OUT]	= "bench.json",		/* mymem-bench --json, untraced */
	[SCRATCH_EVENTS]	= "events.jsonl",	/* the tracer's --events */
	[SCRATCH_RUN_JSON]	= "run.json",		/* the tracer's --json */
	[SCRATCH_REPORT]	= "report.txt",		/* the tracer's -o, unread */
};

struct scratch_paths {
	char path[NR_SCRATCH][128];
};

static void scratch_paths(const struct validate_opts *o, struct scratch_paths *s)
{
	int i;

	for (i = 0; i < NR_SCRATCH; i++)
		snprintf(s->path[i], sizeof(s->path[i]), "%s/%s", o->dir, scratch_name[i]);
}

void validate_remove_scratch(const struct validate_opts *o)
{
	struct scratch_paths s;
	int i;

	scratch_paths(o, &s);
	for (i = 0; i < NR_SCRATCH; i++)
		unlink(s.path[i]);
	rmdir(o->dir);
}

static int size_index(const struct validate_opts *o, uint64_t size)
{
	int i;

	for (i = 0; i < o->n_sizes; i++)
		if (o->sizes[i] == size)
			return i;
	return -1;
}

static int op_index(const char *name)
{
	return !name ? -1 : !strcmp(name, "read") ? MT_OP_READ :
	       !strcmp(name, "write") ? MT_OP_WRITE : -1;
}

static void add_median(uint64_t *medians, unsigned int *n, uint64_t median)
{
	if (*n < VALIDATE_MAX_ROUNDS)
		medians[(*n)++] = median;
}

/* mymem-bench's JSON: each row's median, untraced. */
static int read_untraced(const struct validate_opts *o, struct validate_figures *f, int p,
			 const char *path)
{
	const struct jv *rows;
	char err[200];
	struct jv *doc;
	size_t i;

	doc = jv_parse_file(path, err, sizeof(err));
	if (!doc) {
		fprintf(stderr, "mymemtrace validate: mymem-bench's output: %s\n", err);
		return -1;
	}
	rows = jv_get(doc, "rows");
	for (i = 0; rows && rows->type == JV_ARRAY && i < rows->n; i++) {
		const struct jv *r = &rows->items[i];
		int op = op_index(jv_get_string(r, "op", NULL));
		int s = size_index(o, jv_get_u64(r, "size", 0));
		struct round_medians *m;

		if (op < 0 || s < 0)
			continue;
		m = &f->calls[p][op][s];
		add_median(m->untraced, &m->n_untraced, jv_get_u64(r, "p50_ns", 0));
	}
	jv_free(doc);
	return 0;
}

/* The race's per-call medians (mymem-bench --call-times), untraced. */
static int read_untraced_race(struct validate_figures *f, const char *path)
{
	const struct jv *calls;
	char err[200];
	struct jv *doc;
	int op;

	doc = jv_parse_file(path, err, sizeof(err));
	if (!doc) {
		fprintf(stderr, "mymemtrace validate: mymem-bench's output: %s\n", err);
		return -1;
	}
	calls = jv_get(doc, "call_ns");
	for (op = MT_OP_READ; op <= MT_OP_WRITE; op++) {
		uint64_t p50 = jv_get_u64(jv_get(calls, op_name(op)), "p50", 0);

		if (p50)
			add_median(f->race[op].untraced, &f->race[op].n_untraced, p50);
	}
	jv_free(doc);
	return 0;
}

/* One key's calls, as the tracer recorded them. */
struct samples {
	uint64_t *v;
	size_t n, cap;
};

/* A traced run's calls, by key: the path's (op, size), or the race's op. */
struct traced_samples {
	struct samples calls[MT_NR_OPS][VALIDATE_MAX_SIZES];
	struct samples race[MT_NR_OPS];
};

static int add_sample(struct samples *s, uint64_t v)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 256;
		uint64_t *nv = realloc(s->v, cap * sizeof(*nv));

		if (!nv) {
			fprintf(stderr, "mymemtrace validate: out of memory\n");
			return -1;
		}
		s->v = nv;
		s->cap = cap;
	}
	s->v[s->n++] = v;
	return 0;
}

static void free_traced_samples(struct traced_samples *samples)
{
	int op, s;

	for (op = 0; op < MT_NR_OPS; op++) {
		free(samples->race[op].v);
		for (s = 0; s < VALIDATE_MAX_SIZES; s++)
			free(samples->calls[op][s].v);
	}
}

/* One --events record into its key's samples; records of other keys are left out. */
static int add_record(const struct validate_opts *o, struct traced_samples *samples, int p, bool race,
		      const struct jv *e)
{
	int op = op_index(jv_get_string(e, "op", NULL));
	uint64_t size = jv_get_u64(e, "size", 0);
	const char *path = jv_get_string(e, "path", "");
	int s = size_index(o, size);

	if (op < 0)
		return 0;
	if (race && size == VALIDATE_RACE_SIZE && !strcmp(path, path_name(MT_PATH_KERNEL)))
		return add_sample(&samples->race[op], jv_get_u64(e, "total_ns", 0));
	if (!race && s >= 0 && !strcmp(path, path_name(validate_paths[p].path)))
		return add_sample(&samples->calls[op][s], jv_get_u64(e, "total_ns", 0));
	return 0;
}

static int read_events(const struct validate_opts *o, struct traced_samples *samples, int p, bool race,
		       const char *events)
{
	char line[1024], err[200];
	int ret = 0;
	FILE *file;

	file = fopen(events, "r");
	if (!file) {
		fprintf(stderr, "mymemtrace validate: %s: %s\n", events, strerror(errno));
		return -1;
	}
	while (!ret && fgets(line, sizeof(line), file)) {
		struct jv *e = jv_parse(line, err, sizeof(err));

		if (!e) {
			fprintf(stderr, "mymemtrace validate: %s: %s\n", events, err);
			ret = -1;
			break;
		}
		ret = add_record(o, samples, p, race, e);
		jv_free(e);
	}
	fclose(file);
	return ret;
}

/* The tracer's --json, read whole; on the syscall path, the mode switch it calibrated. */
static int read_mode_switch(int p, const char *run_json, uint64_t *mode_switch)
{
	const struct jv *cal;
	char err[200];
	struct jv *doc;
	int ret = 0;

	*mode_switch = 0;
	doc = jv_parse_file(run_json, err, sizeof(err));
	if (!doc) {
		fprintf(stderr, "mymemtrace validate: the tracer's --json: %s\n", err);
		return -1;
	}
	cal = jv_get(doc, "calibration");
	if (validate_paths[p].path == MT_PATH_SYSCALL) {
		if (!jv_get_bool(cal, "valid", false)) {
			fprintf(stderr, "mymemtrace validate: the tracer could not calibrate the mode switch\n");
			ret = -1;
		}
		*mode_switch = jv_get_u64(cal, "mode_switch_ns", 0);
	}
	jv_free(doc);
	return ret;
}

/* The tracer's records of one run: each key's median, plus the mode switch. */
static int read_traced(const struct validate_opts *o, struct validate_figures *f, int p, bool race,
		       const struct scratch_paths *s)
{
	struct traced_samples samples = { 0 };
	uint64_t mode_switch;
	int op, i, ret;

	ret = read_mode_switch(p, s->path[SCRATCH_RUN_JSON], &mode_switch);
	if (!ret)
		ret = read_events(o, &samples, p, race, s->path[SCRATCH_EVENTS]);
	for (op = 0; !ret && op < MT_NR_OPS; op++) {
		struct round_medians *m = &f->race[op];

		if (samples.race[op].n)
			add_median(m->traced, &m->n_traced, stats_median(samples.race[op].v, samples.race[op].n));
		for (i = 0; i < o->n_sizes; i++) {
			struct samples *c = &samples.calls[op][i];

			m = &f->calls[p][op][i];
			if (c->n)
				add_median(m->traced, &m->n_traced,
					   stats_median(c->v, c->n) + mode_switch);
		}
	}
	free_traced_samples(&samples);
	return ret;
}

/* @bench untraced, then under this mymemtrace: both sides' medians into @f. */
static int compare_run(const struct validate_opts *o, struct validate_figures *f, char **bench, int p,
		       bool race)
{
	struct scratch_paths s;
	char *traced[32];
	int n = 0, i, status, held_err;

	scratch_paths(o, &s);
	status = run_command(bench, s.path[SCRATCH_BENCH_OUT], -1);
	if (status) {
		fprintf(stderr, "mymemtrace validate: %s --mode %s%s exited %d\n", o->bench,
			validate_paths[p].bench_mode, race ? " --race" : "", status);
		return -1;
	}
	if (race ? read_untraced_race(f, s.path[SCRATCH_BENCH_OUT]) :
		   read_untraced(o, f, p, s.path[SCRATCH_BENCH_OUT]))
		return -1;

	traced[n++] = (char *)o->self;
	traced[n++] = "--events";
	traced[n++] = s.path[SCRATCH_EVENTS];
	traced[n++] = "--json";
	traced[n++] = s.path[SCRATCH_RUN_JSON];
	traced[n++] = "-o";
	traced[n++] = s.path[SCRATCH_REPORT];
	if (o->raw)
		traced[n++] = "--raw";
	traced[n++] = "--";
	for (i = 0; bench[i]; i++)
		traced[n++] = bench[i];
	traced[n] = NULL;
	/* The tracer's own messages are held, and shown only if it fails. */
	held_err = hold_output();
	status = run_command(traced, NULL, held_err);
	if (status) {
		fprintf(stderr, "mymemtrace validate: the traced run (--mode %s) exited %d:\n",
			validate_paths[p].bench_mode, status);
		show_held_output(held_err, STDERR_FILENO);
	}
	if (held_err >= 0)
		close(held_err);
	return status ? -1 : read_traced(o, f, p, race, &s);
}

int validate_path_round(const struct validate_opts *o, struct validate_figures *f, int p)
{
	char calls[16], sizes[VALIDATE_MAX_SIZES * 8];
	char *bench[] = { (char *)o->bench, "--mode", (char *)validate_paths[p].bench_mode,
			  "-n", calls, "--sizes", sizes, "--json", NULL };
	int i, len = 0;

	snprintf(calls, sizeof(calls), "%u", o->calls);
	for (i = 0; i < o->n_sizes; i++)
		len += snprintf(sizes + len, sizeof(sizes) - len, "%s%" PRIu64, i ? "," : "",
				o->sizes[i]);
	return compare_run(o, f, bench, p, false);
}

int validate_race_round(const struct validate_opts *o, struct validate_figures *f)
{
	char workers[16], iterations[24];
	char *bench[] = { (char *)o->bench, "--mode", (char *)validate_paths[VALIDATE_KERNEL].bench_mode,
			  "--race", workers, iterations, "--lock", "none", "--trials", "1",
			  "--call-times", "--json", NULL };

	snprintf(workers, sizeof(workers), "%u", o->race_workers);
	snprintf(iterations, sizeof(iterations), "%u", o->race_iterations);
	return compare_run(o, f, bench, VALIDATE_KERNEL, true);
}
