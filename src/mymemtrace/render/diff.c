// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <string.h>

#include "model/names.h"
#include "render/diff.h"

static const char *const metric_names[] = { "mean", "p50", "p90", "p99" };

int diff_metric_parse(const char *name)
{
	int i;

	for (i = 0; i < (int)(sizeof(metric_names) / sizeof(metric_names[0])); i++)
		if (!strcmp(name, metric_names[i]))
			return i;
	return -1;
}

static uint64_t metric_of(const struct breakdown *b, enum diff_metric m)
{
	switch (m) {
	case DIFF_P50: return b->p50;
	case DIFF_P90: return b->p90;
	case DIFF_P99: return b->p99;
	default: return b->mean;
	}
}

static void print_ratio(FILE *out, uint64_t a, uint64_t b)
{
	if (a)
		fprintf(out, " %7.2fx", (double)b / a);
	else
		fprintf(out, " %8s", "-");
}

size_t diff_runs(FILE *out, const struct run *a, const struct run *b,
		 enum diff_metric metric, double threshold_pct)
{
	size_t i, regressed = 0, compared = 0;
	char size[32];

	fprintf(out, "%-7s %-5s %9s | %10s %10s %8s | %10s %10s %8s |\n", "path", "op", "size",
		"A mean", "B mean", "B/A", "A p99", "B p99", "B/A");
	for (i = 0; i < a->n; i++) {
		const struct run_row *ra = &a->rows[i], *rb = run_find(b, &ra->key);
		uint64_t ma, mb;
		bool worse;

		run_size_label(size, sizeof(size), &ra->key);
		if (!rb || !ra->b.count || !rb->b.count) {
			fprintf(out, "%-7s %-5s %9s | only in A\n", path_name(ra->key.path),
				KEY_OP_LABEL(&ra->key), size);
			continue;
		}
		compared++;
		ma = metric_of(&ra->b, metric);
		mb = metric_of(&rb->b, metric);
		worse = ma && (double)mb > (double)ma * (1.0 + threshold_pct / 100.0);
		regressed += worse;
		fprintf(out, "%-7s %-5s %9s | %10" PRIu64 " %10" PRIu64, path_name(ra->key.path),
			KEY_OP_LABEL(&ra->key), size, ra->b.mean, rb->b.mean);
		print_ratio(out, ra->b.mean, rb->b.mean);
		fprintf(out, " | %10" PRIu64 " %10" PRIu64, ra->b.p99, rb->b.p99);
		print_ratio(out, ra->b.p99, rb->b.p99);
		fprintf(out, " |%s\n", worse ? " REGRESSED" : "");
	}
	for (i = 0; i < b->n; i++) {
		const struct run_row *rb = &b->rows[i], *ra = run_find(a, &rb->key);

		if (ra && ra->b.count)
			continue;
		run_size_label(size, sizeof(size), &rb->key);
		fprintf(out, "%-7s %-5s %9s | only in B\n", path_name(rb->key.path),
			KEY_OP_LABEL(&rb->key), size);
	}
	fprintf(out, "%zu rows compared; %zu regressed: %s grew by more than %g%%\n", compared,
		regressed, metric_names[metric], threshold_pct);
	return regressed;
}
