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

#endif /* MYMEMTRACE_CALIBRATE_H */
