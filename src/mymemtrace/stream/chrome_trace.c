// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/types.h>

#include "model/names.h"
#include "model/breakdown.h"
#include "stream/chrome_trace.h"
#include "json.h"
#include "mymemtrace.h"
#include "model/parts.h"

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

int chrome_trace_open(struct chrome_trace *w, const char *path,
		      const struct run_target *targets)
{
	struct mt_key key = {};

	memset(w, 0, sizeof(*w));
	for (key.path = 0; key.path < MT_NR_PATHS; key.path++)
		for (key.op = 0; key.op < MT_NR_OPS; key.op++)
			breakdown_known_parts(&key, targets, w->known[key.path][key.op]);
	if (atomic_open(&w->file, path))
		return -1;
	/* displayTimeUnit: the viewers show ns, as the report does. */
	fprintf(w->file.f, "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[");
	return 0;
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
		struct thread_name *t = calloc(cap, sizeof(*t));

		if (!t)
			return NULL;
		for (i = 0; i < w->cap_threads; i++) {
			size_t j = hash_tid(w->threads[i].tid, cap);

			if (!w->threads[i].tid)
				continue;
			while (t[j].tid)
				j = (j + 1) & (cap - 1);
			t[j] = w->threads[i];
		}
		free(w->threads);
		w->threads = t;
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
	struct thread_name *t = thread_slot(w, e->pid);

	if (!t || t->comm[0])
		return;
	t->tgid = e->tgid;
	memcpy(t->comm, e->comm, sizeof(t->comm));
	t->comm[sizeof(t->comm) - 1] = 0;
	read_process_name(e->tgid, t->process, sizeof(t->process));
}

/* A comma before every entry but the first. */
static void next_entry(struct chrome_trace *w)
{
	fputs(w->entries++ ? ",\n" : "\n", w->file.f);
}

static void complete_event(struct chrome_trace *w, const char *name, const char *cat,
			   const struct mt_event *e, uint64_t start, uint64_t dur)
{
	FILE *f = w->file.f;

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
		       const uint64_t *kept)
{
	FILE *f = w->file.f;
	char name[64];
	int c;

	snprintf(name, sizeof(name), "(%u more part changes)", e->timeline.more);
	complete_event(w, name, "part", e, e->start_ns + from, e->total_ns - from);
	fprintf(f, ",\"args\":{");
	for (c = 0; c < NR_PARTS; c++)
		fprintf(f, "%s\"%s_ns\":%" PRIu64, c ? "," : "", part_table[c].key,
			(uint64_t)e->part_ns[part_table[c].id] - kept[part_table[c].id]);
	fprintf(f, "}}");
}

void chrome_trace_add(struct chrome_trace *w, const void *data, size_t len)
{
	const struct mt_event *e = data;
	uint64_t from = 0, kept[MT_NR_PARTS] = {};
	FILE *f = w->file.f;
	uint32_t i, n;

	if (len < sizeof(*e) || !f)
		return;
	remember_thread(w, e);
	complete_event(w, op_name(e->op), path_name(e->path), e, e->start_ns, e->total_ns);
	fprintf(f, ",\"args\":{\"path\":\"%s\",\"size\":%" PRIu64 ",\"ret\":%" PRId64
		",\"offcpu_switches\":%u}}", path_name(e->path), (uint64_t)e->size,
		(int64_t)e->ret, e->offcpu_switches);
	n = e->timeline.n < MT_TIMELINE_LEN ? e->timeline.n : MT_TIMELINE_LEN;
	for (i = 0; i < n; i++) {
		uint64_t end = e->timeline.end_ns[i];
		uint32_t part = e->timeline.part[i];

		if (end > e->total_ns || end < from || part >= MT_NR_PARTS)
			break;	/* not ours: a record never has these */
		/* Zero-length parts (two probes in the same ns) are left out. */
		if (end > from) {
			complete_event(w, part_name(w, e, part), "part", e, e->start_ns + from, end - from);
			fprintf(f, "}");
		}
		kept[part] += end - from;
		from = end;
	}
	if (e->timeline.more && from < e->total_ns) {
		rest_event(w, e, from, kept);
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
	const struct thread_name *t = &w->threads[i];
	size_t j;

	if (t->tid == t->tgid)
		return true;
	if (thread_find(w, t->tgid))
		return false;
	for (j = 0; j < i; j++)
		if (w->threads[j].tid && w->threads[j].tgid == t->tgid)
			return false;
	return true;
}

int chrome_trace_close(struct chrome_trace *w, uint64_t dropped, const char *kernel)
{
	FILE *f = w->file.f;
	size_t i;

	if (!f)
		return 0;
	for (i = 0; i < w->cap_threads; i++) {
		const struct thread_name *t = &w->threads[i];

		if (!t->tid)
			continue;
		next_entry(w);
		fprintf(f, "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":%u,\"tid\":%u,\"args\":{\"name\":",
			t->tgid, t->tid);
		json_write_string(f, t->comm);
		fprintf(f, "}}");
		if (!first_of_process(w, i))
			continue;
		next_entry(w);
		fprintf(f, "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":%u,\"tid\":0,\"args\":{\"name\":",
			t->tgid);
		json_write_string(f, t->process[0] ? t->process : t->comm);
		fprintf(f, "}}");
	}
	fprintf(f, "\n],\n\"otherData\":{\"tool\":\"mymemtrace\",\"kernel\":");
	json_write_string(f, kernel ? kernel : "?");
	fprintf(f, ",\"calls\":%" PRIu64 ",\"dropped_events\":%" PRIu64
		",\"calls_with_parts_merged\":%" PRIu64 ",\"max_parts_kept\":%d}}\n",
		w->calls, dropped, w->truncated, MT_TIMELINE_LEN);
	chrome_trace_free(w);
	return atomic_commit(&w->file);
}

void chrome_trace_free(struct chrome_trace *w)
{
	free(w->threads);
	w->threads = NULL;
	w->n_threads = w->cap_threads = 0;
}
