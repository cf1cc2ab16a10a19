/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ring buffer's records, kept for the end of the run: every stream
 * (--events, --trace) is formatted from them once the run is over, as perf
 * record and perf script divide the work.
 *
 * While the run goes on, each record is only copied into memory taken and
 * touched before the run (a few dozen instructions: the reader keeps up
 * with the ring buffer, and costs the traced run little). Past a bound the
 * memory is emptied into a spool file beside the first output, unlinked.
 */
#ifndef MYMEMTRACE_STREAM_RECORDS_H
#define MYMEMTRACE_STREAM_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct record_store {
	size_t record_size;		/* every record's, as the BPF side sends it */
	const char *spool_beside;	/* the spool is SPOOL_BESIDE.spool */
	/* Records in memory: full chunks, then the one being filled. */
	char **chunks;
	size_t n_chunks, used_chunks;	/* taken; holding records */
	char *pos, *end;		/* in chunks[used_chunks - 1] */
	FILE *spool;			/* older records past the bound */
	uint64_t kept;			/* records held, in memory or spooled */
	uint64_t lost;			/* records not kept: no memory, or the spool failed */
};

/* Takes the memory for records of @record_size bytes. 0, or -1 with a message. */
int records_open(struct record_store *s, size_t record_size, const char *spool_beside);
/* The ring buffer callback; @ctx is the store. */
int records_handle(void *ctx, void *data, size_t len);
/* Each record kept, oldest first, handed to @fn. 0, or -1 (errno set). */
int records_replay(struct record_store *s, void (*fn)(void *ctx, const void *record),
		   void *ctx);
/* Frees the memory and the spool. */
void records_free(struct record_store *s);

/* ", N faster than --min-latency left out" into @buf, if @min_latency_ns; else "". */
struct run;
void records_left_out(char *buf, size_t len, const struct run *run, uint64_t min_latency_ns);

/* The calling thread, the ring buffer's reader, ahead of the traced threads. */
void records_reader_priority(bool verbose);

#endif /* MYMEMTRACE_STREAM_RECORDS_H */
