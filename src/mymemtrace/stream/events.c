// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/types.h>

#include "model/names.h"
#include "model/compensate.h"
#include "stream/events.h"
#include "mymemtrace.h"
#include "model/parts.h"

/*
 * Records are kept in chunks of memory, mapped and touched up front
 * (MAP_POPULATE): a page first touched inside the run would cost the
 * traced calls its zeroing. PREFAULT_CHUNKS are taken at start (32 MiB,
 * some 320 000 records); past MAX_CHUNKS the chunks are emptied into the
 * spool file and reused, so memory stays bounded on a long run.
 */
#define CHUNK_BYTES	(8u << 20)
#define CHUNK_RECORDS	(CHUNK_BYTES / MT_EVENT_BASE_SIZE)
#define PREFAULT_CHUNKS	4
#define MAX_CHUNKS	32
#define LINE_MAX_LEN	512		/* a record's line: 15 numbers and names */

static char *map_chunk(void)
{
	void *p = mmap(NULL, CHUNK_BYTES, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* One more chunk in w->chunks. 0, or -1. */
static int add_chunk(struct events_writer *w)
{
	char **more, *chunk;

	if (w->n_chunks == MAX_CHUNKS)
		return -1;
	more = realloc(w->chunks, (w->n_chunks + 1) * sizeof(*more));
	if (!more)
		return -1;
	w->chunks = more;
	chunk = map_chunk();
	if (!chunk)
		return -1;
	w->chunks[w->n_chunks++] = chunk;
	return 0;
}

int events_open(struct events_writer *w, const char *path)
{
	size_t len = strlen(path);

	memset(w, 0, sizeof(*w));
	w->file.path = path;
	w->csv = len > 4 && !strcmp(path + len - 4, ".csv");
	while (w->n_chunks < PREFAULT_CHUNKS)
		if (add_chunk(w)) {
			fprintf(stderr, "mymemtrace: --events: cannot take %u MiB of memory for the records\n",
				PREFAULT_CHUNKS * (CHUNK_BYTES >> 20));
			events_abort(w);
			return -1;
		}
	w->used_chunks = 1;
	w->pos = w->chunks[0];
	w->end = w->pos + CHUNK_RECORDS * MT_EVENT_BASE_SIZE;
	return 0;
}

/* The chunks held so far, into the spool (opened beside FILE, unlinked). 0, or -1. */
static int spill(struct events_writer *w)
{
	char spool[PATH_MAX];
	size_t i;
	int fd;

	if (!w->spool) {
		if (snprintf(spool, sizeof(spool), "%s.spool", w->file.path) >= (int)sizeof(spool))
			return -1;
		unlink(spool);	/* a killed run's */
		fd = open(spool, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0)
			return -1;
		unlink(spool);
		w->spool = fdopen(fd, "w+");
		if (!w->spool) {
			close(fd);
			return -1;
		}
	}
	for (i = 0; i < w->used_chunks; i++)
		if (fwrite(w->chunks[i], CHUNK_RECORDS * MT_EVENT_BASE_SIZE, 1, w->spool) != 1)
			return -1;
	return 0;
}

/* The next chunk to fill: a new one, or, at the bound, the first after a spill. 0, or -1. */
static int next_chunk(struct events_writer *w)
{
	if (w->used_chunks == w->n_chunks && add_chunk(w)) {
		if (spill(w)) {
			fprintf(stderr, "mymemtrace: --events: cannot keep more records (%s): counting the rest as lost\n",
				strerror(errno));
			return -1;
		}
		w->used_chunks = 0;
	}
	w->pos = w->chunks[w->used_chunks++];
	w->end = w->pos + CHUNK_RECORDS * MT_EVENT_BASE_SIZE;
	return 0;
}

int events_handle(void *ctx, void *data, size_t len)
{
	struct events_writer *w = ctx;

	if (len < MT_EVENT_BASE_SIZE)
		return 0;
	if (w->pos == w->end && (w->lost || next_chunk(w))) {
		w->lost++;
		return 0;
	}
	memcpy(w->pos, data, MT_EVENT_BASE_SIZE);
	w->pos += MT_EVENT_BASE_SIZE;
	return 0;
}

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
static size_t format_event(const struct events_writer *w, const struct mt_event *e, char *line)
{
	uint64_t total = e->total_ns, part[MT_NR_PARTS];
	bool csv = w->csv;
	char *p = line;
	int c;

	for (c = 0; c < MT_NR_PARTS; c++)
		part[c] = e->part_ns[c];
	if (w->cal && w->cal->compensated) {
		struct mt_key key = { .path = e->path, .op = e->op, .size = e->size, .via = e->via };

		compensate_event(w->cal, w->targets, &key, e->fn_calls, part, &total);
	}
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

static void write_record(struct events_writer *w, const void *rec, char *line)
{
	struct mt_event e;

	memset(&e, 0, sizeof(e));
	memcpy(&e, rec, MT_EVENT_BASE_SIZE);
	fwrite_unlocked(line, format_event(w, &e, line), 1, w->file.f);
	w->written++;
}

/* The records kept, formatted into the file, oldest first. 0, or -1 (errno set). */
static int write_records(struct events_writer *w)
{
	char line[LINE_MAX_LEN], rec[MT_EVENT_BASE_SIZE];
	FILE *out = w->file.f;
	const char *p;
	size_t i;
	int c;

	if (w->csv) {
		fputs("start_ns,tid,tgid,path,op,size,ret,total_ns", out);
		for (c = 0; c < NR_PARTS; c++)
			fprintf(out, ",%s_ns", part_table[c].key);
		fputs(",offcpu_switches,raw_total_ns\n", out);
	}
	if (w->spool) {
		if (fflush(w->spool) || fseek(w->spool, 0, SEEK_SET))
			return -1;
		while (fread_unlocked(rec, sizeof(rec), 1, w->spool) == 1)
			write_record(w, rec, line);
		if (ferror(w->spool))
			return -1;
	}
	for (i = 0; i < w->used_chunks; i++) {
		const char *end = i + 1 == w->used_chunks ? w->pos :
				  w->chunks[i] + CHUNK_RECORDS * MT_EVENT_BASE_SIZE;

		for (p = w->chunks[i]; p < end; p += MT_EVENT_BASE_SIZE)
			write_record(w, p, line);
	}
	return 0;
}

static void free_records(struct events_writer *w)
{
	size_t i;

	for (i = 0; i < w->n_chunks; i++)
		munmap(w->chunks[i], CHUNK_BYTES);
	free(w->chunks);
	w->chunks = NULL;
	w->n_chunks = w->used_chunks = 0;
	if (w->spool)
		fclose(w->spool);
	w->spool = NULL;
}

int events_close(struct events_writer *w)
{
	int err;

	if (!w->chunks)
		return 0;
	if (atomic_open(&w->file, w->file.path)) {
		free_records(w);
		return -1;
	}
	err = write_records(w);
	if (err) {
		fprintf(stderr, "mymemtrace: --events: reading back the records failed: %s\n",
			strerror(errno));
		atomic_abort(&w->file);
	}
	free_records(w);
	if (err || atomic_commit(&w->file))
		return -1;
	/* Written with what was kept; the exit status says some was not. */
	if (w->lost) {
		fprintf(stderr, "mymemtrace: --events: %llu records could not be kept (no memory, or the spool file failed): %s lacks them\n",
			(unsigned long long)w->lost, w->file.path);
		return -1;
	}
	return 0;
}

void events_abort(struct events_writer *w)
{
	free_records(w);
	atomic_abort(&w->file);
}
