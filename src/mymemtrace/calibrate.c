// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE	/* O_NOATIME */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "aggregate.h"
#include "calibrate.h"
#include "clock.h"
#include "stats.h"

void calibrate(int counters_fd, struct calibration *cal)
{
	uint64_t calls0 = counter_read(counters_fd, MT_CNT_CALIB_CALLS);
	uint64_t ns0 = counter_read(counters_fd, MT_CNT_CALIB_NS);
	uint64_t t0, user_ns, calls, kernel_ns;
	int i;

	t0 = now_ns();
	for (i = 0; i < CALIBRATION_CALLS; i++)
		syscall(SYS_getppid);
	user_ns = now_ns() - t0;

	calls = counter_read(counters_fd, MT_CNT_CALIB_CALLS) - calls0;
	kernel_ns = counter_read(counters_fd, MT_CNT_CALIB_NS) - ns0;
	cal->calls = calls;
	/* Every call must have been seen, and the window must fit inside. */
	cal->valid = calls == CALIBRATION_CALLS && kernel_ns < user_ns;
	if (!calls)
		return;
	cal->user_ns = user_ns / CALIBRATION_CALLS;
	cal->kernel_ns = kernel_ns / calls;
	cal->mode_switch_ns = cal->valid ? cal->user_ns - cal->kernel_ns : 0;
}

_Static_assert(MT_CALIB_OPEN_FLAGS == (O_NOATIME | O_SYNC),
	       "mymemtrace.h's calibration flags are this system's O_NOATIME | O_SYNC");

uint64_t time_device_reads(const char *dev)
{
	static uint64_t samples[SELF_CALIBRATION_CALLS];
	struct sample_stats st;
	/* Marked, so that other tracers leave these calls out (mymemtrace.h). */
	int fd = open(dev, O_RDONLY | O_CLOEXEC | O_NOATIME | O_SYNC);
	char byte;
	int i;

	if (fd < 0)
		return 0;
	for (i = 0; i < SELF_CALIBRATION_CALLS; i++) {
		uint64_t t0 = now_ns();

		if (pread(fd, &byte, 1, 0) < 0)
			break;
		samples[i] = now_ns() - t0;
	}
	close(fd);
	if (i < SELF_CALIBRATION_CALLS)
		return 0;
	/* The median: one preemption must not move it. */
	stats_summarize(samples, SELF_CALIBRATION_CALLS, &st);
	return st.p50;
}

void calibrate_self(uint64_t untraced_ns, uint64_t traced_ns, struct calibration *cal)
{
	cal->self_untraced_ns = untraced_ns;
	cal->self_traced_ns = traced_ns;
	cal->self_valid = untraced_ns && traced_ns >= untraced_ns;
	cal->self_ns = cal->self_valid ? traced_ns - untraced_ns : 0;
}
