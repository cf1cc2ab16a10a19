// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "mymem.h"
#include "timing.h"

void fill_pattern(uint8_t *buf, uint64_t size, uint64_t trial)
{
	uint64_t tag = size ^ ((trial + 1) * 0x9e3779b97f4a7c15ull);

	memset(buf, (uint8_t)(tag >> 56), size);
	memcpy(buf, &tag, size < 8 ? size : 8);
	if (size >= 16)
		memcpy(buf + size - 8, &tag, 8);
}

static void add_row(struct bench_result *res, enum bench_op op, uint64_t size,
		    uint64_t *samples, size_t n)
{
	struct bench_row *row = &res->rows[res->nr_rows++];

	row->op = op;
	row->size = size;
	stats_summarize(samples, n, &row->stats);
}

static int io_failed(const char *what, uint64_t size, ssize_t ret)
{
	if (ret < 0)
		fprintf(stderr, "mymem-bench: %s of %llu bytes failed: %s\n", what,
			(unsigned long long)size, strerror(errno));
	else
		fprintf(stderr, "mymem-bench: %s of %llu bytes moved only %zd\n", what,
			(unsigned long long)size, ret);
	return 1;
}

static int mismatch(const char *what, uint64_t size, uint64_t trial,
		    const uint8_t *got, const uint8_t *want)
{
	size_t off = 0;

	while (off < size && got[off] == want[off])
		off++;
	fprintf(stderr, "mymem-bench: data mismatch: %s, size %llu, trial %llu, offset %zu: got %#x, want %#x\n",
		what, (unsigned long long)size, (unsigned long long)trial, off,
		got[off], want[off]);
	return 1;
}

/* One timed call; the untimed rewind comes first. */
static int timed_call(struct target *t, enum bench_op op, uint8_t *buf,
		      uint64_t size, uint64_t *ns)
{
	uint64_t t0;
	ssize_t ret;

	if (target_rewind(t))
		return io_failed("lseek", size, -1);
	t0 = now_ns();
	if (op == OP_WRITE)
		ret = target_write(t, buf, size);
	else
		ret = target_read(t, buf, size);
	*ns = now_ns() - t0;
	if (ret != (ssize_t)size)
		return io_failed(op == OP_WRITE ? "write" : "read", size, ret);
	return 0;
}

static int time_one_size(struct target *t, const struct bench_opts *o,
			 uint64_t size, uint8_t *src, uint8_t *dst,
			 uint64_t *write_ns, uint64_t *read_ns)
{
	uint64_t i, ignored;

	/* Reads alone need known contents to check against. */
	fill_pattern(src, size, 0);
	if (!(o->ops & OP_WRITE) && target_fill(t, src, size))
		return io_failed("fill", size, -1);

	for (i = 0; i < o->warmup; i++) {
		if ((o->ops & OP_WRITE) && timed_call(t, OP_WRITE, src, size, &ignored))
			return 1;
		if ((o->ops & OP_READ) && timed_call(t, OP_READ, dst, size, &ignored))
			return 1;
	}

	for (i = 0; i < o->n; i++) {
		if (o->ops & OP_WRITE) {
			fill_pattern(src, size, i + 1);
			if (timed_call(t, OP_WRITE, src, size, &write_ns[i]))
				return 1;
		}
		if (o->ops & OP_READ) {
			/* Poisoned first, so a read that moved nothing fails. */
			memset(dst, ~src[0], size);
			if (timed_call(t, OP_READ, dst, size, &read_ns[i]))
				return 1;
			if (memcmp(dst, src, size))
				return mismatch("read", size, i, dst, src);
		}
	}

	if (o->ops == OP_WRITE) {
		if (target_fetch(t, dst, size))
			return io_failed("read back", size, -1);
		if (memcmp(dst, src, size))
			return mismatch("read back after writes", size, o->n - 1, dst, src);
	}
	return 0;
}

int bench_user_path(struct target *t, const struct bench_opts *o,
		    struct bench_result *res)
{
	uint64_t *write_ns = calloc(o->n, sizeof(*write_ns));
	uint64_t *read_ns = calloc(o->n, sizeof(*read_ns));
	uint8_t *src = malloc(t->size), *dst = malloc(t->size);
	int ret = 1;
	size_t i;

	res->nr_rows = 0;
	if (!write_ns || !read_ns || !src || !dst) {
		fprintf(stderr, "mymem-bench: out of memory\n");
		goto out;
	}
	for (i = 0; i < o->nr_sizes; i++) {
		uint64_t size = o->sizes[i];

		if (time_one_size(t, o, size, src, dst, write_ns, read_ns))
			goto out;
		if (o->ops & OP_READ)
			add_row(res, OP_READ, size, read_ns, o->n);
		if (o->ops & OP_WRITE)
			add_row(res, OP_WRITE, size, write_ns, o->n);
	}
	ret = 0;
out:
	free(write_ns);
	free(read_ns);
	free(src);
	free(dst);
	return ret;
}

/* One MYMEM_TEST_IOC_TIMING call: @trials writes then reads, in the kernel. */
static int kernel_timing(int fd, uint64_t size, uint64_t trials, uint64_t *samples)
{
	struct mymem_test_timing arg = {
		.size = size,
		.trials = trials,
		.samples_ptr = (uintptr_t)samples,
	};

	if (ioctl(fd, MYMEM_TEST_IOC_TIMING, &arg)) {
		fprintf(stderr, "mymem-bench: %s: timing %llu bytes: %s\n",
			MYMEM_TEST_DEVICE, (unsigned long long)size, strerror(errno));
		return 1;
	}
	if (arg.mismatches) {
		fprintf(stderr, "mymem-bench: data mismatch in the kernel: size %llu, %llu of %llu trials\n",
			(unsigned long long)size, (unsigned long long)arg.mismatches,
			(unsigned long long)trials);
		return 1;
	}
	return 0;
}

int bench_kernel_path(const struct bench_opts *o, struct bench_result *res)
{
	uint64_t most = o->n > o->warmup ? o->n : o->warmup;
	uint64_t *samples = calloc(2 * most, sizeof(*samples));
	int fd = open(MYMEM_TEST_DEVICE, O_RDWR | O_CLOEXEC);
	int ret = 1;
	size_t i;

	res->nr_rows = 0;
	if (fd < 0) {
		explain_open_error(MYMEM_TEST_DEVICE, errno);
		goto out;
	}
	if (!samples) {
		fprintf(stderr, "mymem-bench: out of memory\n");
		goto out;
	}
	for (i = 0; i < o->nr_sizes; i++) {
		uint64_t size = o->sizes[i];

		if (o->warmup && kernel_timing(fd, size, o->warmup, samples))
			goto out;
		if (kernel_timing(fd, size, o->n, samples))
			goto out;
		/* The kernel always writes then reads; report what was asked. */
		if (o->ops & OP_READ)
			add_row(res, OP_READ, size, samples + o->n, o->n);
		if (o->ops & OP_WRITE)
			add_row(res, OP_WRITE, size, samples, o->n);
	}
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	free(samples);
	return ret;
}
