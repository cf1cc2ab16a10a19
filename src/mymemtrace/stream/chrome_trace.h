/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --trace FILE: every call from the ring buffer as a Chrome Trace Event
 * Format file (ui.perfetto.dev, chrome://tracing): one complete event per
 * call on its process and thread, its parts as complete events nested in
 * it, in the order they ran.
 */
#ifndef MYMEMTRACE_CHROME_TRACE_H
#define MYMEMTRACE_CHROME_TRACE_H

#include <stdint.h>

#include "atomic_file.h"
#include "mymemtrace.h"
#include "model/targets.h"

struct thread_name;

struct chrome_trace {
	struct atomic_file file;	/* streamed into FILE.tmp */
	uint64_t calls;			/* call events written */
	uint64_t entries;		/* every entry of traceEvents */
	uint64_t truncated;		/* calls with parts past MT_TIMELINE_LEN */
	/* Per path and op: can the probes tell this part apart? */
	bool known[MT_NR_PATHS][MT_NR_OPS][MT_NR_PARTS];
	/* Every thread seen, for the names written at the end. */
	struct thread_name *threads;
	size_t n_threads, cap_threads;
};

/*
 * @targets (NR_TARGETS) say which parts can be told apart; the others are
 * named "unattributed" on the timeline, as in the report.
 */
int chrome_trace_open(struct chrome_trace *w, const char *path,
		      const struct run_target *targets);
/* One ring buffer record. */
void chrome_trace_add(struct chrome_trace *w, const void *data, size_t len);
/*
 * Writes the process and thread names and the metadata (@dropped: records
 * the ring buffer could not take), and renames the file into place.
 * 0, or -1 (the temporary removed).
 */
int chrome_trace_close(struct chrome_trace *w, uint64_t dropped, const char *kernel);
/* Frees what close did not (after a failure). */
void chrome_trace_free(struct chrome_trace *w);

#endif /* MYMEMTRACE_CHROME_TRACE_H */
