/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The user-space ways to reach the buffer that the benchmark times: read()
 * and write() on the device (the syscall path), or memcpy through a shared
 * mapping of it (the mmap path). Every access is at offset 0.
 */
#ifndef MYMEM_BENCH_TARGET_H
#define MYMEM_BENCH_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "options.h"

struct target {
	enum bench_mode mode;
	const char *path;
	int fd;
	uint8_t *map;		/* MODE_MMAP only */
	uint64_t size;		/* the buffer's size */
};

/* Opens @path for @mode. Returns 0, or -1 after printing why. */
int target_open(struct target *t, enum bench_mode mode, const char *path);
void target_close(struct target *t);

/* Untimed set-up before a timed call (the syscall path seeks to 0). */
int target_rewind(struct target *t);

/* The timed calls. They return the bytes moved, or -1 with errno set. */
ssize_t target_read(struct target *t, void *dst, size_t len);
ssize_t target_write(struct target *t, const void *src, size_t len);

/* Untimed whole reads and writes at offset 0, to fill and check. */
int target_fill(struct target *t, const void *src, size_t len);
int target_fetch(struct target *t, void *dst, size_t len);

/* Explains a failure to open a device, with what to do about it. */
void explain_open_error(const char *path, int err);

#endif /* MYMEM_BENCH_TARGET_H */
