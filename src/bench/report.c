// SPDX-License-Identifier: GPL-2.0
#include "json.h"
#include "report.h"

static const struct bench_row *find_row(const struct bench_result *res,
					enum bench_op op, uint64_t size)
{
	size_t i;

	for (i = 0; i < res->nr_rows; i++)
		if (res->rows[i].op == op && res->rows[i].size == size)
			return &res->rows[i];
	return NULL;
}

static void print_cell(FILE *out, const struct bench_row *row)
{
	if (!row) {
		fprintf(out, " | %10s %10s %10s", "-", "-", "-");
		return;
	}
	fprintf(out, " | %10.3f %10.3f %10.3f", row->stats.mean / 1000.0,
		row->stats.p50 / 1000.0, row->stats.p99 / 1000.0);
}

/* The course's table (size, read, write), each with mean, p50 and p99. */
void report_timing_table(FILE *out, const struct bench_opts *o,
			 const struct bench_result *res)
{
	size_t i;

	fprintf(out, "mode %s, n=%llu per op and size", mode_name(o->mode),
		(unsigned long long)o->n);
	if (o->warmup)
		fprintf(out, ", after %llu warm-up calls per size",
			(unsigned long long)o->warmup);
	fprintf(out, "; times in µs\n");
	fprintf(out, "%10s | %32s | %32s\n", "", "read", "write");
	fprintf(out, "%10s | %10s %10s %10s | %10s %10s %10s\n", "size",
		"mean", "p50", "p99", "mean", "p50", "p99");
	for (i = 0; i < o->nr_sizes; i++) {
		fprintf(out, "%10llu", (unsigned long long)o->sizes[i]);
		print_cell(out, find_row(res, OP_READ, o->sizes[i]));
		print_cell(out, find_row(res, OP_WRITE, o->sizes[i]));
		fputc('\n', out);
	}
}

void report_timing_json(FILE *out, const struct bench_opts *o,
			const struct bench_result *res)
{
	struct json j;
	size_t i;

	json_begin(&j, out);
	json_object_begin(&j);
	json_key(&j, "mode");
	json_string(&j, mode_name(o->mode));
	json_key(&j, "warmup");
	json_u64(&j, o->warmup);
	json_key(&j, "rows");
	json_array_begin(&j);
	for (i = 0; i < res->nr_rows; i++) {
		const struct bench_row *r = &res->rows[i];

		json_object_begin(&j);
		json_key(&j, "op");
		json_string(&j, r->op == OP_READ ? "read" : "write");
		json_key(&j, "size");
		json_u64(&j, r->size);
		json_key(&j, "count");
		json_u64(&j, r->stats.count);
		json_key(&j, "mean_ns");
		json_u64(&j, r->stats.mean);
		json_key(&j, "p50_ns");
		json_u64(&j, r->stats.p50);
		json_key(&j, "p99_ns");
		json_u64(&j, r->stats.p99);
		json_key(&j, "min_ns");
		json_u64(&j, r->stats.min);
		json_key(&j, "max_ns");
		json_u64(&j, r->stats.max);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_end(&j);
}

void report_race_table(FILE *out, const struct bench_opts *o,
		       const struct race_result *res)
{
	uint32_t t;

	fprintf(out, "race: %s path, %u workers x %llu increments, lock %s\n",
		o->mode == MODE_KERNEL ? "kernel" : "user",
		o->workers, (unsigned long long)o->iterations,
		lock_name(o->lock, o->mode));
	fprintf(out, "%6s %14s %14s %14s %10s\n", "trial", "expected",
		"observed", "lost", "ms");
	for (t = 0; t < o->trials; t++)
		fprintf(out, "%6u %14llu %14llu %14lld %10.1f\n", t,
			(unsigned long long)res->expected,
			(unsigned long long)res->observed[t],
			(long long)(res->expected - res->observed[t]),
			res->elapsed_ns[t] / 1e6);
	if (o->call_times)
		fprintf(out, "per call (ns, p50/mean): mymem_kernel_read %llu/%llu, mymem_kernel_write %llu/%llu\n",
			(unsigned long long)res->read_ns.p50, (unsigned long long)res->read_ns.mean,
			(unsigned long long)res->write_ns.p50, (unsigned long long)res->write_ns.mean);
}

void report_race_json(FILE *out, const struct bench_opts *o,
		      const struct race_result *res)
{
	struct json j;
	uint32_t t;

	json_begin(&j, out);
	json_object_begin(&j);
	json_key(&j, "mode");
	json_string(&j, o->mode == MODE_KERNEL ? "kernel" : "syscall");
	json_key(&j, "workers");
	json_u64(&j, o->workers);
	json_key(&j, "iterations");
	json_u64(&j, o->iterations);
	json_key(&j, "lock");
	json_string(&j, lock_name(o->lock, o->mode));
	json_key(&j, "trials");
	json_u64(&j, o->trials);
	json_key(&j, "expected_increments");
	json_u64(&j, res->expected);
	json_key(&j, "observed_increments");
	json_array_begin(&j);
	for (t = 0; t < o->trials; t++)
		json_u64(&j, res->observed[t]);
	json_array_end(&j);
	json_key(&j, "elapsed_ns");
	json_array_begin(&j);
	for (t = 0; t < o->trials; t++)
		json_u64(&j, res->elapsed_ns[t]);
	json_array_end(&j);
	if (o->call_times) {
		/* Every trial's calls, each timed as --mode kernel times its calls. */
		json_key(&j, "call_ns");
		json_object_begin(&j);
		json_key(&j, "read");
		json_object_begin(&j);
		json_key(&j, "p50"); json_u64(&j, res->read_ns.p50);
		json_key(&j, "mean"); json_u64(&j, res->read_ns.mean);
		json_object_end(&j);
		json_key(&j, "write");
		json_object_begin(&j);
		json_key(&j, "p50"); json_u64(&j, res->write_ns.p50);
		json_key(&j, "mean"); json_u64(&j, res->write_ns.mean);
		json_object_end(&j);
		json_object_end(&j);
	}
	json_object_end(&j);
	json_end(&j);
}
