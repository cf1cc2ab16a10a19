// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE	/* O_NOATIME */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "clock.h"
#include "mymem.h"
#include "stats.h"
#include "collect/calibrate.h"
#include "collect/maps.h"

_Static_assert(MT_CALIB_OPEN_FLAGS == (O_NOATIME | O_SYNC),
	       "mymemtrace.h's calibration flags are this system's O_NOATIME | O_SYNC");

enum calib_call { CALL_NULL, CALL_READ, CALL_KERNEL, NR_CALLS };

/*
 * @n calls of @which, each timed as mymem-bench and mymem_test time theirs
 * (so that the untraced figures here are theirs): from user space around
 * the syscall, or in the kernel around mymem_kernel_read. 0, or -1.
 */
static int time_calls(enum calib_call which, int fd, uint64_t *ns, size_t n)
{
	/* At the end of the buffer, of the marked length (mymemtrace.h). */
	struct mymem_time_kernel_read arg = {
		.size = MT_CALIB_KERNEL_LEN, .calls = n, .samples_ptr = (uintptr_t)ns,
	};
	uint64_t buffer_size;
	char byte;
	size_t i;

	if (which == CALL_KERNEL) {
		if (ioctl(fd, MYMEM_IOC_GET_SIZE, &buffer_size))
			return -1;
		arg.pos = buffer_size;
		return ioctl(fd, MYMEM_IOC_TIME_KERNEL_READ, &arg) ? -1 : 0;
	}
	for (i = 0; i < n; i++) {
		uint64_t t0 = now_ns();

		if (which == CALL_NULL)
			syscall(SYS_getcpu, NULL, NULL, NULL);
		else if (pread(fd, &byte, 1, 0) != 1)
			return -1;
		ns[i] = now_ns() - t0;
	}
	return 0;
}

/* Marked, so that other tracers leave these calls out (mymemtrace.h). */
static int open_marked(const char *dev)
{
	return open(dev, O_RDONLY | O_CLOEXEC | O_NOATIME | O_SYNC);
}

void calibrate_untraced(const char *dev, struct calib_untraced *u)
{
	static uint64_t ns[NR_CALLS][CALIB_CALLS];
	uint64_t *out[NR_CALLS] = { &u->null_ns, &u->read_ns, &u->kernel_ns };
	bool ok[NR_CALLS] = { true, true, true };
	int fd = open_marked(dev), b, c;

	memset(u, 0, sizeof(*u));
	/* Interleaved as the traced batches are, so that drift hits all alike. */
	for (b = 0; b < CALIB_BATCHES; b++)
		for (c = 0; c < NR_CALLS; c++)
			if (ok[c] && (fd >= 0 || c == CALL_NULL))
				ok[c] = !time_calls(c, fd, ns[c] + b * CALIB_BATCH_CALLS,
						    CALIB_BATCH_CALLS);
	for (c = 0; c < NR_CALLS; c++)
		if (ok[c] && (fd >= 0 || c == CALL_NULL))
			*out[c] = stats_median(ns[c], CALIB_CALLS);
	if (fd >= 0)
		close(fd);
}

/* The self aggregate of each calibration call (mymemtrace.h). */
static const struct mt_key self_keys[NR_CALLS] = {
	[CALL_NULL] = { .path = MT_SELF_PATH(MT_PATH_SYSCALL), .op = MT_OP_READ, .size = 0 },
	[CALL_READ] = { .path = MT_SELF_PATH(MT_PATH_SYSCALL), .op = MT_OP_READ, .size = 1 },
	/* It asks for bytes past the buffer's end and reads none: a short call. */
	[CALL_KERNEL] = { .path = MT_SELF_PATH(MT_PATH_KERNEL), .op = MT_OP_READ,
			  .size = MT_CALIB_KERNEL_LEN, .result = MT_RESULT_SHORT },
};

struct traced {
	uint64_t time[NR_CALLS];	/* median per call, timed as untraced */
	uint64_t window[NR_CALLS];	/* the probes' window, mean per call */
	uint64_t calls[NR_CALLS];	/* seen by the probes */
	bool ok[NR_CALLS];
};

/* The traced batches: medians over the batches of each batch's figures. */
static void measure_traced(int fd, int index_fd, int slots_fd, struct traced *tr)
{
	static uint64_t ns[CALIB_BATCH_CALLS];
	static uint64_t time[NR_CALLS][CALIB_BATCHES], window[NR_CALLS][CALIB_BATCHES];
	struct mt_agg before, after;
	int b, c;

	memset(tr, 0, sizeof(*tr));
	for (c = 0; c < NR_CALLS; c++)
		tr->ok[c] = fd >= 0 || c == CALL_NULL;
	for (b = 0; b < CALIB_BATCHES; b++) {
		for (c = 0; c < NR_CALLS; c++) {
			if (!tr->ok[c])
				continue;
			agg_read_key(index_fd, slots_fd, &self_keys[c], &before);
			if (time_calls(c, fd, ns, CALIB_BATCH_CALLS)) {
				tr->ok[c] = false;
				continue;
			}
			agg_read_key(index_fd, slots_fd, &self_keys[c], &after);
			time[c][b] = stats_median(ns, CALIB_BATCH_CALLS);
			tr->calls[c] += after.count - before.count;
			window[c][b] = after.count > before.count ?
				(after.total_ns - before.total_ns) / (after.count - before.count) : 0;
		}
	}
	for (c = 0; c < NR_CALLS; c++) {
		if (!tr->ok[c])
			continue;
		tr->time[c] = stats_median(time[c], CALIB_BATCHES);
		tr->window[c] = stats_median(window[c], CALIB_BATCHES);
		/* Every call must have been seen. */
		tr->ok[c] = tr->calls[c] == CALIB_CALLS;
	}
}

static uint64_t minus(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

void calibrate_traced(const char *dev, int index_fd, int slots_fd,
		      const struct calib_untraced *u, struct calibration *cal)
{
	int fd = open_marked(dev);
	struct traced tr;

	measure_traced(fd, index_fd, slots_fd, &tr);
	if (fd >= 0)
		close(fd);

	/*
	 * The null syscall: its window holds the two edge probes' cost
	 * inside it and getcpu's few instructions; untraced, its round trip
	 * is the mode switch (getcpu's work included).
	 */
	cal->calls = tr.calls[CALL_NULL];
	cal->null_untraced_ns = u->null_ns;
	cal->user_ns = tr.time[CALL_NULL];
	cal->kernel_ns = tr.window[CALL_NULL];
	cal->valid = tr.ok[CALL_NULL] && u->null_ns && cal->kernel_ns < cal->user_ns;
	cal->raw_mode_switch_ns = cal->valid ? cal->user_ns - cal->kernel_ns : 0;
	cal->mode_switch_ns = cal->valid ? u->null_ns : 0;
	cal->edge_ns = cal->kernel_ns;

	/* The 1-byte read: the probes between the edges cost what it adds. */
	cal->self_calls = tr.calls[CALL_READ];
	cal->self_untraced_ns = u->read_ns;
	cal->self_traced_ns = tr.time[CALL_READ];
	cal->self_window_ns = tr.window[CALL_READ];
	cal->self_valid = cal->valid && tr.ok[CALL_READ] && u->read_ns &&
			  cal->self_traced_ns >= u->read_ns;
	cal->self_ns = cal->self_valid ? cal->self_traced_ns - u->read_ns : 0;
	cal->inner_ns = cal->self_valid ?
		minus(cal->self_ns, minus(cal->user_ns, u->null_ns)) : 0;

	/* The kernel path: timed in the kernel, the probes' share is direct. */
	cal->kernel_calls = tr.calls[CALL_KERNEL];
	cal->kernel_untraced_ns = u->kernel_ns;
	cal->kernel_traced_ns = tr.time[CALL_KERNEL];
	cal->kernel_window_ns = tr.window[CALL_KERNEL];
	cal->kernel_valid = tr.ok[CALL_KERNEL] && u->kernel_ns;
	cal->kernel_probe_ns = cal->kernel_valid ?
		minus(cal->kernel_window_ns, u->kernel_ns) : 0;
}

void calibration_settle(struct calibration *cal, bool raw, bool kernel_traced)
{
	if (!cal->valid)
		fprintf(stderr, "mymemtrace: mode-switch calibration failed (%llu of %d calls seen): mode_switch is not reported\n",
			(unsigned long long)cal->calls, CALIB_CALLS);
	if (!cal->self_valid)
		fprintf(stderr, "mymemtrace: could not measure its own cost per syscall-path call (%llu of %d calls seen): those figures are not compensated\n",
			(unsigned long long)cal->self_calls, CALIB_CALLS);
	if (!cal->kernel_valid && kernel_traced)
		fprintf(stderr, "mymemtrace: could not measure its own cost per kernel-path call (%llu of %d calls seen): those figures are not compensated\n",
			(unsigned long long)cal->kernel_calls, CALIB_CALLS);
	cal->compensated = !raw;
	if (raw)
		cal->mode_switch_ns = cal->raw_mode_switch_ns;
}
