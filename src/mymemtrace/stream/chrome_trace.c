// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/types.h>

#include "atomic_file.h"
#include "json.h"
#include "mymemtrace.h"
#include "model/breakdown.h"
#include "model/compensate.h"
#include "model/names.h"
#include "model/parts.h"
#include "stream/chrome_trace.h"

struct chrome_trace {
	FILE *f;			/* FILE.tmp, renamed into place at the end */
	uint64_t calls;			/* call events written */
	uint64_t entries;		/* every entry of traceEvents */
	uint64_t truncated;		/* calls with parts past MT_TIMELINE_LEN */
	/* Set: each call's times are compensated (model/compensate.h). */
	const struct calibration *cal;
	const struct run_target *targets;
	/* Per path and op: can the probes tell this part apart? */
	bool known[MT_NR_PATHS][MT_NR_OPS][MT_NR_PARTS];
	/* Every thread seen, for the names written at the end. */
	struct thread_name *threads;
	size_t n_threads, cap_threads;
};

struct thread_name {
	uint32_t tid, tgid;		/* tid 0: a free slot */
	char comm[16];
	char process[16];		/* the process's name, read at first sight */
};

/* ns as the format's µs, every ns kept: "12.345". */
static void us(FILE *f, uint64_t ns)
{
	fprintf(f, "%" PRIu64 ".%03" PRIu64, ns / 1000, ns % 1000);
}

static const char *part_name(const struct chrome_trace *w, const struct mt_event *e, uint32_t part)
{
	int c;

	if (e->path < MT_NR_PATHS && e->op < MT_NR_OPS && !w->known[e->path][e->op][part])
		return "unattributed";
	for (c = 0; c < NR_PARTS; c++)
		if (part_table[c].id == part)
			return part_table[c].label;
	return "?";
}

static void read_process_name(uint32_t tgid, char *out, size_t len)
{
	char path[64];
	FILE *f;

	out[0] = 0;
	snprintf(path, sizeof(path), "/proc/%u/comm", tgid);
	f = fopen(path, "r");
	if (!f)
		return;
	if (fgets(out, len, f))
		out[strcspn(out, "\n")] = 0;
	fclose(f);
}

static size_t hash_tid(uint32_t tid, size_t cap)
{
	return (size_t)(tid * 2654435761u) & (cap - 1);
}

static struct thread_name *thread_find(const struct chrome_trace *w, uint32_t tid)
{
	size_t i, mask = w->cap_threads - 1;

	if (!w->cap_threads)
		return NULL;
	for (i = hash_tid(tid, w->cap_threads); w->threads[i].tid; i = (i + 1) & mask)
		if (w->threads[i].tid == tid)
			return &w->threads[i];
	return NULL;
}

/* An open-addressed table of threads, by tid, grown at half full. */
static struct thread_name *thread_slot(struct chrome_trace *w, uint32_t tid)
{
	struct thread_name *found = thread_find(w, tid);
	size_t i, mask;

	if (!tid || found)
		return found;
	if (2 * (w->n_threads + 1) > w->cap_threads) {
		size_t cap = w->cap_threads ? 2 * w->cap_threads : 64;
		struct thread_name *thread = calloc(cap, sizeof(*thread));

		if (!thread)
			return NULL;
		for (i = 0; i < w->cap_threads; i++) {
			size_t j = hash_tid(w->threads[i].tid, cap);

			if (!w->threads[i].tid)
				continue;
			while (thread[j].tid)
				j = (j + 1) & (cap - 1);
			thread[j] = w->threads[i];
		}
		free(w->threads);
		w->threads = thread;
		w->cap_threads = cap;
	}
	mask = w->cap_threads - 1;
	for (i = hash_tid(tid, w->cap_threads); w->threads[i].tid; i = (i + 1) & mask)
		;
	w->threads[i].tid = tid;
	w->n_threads++;
	return &w->threads[i];
}

static void remember_thread(struct chrome_trace *w, const struct mt_event *e)
{
	struct thread_name *thread = thread_slot(w, e->pid);

	if (!thread || thread->comm[0])
		return;
	thread->tgid = e->tgid;
	memcpy(thread->comm, e->comm, sizeof(thread->comm));
	thread->comm[sizeof(thread->comm) - 1] = 0;
	read_process_name(e->tgid, thread->process, sizeof(thread->process));
}

/* A comma before every entry but the first. */
static void next_entry(struct chrome_trace *w)
{
	fputs(w->entries++ ? ",\n" : "\n", w->f);
}

static void complete_event(struct chrome_trace *w, const char *name, const char *cat,
			   const struct mt_event *e, uint64_t start, uint64_t dur)
{
	FILE *f = w->f;

	next_entry(w);
	fprintf(f, "{\"name\":\"%s\",\"cat\":\"%s\",\"ph\":\"X\",\"pid\":%u,\"tid\":%u,\"ts\":",
		name, cat, e->tgid, e->pid);
	us(f, start);
	fprintf(f, ",\"dur\":");
	us(f, dur);
}

/*
 * The parts past the last kept one, as one event: how much each part had
 * there is the record's total per part minus what the kept ones had.
 */
static void rest_event(struct chrome_trace *w, const struct mt_event *e, uint64_t from,
		       uint64_t total, const uint64_t *part_ns, const uint64_t *kept)
{
	FILE *f = w->f;
	char name[64];
	int c;

	snprintf(name, sizeof(name), "(%u more part changes)", e->timeline.more);
	complete_event(w, name, "part", e, e->start_ns + from, total - from);
	fprintf(f, ",\"args\":{");
	for (c = 0; c < NR_PARTS; c++)
		fprintf(f, "%s\"%s_ns\":%" PRIu64, c ? "," : "", part_table[c].key,
			part_ns[part_table[c].id] - kept[part_table[c].id]);
	fprintf(f, "}}");
}

/*
 * A part's time on the timeline, compensated as the call's totals are:
 * each part's stretches shrink in proportion, so that they sum to the
 * part's compensated time (a running sum per part, so that rounding does
 * not add up). @raw and @comp: the part's raw time so far and its
 * compensated time so far, both updated.
 */
static uint64_t scaled(uint64_t len, uint64_t raw_total, uint64_t comp_total,
		       uint64_t *raw, uint64_t *comp)
{
	uint64_t before = *comp;

	*raw += len;
	*comp = raw_total ? (uint64_t)((double)*raw * comp_total / raw_total + 0.5) : 0;
	if (*comp > comp_total)
		*comp = comp_total;
	return *comp - before;
}

static void add_call(void *ctx, const void *record)
{
	struct chrome_trace *w = ctx;
	const struct mt_event *e = record;
	uint64_t from = 0, raw_from = 0, kept[MT_NR_PARTS] = {};
	uint64_t part_ns[MT_NR_PARTS], raw_seen[MT_NR_PARTS] = {}, total;
	FILE *f = w->f;
	uint32_t i, n;

	compensate_event(w->cal, w->targets, e, part_ns, &total);
	remember_thread(w, e);
	complete_event(w, op_name(e->op), path_name(e->path), e, e->start_ns, total);
	fprintf(f, ",\"args\":{\"path\":\"%s\",\"size\":%" PRIu64 ",\"ret\":%" PRId64
		",\"offcpu_switches\":%u,\"raw_total_ns\":%" PRIu64 "}}", path_name(e->path),
		(uint64_t)e->size, (int64_t)e->ret, e->offcpu_switches, (uint64_t)e->total_ns);
	n = e->timeline.n < MT_TIMELINE_LEN ? e->timeline.n : MT_TIMELINE_LEN;
	for (i = 0; i < n; i++) {
		uint64_t end = e->timeline.end_ns[i], len;
		uint32_t part = e->timeline.part[i];

		if (end > e->total_ns || end < raw_from || part >= MT_NR_PARTS)
			break;	/* not ours: a record never has these */
		len = scaled(end - raw_from, e->part_ns[part], part_ns[part], &raw_seen[part],
			     &kept[part]);
		raw_from = end;
		/* Zero-length parts (two probes in the same ns) are left out. */
		if (len) {
			complete_event(w, part_name(w, e, part), "part", e, e->start_ns + from, len);
			fprintf(f, "}");
		}
		from += len;
	}
	if (e->timeline.more && from < total) {
		rest_event(w, e, from, total, part_ns, kept);
		w->truncated++;
	}
	w->calls++;
}

/*
 * Each process is named once: by its leader's entry if the leader was
 * seen, else by the first of its threads in the table.
 */
static bool first_of_process(const struct chrome_trace *w, size_t i)
{
	const struct thread_name *thread = &w->threads[i];
	size_t j;

	if (thread->tid == thread->tgid)
		return true;
	if (thread_find(w, thread->tgid))
		return false;
	for (j = 0; j < i; j++)
		if (w->threads[j].tid && w->threads[j].tgid == thread->tgid)
			return false;
	return true;
}

int chrome_trace_write(const char *path, struct record_store *records,
		       const struct run_target *targets, const struct calibration *cal,
		       uint64_t dropped, const char *kernel, struct chrome_trace_counts *counts)
{
	struct chrome_trace w = { .cal = cal, .targets = targets };
	struct atomic_file file;
	struct mt_key key = {};
	size_t i;
	int err;

	*counts = (struct chrome_trace_counts){};
	for (key.path = 0; key.path < MT_NR_PATHS; key.path++)
		for (key.op = 0; key.op < MT_NR_OPS; key.op++)
			breakdown_known_parts(&key, targets, w.known[key.path][key.op]);
	if (atomic_open(&file, path))
		return -1;
	w.f = file.f;
	/* displayTimeUnit: the viewers show ns, as the report does. */
	fprintf(w.f, "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[");
	err = records_replay(records, add_call, &w);
	if (err) {
		fprintf(stderr, "mymemtrace: --trace: reading back the records failed: %s\n",
			strerror(errno));
		free(w.threads);
		atomic_abort(&file);
		return -1;
	}
	for (i = 0; i < w.cap_threads; i++) {
		const struct thread_name *thread = &w.threads[i];

		if (!thread->tid)
			continue;
		next_entry(&w);
		fprintf(w.f, "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":%u,\"tid\":%u,\"args\":{\"name\":",
			thread->tgid, thread->tid);
		json_write_string(w.f, thread->comm);
		fprintf(w.f, "}}");
		if (!first_of_process(&w, i))
			continue;
		next_entry(&w);
		fprintf(w.f, "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":%u,\"tid\":0,\"args\":{\"name\":",
			thread->tgid);
		json_write_string(w.f, thread->process[0] ? thread->process : thread->comm);
		fprintf(w.f, "}}");
	}
	fprintf(w.f, "\n],\n\"otherData\":{\"tool\":\"mymemtrace\",\"kernel\":");
	json_write_string(w.f, kernel ? kernel : "?");
	fprintf(w.f, ",\"calls\":%" PRIu64 ",\"dropped_events\":%" PRIu64
		",\"lost_records\":%" PRIu64 ",\"calls_with_parts_merged\":%" PRIu64
		",\"max_parts_kept\":%d,\"compensated\":%s}}\n",
		w.calls, dropped, records->lost, w.truncated, MT_TIMELINE_LEN,
		cal && cal->compensated ? "true" : "false");
	free(w.threads);
	counts->calls = w.calls;
	counts->merged = w.truncated;
	if (atomic_commit(&file))
		return -1;
	if (records->lost) {
		fprintf(stderr, "mymemtrace: --trace: %llu records could not be kept (no memory, or the spool file failed): %s lacks them\n",
			(unsigned long long)records->lost, path);
		return -1;
	}
	return 0;
}

int chrome_trace_export(const char *path, struct record_store *records, const struct run *run,
			uint64_t min_latency_ns)
{
	struct chrome_trace_counts counts;
	char left_out[96];

	if (chrome_trace_write(path, records, run->targets, &run->cal, run->events_dropped,
			       run->kernel, &counts))
		return -1;
	records_left_out(left_out, sizeof(left_out), run, min_latency_ns);
	fprintf(stderr, "mymemtrace: %llu calls written to %s (open it in ui.perfetto.dev), %llu dropped%s%s\n",
		(unsigned long long)counts.calls, path, (unsigned long long)run->events_dropped,
		left_out, counts.merged ? "; calls with more parts than kept end in one merged part" : "");
	return 0;
}
