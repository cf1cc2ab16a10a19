// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <linux/types.h>

#include "aggregate.h"
#include "compensate.h"
#include "events.h"
#include "mymemtrace.h"
#include "parts.h"

int events_open(struct events_writer *w, const char *path)
{
	size_t len = strlen(path);
	int c;

	memset(w, 0, sizeof(*w));
	w->csv = len > 4 && !strcmp(path + len - 4, ".csv");
	if (atomic_open(&w->file, path))
		return -1;
	if (!w->csv)
		return 0;
	fprintf(w->file.f, "start_ns,tid,tgid,path,op,size,ret,total_ns");
	for (c = 0; c < NR_PARTS; c++)
		fprintf(w->file.f, ",%s_ns", parts[c].key);
	fprintf(w->file.f, ",offcpu_switches,raw_total_ns\n");
	return 0;
}

int events_handle(void *ctx, void *data, size_t len)
{
	struct events_writer *w = ctx;
	const struct mt_event *e = data;
	uint64_t total, comp[MT_NR_COMPS];
	FILE *f = w->file.f;
	int c;

	if (len < MT_EVENT_BASE_SIZE)
		return 0;
	total = e->total_ns;
	for (c = 0; c < MT_NR_COMPS; c++)
		comp[c] = e->comp_ns[c];
	if (w->cal && w->cal->compensated) {
		struct mt_key key = { .path = e->path, .op = e->op, .size = e->size, .via = e->via };

		compensate_event(w->cal, w->targets, &key, e->fn_calls, comp, &total);
	}
	if (w->csv)
		fprintf(f, "%" PRIu64 ",%u,%u,%s,%s,%" PRIu64 ",%" PRId64 ",%" PRIu64,
			(uint64_t)e->start_ns, e->pid, e->tgid, path_name(e->path), op_name(e->op),
			(uint64_t)e->size, (int64_t)e->ret, total);
	else
		fprintf(f, "{\"start_ns\":%" PRIu64 ",\"tid\":%u,\"tgid\":%u,\"path\":\"%s\","
			"\"op\":\"%s\",\"size\":%" PRIu64 ",\"ret\":%" PRId64 ",\"total_ns\":%" PRIu64,
			(uint64_t)e->start_ns, e->pid, e->tgid, path_name(e->path), op_name(e->op),
			(uint64_t)e->size, (int64_t)e->ret, total);
	/* The parts in the parts table's order, as the CSV export has them. */
	for (c = 0; c < NR_PARTS; c++) {
		uint64_t ns = comp[parts[c].comp];

		if (w->csv)
			fprintf(f, ",%" PRIu64, ns);
		else
			fprintf(f, ",\"%s_ns\":%" PRIu64, parts[c].key, ns);
	}
	/* As the probes saw it, their own cost included. */
	fprintf(f, w->csv ? ",%u,%" PRIu64 "\n" : ",\"offcpu_switches\":%u,\"raw_total_ns\":%" PRIu64 "}\n",
		e->offcpu_switches, (uint64_t)e->total_ns);
	w->written++;
	return 0;
}

int events_close(struct events_writer *w)
{
	if (!w->file.f)
		return 0;
	return atomic_commit(&w->file);
}
