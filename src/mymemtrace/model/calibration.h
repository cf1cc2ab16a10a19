/* SPDX-License-Identifier: GPL-2.0 */
/* What the start-up calibration measured, as the run model keeps it. */
#ifndef MYMEMTRACE_MODEL_CALIBRATION_H
#define MYMEMTRACE_MODEL_CALIBRATION_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/types.h>

#include "mymemtrace.h"

/*
 * What the tracer measured at start-up (collect/calibrate.c), and the per-call
 * costs of its own probes derived from it (model/compensate.c subtracts them).
 * Every time is per call, in ns: a median over the calls (user-side and
 * in-kernel timings) or over batches of calls (the probes' windows).
 */
struct calibration {
	/* The mode switch, from null syscalls (getcpu). */
	bool valid;
	uint64_t calls;			/* traced null syscalls seen */
	uint64_t null_untraced_ns;	/* round trip from user space, untraced */
	uint64_t user_ns;		/* the same, traced */
	uint64_t kernel_ns;		/* its traced sys_enter..sys_exit window */
	uint64_t mode_switch_ns;	/* null_untraced_ns (--raw: user_ns - kernel_ns) */
	uint64_t raw_mode_switch_ns;	/* user_ns - kernel_ns */

	/* This tool's own cost per syscall-path call: 1-byte preads. */
	bool self_valid;
	uint64_t self_calls;
	uint64_t self_untraced_ns;	/* from user space, untraced */
	uint64_t self_traced_ns;	/* the same, traced */
	uint64_t self_ns;		/* the difference */
	uint64_t self_window_ns;	/* their traced window */
	/*
	 * Inside a syscall's window: what sys_enter and sys_exit add (the
	 * null syscall's window, all of it), and what the probes between
	 * them (module function, copy) add together: the read's extra cost
	 * over the null syscall's.
	 */
	uint64_t edge_ns;
	uint64_t inner_ns;

	/* The kernel path: mymem_kernel_read at the end of the buffer, timed in the kernel. */
	bool kernel_valid;
	uint64_t kernel_calls;
	uint64_t kernel_untraced_ns;
	uint64_t kernel_traced_ns;
	uint64_t kernel_window_ns;	/* the probes' window of the traced calls */
	uint64_t kernel_probe_ns;	/* what the probes add inside it */

	/* The figures have the probes' cost taken out (not --raw). */
	bool compensated;
	/* What that takes out of a 1-byte read, per path (compensation_settle). */
	uint64_t taken_out_ns[MT_NR_PATHS];
};

#endif /* MYMEMTRACE_MODEL_CALIBRATION_H */
