// SPDX-License-Identifier: GPL-2.0
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "aggregate.h"
#include "calibrate.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

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
