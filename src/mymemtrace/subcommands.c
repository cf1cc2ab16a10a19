// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "report.h"
#include "subcommands.h"
#include "svg.h"

/* Exit statuses: as the tracer's, plus diff's 1 for a regression. */
#define EXIT_BAD_USAGE	2

static int usage(const char *cmd, const char *why)
{
	fprintf(stderr, "mymemtrace %s: %s\n", cmd, why);
	fprintf(stderr, "usage: mymemtrace report RUN.json [--hist]\n"
		"       mymemtrace diff A.json B.json [--threshold PCT] [--metric mean|p50|p90|p99]\n"
		"       mymemtrace plot RUN.json -o FILE.svg\n");
	return EXIT_BAD_USAGE;
}

static int load(const char *cmd, const char *path, struct run_view *view)
{
	char err[512];

	if (view_from_json_file(path, view, err, sizeof(err))) {
		fprintf(stderr, "mymemtrace %s: %s\n", cmd, err);
		return -1;
	}
	return 0;
}

static int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = { { "hist", no_argument, NULL, 'H' }, { 0 } };
	struct run_view view = {};
	bool hist = false;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'H')
			return usage("report", "unknown option");
		hist = true;
	}
	if (argc - optind != 1)
		return usage("report", "needs one RUN.json");
	if (load("report", argv[optind], &view))
		return 1;
	if (hist)
		report_hists(stdout, &view);
	report_table(stdout, &view);
	report_compare(stdout, &view);
	view_free(&view);
	return 0;
}

static int cmd_diff(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "threshold", required_argument, NULL, 't' },
		{ "metric", required_argument, NULL, 'm' },
		{ 0 },
	};
	struct run_view a = {}, b = {};
	double threshold = 10;
	int metric = DIFF_MEAN, c, ret;
	char *end;

	while ((c = getopt_long(argc, argv, "t:m:", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			errno = 0;
			threshold = strtod(optarg, &end);
			if (errno || end == optarg || *end || threshold < 0 || threshold > 1e6)
				return usage("diff", "--threshold: a percentage, 0 or more");
			break;
		case 'm':
			metric = diff_metric_parse(optarg);
			if (metric < 0)
				return usage("diff", "--metric: one of mean, p50, p90, p99");
			break;
		default:
			return usage("diff", "unknown option");
		}
	}
	if (argc - optind != 2)
		return usage("diff", "needs two runs, A.json and B.json");
	if (load("diff", argv[optind], &a))
		return EXIT_BAD_USAGE;
	if (load("diff", argv[optind + 1], &b)) {
		view_free(&a);
		return EXIT_BAD_USAGE;
	}
	ret = diff_runs(stdout, &a, &b, metric, threshold) ? 1 : 0;
	view_free(&a);
	view_free(&b);
	return ret;
}

static int cmd_plot(int argc, char **argv)
{
	static const struct option opts[] = { { "output", required_argument, NULL, 'o' }, { 0 } };
	struct run_view view = {};
	const char *out = NULL;
	int c, ret;

	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if (c != 'o')
			return usage("plot", "unknown option");
		out = optarg;
	}
	if (!out)
		return usage("plot", "needs -o FILE.svg");
	if (argc - optind != 1)
		return usage("plot", "needs one RUN.json");
	if (load("plot", argv[optind], &view))
		return 1;
	ret = svg_write(out, &view) ? 1 : 0;
	view_free(&view);
	return ret;
}

static const struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv);
} subcommands[] = {
	{ "report", cmd_report },
	{ "diff", cmd_diff },
	{ "plot", cmd_plot },
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

	opterr = 0;	/* usage() says what is wrong, in one line */
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (!strcmp(argv[0], subcommands[i].name))
			return subcommands[i].run(argc, argv);
	return EXIT_BAD_USAGE;
}
