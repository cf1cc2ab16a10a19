/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The mode switch, which no kernel probe sees: null syscalls (getppid)
 * timed from user space, minus their sys_enter..sys_exit window timed by
 * the BPF side. What remains is the entry and exit path around the
 * syscall tracepoints: the user/kernel transitions.
 */
#ifndef MYMEMTRACE_CALIBRATE_H
#define MYMEMTRACE_CALIBRATE_H

#include "breakdown.h"

#define CALIBRATION_CALLS 2000

/* Run from the thread whose tid the BPF side was given. */
void calibrate(int counters_fd, struct calibration *cal);

/*
 * This tool's own cost per call: 1-byte reads of @dev timed before the
 * probes are attached (untraced), then after (traced); the BPF side keeps
 * them out of the report. Returns the median of each in ns, 0 on failure.
 */
#define SELF_CALIBRATION_CALLS 1000
uint64_t time_device_reads(const char *dev);
void calibrate_self(uint64_t untraced_ns, uint64_t traced_ns, struct calibration *cal);

#endif /* MYMEMTRACE_CALIBRATE_H */
