// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for what users pass between machines: a saved run
 * (mymemtrace --json FILE), as report, diff and plot read it. Each input
 * is parsed into the run model; a run that parses is rendered by every
 * renderer a saved run reaches (the report's tables and histograms, JSON,
 * CSV, SVG, Prometheus, diff against itself). A bad file must come back as
 * an error, never a crash: ASan and UBSan (built in) turn any overflow,
 * leak or undefined behaviour into a failed run.
 *
 *   make fuzz-run-file FUZZ_SECONDS=600
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/csv.h"
#include "render/diff.h"
#include "render/prometheus.h"
#include "render/report.h"
#include "render/run_json.h"
#include "model/run_file.h"
#include "render/svg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *null_out(void)
{
	static FILE *f;

	if (!f)
		f = fopen("/dev/null", "w");
	if (!f)
		abort();
	return f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), err[256];
	struct run run;
	FILE *out = null_out();

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (!run_parse_json(text, &run, err, sizeof(err))) {
		report_hists(out, &run);
		report_part_hists(out, &run);
		report_table(out, &run);
		report_compare(out, &run);
		run_render_json(out, &run);
		run_render_csv(out, &run);
		svg_render(out, &run);
		run_render_prometheus(out, &run);
		diff_runs(out, &run, &run, DIFF_P99, 10.0);
		run_free(&run);
	} else if (!err[0]) {
		fprintf(stderr, "a refused run without a message\n");
		abort();
	}
	free(text);
	return 0;
}
