// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdio.h>

#include "model/hist.h"
#include "model/names.h"
#include "model/parts.h"
#include "model/version.h"
#include "render/prometheus.h"

/* ns as seconds, in exact decimal: no floating-point rounding on the way. */
static void seconds(FILE *out, uint64_t ns)
{
	fprintf(out, "%" PRIu64 ".%09" PRIu64, ns / 1000000000, ns % 1000000000);
}

static void family(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label's value, quoted and escaped as the text format wants. */
static void label_value(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', out);
		if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

/* path="syscall",op="read",size="64": a row's labels, without braces (via=, result= where they apply). */
static void labels(FILE *out, const struct run_row *r)
{
	char size[32];

	run_size_label(size, sizeof(size), &r->key);
	const char *via = via_name(r->key.via, (char[OP_LABEL_LEN]){ 0 }, OP_LABEL_LEN);
	const char *result = result_name(r->key.result, (char[OP_LABEL_LEN]){ 0 }, OP_LABEL_LEN);

	fprintf(out, "path=\"%s\",op=\"%s\",size=\"%s\"", path_name(r->key.path),
		op_name(r->key.op), size);
	/* Only where the call did not come through read/write/pread64/pwrite64. */
	if (via)
		fprintf(out, ",via=\"%s\"", via);
	/*
	 * Only on the series of calls that failed or moved fewer bytes than
	 * asked, so that the successes' series keep the labels they had.
	 */
	if (result)
		fprintf(out, ",result=\"%s\"", result);
}

/*
 * The total's fine histogram as cumulative buckets. Values are whole ns,
 * so a slot [lo, hi] is exactly "le hi"; the last slot is open-ended, so
 * it is +Inf. Every bucket is written, empty or not, so that a series'
 * buckets are the same at every scrape.
 */
static void duration_histogram(FILE *out, const struct run_row *r)
{
	uint64_t lo, hi, cum = 0;
	size_t s;

	for (s = 0; s < MT_TOTAL_SLOTS; s++) {
		cum += r->hist[s];
		fprintf(out, "mymemtrace_call_duration_seconds_bucket{");
		labels(out, r);
		fine_bounds(s, &lo, &hi);
		if (s == MT_TOTAL_SLOTS - 1) {
			fprintf(out, ",le=\"+Inf\"} %" PRIu64 "\n", cum);
		} else {
			fprintf(out, ",le=\"");
			seconds(out, hi);
			fprintf(out, "\"} %" PRIu64 "\n", cum);
		}
	}
	fprintf(out, "mymemtrace_call_duration_seconds_sum{");
	labels(out, r);
	fprintf(out, "} ");
	seconds(out, r->sum_ns);
	fprintf(out, "\nmymemtrace_call_duration_seconds_count{");
	labels(out, r);
	fprintf(out, "} %" PRIu64 "\n", r->b.count);
}

/*
 * One counter per part the probes can tell apart; the parts they cannot
 * are summed into "unattributed", as the report shows them. Never a
 * made-up zero for a part that was not measured.
 */
static void part_counters(FILE *out, const struct run_row *r)
{
	uint64_t unattributed = 0;
	int c;

	for (c = 0; c < NR_PARTS; c++) {
		enum mt_part part = part_table[c].id;

		if (!r->b.known[part]) {
			unattributed += r->part_sum_ns[part];
			continue;
		}
		fprintf(out, "mymemtrace_part_seconds_total{");
		labels(out, r);
		fprintf(out, ",part=\"%s\"} ", part_table[c].key);
		seconds(out, r->part_sum_ns[part]);
		fputc('\n', out);
	}
	if (r->b.has_unattributed) {
		fprintf(out, "mymemtrace_part_seconds_total{");
		labels(out, r);
		fprintf(out, ",part=\"unattributed\"} ");
		seconds(out, unattributed);
		fputc('\n', out);
	}
}

void run_render_prometheus(FILE *out, const struct run *run)
{
	size_t i;

	family(out, "mymemtrace_calls_total", "counter",
	       "Calls into the traced driver, per path (syscall, kernel, mmap), op and request size in bytes.");
	for (i = 0; i < run->n; i++) {
		fprintf(out, "mymemtrace_calls_total{");
		labels(out, &run->rows[i]);
		fprintf(out, "} %" PRIu64 "\n", run->rows[i].b.count);
	}
	family(out, "mymemtrace_call_duration_seconds", "histogram",
	       "Each call's time from entry to return (on the syscall path: sys_enter to sys_exit), from the in-kernel histogram.");
	for (i = 0; i < run->n; i++)
		duration_histogram(out, &run->rows[i]);
	family(out, "mymemtrace_part_seconds_total", "counter",
	       "Time spent in each part of the calls (dispatch, lock_wait, copy, buffer, offcpu; unattributed where the probes cannot tell parts apart).");
	for (i = 0; i < run->n; i++)
		part_counters(out, &run->rows[i]);
	/* Not calibrated: no sample at all rather than a zero. */
	if (run->cal.valid) {
		family(out, "mymemtrace_mode_switch_seconds", "gauge",
		       "One user-kernel-user mode switch, calibrated at start-up from null syscalls.");
		fprintf(out, "mymemtrace_mode_switch_seconds ");
		seconds(out, run->cal.mode_switch_ns);
		fputc('\n', out);
	}
	family(out, "mymemtrace_build_info", "gauge",
	       "Always 1: the tracer's version, the kernel it traces, and whether the times have its own cost taken out.");
	fprintf(out, "mymemtrace_build_info{version=\"%s\",kernel=", MYMEMTRACE_VERSION);
	label_value(out, run->kernel);
	fprintf(out, ",compensated=\"%s\"} 1\n", run->cal.compensated ? "true" : "false");
	family(out, "mymemtrace_dropped_total", "counter",
	       "What was lost, by kind: events (ring buffer records), aggregate (calls with no aggregate slot), state (switched-out calls not kept), abandoned (calls seen starting, not followed to their end), returns (kretprobe returns missed).");
	fprintf(out, "mymemtrace_dropped_total{kind=\"events\"} %" PRIu64 "\n", run->events_dropped);
	fprintf(out, "mymemtrace_dropped_total{kind=\"aggregate\"} %" PRIu64 "\n", run->agg_failed);
	fprintf(out, "mymemtrace_dropped_total{kind=\"state\"} %" PRIu64 "\n", run->calls_lost);
	fprintf(out, "mymemtrace_dropped_total{kind=\"abandoned\"} %" PRIu64 "\n", run->calls_abandoned);
	fprintf(out, "mymemtrace_dropped_total{kind=\"returns\"} %" PRIu64 "\n", run->returns_missed);
}
