// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <linux/types.h>

#include "aggregate.h"
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
	fprintf(w->file.f, ",offcpu_switches\n");
	return 0;
}

int events_handle(void *ctx, void *data, size_t len)
{
	struct events_writer *w = ctx;
	const struct mt_event *e = data;
	FILE *f = w->file.f;
	int c;

	if (len < MT_EVENT_BASE_SIZE)
		return 0;
	if (w->csv)
		fprintf(f, "%" PRIu64 ",%u,%u,%s,%s,%" PRIu64 ",%" PRId64 ",%" PRIu64,
			(uint64_t)e->start_ns, e->pid, e->tgid, path_name(e->path), op_name(e->op),
			(uint64_t)e->size, (int64_t)e->ret, (uint64_t)e->total_ns);
	else
		fprintf(f, "{\"start_ns\":%" PRIu64 ",\"tid\":%u,\"tgid\":%u,\"path\":\"%s\","
			"\"op\":\"%s\",\"size\":%" PRIu64 ",\"ret\":%" PRId64 ",\"total_ns\":%" PRIu64,
			(uint64_t)e->start_ns, e->pid, e->tgid, path_name(e->path), op_name(e->op),
			(uint64_t)e->size, (int64_t)e->ret, (uint64_t)e->total_ns);
	/* The parts in the parts table's order, as the CSV export has them. */
	for (c = 0; c < NR_PARTS; c++) {
		uint64_t ns = e->comp_ns[parts[c].comp];

		if (w->csv)
			fprintf(f, ",%" PRIu64, ns);
		else
			fprintf(f, ",\"%s_ns\":%" PRIu64, parts[c].key, ns);
	}
	fprintf(f, w->csv ? ",%u\n" : ",\"offcpu_switches\":%u}\n", e->offcpu_switches);
	w->written++;
	return 0;
}

int events_close(struct events_writer *w)
{
	if (!w->file.f)
		return 0;
	return atomic_commit(&w->file);
}
