// SPDX-License-Identifier: GPL-2.0
/*
 * The figures compared are medians, per call: mymem-bench's own (each call
 * timed as it is, no tracer) against the tracer's, from its per-call
 * records (--events, compensated unless --raw) plus, on the syscall path,
 * its mode switch: what user space pays. Each round runs the untraced
 * benchmark and then the traced one; the error is the median over rounds of
 * each round's traced figure against its untraced one, so that neither one
 * disturbed round nor a drift between rounds decides. The kernel race's
 * calls are compared the same way (mymem-bench --call-times).
 */
#include <argp.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "model/names.h"
#include "cli/env.h"
#include "json_parse.h"
#include "parse.h"
#include "stats.h"
#include "cli/validate.h"

#define MAX_SIZES	16
#define MAX_ROUNDS	15
#define NR_MODES	2	/* the syscall path, the kernel path */

static const char *const mode_arg[NR_MODES] = { "syscall", "kernel" };
static const uint32_t mode_path[NR_MODES] = { MT_PATH_SYSCALL, MT_PATH_KERNEL };

struct vopts {
	uint64_t sizes[MAX_SIZES];
	int n_sizes;
	unsigned int calls, rounds;
	double threshold;	/* % */
	bool raw;
	unsigned int race_workers, race_iterations;	/* 0: no race */
	const char *bench;
	char self[PATH_MAX];	/* this mymemtrace */
	char dir[64];		/* scratch files */
};

/* One (path, op, size): its per-round medians, untraced and traced. */
struct vcell {
	uint64_t untraced[MAX_ROUNDS], traced[MAX_ROUNDS];
	unsigned int nu, nt;
};

static struct vcell cells[NR_MODES][MT_NR_OPS][MAX_SIZES];
/* The kernel race's 8-byte reads and writes. */
static struct vcell race_cells[MT_NR_OPS];

enum { OPT_V_SIZES = 0x300, OPT_V_ROUNDS, OPT_V_THRESHOLD, OPT_V_BENCH, OPT_V_RAW,
       OPT_V_RACE, OPT_V_NO_RACE };

static const struct argp_option voptions[] = {
	{ "sizes", OPT_V_SIZES, "LIST", 0, "Request sizes (default 1,64,4096,524288)", 0 },
	{ "calls", 'n', "N", 0, "Calls per op and size in each run (default 200)", 0 },
	{ "rounds", OPT_V_ROUNDS, "N", 0, "Untraced/traced rounds, interleaved (default 3)", 0 },
	{ "threshold", OPT_V_THRESHOLD, "PCT", 0, "Largest error allowed, in % (default 10)", 0 },
	{ "raw", OPT_V_RAW, NULL, 0, "Validate the uncompensated figures (mymemtrace --raw)", 0 },
	{ "race", OPT_V_RACE, "W,N", 0,
	  "The kernel race: W threads x N unlocked increments (default 8,200)", 0 },
	{ "no-race", OPT_V_NO_RACE, NULL, 0, "Leave the kernel race out", 0 },
	{ "bench", OPT_V_BENCH, "PATH", 0, "mymem-bench (default: beside this mymemtrace)", 0 },
	{ 0 }
};

static error_t parse_vopt(int key, char *arg, struct argp_state *state)
{
	struct vopts *o = state->input;
	char *end, *tok, *save = NULL;
	uint64_t v;

	switch (key) {
	case OPT_V_SIZES:
		o->n_sizes = 0;
		for (tok = strtok_r(arg, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			errno = 0;
			v = strtoull(tok, &end, 0);
			if (errno || end == tok || *end || !v || v > 524288 || o->n_sizes == MAX_SIZES)
				argp_error(state, "--sizes: up to %d sizes, each 1..524288", MAX_SIZES);
			o->sizes[o->n_sizes++] = v;
		}
		if (!o->n_sizes)
			argp_error(state, "--sizes: at least one size");
		break;
	case 'n':
		errno = 0;
		v = strtoull(arg, &end, 0);
		if (errno || end == arg || *end || v < 10 || v > 100000)
			argp_error(state, "-n: 10..100000 calls");
		o->calls = v;
		break;
	case OPT_V_ROUNDS:
		errno = 0;
		v = strtoull(arg, &end, 0);
		if (errno || end == arg || *end || !v || v > MAX_ROUNDS)
			argp_error(state, "--rounds: 1..%d", MAX_ROUNDS);
		o->rounds = v;
		break;
	case OPT_V_THRESHOLD:
		errno = 0;
		o->threshold = strtod(arg, &end);
		if (errno || end == arg || *end || !(o->threshold > 0) || o->threshold > 1000)
			argp_error(state, "--threshold: a percentage above 0");
		break;
	case OPT_V_RAW:
		o->raw = true;
		break;
	case OPT_V_RACE:
		if (sscanf(arg, "%u,%u%c", &o->race_workers, &o->race_iterations, (char[1]){ 0 }) != 2 ||
		    !o->race_workers || o->race_workers > 1024 || !o->race_iterations ||
		    (uint64_t)o->race_workers * o->race_iterations > (1u << 20))
			argp_error(state, "--race: W,N with 1..1024 threads and W x N up to %u", 1u << 20);
		break;
	case OPT_V_NO_RACE:
		o->race_workers = o->race_iterations = 0;
		break;
	case OPT_V_BENCH:
		o->bench = arg;
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/*
 * Runs @argv with its stdout into @out_path and its stderr into @err_path
 * (NULL: /dev/null and ours). Its exit status, or -1.
 */
static int run(char *const argv[], const char *out_path, const char *err_path)
{
	int status, fd;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		fd = open(out_path ? out_path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
			_exit(127);
		fd = err_path ? open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600) : STDERR_FILENO;
		if (fd < 0 || dup2(fd, STDERR_FILENO) < 0)
			_exit(127);
		execv(argv[0], argv);
		fprintf(stderr, "mymemtrace validate: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int size_index(const struct vopts *o, uint64_t size)
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

/* mymem-bench's JSON: each row's median into the untraced cells. */
static int read_untraced(const struct vopts *o, int mode, const char *path)
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
		struct vcell *c;

		if (op < 0 || s < 0)
			continue;
		c = &cells[mode][op][s];
		c->untraced[c->nu++] = jv_get_u64(r, "p50_ns", 0);
	}
	jv_free(doc);
	return 0;
}

struct samples {
	uint64_t *v;
	size_t n, cap;
};

static int push(struct samples *s, uint64_t v)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 256;
		uint64_t *nv = realloc(s->v, cap * sizeof(*nv));

		if (!nv)
			return -1;
		s->v = nv;
		s->cap = cap;
	}
	s->v[s->n++] = v;
	return 0;
}

/*
 * The tracer's records of one run: each key's median, plus the mode switch.
 * @race: the run was the kernel race, whose 8-byte calls go to race_cells.
 */
static int read_traced(const struct vopts *o, int mode, bool race, const char *events,
		       const char *run_json)
{
	static struct samples race_per[MT_NR_OPS];
	static struct samples per[MT_NR_OPS][MAX_SIZES];
	uint64_t mode_switch = 0;
	char line[1024], err[200];
	struct jv *doc;
	int op, s, ret = 0;
	FILE *f;

	doc = jv_parse_file(run_json, err, sizeof(err));
	if (!doc) {
		fprintf(stderr, "mymemtrace validate: the tracer's --json: %s\n", err);
		return -1;
	}
	if (mode_path[mode] == MT_PATH_SYSCALL) {
		const struct jv *cal = jv_get(doc, "calibration");

		if (!jv_get_bool(cal, "valid", false)) {
			fprintf(stderr, "mymemtrace validate: the tracer could not calibrate the mode switch\n");
			ret = -1;
		}
		mode_switch = jv_get_u64(cal, "mode_switch_ns", 0);
	}
	jv_free(doc);
	f = fopen(events, "r");
	if (!f) {
		fprintf(stderr, "mymemtrace validate: %s: %s\n", events, strerror(errno));
		return -1;
	}
	while (!ret && fgets(line, sizeof(line), f)) {
		struct jv *e = jv_parse(line, err, sizeof(err));

		if (!e) {
			fprintf(stderr, "mymemtrace validate: %s: %s\n", events, err);
			ret = -1;
			break;
		}
		op = op_index(jv_get_string(e, "op", NULL));
		s = size_index(o, jv_get_u64(e, "size", 0));
		if (race && op >= 0 && jv_get_u64(e, "size", 0) == 8 &&
		    !strcmp(jv_get_string(e, "path", ""), "kernel"))
			ret = push(&race_per[op], jv_get_u64(e, "total_ns", 0));
		else if (!race && op >= 0 && s >= 0 &&
			 !strcmp(jv_get_string(e, "path", ""), path_name(mode_path[mode])))
			ret = push(&per[op][s], jv_get_u64(e, "total_ns", 0));
		jv_free(e);
	}
	fclose(f);
	for (op = 0; op < MT_NR_OPS; op++) {
		struct samples *p = &race_per[op];

		if (!ret && p->n)
			race_cells[op].traced[race_cells[op].nt++] = stats_median(p->v, p->n);
		p->n = 0;
	}
	for (op = 0; op < MT_NR_OPS; op++) {
		for (s = 0; s < o->n_sizes; s++) {
			struct samples *p = &per[op][s];
			struct vcell *c = &cells[mode][op][s];

			if (!ret && p->n)
				c->traced[c->nt++] = stats_median(p->v, p->n) + mode_switch;
			p->n = 0;
		}
	}
	return ret;
}

static void show_file(const char *path)
{
	char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	while (f && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, stderr);
	if (f)
		fclose(f);
}

/* The race's per-call medians (mymem-bench --call-times) into race_cells. */
static int read_untraced_race(const char *path)
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
			race_cells[op].untraced[race_cells[op].nu++] = p50;
	}
	jv_free(doc);
	return 0;
}

/* @bench untraced, then under the tracer: the figures of both into the cells. */
static int compare_run(const struct vopts *o, char *const bench[], int mode, bool race)
{
	char bench_out[128], events[128], run_json[128], report[128], tracer_err[128];
	char *traced[32];
	int n = 0, i, status;

	snprintf(bench_out, sizeof(bench_out), "%s/bench.json", o->dir);
	snprintf(events, sizeof(events), "%s/events.jsonl", o->dir);
	snprintf(run_json, sizeof(run_json), "%s/run.json", o->dir);
	snprintf(report, sizeof(report), "%s/report.txt", o->dir);
	snprintf(tracer_err, sizeof(tracer_err), "%s/tracer.err", o->dir);

	status = run(bench, bench_out, NULL);
	if (status) {
		fprintf(stderr, "mymemtrace validate: %s --mode %s%s exited %d\n", o->bench,
			mode_arg[mode], race ? " --race" : "", status);
		return -1;
	}
	if (race ? read_untraced_race(bench_out) : read_untraced(o, mode, bench_out))
		return -1;

	traced[n++] = (char *)o->self;
	traced[n++] = "--events";
	traced[n++] = events;
	traced[n++] = "--json";
	traced[n++] = run_json;
	traced[n++] = "-o";
	traced[n++] = report;
	if (o->raw)
		traced[n++] = "--raw";
	traced[n++] = "--";
	for (i = 0; bench[i]; i++)
		traced[n++] = bench[i];
	traced[n] = NULL;
	/* The tracer's own messages are shown only if it fails. */
	status = run(traced, NULL, tracer_err);
	if (status) {
		fprintf(stderr, "mymemtrace validate: the traced run (--mode %s) exited %d:\n",
			mode_arg[mode], status);
		show_file(tracer_err);
		return -1;
	}
	return read_traced(o, mode, race, events, run_json);
}

static int one_round(const struct vopts *o, int mode, const char *sizes)
{
	char calls[16];
	char *bench[] = { (char *)o->bench, "--mode", (char *)mode_arg[mode], "-n", calls,
			  "--sizes", (char *)sizes, "--json", NULL };

	snprintf(calls, sizeof(calls), "%u", o->calls);
	return compare_run(o, bench, mode, false);
}

/* The kernel race, unlocked: its 8-byte reads and writes, timed each. */
static int race_round(const struct vopts *o)
{
	char workers[16], iterations[24];
	char *bench[] = { (char *)o->bench, "--mode", "kernel", "--race", workers, iterations,
			  "--lock", "none", "--trials", "1", "--call-times", "--json", NULL };

	snprintf(workers, sizeof(workers), "%u", o->race_workers);
	snprintf(iterations, sizeof(iterations), "%u", o->race_iterations);
	return compare_run(o, bench, 1, true);
}

static uint64_t median_of(const uint64_t *v, unsigned int n)
{
	uint64_t copy[MAX_ROUNDS];

	memcpy(copy, v, n * sizeof(*v));
	return stats_median(copy, n);
}

static double error_pct(double traced, double untraced)
{
	return untraced > 0 ? 100.0 * (traced - untraced) / untraced : NAN;
}

/* (max - min) / median of the rounds, in %: how much they moved. */
static double spread_pct(const uint64_t *v, unsigned int n)
{
	uint64_t lo = v[0], hi = v[0], mid = median_of(v, n);
	unsigned int i;

	for (i = 1; i < n; i++) {
		lo = v[i] < lo ? v[i] : lo;
		hi = v[i] > hi ? v[i] : hi;
	}
	return mid ? 100.0 * (hi - lo) / mid : 0;
}

/*
 * The error: the median over rounds of each round's traced figure against
 * the untraced one run just before it, so that a drift of the machine
 * between rounds (tens of percent under emulation) hits both sides alike.
 */
static double paired_error(const struct vcell *c)
{
	unsigned int i, n = c->nu < c->nt ? c->nu : c->nt;
	double e[MAX_ROUNDS], t;
	unsigned int j;

	for (i = 0; i < n; i++) {
		e[i] = error_pct(c->traced[i], c->untraced[i]);
		for (j = i; j > 0 && e[j - 1] > e[j]; j--) {
			t = e[j];
			e[j] = e[j - 1];
			e[j - 1] = t;
		}
	}
	return n % 2 ? e[n / 2] : (e[n / 2 - 1] + e[n / 2]) / 2;
}

/* The same for the user/kernel ratio: each round's traced ratio against its untraced one. */
static double paired_ratio_error(const struct vcell *u, const struct vcell *k)
{
	struct vcell ratio = { .nu = u->nu, .nt = u->nt };
	unsigned int i;

	/* In thousandths: vcell holds integers. */
	for (i = 0; i < u->nu && i < k->nu; i++)
		ratio.untraced[i] = k->untraced[i] ? 1000 * u->untraced[i] / k->untraced[i] : 0;
	for (i = 0; i < u->nt && i < k->nt; i++)
		ratio.traced[i] = k->traced[i] ? 1000 * u->traced[i] / k->traced[i] : 0;
	return paired_error(&ratio);
}

/* One row: untraced, traced, the error, and each side's spread over the rounds. */
static bool print_cell(const char *path, const char *op, const char *size, const struct vcell *c,
		       double *worst)
{
	double e;

	if (!c->nu || !c->nt) {
		printf("%-7s %-5s %8s %10s %10s %8s\n", path, op, size, c->nu ? "" : "-",
		       c->nt ? "" : "-", "missing");
		return false;
	}
	e = paired_error(c);
	printf("%-7s %-5s %8s %10" PRIu64 " %10" PRIu64 " %+7.1f%% %6.1f%%/%.1f%%\n", path, op, size,
	       median_of(c->untraced, c->nu), median_of(c->traced, c->nt), e,
	       spread_pct(c->untraced, c->nu), spread_pct(c->traced, c->nt));
	if (fabs(e) > *worst)
		*worst = fabs(e);
	return true;
}

/* Prints the tables; returns the worst |error| in %, or -1 when a figure is missing. */
static double print_tables(const struct vopts *o)
{
	double worst = 0, e;
	bool missing = false;
	char size[24];
	int m, op, s;

	printf("%-7s %-5s %8s %10s %10s %8s %s\n", "path", "op", "size", "untraced", "traced",
	       "error", "spread (untraced/traced)");
	for (m = 0; m < NR_MODES; m++) {
		for (op = 0; op < MT_OP_FAULT; op++) {
			for (s = 0; s < o->n_sizes; s++) {
				snprintf(size, sizeof(size), "%" PRIu64, o->sizes[s]);
				missing |= !print_cell(path_name(mode_path[m]), op_name(op), size,
						       &cells[m][op][s], &worst);
			}
		}
	}
	for (op = 0; o->race_workers && op <= MT_OP_WRITE; op++)
		missing |= !print_cell("race", op_name(op), "8", &race_cells[op], &worst);
	printf("\n%-13s %8s %10s %10s %8s\n", "user/kernel", "size", "untraced", "traced", "error");
	for (op = 0; op < MT_OP_FAULT; op++) {
		for (s = 0; s < o->n_sizes; s++) {
			const struct vcell *u = &cells[0][op][s], *k = &cells[1][op][s];
			double ru, rt;

			if (!u->nu || !u->nt || !k->nu || !k->nt)
				continue;
			ru = (double)median_of(u->untraced, u->nu) / median_of(k->untraced, k->nu);
			rt = (double)median_of(u->traced, u->nt) / median_of(k->traced, k->nt);
			e = paired_ratio_error(u, k);
			printf("%-13s %8" PRIu64 " %9.2fx %9.2fx %+7.1f%%\n", op_name(op), o->sizes[s],
			       ru, rt, e);
			if (fabs(e) > worst)
				worst = fabs(e);
		}
	}
	return missing ? -1 : worst;
}

static void cleanup_dir(const struct vopts *o)
{
	static const char *const files[] = { "bench.json", "events.jsonl", "run.json", "report.txt",
					       "tracer.err" };
	char path[128];
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", o->dir, files[i]);
		unlink(path);
	}
	rmdir(o->dir);
}

int validate_main(int argc, char **argv)
{
	static const struct argp argp = {
		.options = voptions, .parser = parse_vopt,
		.doc = "mymemtrace validate: mymem-bench's shapes untraced and traced, interleaved; "
		"the traced answer beside the untraced one per (path, op, size), and the error.\v"
		"Exit status: 0 all within the threshold, 1 an error above it (or a run failed), "
		"2 bad usage, 3 cannot trace here.",
	};
	struct vopts o = {
		.sizes = { 1, 64, 4096, 524288 }, .n_sizes = 4,
		.calls = 200, .rounds = 3, .threshold = 10,
		.race_workers = 8, .race_iterations = 200,
	};
	char sizes[MAX_SIZES * 8], bench[PATH_MAX + 16], *slash;
	unsigned int r;
	int m, i, len = 0, ret = MT_EXIT_FAILED;
	double worst;
	ssize_t n;

	char name[] = "mymemtrace validate";

	/* argp names the program after argv[0]. */
	argv[0] = name;
	argp_err_exit_status = MT_EXIT_USAGE;
	argp_parse(&argp, argc, argv, 0, NULL, &o);
	if (geteuid()) {
		fprintf(stderr, "mymemtrace validate: needs root (it runs the tracer)\n");
		return MT_EXIT_CANNOT_TRACE;
	}
	n = readlink("/proc/self/exe", o.self, sizeof(o.self) - 1);
	if (n <= 0) {
		fprintf(stderr, "mymemtrace validate: cannot find its own executable\n");
		return MT_EXIT_FAILED;
	}
	o.self[n] = '\0';
	if (!o.bench) {
		snprintf(bench, sizeof(bench), "%s", o.self);
		slash = strrchr(bench, '/');
		snprintf(slash ? slash + 1 : bench, sizeof(bench) - (slash ? slash + 1 - bench : 0),
			 "mymem-bench");
		o.bench = bench;
	}
	if (access(o.bench, X_OK)) {
		fprintf(stderr, "mymemtrace validate: %s: %s (--bench PATH)\n", o.bench, strerror(errno));
		return MT_EXIT_USAGE;
	}
	for (i = 0; i < o.n_sizes; i++)
		len += snprintf(sizes + len, sizeof(sizes) - len, "%s%" PRIu64, i ? "," : "", o.sizes[i]);
	snprintf(o.dir, sizeof(o.dir), "/tmp/mymemtrace-validate.XXXXXX");
	if (!mkdtemp(o.dir)) {
		fprintf(stderr, "mymemtrace validate: cannot make a scratch directory: %s\n", strerror(errno));
		return MT_EXIT_FAILED;
	}

	printf("mymemtrace validate: %u rounds of %u calls per op and size, untraced and traced (%s) in turn; medians in ns, "
	       "syscall = what user space pays (the window plus the mode switch)",
	       o.rounds, o.calls, o.raw ? "--raw" : "compensated");
	if (o.race_workers)
		printf("; race = the kernel path's calls in an unlocked race of %u threads x %u",
		       o.race_workers, o.race_iterations);
	printf("\n");
	for (r = 0; r < o.rounds; r++) {
		for (m = 0; m < NR_MODES; m++)
			if (one_round(&o, m, sizes))
				goto out;
		if (o.race_workers && race_round(&o))
			goto out;
	}
	worst = print_tables(&o);
	if (worst < 0) {
		printf("\nsome figures are missing: not validated\n");
	} else if (worst > o.threshold) {
		printf("\nworst error %.1f%%: above the %.1f%% threshold\n", worst, o.threshold);
	} else {
		printf("\nworst error %.1f%%: within the %.1f%% threshold\n", worst, o.threshold);
		ret = 0;
	}
out:
	cleanup_dir(&o);
	return ret;
}
