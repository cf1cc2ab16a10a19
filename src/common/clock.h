/* SPDX-License-Identifier: GPL-2.0 */
/* The one clock every program here times with. */
#ifndef MYMEM_COMMON_CLOCK_H
#define MYMEM_COMMON_CLOCK_H

#include <stdint.h>
#include <time.h>

/* CLOCK_MONOTONIC in ns: the clock bpf_ktime_get_ns() reads too. */
static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

#endif /* MYMEM_COMMON_CLOCK_H */
