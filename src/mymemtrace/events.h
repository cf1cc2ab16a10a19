/* SPDX-License-Identifier: GPL-2.0 */
/* --events: one record per call from the ring buffer, as CSV or JSON lines. */
#ifndef MYMEMTRACE_EVENTS_H
#define MYMEMTRACE_EVENTS_H

#include <stdint.h>

#include "atomic_file.h"

struct ring_buffer;

struct calibration;
struct run_target;

struct events_writer {
	struct atomic_file file;	/* streamed into FILE.tmp */
	int csv;
	uint64_t written;
	/* Set: each call's times are compensated (compensate.h), raw beside. */
	const struct calibration *cal;
	const struct run_target *targets;
};

int events_open(struct events_writer *w, const char *path);
/* The ring buffer callback; @ctx is the writer. */
int events_handle(void *ctx, void *data, size_t len);
/* Renames the finished file into place. 0 or -1 (the temporary removed). */
int events_close(struct events_writer *w);

#endif /* MYMEMTRACE_EVENTS_H */
