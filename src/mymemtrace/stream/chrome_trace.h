/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --trace FILE: every call from the ring buffer as a Chrome Trace Event
 * Format file (ui.perfetto.dev, chrome://tracing): one complete event per
 * call on its process and thread, its parts as complete events nested in
 * it, in the order they ran.
 */
#ifndef MYMEMTRACE_STREAM_CHROME_TRACE_H
#define MYMEMTRACE_STREAM_CHROME_TRACE_H

#include <stdint.h>

#include <linux/types.h>

#include "mymemtrace.h"
#include "model/calibration.h"
#include "model/run.h"
#include "model/targets.h"
#include "stream/records.h"

/* What the timeline holds. */
struct chrome_trace_counts {
	uint64_t calls;			/* call events written */
	uint64_t merged;		/* calls with parts past MT_TIMELINE_LEN */
};

/*
 * The records kept (stream/records.h), as a Chrome trace into @path,
 * atomically. @targets (NR_TARGETS) say which parts can be told apart:
 * the others are named "unattributed", as in the report. With @cal
 * compensated, each call and its parts have the probes' cost taken out
 * as --events and the report do (raw_total_ns beside). @dropped: records
 * the ring buffer could not take. 0, or -1 with a message.
 */
int chrome_trace_write(const char *path, struct record_store *records,
		       const struct run_target *targets, const struct calibration *cal,
		       uint64_t dropped, const char *kernel, struct chrome_trace_counts *counts);

/* --trace: the file, and its line on stderr (calls, dropped, left out). 0, or -1. */
int chrome_trace_export(const char *path, struct record_store *records, const struct run *run,
			uint64_t min_latency_ns);

#endif /* MYMEMTRACE_STREAM_CHROME_TRACE_H */
