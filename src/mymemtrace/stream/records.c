// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "model/run.h"
#include "stream/records.h"

/*
 * Records are kept in chunks of memory, mapped and touched up front
 * (MAP_POPULATE): a page first touched inside the run would cost the
 * traced calls its zeroing. PREFAULT_CHUNKS are taken at start (32 MiB,
 * some 320 000 records without a timeline); past MAX_CHUNKS the chunks
 * are emptied into the spool file and reused, so memory stays bounded on
 * a long run.
 */
#define CHUNK_BYTES	(8u << 20)
#define PREFAULT_CHUNKS	4
#define MAX_CHUNKS	32

static size_t chunk_used_bytes(const struct record_store *s)
{
	return CHUNK_BYTES / s->record_size * s->record_size;
}

static char *map_chunk(void)
{
	void *p = mmap(NULL, CHUNK_BYTES, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* One more chunk in s->chunks. 0, or -1. */
static int add_chunk(struct record_store *s)
{
	char **more, *chunk;

	if (s->n_chunks == MAX_CHUNKS)
		return -1;
	more = realloc(s->chunks, (s->n_chunks + 1) * sizeof(*more));
	if (!more)
		return -1;
	s->chunks = more;
	chunk = map_chunk();
	if (!chunk)
		return -1;
	s->chunks[s->n_chunks++] = chunk;
	return 0;
}

int records_open(struct record_store *s, size_t record_size, const char *spool_beside)
{
	memset(s, 0, sizeof(*s));
	s->record_size = record_size;
	s->spool_beside = spool_beside;
	while (s->n_chunks < PREFAULT_CHUNKS)
		if (add_chunk(s)) {
			fprintf(stderr, "mymemtrace: cannot take %u MiB of memory for the ring buffer's records\n",
				PREFAULT_CHUNKS * (CHUNK_BYTES >> 20));
			records_free(s);
			return -1;
		}
	s->used_chunks = 1;
	s->pos = s->chunks[0];
	s->end = s->pos + chunk_used_bytes(s);
	return 0;
}

/* The chunks held so far, into the spool (opened beside the output, unlinked). 0, or -1. */
static int spill(struct record_store *s)
{
	char spool[PATH_MAX];
	size_t i;
	int fd;

	if (!s->spool) {
		if (snprintf(spool, sizeof(spool), "%s.spool", s->spool_beside) >= (int)sizeof(spool))
			return -1;
		unlink(spool);	/* a killed run's */
		fd = open(spool, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0)
			return -1;
		unlink(spool);
		s->spool = fdopen(fd, "w+");
		if (!s->spool) {
			close(fd);
			return -1;
		}
	}
	for (i = 0; i < s->used_chunks; i++)
		if (fwrite(s->chunks[i], chunk_used_bytes(s), 1, s->spool) != 1)
			return -1;
	return 0;
}

/* The next chunk to fill: a new one, or, at the bound, the first after a spill. 0, or -1. */
static int next_chunk(struct record_store *s)
{
	if (s->used_chunks == s->n_chunks && add_chunk(s)) {
		if (spill(s)) {
			fprintf(stderr, "mymemtrace: cannot keep more of the ring buffer's records (%s): counting the rest as lost\n",
				strerror(errno));
			return -1;
		}
		s->used_chunks = 0;
	}
	s->pos = s->chunks[s->used_chunks++];
	s->end = s->pos + chunk_used_bytes(s);
	return 0;
}

int records_handle(void *ctx, void *data, size_t len)
{
	struct record_store *s = ctx;

	if (len < s->record_size)
		return 0;
	if (s->pos == s->end && (s->lost || next_chunk(s))) {
		s->lost++;
		return 0;
	}
	memcpy(s->pos, data, s->record_size);
	s->pos += s->record_size;
	s->kept++;
	return 0;
}

int records_replay(struct record_store *s, void (*fn)(void *ctx, const void *record),
		   void *ctx)
{
	char *rec;
	const char *p;
	size_t i;

	if (!s->chunks)
		return 0;
	if (s->spool) {
		rec = malloc(s->record_size);
		if (!rec || fflush(s->spool) || fseek(s->spool, 0, SEEK_SET)) {
			free(rec);
			return -1;
		}
		while (fread_unlocked(rec, s->record_size, 1, s->spool) == 1)
			fn(ctx, rec);
		free(rec);
		if (ferror(s->spool))
			return -1;
	}
	for (i = 0; i < s->used_chunks; i++) {
		const char *end = i + 1 == s->used_chunks ? s->pos :
				  s->chunks[i] + chunk_used_bytes(s);

		for (p = s->chunks[i]; p < end; p += s->record_size)
			fn(ctx, p);
	}
	return 0;
}

void records_free(struct record_store *s)
{
	size_t i;

	for (i = 0; i < s->n_chunks; i++)
		munmap(s->chunks[i], CHUNK_BYTES);
	free(s->chunks);
	s->chunks = NULL;
	s->n_chunks = s->used_chunks = 0;
	s->pos = s->end = NULL;
	if (s->spool)
		fclose(s->spool);
	s->spool = NULL;
}

/*
 * The ring buffer's reader runs ahead of the traced threads: nice -10 for
 * this thread alone (CMD, forked already, keeps its own). At equal weight,
 * 50 busy threads on 2 CPUs left the reader a fiftieth of them, and 64% of
 * the records were dropped; the reader sleeps whenever the buffer is
 * drained, so it takes no more than it needs. Not allowed: as it was.
 */
void records_reader_priority(bool verbose)
{
	if (setpriority(PRIO_PROCESS, syscall(SYS_gettid), -10) && verbose)
		fprintf(stderr, "mymemtrace: the ring buffer's reader keeps its priority: %s\n",
			strerror(errno));
}

/* ", N faster than --min-latency left out", when it was given. */
void records_left_out(char *buf, size_t len, const struct run *run, uint64_t min_latency_ns)
{
	buf[0] = '\0';
	if (min_latency_ns)
		snprintf(buf, len, ", %llu faster than --min-latency left out",
			 (unsigned long long)run->events_below_min);
}
