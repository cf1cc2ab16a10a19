// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <time.h>

#include "model/compensate.h"
#include "model/names.h"
#include "model/parts.h"
#include "model/run.h"
#include "render/report.h"

static void print_part(FILE *out, bool known, uint64_t ns)
{
	if (known)
		fprintf(out, " %9" PRIu64, ns);
	else
		fprintf(out, " %9s", "-");
}

void report_calibration(FILE *out, const struct calibration *cal)
{
	if (cal->valid && cal->compensated)
		fprintf(out, "mode switch: %" PRIu64 " ns per syscall (a null syscall's round trip from user space, untraced)\n",
			cal->mode_switch_ns);
	else if (cal->valid)
		fprintf(out, "mode switch: %" PRIu64 " ns per syscall (null syscall: %" PRIu64
			" ns from user space, %" PRIu64 " ns inside the kernel, traced)\n",
			cal->mode_switch_ns, cal->user_ns, cal->kernel_ns);
	if (cal->self_valid)
		fprintf(out, "tracer's own cost: %" PRIu64 " ns per syscall-path call (1-byte read: %"
			PRIu64 " ns traced, %" PRIu64 " ns untraced; medians)\n",
			cal->self_ns, cal->self_traced_ns, cal->self_untraced_ns);
	if (!cal->compensated) {
		if (cal->self_valid || cal->kernel_valid)
			fprintf(out, "not compensated (--raw): every time includes the probes' own cost\n");
		return;
	}
	fprintf(out, "compensated: taken out per call: syscall path ");
	if (cal->self_valid)
		fprintf(out, "%" PRIu64 " ns", cal->taken_out_ns[MT_PATH_SYSCALL]);
	else
		fprintf(out, "nothing (not measured)");
	fprintf(out, ", kernel path ");
	if (cal->kernel_valid)
		fprintf(out, "%" PRIu64 " ns", cal->taken_out_ns[MT_PATH_KERNEL]);
	else
		fprintf(out, "nothing (not measured)");
	fprintf(out, ", mmap path nothing; measured at start-up on null syscalls, 1-byte reads and kernel reads, untraced and traced (--raw: as measured)\n");
}

/*
 * Where the tracer's own cost is a large share of a row's mean, the row
 * says more about the tracer than about the call: say so.
 */
#define SELF_COST_WARN_PCT 25

static void warn_self_cost(FILE *out, const struct run *run)
{
	const struct calibration *cal = &run->cal;
	uint64_t worst = 0;
	size_t i, rows_hit = 0;

	/* Compensated figures have that cost taken out already. */
	if (!cal->self_valid || !cal->self_ns || cal->compensated)
		return;
	for (i = 0; i < run->n; i++) {
		const struct run_row *r = &run->rows[i];
		uint64_t mean = r->b.mean;

		if (r->key.path != MT_PATH_SYSCALL || !mean ||
		    cal->self_ns * 100 < mean * SELF_COST_WARN_PCT)
			continue;
		rows_hit++;
		if (cal->self_ns * 100 / mean > worst)
			worst = cal->self_ns * 100 / mean;
	}
	if (rows_hit)
		fprintf(out, "note: the tracer's own cost (%" PRIu64 " ns per call) is over %d%% of the mean in %zu syscall rows (up to %" PRIu64 "%%): read their times as upper bounds\n",
			cal->self_ns, SELF_COST_WARN_PCT, rows_hit, worst);
}

void report_attach_problems(FILE *out, const struct run *run)
{
	size_t i;

	for (i = 0; i < run->n_targets; i++) {
		const struct run_target *target = &run->targets[i];

		if (target->method == ATTACH_NONE)
			fprintf(out, "not attached: %s (%s); missing: %s\n", target->func, target->why,
				target->measures);
	}
}

void report_table(FILE *out, const struct run *run)
{
	char size[32];
	size_t i;
	int c;

	fprintf(out, "\nmymemtrace on %s, %.1f s. Mean ns per call; '-': not measurable here.\n",
		run->kernel, run->duration_ns / 1e9);
	report_calibration(out, &run->cal);
	fprintf(out, "%-7s %-5s %9s %9s %9s %9s %9s | %9s", "path", "op", "size", "count", "mean",
		"p50", "p99", "mode_sw");
	for (c = 0; c < NR_PARTS; c++)
		fprintf(out, " %9s", part_table[c].key);
	fprintf(out, " %9s %7s\n", "unattrib", "sw/call");
	for (i = 0; i < run->n; i++) {
		const struct run_row *r = &run->rows[i];
		const struct breakdown *b = &r->b;

		run_size_label(size, sizeof(size), &r->key);
		fprintf(out, "%-7s %-5s %9s %9" PRIu64 " %9" PRIu64 " %9" PRIu64 " %9" PRIu64 " |",
			path_name(r->key.path), KEY_OP_LABEL(&r->key), size, b->count, b->mean,
			b->p50, b->p99);
		print_part(out, b->mode_switch_known, b->mode_switch);
		for (c = 0; c < NR_PARTS; c++)
			print_part(out, b->known[part_table[c].id], b->part[part_table[c].id]);
		print_part(out, b->has_unattributed, b->unattributed);
		fprintf(out, " %7.2f\n", b->switches_per_call);
	}
	if (!run->n)
		fprintf(out, "(no calls traced)\n");
	warn_self_cost(out, run);
	fprintf(out, "events dropped: %" PRIu64 "\n", run->events_dropped);
	if (run->agg_failed)
		fprintf(out, "calls not aggregated (maps full): %" PRIu64 "\n", run->agg_failed);
	if (run->calls_lost)
		fprintf(out, "calls lost (no task storage when switched out): %" PRIu64 "\n",
			run->calls_lost);
	if (run->calls_abandoned)
		fprintf(out, "calls abandoned (seen starting, not followed to their end): %" PRIu64 "\n",
			run->calls_abandoned);
	if (run->uncompensated)
		fprintf(out, "not compensated: %zu rows whose fastest call took less than the probes' measured cost (the start-up calibration does not hold for them: did the machine's speed change?); they are as measured\n",
			run->uncompensated);
	if (run->returns_missed)
		fprintf(out, "returns missed by kretprobes (their calls not counted): %" PRIu64 "\n",
			run->returns_missed);
	report_attach_problems(out, run);
}

/* A log2 histogram, in the style of bcc's print_log2_hist. */
void report_log2_hist(FILE *out, const uint64_t *hist, size_t slots)
{
	int width = 40, stars, first, last, i;
	uint64_t max = hist_span(hist, slots, &first, &last);

	if (!max)
		return;
	fprintf(out, "%24s : %-10s %s\n", "ns", "count", "distribution");
	for (i = first; i <= last; i++) {
		uint64_t lo = i ? 1ull << i : 0, hi = (1ull << (i + 1)) - 1;

		stars = (int)(hist[i] * width / max);
		fprintf(out, "%10" PRIu64 " -> %-10" PRIu64 " : %-10" PRIu64 " |%-*.*s|\n",
			lo, hi, (uint64_t)hist[i], width, stars,
			"****************************************");
	}
}

void report_hists(FILE *out, const struct run *run)
{
	uint64_t log2[MT_HIST_SLOTS];
	char size[32];
	size_t i;

	for (i = 0; i < run->n; i++) {
		const struct run_row *r = &run->rows[i];

		/* Folded to log2 for the screen, as funclatency prints. */
		run_total_log2(r, log2);
		run_size_label(size, sizeof(size), &r->key);
		fprintf(out, "\n%s %s %s: %" PRIu64 " calls, total latency\n",
			path_name(r->key.path), KEY_OP_LABEL(&r->key), size, r->b.count);
		report_log2_hist(out, log2, MT_HIST_SLOTS);
	}
}

void report_part_hists(FILE *out, const struct run *run)
{
	char size[32];
	size_t i;
	int c;

	for (i = 0; i < run->n; i++) {
		const struct run_row *r = &run->rows[i];

		run_size_label(size, sizeof(size), &r->key);
		if (!r->has_part_hists) {
			fprintf(out, "\n%s %s %s: no part histograms (traced without --part-hists, or saved before version 0.2)\n",
				path_name(r->key.path), KEY_OP_LABEL(&r->key), size);
			continue;
		}
		for (c = 0; c < NR_PARTS; c++) {
			if (!r->b.known[part_table[c].id])
				continue;
			fprintf(out, "\n%s %s %s: %s\n", path_name(r->key.path),
				KEY_OP_LABEL(&r->key), size, part_table[c].label);
			report_log2_hist(out, r->part_hist[part_table[c].id], MT_HIST_SLOTS);
		}
	}
}

void report_print(FILE *out, const struct run *run, bool hists, bool final)
{
	if (hists)
		report_hists(out, run);
	report_table(out, run);
	if (final)
		report_compare(out, run);
	fflush(out);
}

/* -T: the time of day above a periodic block, as libbpf-tools' -T prints it. */
void report_time_of_day(FILE *out)
{
	time_t now = time(NULL);
	char buf[16];

	strftime(buf, sizeof(buf), "%H:%M:%S", localtime(&now));
	fprintf(out, "\n%s\n", buf);
}
