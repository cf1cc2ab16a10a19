// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <linux/types.h>

#include "aggregate.h"
#include "events.h"
#include "mymemtrace.h"

int events_open(struct events_writer *w, const char *path)
{
	size_t len = strlen(path);

	memset(w, 0, sizeof(*w));
	w->csv = len > 4 && !strcmp(path + len - 4, ".csv");
	if (atomic_open(&w->file, path))
		return -1;
	if (w->csv)
		fprintf(w->file.f, "start_ns,tid,tgid,path,op,size,ret,total_ns,dispatch_ns,"
			"buffer_ns,lock_wait_ns,copy_ns,offcpu_ns,offcpu_switches\n");
	return 0;
}

int events_handle(void *ctx, void *data, size_t len)
{
	struct events_writer *w = ctx;
	const struct mt_event *e = data;
	const char *fmt;

	if (len < sizeof(*e))
		return 0;
	fmt = w->csv ?
		"%" PRIu64 ",%u,%u,%s,%s,%" PRIu64 ",%" PRId64 ",%" PRIu64 ",%" PRIu64
		",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%u\n" :
		"{\"start_ns\":%" PRIu64 ",\"tid\":%u,\"tgid\":%u,\"path\":\"%s\",\"op\":\"%s\","
		"\"size\":%" PRIu64 ",\"ret\":%" PRId64 ",\"total_ns\":%" PRIu64
		",\"dispatch_ns\":%" PRIu64 ",\"buffer_ns\":%" PRIu64 ",\"lock_wait_ns\":%" PRIu64
		",\"copy_ns\":%" PRIu64 ",\"offcpu_ns\":%" PRIu64 ",\"offcpu_switches\":%u}\n";
	fprintf(w->file.f, fmt, (uint64_t)e->start_ns, e->pid, e->tgid, path_name(e->path),
		op_name(e->op), (uint64_t)e->size, (int64_t)e->ret, (uint64_t)e->total_ns,
		(uint64_t)e->comp_ns[MT_COMP_DISPATCH], (uint64_t)e->comp_ns[MT_COMP_BUFFER],
		(uint64_t)e->comp_ns[MT_COMP_LOCK], (uint64_t)e->comp_ns[MT_COMP_COPY],
		(uint64_t)e->comp_ns[MT_COMP_OFFCPU], e->offcpu_switches);
	w->written++;
	return 0;
}

int events_close(struct events_writer *w)
{
	if (!w->file.f)
		return 0;
	return atomic_commit(&w->file);
}
