/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --events: one line per call from the ring buffer's records, as CSV or
 * JSON lines, written when the run ends (stream/records.h).
 */
#ifndef MYMEMTRACE_STREAM_EVENTS_H
#define MYMEMTRACE_STREAM_EVENTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "model/run.h"
#include "stream/records.h"

struct calibration;
struct run_target;

/*
 * The records kept, one line each, into @path (atomically): CSV when it
 * ends in .csv, else JSON lines. Each call's times are compensated when
 * @cal says so (model/compensate.h), raw_total_ns beside. @written: the
 * lines written. 0, or -1 with a message: the file could not be written
 * (nothing is left behind), or it was but lacks records not kept.
 */
int events_write(const char *path, struct record_store *records,
		 const struct calibration *cal, const struct run_target *targets,
		 uint64_t *written);

/* --events: the file, and its line on stderr (written, dropped, left out). 0, or -1. */
int events_export(const char *path, struct record_store *records, const struct run *run,
		  uint64_t min_latency_ns);

#endif /* MYMEMTRACE_STREAM_EVENTS_H */
