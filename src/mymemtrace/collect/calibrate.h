/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The start-up measurement of what this tool's probes cost, on the machine
 * and kernel at hand, with this run's programs and maps.
 *
 * The same three calls are timed before the probes are attached and after:
 * a null syscall (getcpu) and a 1-byte pread of the device, from user
 * space, and a mymem_kernel_read at the end of the buffer (it reads
 * nothing; the work cancels out), timed in the kernel
 * (MYMEM_IOC_TIME_KERNEL_READ). Traced, the probes also time each call's
 * window; the calls are made by the thread the BPF side knows as the
 * calibration thread, so they are aggregated apart (MT_SELF_PATH) and
 * never reported. model/compensate.c derives what to subtract from them.
 */
#ifndef MYMEMTRACE_COLLECT_CALIBRATE_H
#define MYMEMTRACE_COLLECT_CALIBRATE_H

#include "model/calibration.h"

/*
 * Traced, the calls go in batches: a window is known per batch (the
 * aggregate's mean), and the median over batches leaves out a batch that
 * an interrupt or a preemption hit.
 */
#define CALIB_BATCHES		21
#define CALIB_BATCH_CALLS	48
#define CALIB_CALLS		(CALIB_BATCHES * CALIB_BATCH_CALLS)

/* The untraced medians, taken before attaching; 0: that call failed. */
struct calib_untraced {
	uint64_t null_ns, read_ns, kernel_ns;
};

/* Run from the thread whose tid the BPF side was given. */
void calibrate_untraced(const char *dev, struct calib_untraced *u);
void calibrate_traced(const char *dev, int index_fd, int slots_fd,
		      const struct calib_untraced *u, struct calibration *cal);

/*
 * Says which measurements failed (the kernel path's only if it is traced,
 * @kernel_traced), and whether the figures are compensated: not with
 * --raw (@raw), which also keeps the traced estimate of the mode switch.
 */
void calibration_settle(struct calibration *cal, bool raw, bool kernel_traced);

#endif /* MYMEMTRACE_COLLECT_CALIBRATE_H */
