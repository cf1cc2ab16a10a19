/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * mymem UAPI: ioctl numbers and argument layouts for /dev/mymem and
 * /dev/mymem_test. User space includes this header as it is.
 */
#ifndef _UAPI_MYMEM_H
#define _UAPI_MYMEM_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define MYMEM_DEVICE		"/dev/mymem"
#define MYMEM_TEST_DEVICE	"/dev/mymem_test"

/* Default buffer size; the module parameter "size" can change it. */
#define MYMEM_DEFAULT_SIZE	(512 * 1024)

/* Argument of MYMEM_IOC_ADD_U64: *(u64 *)(buf + offset) += delta. */
struct mymem_add_u64 {
	__u64 offset;	/* in: 8-byte aligned, offset + 8 <= size */
	__u64 delta;	/* in */
	__u64 result;	/* out: the counter's new value */
};

/*
 * Argument of MYMEM_IOC_TIME_KERNEL_READ: @calls calls of
 * mymem_kernel_read(dst, @size, @pos) from the caller's thread, each timed
 * with ktime as mymem_test times its calls; the times (ns) are copied to
 * @samples_ptr. Nothing is written to the buffer, and at most
 * MYMEM_TIME_MAX_SIZE bytes are read per call. A tracer measures its own
 * cost on the kernel path with it, untraced and traced.
 */
struct mymem_time_kernel_read {
	__u64 size;		/* in: the call's len */
	__s64 pos;		/* in: the call's pos */
	__u64 calls;		/* in: 1..MYMEM_TIME_MAX_CALLS */
	__u64 samples_ptr;	/* in: user pointer to @calls __u64 */
};

#define MYMEM_TIME_MAX_SIZE	4096
#define MYMEM_TIME_MAX_CALLS	65536

#define MYMEM_IOC_MAGIC		'm'
/* The buffer size in bytes. */
#define MYMEM_IOC_GET_SIZE	_IOR(MYMEM_IOC_MAGIC, 1, __u64)
/* Zero the whole buffer, atomically with respect to reads and writes. */
#define MYMEM_IOC_RESET		_IO(MYMEM_IOC_MAGIC, 2)
/* Atomic add to a 64-bit counter in the buffer; the race's kernel-side fix. */
#define MYMEM_IOC_ADD_U64	_IOWR(MYMEM_IOC_MAGIC, 3, struct mymem_add_u64)
/* Time reads of the kernel API from the caller's thread (see above). */
#define MYMEM_IOC_TIME_KERNEL_READ \
	_IOW(MYMEM_IOC_MAGIC, 4, struct mymem_time_kernel_read)

/*
 * /dev/mymem_test: the in-kernel benchmark, run on demand.
 *
 * MYMEM_TEST_IOC_TIMING runs @trials trials at one @size. Each trial writes
 * @size bytes at offset 0 through mymem_kernel_write(), reads them back
 * through mymem_kernel_read(), and checks them. The ktime of every call is
 * copied to @samples_ptr: @trials write times, then @trials read times (ns).
 */
struct mymem_test_timing {
	__u64 size;		/* in: bytes per call, 1..buffer size */
	__u64 trials;		/* in: 1..MYMEM_TEST_MAX_TRIALS */
	__u64 samples_ptr;	/* in: user pointer to 2 * trials __u64 */
	__u64 mismatches;	/* out: trials whose read-back differed */
};

#define MYMEM_TEST_MAX_TRIALS	(1 << 20)
#define MYMEM_TEST_MAX_WORKERS	1024

enum mymem_test_lock {
	MYMEM_TEST_LOCK_NONE = 0,	/* read-then-write, no lock: races */
	MYMEM_TEST_LOCK_MUTEX = 1,	/* read-then-write under a mutex */
	MYMEM_TEST_LOCK_ATOMIC = 2,	/* mymem_kernel_add_u64(), as the ioctl */
};

/*
 * MYMEM_TEST_IOC_RACE runs one trial of the counter race: @workers kernel
 * threads each add 1 to the 64-bit counter at offset 0, @iterations times.
 * The counter starts at @initial.
 */
struct mymem_test_race {
	__u32 workers;		/* in: 1..MYMEM_TEST_MAX_WORKERS */
	__u32 lock;		/* in: enum mymem_test_lock */
	__u64 iterations;	/* in: per worker, >= 1 */
	__u64 initial;		/* in: the counter's value before the run */
	__u64 final;		/* out: the counter's value after the run */
	__u64 expected;		/* out: workers * iterations */
	__u64 observed;		/* out: final - initial */
	__u64 elapsed_ns;	/* out: wall time of the run */
	/*
	 * in: 0, or a user pointer to 2 * workers * iterations __u64: the
	 * ktime of every mymem_kernel_read, then of every mymem_kernel_write
	 * (lock none or mutex; workers * iterations at most
	 * MYMEM_TEST_MAX_TRIALS), as MYMEM_TEST_IOC_TIMING times its calls.
	 */
	__u64 samples_ptr;
};

#define MYMEM_TEST_IOC_MAGIC	't'
#define MYMEM_TEST_IOC_TIMING	_IOWR(MYMEM_TEST_IOC_MAGIC, 1, struct mymem_test_timing)
#define MYMEM_TEST_IOC_RACE	_IOWR(MYMEM_TEST_IOC_MAGIC, 2, struct mymem_test_race)

#endif /* _UAPI_MYMEM_H */
