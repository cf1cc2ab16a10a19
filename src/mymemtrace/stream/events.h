/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --events: one record per call from the ring buffer, as CSV or JSON lines.
 *
 * While the run goes on, each record is only copied into memory taken and
 * touched before the run (a few dozen instructions: the reader keeps up
 * with the ring buffer, and costs the traced run little); the file is
 * written from it when the run ends, compensated and formatted, as perf
 * record and perf script divide the work. Past a bound the memory is
 * emptied into a spool file beside FILE.
 */
#ifndef MYMEMTRACE_EVENTS_H
#define MYMEMTRACE_EVENTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "atomic_file.h"

struct calibration;
struct run_target;

struct events_writer {
	struct atomic_file file;	/* FILE.tmp, renamed into place at close */
	int csv;
	/* Records in memory: full chunks, then the one being filled. */
	char **chunks;
	size_t n_chunks, used_chunks;	/* taken; holding records */
	char *pos, *end;		/* in chunks[used_chunks - 1] */
	FILE *spool;			/* older records past the bound; unlinked */
	uint64_t lost;			/* records not kept: no memory, or the spool failed */
	uint64_t written;		/* records in the file */
	/* Set: each call's times are compensated (compensate.h), raw beside. */
	const struct calibration *cal;
	const struct run_target *targets;
};

/* Takes the memory for the records. 0, or -1 with a message. */
int events_open(struct events_writer *w, const char *path);
/* The ring buffer callback; @ctx is the writer. */
int events_handle(void *ctx, void *data, size_t len);
/*
 * Writes the file from the records kept and renames it into place. 0, or
 * -1 with a message: the file could not be written (nothing is left
 * behind), or it was but lacks records that could not be kept.
 */
int events_close(struct events_writer *w);
/* A run that failed part way: no file, and the spool goes. */
void events_abort(struct events_writer *w);

#endif /* MYMEMTRACE_EVENTS_H */
