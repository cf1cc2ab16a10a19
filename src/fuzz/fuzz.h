/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mymem-fuzz: random, hostile sequences of system calls on /dev/mymem from
 * several threads, each result checked against a model of the buffer.
 *
 * The model is exact because each thread writes only its own region of the
 * buffer (reads go anywhere; only own-region bytes are compared), and a
 * RESET, which touches every region, takes a process-wide write lock that
 * every other operation holds for reading.
 */
#ifndef MYMEM_FUZZ_H
#define MYMEM_FUZZ_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FUZZ_MAX_THREADS	64
#define FUZZ_FDS		4	/* open files per thread, at most */

/* What each operation is; counted per outcome in the summary. */
enum fuzz_op {
	OP_OPEN, OP_CLOSE, OP_READ, OP_WRITE, OP_PREAD, OP_PWRITE, OP_LSEEK,
	OP_IOCTL_SIZE, OP_IOCTL_ADD, OP_IOCTL_RESET, OP_IOCTL_BAD,
	OP_MMAP, OP_MUNMAP, OP_MREMAP, OP_MAPPED_IO, OP_BAD_FD,
	OP_COUNT
};

/* Outcomes: success (whole), a short count, or the errno returned. */
enum fuzz_outcome {
	OUT_OK, OUT_SHORT, OUT_EFAULT, OUT_EINVAL, OUT_ENOSPC, OUT_EBADF,
	OUT_ENOTTY, OUT_ENXIO, OUT_EACCES, OUT_OTHER,
	OUT_COUNT
};

/*
 * A user buffer for read(2)/write(2)/ioctl(2), and how much of it the
 * kernel can reach: @readable bytes from @p can be read by the kernel (a
 * write's source), @writable bytes can be written (a read's destination).
 * @range_bad: access_ok() refuses the range itself (a kernel address),
 * so the call fails with EFAULT before the driver sees it.
 * @shared: every thread may use it: a call on it holds ctx->low_lock, so
 * that its contents stay determinate.
 * @limit: the longest length for which this description holds (past it
 * lies memory the fuzzer does not control); callers clip to it.
 */
struct fuzz_buf {
	uint8_t *p;
	size_t readable;
	size_t writable;
	size_t limit;
	bool range_bad;
	bool shared;
	const char *kind;
};

struct fuzz_file {
	int fd;			/* -1: slot free */
	int acc;		/* O_RDONLY, O_WRONLY or O_RDWR */
	int64_t pos;		/* the model of the file position */
};

struct fuzz_map {
	uint8_t *addr;		/* NULL: nothing mapped */
	size_t off;		/* buffer offset of addr[0] */
	size_t len;
	bool writable;
};

struct fuzz_ctx;

struct fuzz_thread {
	struct fuzz_ctx *ctx;
	pthread_t tid;
	unsigned int index;
	uint64_t rng;
	uint64_t ops;			/* calls to make */
	uint64_t calls;			/* calls made */
	uint64_t op_index;		/* operations tried */
	size_t own_start, own_end;	/* the region this thread writes */
	struct fuzz_file files[FUZZ_FDS];
	struct fuzz_map map;
	uint8_t *scratch;		/* an ordinary buffer, 2 buffer sizes */
	uint8_t *guard;			/* RW | PROT_NONE | RW | read-only */
	uint64_t counts[OP_COUNT][OUT_COUNT];
	bool failed;
};

struct fuzz_ctx {
	const char *device;
	size_t size;			/* the buffer's size (GET_SIZE) */
	size_t page;
	uint8_t *model;			/* what the buffer holds */
	pthread_rwlock_t reset_lock;	/* RESET writes, everything else reads */
	uint8_t *low_page;		/* mapped just below mmap_min_addr, or NULL */
	pthread_mutex_t low_lock;	/* held by a call that uses low_page */
	volatile int stop;		/* a thread failed: the others stop */
	unsigned int threads;
	uint64_t seed;
	struct fuzz_thread thread[FUZZ_MAX_THREADS];
};

/* rng.c */
uint64_t fuzz_rand(uint64_t *state);
uint64_t fuzz_below(uint64_t *state, uint64_t n);	/* 0..n-1 */
bool fuzz_chance(uint64_t *state, unsigned int percent);

/* hostile.c: the thread's buffers, ordinary and hostile. */
int hostile_setup(struct fuzz_ctx *ctx, struct fuzz_thread *t);
void hostile_teardown(struct fuzz_ctx *ctx, struct fuzz_thread *t);
int hostile_setup_low_page(struct fuzz_ctx *ctx);
struct fuzz_buf hostile_pick(struct fuzz_thread *t, size_t len);
struct fuzz_buf ordinary_buf(struct fuzz_thread *t);

/* ops_io.c, ops_map.c, ops_misc.c: one operation each, checked. */
void op_read(struct fuzz_thread *t, bool positional);
void op_write(struct fuzz_thread *t, bool positional);
void op_lseek(struct fuzz_thread *t);
void op_mmap(struct fuzz_thread *t);
void op_munmap(struct fuzz_thread *t);
void op_mremap(struct fuzz_thread *t);
void op_mapped_io(struct fuzz_thread *t);
void op_open(struct fuzz_thread *t);
void op_close(struct fuzz_thread *t);
void op_bad_fd(struct fuzz_thread *t);
void op_ioctl_size(struct fuzz_thread *t);
void op_ioctl_add(struct fuzz_thread *t);
void op_ioctl_reset(struct fuzz_thread *t);
void op_ioctl_bad(struct fuzz_thread *t);
void fuzz_close_all(struct fuzz_thread *t);

/* check.c: outcomes, failures, the model's expectations. */
enum fuzz_outcome outcome_of(long ret, int err, long whole);
void count(struct fuzz_thread *t, enum fuzz_op op, long ret, int err, long whole);
/* Report a mismatch (once per thread) and stop every thread. */
void fuzz_fail(struct fuzz_thread *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* ret/errno must be @want (>= 0) or -1/@want_err; fails the run otherwise. */
bool expect_ret(struct fuzz_thread *t, const char *what, long ret, int err,
		long want, int want_err);
/* Bytes of [off, off+len) that lie in the thread's region, compared. */
bool expect_contents(struct fuzz_thread *t, const char *what,
		     const uint8_t *got, size_t off, size_t len);
size_t span(const struct fuzz_ctx *ctx, size_t len, int64_t pos);
struct fuzz_file *pick_file(struct fuzz_thread *t);
const char *op_name(enum fuzz_op op);
const char *outcome_name(enum fuzz_outcome out);

#endif /* MYMEM_FUZZ_H */
