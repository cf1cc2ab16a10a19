// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "atomic_file.h"
#include "attach.h"
#include "json.h"
#include "report.h"

static void json_part(struct json *j, const char *name, bool known, uint64_t ns)
{
	json_key(j, name);
	if (known)
		json_u64(j, ns);
	else
		json_null(j);
}

static void json_row(struct json *j, const struct row *r, const struct run_info *run)
{
	struct breakdown b;
	size_t i;
	int c;

	breakdown_of(r, &run->cal, &b);
	json_object_begin(j);
	json_key(j, "path");
	json_string(j, path_name(r->key.path));
	json_key(j, "op");
	json_string(j, op_name(r->key.op));
	json_key(j, "size");
	json_u64(j, r->key.size);
	json_key(j, "size_class");
	json_string(j, r->key.size_class ? "log2" : "exact");
	json_key(j, "count");
	json_u64(j, b.count);
	json_key(j, "total_ns");
	json_object_begin(j);
	json_key(j, "mean"); json_u64(j, b.mean);
	json_key(j, "p50"); json_u64(j, b.p50);
	json_key(j, "p90"); json_u64(j, b.p90);
	json_key(j, "p99"); json_u64(j, b.p99);
	json_key(j, "min"); json_u64(j, b.min);
	json_key(j, "max"); json_u64(j, b.max);
	json_object_end(j);
	json_key(j, "breakdown_ns");
	json_object_begin(j);
	json_part(j, "mode_switch", b.mode_switch_known, b.mode_switch);
	for (c = 0; c < NR_REPORTED_PARTS; c++)
		json_part(j, reported_parts[c].name, b.known[reported_parts[c].comp],
			  b.comp[reported_parts[c].comp]);
	if (b.has_unattributed) {
		/* The parts marked null, together: measured, but not apart. */
		json_key(j, "unattributed");
		json_u64(j, b.unattributed);
	}
	json_object_end(j);
	json_key(j, "offcpu_switches");
	json_u64(j, r->agg.offcpu_switches);
	json_key(j, "hist");
	json_array_begin(j);
	for (i = 0; i < MT_TOTAL_SLOTS; i++) {
		uint64_t lo, hi;

		if (!r->agg.total_hist[i])
			continue;
		fine_bounds(i, &lo, &hi);
		json_object_begin(j);
		json_key(j, "le_ns");
		json_u64(j, hi);
		json_key(j, "count");
		json_u64(j, r->agg.total_hist[i]);
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}

int export_json(const char *path, const struct rows *rows, const struct run_info *run)
{
	struct atomic_file out;
	struct json j;
	size_t i;
	FILE *f;

	if (atomic_open(&out, path))
		return -1;
	f = out.f;
	json_begin(&j, f);
	json_object_begin(&j);
	json_key(&j, "tool"); json_string(&j, "mymemtrace");
	json_key(&j, "version"); json_string(&j, "0.1");
	json_key(&j, "kernel"); json_string(&j, run->kernel);
	json_key(&j, "duration_ns"); json_u64(&j, run->duration_ns);
	json_key(&j, "attach");
	json_object_begin(&j);
	for (i = 0; i < NR_TARGETS; i++) {
		json_key(&j, targets[i].func);
		json_string(&j, attach_method_name(targets[i].method));
	}
	json_object_end(&j);
	json_key(&j, "unavailable");
	json_object_begin(&j);
	for (i = 0; i < NR_TARGETS; i++) {
		if (target_ok(i))
			continue;
		json_key(&j, targets[i].func);
		json_object_begin(&j);
		json_key(&j, "why"); json_string(&j, targets[i].why);
		json_key(&j, "missing"); json_string(&j, targets[i].measures);
		json_object_end(&j);
	}
	json_object_end(&j);
	json_key(&j, "drops");
	json_object_begin(&j);
	json_key(&j, "events"); json_u64(&j, run->events_dropped);
	json_key(&j, "aggregate"); json_u64(&j, run->agg_failed);
	json_key(&j, "calls_lost"); json_u64(&j, run->calls_lost);
	json_object_end(&j);
	json_key(&j, "calibration");
	json_object_begin(&j);
	json_key(&j, "method");
	json_string(&j, "null syscall (getppid): user-space round trip minus its sys_enter..sys_exit window");
	json_key(&j, "valid"); json_bool(&j, run->cal.valid);
	json_key(&j, "calls"); json_u64(&j, run->cal.calls);
	json_key(&j, "user_ns"); json_u64(&j, run->cal.user_ns);
	json_key(&j, "kernel_ns"); json_u64(&j, run->cal.kernel_ns);
	json_key(&j, "mode_switch_ns"); json_u64(&j, run->cal.mode_switch_ns);
	json_object_end(&j);
	json_key(&j, "self_overhead");
	json_object_begin(&j);
	json_key(&j, "method");
	json_string(&j, "median 1-byte read of the device, traced minus untraced");
	json_key(&j, "valid"); json_bool(&j, run->cal.self_valid);
	json_key(&j, "calls"); json_u64(&j, run->cal.self_calls);
	json_key(&j, "untraced_ns"); json_u64(&j, run->cal.self_untraced_ns);
	json_key(&j, "traced_ns"); json_u64(&j, run->cal.self_traced_ns);
	json_key(&j, "ns_per_call"); json_u64(&j, run->cal.self_ns);
	json_object_end(&j);
	json_key(&j, "rows");
	json_array_begin(&j);
	for (i = 0; i < rows->n; i++)
		json_row(&j, &rows->row[i], run);
	json_array_end(&j);
	json_object_end(&j);
	if (json_end(&j))
		fprintf(stderr, "mymemtrace: internal error: unbalanced JSON in %s\n", path);
	return atomic_commit(&out);
}

static void csv_part(FILE *f, bool known, uint64_t ns)
{
	if (known)
		fprintf(f, ",%" PRIu64, ns);
	else
		fputc(',', f);
}

int export_csv(const char *path, const struct rows *rows, const struct run_info *run)
{
	struct atomic_file out;
	size_t i;
	FILE *f;
	int c;

	if (atomic_open(&out, path))
		return -1;
	f = out.f;
	fprintf(f, "path,op,size,size_class,count,total_mean_ns,total_p50_ns,total_p90_ns,"
		"total_p99_ns,total_min_ns,total_max_ns,mode_switch_ns,dispatch_ns,"
		"lock_wait_ns,copy_ns,buffer_ns,offcpu_ns,unattributed_ns,offcpu_switches\n");
	for (i = 0; i < rows->n; i++) {
		const struct row *r = &rows->row[i];
		struct breakdown b;

		breakdown_of(r, &run->cal, &b);
		fprintf(f, "%s,%s,%" PRIu64 ",%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
			",%" PRIu64 ",%" PRIu64 ",%" PRIu64,
			path_name(r->key.path), op_name(r->key.op), (uint64_t)r->key.size,
			r->key.size_class ? "log2" : "exact", b.count, b.mean, b.p50, b.p90,
			b.p99, b.min, b.max);
		csv_part(f, b.mode_switch_known, b.mode_switch);
		for (c = 0; c < NR_REPORTED_PARTS; c++)
			csv_part(f, b.known[reported_parts[c].comp], b.comp[reported_parts[c].comp]);
		csv_part(f, b.has_unattributed, b.unattributed);
		fprintf(f, ",%" PRIu64 "\n", (uint64_t)r->agg.offcpu_switches);
	}
	return atomic_commit(&out);
}
