// SPDX-License-Identifier: GPL-2.0
/*
 * report, diff and plot: a saved run (or two) read back into the run model
 * (model/run_file.c) and rendered as the live run was.
 */
#include <argp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

#include "cli/env.h"
#include "cli/subcommands.h"
#include "cli/validate.h"
#include "model/run_file.h"
#include "render/diff.h"
#include "render/report.h"
#include "render/svg.h"

/* What a subcommand's command line gives it: the files and the options. */
struct sub_args {
	char name[32];			/* "mymemtrace report": errors say it */
	const char *files[2];
	int n_files, want_files;
	bool hist;			/* report --hist */
	bool parts;			/* report --parts */
	double threshold;		/* diff --threshold */
	int metric;			/* diff --metric */
	const char *out;		/* plot -o */
};

enum { OPT_SUB_HIST = 0x200, OPT_SUB_PARTS, OPT_SUB_THRESHOLD, OPT_SUB_METRIC };

static error_t parse_sub(int key, char *arg, struct argp_state *state)
{
	struct sub_args *a = state->input;

	switch (key) {
	case OPT_SUB_HIST:
		a->hist = true;
		break;
	case OPT_SUB_PARTS:
		a->parts = true;
		break;
	case OPT_SUB_THRESHOLD:
		if (parse_double(arg, 0, 1e6, &a->threshold))
			argp_error(state, "--threshold: a percentage, 0 or more");
		break;
	case OPT_SUB_METRIC:
		a->metric = diff_metric_parse(arg);
		if (a->metric < 0)
			argp_error(state, "--metric: one of mean, p50, p90, p99");
		break;
	case 'o':
		a->out = arg;
		break;
	case ARGP_KEY_ARG:
		if (a->n_files == a->want_files)
			argp_error(state, "unexpected argument '%s'", arg);
		a->files[a->n_files++] = arg;
		break;
	case ARGP_KEY_END:
		if (a->n_files != a->want_files)
			argp_error(state, a->want_files == 1 ? "needs one RUN.json" :
				   "needs two runs, A.json and B.json");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_option report_options[] = {
	{ "hist", OPT_SUB_HIST, NULL, 0, "Also every row's latency histogram", 0 },
	{ "parts", OPT_SUB_PARTS, NULL, 0, "Also every row's histogram of each part", 0 },
	{ 0 }
};

static const struct argp_option diff_options[] = {
	{ "threshold", OPT_SUB_THRESHOLD, "PCT", 0, "A regression is worse by more than PCT % (default 10)", 0 },
	{ "metric", OPT_SUB_METRIC, "M", 0, "mean (default), p50, p90 or p99", 0 },
	{ 0 }
};

static const struct argp_option plot_options[] = {
	{ "output", 'o', "FILE.svg", 0, "Where the SVG goes", 0 },
	{ 0 }
};

/* Parses the subcommand's arguments; a bad one exits 2 (MT_EXIT_USAGE). */
static void parse_args(const struct argp_option *options, const char *args_doc,
		       const char *doc, int argc, char **argv, struct sub_args *a)
{
	const struct argp argp = { options, parse_sub, args_doc, doc, NULL, NULL, NULL };

	/* argp names the program after argv[0]: "mymemtrace diff: ...". */
	snprintf(a->name, sizeof(a->name), "mymemtrace %s", argv[0]);
	argv[0] = a->name;
	argp_err_exit_status = MT_EXIT_USAGE;
	argp_parse(&argp, argc, argv, 0, NULL, a);
}

static int load(const char *cmd, const char *path, struct run *run)
{
	char err[512];

	if (run_read_json(path, run, err, sizeof(err))) {
		fprintf(stderr, "mymemtrace %s: %s\n", cmd, err);
		return -1;
	}
	return 0;
}

static int cmd_report(int argc, char **argv)
{
	struct sub_args a = { .want_files = 1 };
	struct run run = {};

	parse_args(report_options, "RUN.json", "mymemtrace report: a saved run's tables and final report.",
		   argc, argv, &a);
	/* A file that is not a run is bad input, as diff has it: exit 2. */
	if (load("report", a.files[0], &run))
		return MT_EXIT_USAGE;
	if (a.hist)
		report_hists(stdout, &run);
	if (a.parts)
		report_part_hists(stdout, &run);
	report_table(stdout, &run);
	report_compare(stdout, &run);
	run_free(&run);
	return 0;
}

static int cmd_diff(int argc, char **argv)
{
	struct sub_args a = { .want_files = 2, .threshold = 10, .metric = DIFF_MEAN };
	struct run ra = {}, rb = {};
	int ret;

	parse_args(diff_options, "A.json B.json",
		   "mymemtrace diff: B against A, row by row; exits 1 when a row regressed.",
		   argc, argv, &a);
	if (load("diff", a.files[0], &ra))
		return MT_EXIT_USAGE;
	if (load("diff", a.files[1], &rb)) {
		run_free(&ra);
		return MT_EXIT_USAGE;
	}
	ret = diff_runs(stdout, &ra, &rb, a.metric, a.threshold) ? 1 : 0;
	run_free(&ra);
	run_free(&rb);
	return ret;
}

static int cmd_plot(int argc, char **argv)
{
	struct sub_args a = { .want_files = 1 };
	struct run run = {};
	int ret;

	parse_args(plot_options, "RUN.json", "mymemtrace plot: a saved run as an SVG.",
		   argc, argv, &a);
	if (!a.out) {
		fprintf(stderr, "mymemtrace plot: needs -o FILE.svg\n");
		return MT_EXIT_USAGE;
	}
	if (load("plot", a.files[0], &run))
		return MT_EXIT_USAGE;
	ret = run_write(a.out, svg_render, &run) ? 1 : 0;
	run_free(&run);
	return ret;
}

static const struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv);
} subcommands[] = {
	{ "report", cmd_report },
	{ "diff", cmd_diff },
	{ "plot", cmd_plot },
	{ "validate", validate_main },
};

bool is_subcommand(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (!strcmp(name, subcommands[i].name))
			return true;
	return false;
}

int run_subcommand(int argc, char **argv)
{
	size_t i;

	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (!strcmp(argv[0], subcommands[i].name))
			return subcommands[i].run(argc, argv);
	return MT_EXIT_USAGE;
}
