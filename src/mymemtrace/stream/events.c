// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/types.h>

#include "atomic_file.h"
#include "mymemtrace.h"
#include "model/compensate.h"
#include "model/names.h"
#include "model/parts.h"
#include "stream/events.h"

#define LINE_MAX_LEN	512		/* a record's line: 15 numbers and names */

/* What formatting the records needs, and what it counted. */
struct events_out {
	FILE *f;
	bool csv;
	const struct calibration *cal;
	const struct run_target *targets;
	uint64_t written;
	char line[LINE_MAX_LEN];
};

/* Formatting, without printf: the records can be tens of millions. */
static char *put_u64(char *p, uint64_t v)
{
	char digits[20];
	int n = 0;

	do {
		digits[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (n)
		*p++ = digits[--n];
	return p;
}

static char *put_s64(char *p, int64_t v)
{
	if (v < 0) {
		*p++ = '-';
		return put_u64(p, -(uint64_t)v);
	}
	return put_u64(p, v);
}

static char *put_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

/* One record's line: CSV in the header's order, or a JSON object. */
static size_t format_event(const struct events_out *w, const struct mt_event *e, char *line)
{
	uint64_t total, part[MT_NR_PARTS];
	bool csv = w->csv;
	char *p = line;
	int c;

	compensate_event(w->cal, w->targets, e, part, &total);
#define FIELD(name) (p = put_str(p, csv ? (p == line ? "" : ",") : \
				 (p == line ? "{\"" name "\":" : ",\"" name "\":")))
	FIELD("start_ns"); p = put_u64(p, e->start_ns);
	FIELD("tid"); p = put_u64(p, e->pid);
	FIELD("tgid"); p = put_u64(p, e->tgid);
	FIELD("path"); p = put_str(p, csv ? "" : "\""); p = put_str(p, path_name(e->path));
	p = put_str(p, csv ? "" : "\"");
	FIELD("op"); p = put_str(p, csv ? "" : "\""); p = put_str(p, op_name(e->op));
	p = put_str(p, csv ? "" : "\"");
	FIELD("size"); p = put_u64(p, e->size);
	FIELD("ret"); p = put_s64(p, e->ret);
	FIELD("total_ns"); p = put_u64(p, total);
#undef FIELD
	/* The parts in the parts table's order, as the CSV export has them. */
	for (c = 0; c < NR_PARTS; c++) {
		if (csv) {
			p = put_str(p, ",");
		} else {
			p = put_str(p, ",\"");
			p = put_str(p, part_table[c].key);
			p = put_str(p, "_ns\":");
		}
		p = put_u64(p, part[part_table[c].id]);
	}
	/* As the probes saw it, their own cost included. */
	p = put_str(p, csv ? "," : ",\"offcpu_switches\":");
	p = put_u64(p, e->offcpu_switches);
	p = put_str(p, csv ? "," : ",\"raw_total_ns\":");
	p = put_u64(p, e->total_ns);
	p = put_str(p, csv ? "\n" : "}\n");
	return p - line;
}

static void write_record(void *ctx, const void *rec)
{
	struct events_out *o = ctx;
	struct mt_event e;

	memset(&e, 0, sizeof(e));
	memcpy(&e, rec, MT_EVENT_BASE_SIZE);
	fwrite_unlocked(o->line, format_event(o, &e, o->line), 1, o->f);
	o->written++;
}

int events_write(const char *path, struct record_store *records,
		 const struct calibration *cal, const struct run_target *targets,
		 uint64_t *written)
{
	size_t len = strlen(path);
	struct events_out o = {
		.csv = len > 4 && !strcmp(path + len - 4, ".csv"),
		.cal = cal, .targets = targets,
	};
	struct atomic_file file;
	int c;

	*written = 0;
	if (atomic_open(&file, path))
		return -1;
	o.f = file.f;
	if (o.csv) {
		fputs("start_ns,tid,tgid,path,op,size,ret,total_ns", o.f);
		for (c = 0; c < NR_PARTS; c++)
			fprintf(o.f, ",%s_ns", part_table[c].key);
		fputs(",offcpu_switches,raw_total_ns\n", o.f);
	}
	if (records_replay(records, write_record, &o)) {
		fprintf(stderr, "mymemtrace: --events: reading back the records failed: %s\n",
			strerror(errno));
		atomic_abort(&file);
		return -1;
	}
	if (atomic_commit(&file))
		return -1;
	*written = o.written;
	/* Written with what was kept; the exit status says some was not. */
	if (records->lost) {
		fprintf(stderr, "mymemtrace: --events: %llu records could not be kept (no memory, or the spool file failed): %s lacks them\n",
			(unsigned long long)records->lost, path);
		return -1;
	}
	return 0;
}

int events_export(const char *path, struct record_store *records, const struct run *run,
		  uint64_t min_latency_ns)
{
	char left_out[96];
	uint64_t written;
	int err = events_write(path, records, &run->cal, run->targets, &written);

	records_left_out(left_out, sizeof(left_out), run, min_latency_ns);
	fprintf(stderr, "mymemtrace: %llu events written to %s, %llu dropped%s\n",
		(unsigned long long)written, path, (unsigned long long)run->events_dropped, left_out);
	return err;
}
