// SPDX-License-Identifier: GPL-2.0
/*
 * mymemtrace validate: its command line and its steps. The figures compared
 * are medians, per call: mymem-bench's own (each call timed as it is, no
 * tracer) against the tracer's (validate_rounds.c). Each round runs the
 * untraced benchmark and then the traced one; the error is the median over
 * rounds of each round's traced figure against its untraced one, so that
 * neither one disturbed round nor a drift between rounds decides
 * (validate_table.c). The kernel race's calls are compared the same way
 * (mymem-bench --call-times).
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse.h"
#include "cli/env.h"
#include "cli/validate.h"
#include "cli/validate_rounds.h"
#include "cli/validate_table.h"

/* The kernel race's threads and the product W x N at most. */
#define MAX_RACE_WORKERS	1024
#define MAX_RACE_CALLS		(1u << 20)

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

/* --race W,N: two numbers, the threads and each one's increments. */
static int parse_race(const char *arg, struct validate_opts *o)
{
	uint64_t wn[2];

	if (parse_u64_list(arg, 1, MAX_RACE_CALLS, wn, 2) != 2 || wn[0] > MAX_RACE_WORKERS ||
	    wn[0] * wn[1] > MAX_RACE_CALLS)
		return -1;
	o->race_workers = wn[0];
	o->race_iterations = wn[1];
	return 0;
}

static error_t parse_vopt(int key, char *arg, struct argp_state *state)
{
	struct validate_opts *o = state->input;
	uint64_t v;
	int n;

	switch (key) {
	case OPT_V_SIZES:
		n = parse_u64_list(arg, 1, VALIDATE_MAX_SIZE, o->sizes, VALIDATE_MAX_SIZES);
		if (n < 0)
			argp_error(state, "--sizes: up to %d sizes, each 1..%d", VALIDATE_MAX_SIZES,
				   VALIDATE_MAX_SIZE);
		if (!n)
			argp_error(state, "--sizes: at least one size");
		o->n_sizes = n;
		break;
	case 'n':
		if (parse_u64(arg, 10, 100000, &v))
			argp_error(state, "-n: 10..100000 calls");
		o->calls = v;
		break;
	case OPT_V_ROUNDS:
		if (parse_u64(arg, 1, VALIDATE_MAX_ROUNDS, &v))
			argp_error(state, "--rounds: 1..%d", VALIDATE_MAX_ROUNDS);
		o->rounds = v;
		break;
	case OPT_V_THRESHOLD:
		if (parse_double(arg, 0, 1000, &o->threshold) || !(o->threshold > 0))
			argp_error(state, "--threshold: a percentage above 0");
		break;
	case OPT_V_RAW:
		o->raw = true;
		break;
	case OPT_V_RACE:
		if (parse_race(arg, o))
			argp_error(state, "--race: W,N with 1..%d threads and W x N up to %u",
				   MAX_RACE_WORKERS, MAX_RACE_CALLS);
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
 * This mymemtrace, and mymem-bench (beside it, or in ../bin as make install
 * puts it, unless --bench said) into
 * @bench. A bare name is taken from the working directory, as access()
 * checks it, not from $PATH. Exit status on failure, or 0.
 */
static int find_programs(struct validate_opts *o, char *bench, size_t len)
{
	char *slash;
	ssize_t n;

	n = readlink("/proc/self/exe", o->self, sizeof(o->self) - 1);
	if (n <= 0) {
		fprintf(stderr, "mymemtrace validate: cannot find its own executable\n");
		return MT_EXIT_FAILED;
	}
	o->self[n] = '\0';
	if (!o->bench) {
		snprintf(bench, len, "%s", o->self);
		slash = strrchr(bench, '/');
		snprintf(slash ? slash + 1 : bench, len - (slash ? slash + 1 - bench : 0),
			 "mymem-bench");
		/* Installed, mymemtrace is in sbin and mymem-bench in bin beside it. */
		if (access(bench, X_OK) && slash)
			snprintf(slash + 1, len - (slash + 1 - bench), "../bin/mymem-bench");
	} else {
		snprintf(bench, len, "%s%s", strchr(o->bench, '/') ? "" : "./", o->bench);
	}
	if (access(bench, X_OK)) {
		fprintf(stderr, "mymemtrace validate: %s: %s (--bench PATH)\n",
			o->bench ? o->bench : bench, strerror(errno));
		return MT_EXIT_USAGE;
	}
	o->bench = bench;
	return 0;
}

static void print_heading(const struct validate_opts *o)
{
	printf("mymemtrace validate: %u rounds of %u calls per op and size, untraced and traced (%s) in turn; medians in ns, "
	       "syscall = what user space pays (the window plus the mode switch)",
	       o->rounds, o->calls, o->raw ? "--raw" : "compensated");
	if (o->race_workers)
		printf("; race = the kernel path's calls in an unlocked race of %u threads x %u",
		       o->race_workers, o->race_iterations);
	printf("\n");
}

/* Every round: each path, then the race. 0, or -1 when a run failed. */
static int run_rounds(const struct validate_opts *o, struct validate_figures *f)
{
	unsigned int r;
	int p;

	for (r = 0; r < o->rounds; r++) {
		for (p = 0; p < VALIDATE_NR_PATHS; p++)
			if (validate_path_round(o, f, p))
				return -1;
		if (o->race_workers && validate_race_round(o, f))
			return -1;
	}
	return 0;
}

/* The last line, from the tables' worst |error| (-1: a figure missing); the exit status. */
static int print_verdict(const struct validate_opts *o, double worst)
{
	if (worst < 0) {
		printf("\nsome figures are missing: not validated\n");
		return MT_EXIT_FAILED;
	}
	if (worst > o->threshold) {
		printf("\nworst error %.1f%%: above the %.1f%% threshold\n", worst, o->threshold);
		return MT_EXIT_FAILED;
	}
	printf("\nworst error %.1f%%: within the %.1f%% threshold\n", worst, o->threshold);
	return MT_EXIT_OK;
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
	struct validate_opts o = {
		.sizes = { 1, 64, 4096, 524288 }, .n_sizes = 4,
		.calls = 200, .rounds = 3, .threshold = 10,
		.race_workers = 8, .race_iterations = 200,
	};
	char name[] = "mymemtrace validate", bench[PATH_MAX + 16];
	struct validate_figures *f;
	int ret;

	/* The command line; argp names the program after argv[0]. */
	argv[0] = name;
	argp_err_exit_status = MT_EXIT_USAGE;
	argp_parse(&argp, argc, argv, 0, NULL, &o);
	if (geteuid()) {
		fprintf(stderr, "mymemtrace validate: needs root (it runs the tracer)\n");
		return MT_EXIT_CANNOT_TRACE;
	}
	/* The two programs it runs. */
	ret = find_programs(&o, bench, sizeof(bench));
	if (ret)
		return ret;
	/* The figures, and a scratch directory for the programs' files. */
	f = calloc(1, sizeof(*f));
	if (!f) {
		fprintf(stderr, "mymemtrace validate: out of memory\n");
		return MT_EXIT_FAILED;
	}
	snprintf(o.dir, sizeof(o.dir), "/tmp/mymemtrace-validate.XXXXXX");
	if (!mkdtemp(o.dir)) {
		fprintf(stderr, "mymemtrace validate: cannot make a scratch directory: %s\n",
			strerror(errno));
		ret = MT_EXIT_FAILED;
		goto out_free_figures;
	}
	/* The rounds, then the tables and the verdict. */
	print_heading(&o);
	if (run_rounds(&o, f))
		ret = MT_EXIT_FAILED;
	else
		ret = print_verdict(&o, validate_print_tables(&o, f));

	validate_remove_scratch(&o);
out_free_figures:
	free(f);
	return ret;
}
