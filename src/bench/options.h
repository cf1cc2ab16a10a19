/* SPDX-License-Identifier: GPL-2.0 */
/* mymem-bench's command line: one struct of settings, filled by argp. */
#ifndef MYMEM_BENCH_OPTIONS_H
#define MYMEM_BENCH_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parse.h"	/* parse_u64 */

#define BENCH_MAX_SIZES	32
#define BENCH_MAX_N	(1u << 20)	/* the kernel path's trial limit */
#define BENCH_MAX_WORKERS 1024

enum bench_mode { MODE_SYSCALL, MODE_MMAP, MODE_KERNEL };

enum bench_op { OP_READ = 1, OP_WRITE = 2, OP_BOTH = OP_READ | OP_WRITE };

/* User space: none, mutex, ioctl. In the kernel: none, mutex, atomic. */
enum race_lock { LOCK_NONE, LOCK_MUTEX, LOCK_ATOMIC };

struct bench_opts {
	enum bench_mode mode;
	unsigned int ops;		/* enum bench_op bits */
	uint64_t sizes[BENCH_MAX_SIZES];
	size_t nr_sizes;
	uint64_t n;			/* timed calls per op and size */
	uint64_t warmup;		/* untimed calls first, per size */
	bool json;
	const char *dev;		/* the device of the syscall/mmap paths */

	bool race;
	uint32_t workers;
	uint64_t iterations;
	enum race_lock lock;
	uint32_t trials;
	bool call_times;		/* kernel race: time every call */
};

/*
 * Parses the command line into @opts. Returns 0, or 2 after printing a
 * one-line error (the exit status of a bad command line). --help and
 * --usage print and exit 0 from inside argp.
 */
int bench_parse_args(int argc, char **argv, struct bench_opts *opts);

/* The pieces, exposed for the unit tests. Each returns 0 or -1. */
int parse_size(const char *s, uint64_t *out);	/* 64, 4k, 1M */
int parse_size_list(const char *s, uint64_t *sizes, size_t max, size_t *n);
int parse_mode(const char *s, enum bench_mode *out);
int parse_op(const char *s, unsigned int *out);
int parse_lock(const char *s, enum race_lock *out);

const char *mode_name(enum bench_mode mode);
const char *lock_name(enum race_lock lock, enum bench_mode mode);

#endif /* MYMEM_BENCH_OPTIONS_H */
