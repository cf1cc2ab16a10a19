// SPDX-License-Identifier: GPL-2.0
/*
 * The run model as JSON: run_render_json() writes what model/run_file.c
 * reads back, so a saved run reports, diffs and plots as the live one did.
 * docs/outputs.md (--json) is its schema.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "model/compensate.h"
#include "model/hist.h"
#include "model/names.h"
#include "model/parts.h"
#include "model/run_file.h"
#include "render/run_json.h"

static void json_part(struct json *j, const char *name, bool known, uint64_t ns)
{
	json_key(j, name);
	if (known)
		json_u64(j, ns);
	else
		json_null(j);
}

/* Non-empty slots only, each as its upper bound and count. */
static void json_hist(struct json *j, const uint64_t *hist, size_t slots, bool fine)
{
	size_t i;

	json_array_begin(j);
	for (i = 0; i < slots; i++) {
		uint64_t lo, hi;

		if (!hist[i])
			continue;
		if (fine)
			fine_bounds(i, &lo, &hi);
		else
			hi = (2ull << i) - 1;
		json_object_begin(j);
		json_key(j, "le_ns");
		json_u64(j, hi);
		json_key(j, "count");
		json_u64(j, hist[i]);
		json_object_end(j);
	}
	json_array_end(j);
}

static void json_stats(struct json *j, const struct breakdown *b)
{
	json_key(j, "total_ns");
	json_object_begin(j);
	json_key(j, "mean"); json_u64(j, b->mean);
	json_key(j, "p50"); json_u64(j, b->p50);
	json_key(j, "p90"); json_u64(j, b->p90);
	json_key(j, "p99"); json_u64(j, b->p99);
	json_key(j, "min"); json_u64(j, b->min);
	json_key(j, "max"); json_u64(j, b->max);
	json_object_end(j);
	json_key(j, "breakdown_ns");
	json_object_begin(j);
	json_part(j, "mode_switch", b->mode_switch_known, b->mode_switch);
	for (int c = 0; c < NR_PARTS; c++)
		json_part(j, part_table[c].key, b->known[part_table[c].id], b->part[part_table[c].id]);
	if (b->has_unattributed) {
		/* The parts marked null, together: measured, but not apart. */
		json_key(j, "unattributed");
		json_u64(j, b->unattributed);
	}
	json_object_end(j);
}

static void json_row(struct json *j, const struct run_row *r)
{
	int c;

	json_object_begin(j);
	json_key(j, "path");
	json_string(j, path_name(r->key.path));
	json_key(j, "op");
	json_string(j, op_name(r->key.op));
	json_key(j, "size");
	json_u64(j, r->key.size);
	json_key(j, "size_class");
	json_string(j, r->key.size_class ? "log2" : "exact");
	if (r->key.via) {
		/* Not read/write/pread64/pwrite64: how it came in (mymemtrace.h). */
		json_key(j, "via");
		json_string(j, via_name(r->key.via, (char[OP_LABEL_LEN]){ 0 }, OP_LABEL_LEN));
		json_key(j, "via_code");
		json_u64(j, r->key.via);
	}
	if (r->key.result) {
		/* Calls that failed or moved fewer bytes than asked (mymemtrace.h). */
		json_key(j, "result");
		json_string(j, result_name(r->key.result, (char[OP_LABEL_LEN]){ 0 }, OP_LABEL_LEN));
		json_key(j, "result_code");
		json_u64(j, r->key.result);
	}
	json_key(j, "count");
	json_u64(j, r->b.count);
	json_stats(j, &r->b);
	if (r->compensated) {
		/* As the probes saw them, their own cost included. */
		json_key(j, "raw");
		json_object_begin(j);
		json_stats(j, &r->raw);
		json_object_end(j);
	}
	json_key(j, "offcpu_switches");
	json_u64(j, r->switches);
	if (r->entries != r->b.count) {
		/* Not one entry of the traced function per call (run.h). */
		json_key(j, "entries");
		json_u64(j, r->entries);
	}
	json_key(j, "hist");
	json_hist(j, r->hist, MT_TOTAL_SLOTS, true);
	if (r->has_part_hists) {
		/* Log2: calls that spent no time in a part count in its first slot. */
		json_key(j, "part_hist");
		json_object_begin(j);
		for (c = 0; c < NR_PARTS; c++) {
			json_key(j, part_table[c].key);
			json_hist(j, r->part_hist[part_table[c].id], MT_HIST_SLOTS, false);
		}
		json_object_end(j);
	}
	json_object_end(j);
}

void run_render_json(FILE *f, const struct run *run)
{
	struct json j;
	size_t i;

	json_begin(&j, f);
	json_object_begin(&j);
	json_key(&j, "tool"); json_string(&j, "mymemtrace");
	json_key(&j, "version"); json_string(&j, RUN_JSON_VERSION);
	json_key(&j, "kernel"); json_string(&j, run->kernel);
	json_key(&j, "duration_ns"); json_u64(&j, run->duration_ns);
	json_key(&j, "attach");
	json_object_begin(&j);
	for (i = 0; i < run->n_targets; i++) {
		json_key(&j, run->targets[i].func);
		json_string(&j, attach_method_name(run->targets[i].method));
	}
	json_object_end(&j);
	json_key(&j, "unavailable");
	json_object_begin(&j);
	for (i = 0; i < run->n_targets; i++) {
		const struct run_target *target = &run->targets[i];

		if (target->method != ATTACH_NONE)
			continue;
		json_key(&j, target->func);
		json_object_begin(&j);
		json_key(&j, "why"); json_string(&j, target->why);
		json_key(&j, "missing"); json_string(&j, target->measures);
		json_object_end(&j);
	}
	json_object_end(&j);
	json_key(&j, "drops");
	json_object_begin(&j);
	json_key(&j, "events"); json_u64(&j, run->events_dropped);
	json_key(&j, "aggregate"); json_u64(&j, run->agg_failed);
	json_key(&j, "calls_lost"); json_u64(&j, run->calls_lost);
	json_key(&j, "calls_abandoned"); json_u64(&j, run->calls_abandoned);
	json_key(&j, "returns_missed"); json_u64(&j, run->returns_missed);
	json_object_end(&j);
	json_key(&j, "calibration");
	json_object_begin(&j);
	json_key(&j, "method");
	json_string(&j, run->cal.compensated ?
		    "null syscall (getcpu): its round trip from user space, untraced" :
		    "null syscall (getcpu): traced round trip from user space minus its sys_enter..sys_exit window");
	json_key(&j, "valid"); json_bool(&j, run->cal.valid);
	json_key(&j, "calls"); json_u64(&j, run->cal.calls);
	json_key(&j, "untraced_ns"); json_u64(&j, run->cal.null_untraced_ns);
	json_key(&j, "user_ns"); json_u64(&j, run->cal.user_ns);
	json_key(&j, "kernel_ns"); json_u64(&j, run->cal.kernel_ns);
	json_key(&j, "mode_switch_ns"); json_u64(&j, run->cal.mode_switch_ns);
	json_key(&j, "raw_mode_switch_ns"); json_u64(&j, run->cal.raw_mode_switch_ns);
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
	json_key(&j, "window_ns"); json_u64(&j, run->cal.self_window_ns);
	json_object_end(&j);
	json_key(&j, "compensation");
	json_object_begin(&j);
	json_key(&j, "applied"); json_bool(&j, run->cal.compensated);
	json_key(&j, "syscall_ns_per_call");
	json_u64(&j, run->cal.taken_out_ns[MT_PATH_SYSCALL]);
	json_key(&j, "kernel_ns_per_call");
	json_u64(&j, run->cal.taken_out_ns[MT_PATH_KERNEL]);
	json_key(&j, "edge_ns"); json_u64(&j, run->cal.edge_ns);
	json_key(&j, "inner_ns"); json_u64(&j, run->cal.inner_ns);
	json_key(&j, "kernel");
	json_object_begin(&j);
	json_key(&j, "method");
	json_string(&j, "mymem_kernel_read (at the end of the buffer) timed in the kernel: traced window minus untraced time");
	json_key(&j, "valid"); json_bool(&j, run->cal.kernel_valid);
	json_key(&j, "calls"); json_u64(&j, run->cal.kernel_calls);
	json_key(&j, "untraced_ns"); json_u64(&j, run->cal.kernel_untraced_ns);
	json_key(&j, "traced_ns"); json_u64(&j, run->cal.kernel_traced_ns);
	json_key(&j, "window_ns"); json_u64(&j, run->cal.kernel_window_ns);
	json_key(&j, "probe_ns"); json_u64(&j, run->cal.kernel_probe_ns);
	json_object_end(&j);
	json_object_end(&j);
	json_key(&j, "rows");
	json_array_begin(&j);
	for (i = 0; i < run->n; i++)
		json_row(&j, &run->rows[i]);
	json_array_end(&j);
	json_object_end(&j);
	if (json_end(&j))
		fprintf(stderr, "mymemtrace: internal error: unbalanced JSON\n");
}

/* --- reading a run back --- */
