// SPDX-License-Identifier: GPL-2.0
/* Checking results against the model, counting outcomes, reporting. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fuzz.h"

static const char *const op_names[OP_COUNT] = {
	[OP_OPEN] = "open", [OP_CLOSE] = "close", [OP_READ] = "read",
	[OP_WRITE] = "write", [OP_PREAD] = "pread", [OP_PWRITE] = "pwrite",
	[OP_LSEEK] = "lseek", [OP_IOCTL_SIZE] = "ioctl GET_SIZE",
	[OP_IOCTL_ADD] = "ioctl ADD_U64", [OP_IOCTL_RESET] = "ioctl RESET",
	[OP_IOCTL_BAD] = "ioctl (unknown)", [OP_MMAP] = "mmap",
	[OP_MUNMAP] = "munmap", [OP_MREMAP] = "mremap (grow)",
	[OP_MAPPED_IO] = "load/store in map", [OP_BAD_FD] = "bad fd",
};

static const char *const outcome_names[OUT_COUNT] = {
	[OUT_OK] = "ok", [OUT_SHORT] = "short", [OUT_EFAULT] = "EFAULT",
	[OUT_EINVAL] = "EINVAL", [OUT_ENOSPC] = "ENOSPC", [OUT_EBADF] = "EBADF",
	[OUT_ENOTTY] = "ENOTTY", [OUT_ENXIO] = "ENXIO", [OUT_EACCES] = "EACCES",
	[OUT_OTHER] = "other",
};

const char *op_name(enum fuzz_op op)
{
	return op_names[op];
}

const char *outcome_name(enum fuzz_outcome out)
{
	return outcome_names[out];
}

enum fuzz_outcome outcome_of(long ret, int err, long whole)
{
	if (ret >= 0)
		return whole >= 0 && ret < whole ? OUT_SHORT : OUT_OK;
	switch (err) {
	case EFAULT: return OUT_EFAULT;
	case EINVAL: return OUT_EINVAL;
	case ENOSPC: return OUT_ENOSPC;
	case EBADF: return OUT_EBADF;
	case ENOTTY: return OUT_ENOTTY;
	case ENXIO: return OUT_ENXIO;
	case EACCES: return OUT_EACCES;
	default: return OUT_OTHER;
	}
}

void count(struct fuzz_thread *t, enum fuzz_op op, long ret, int err, long whole)
{
	t->counts[op][outcome_of(ret, err, whole)]++;
	t->calls++;
}

void fuzz_fail(struct fuzz_thread *t, const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	t->ctx->stop = 1;
	if (t->failed)
		return;
	t->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* Everything needed to replay: the seed, the thread, the operation. */
	fprintf(stderr, "mymem-fuzz: FAIL seed %llu thread %u op %llu: %s\n",
		(unsigned long long)t->ctx->seed, t->index,
		(unsigned long long)t->op_index, msg);
}

bool expect_ret(struct fuzz_thread *t, const char *what, long ret, int err,
		long want, int want_err)
{
	if (want >= 0 && ret == want)
		return true;
	if (want < 0 && ret == -1 && err == want_err)
		return true;
	if (want >= 0)
		fuzz_fail(t, "%s: got %ld (%s), want %ld", what, ret,
			  ret < 0 ? strerror(err) : "ok", want);
	else
		fuzz_fail(t, "%s: got %ld (%s), want -1 (%s)", what, ret,
			  ret < 0 ? strerror(err) : "ok", strerror(want_err));
	return false;
}

bool expect_contents(struct fuzz_thread *t, const char *what,
		     const uint8_t *got, size_t off, size_t len)
{
	size_t lo = off > t->own_start ? off : t->own_start;
	size_t hi = off + len < t->own_end ? off + len : t->own_end;
	size_t i;

	for (i = lo; i < hi; i++) {
		if (got[i - off] != t->ctx->model[i]) {
			fuzz_fail(t, "%s: byte at offset %zu is %#x, want %#x",
				  what, i, got[i - off], t->ctx->model[i]);
			return false;
		}
	}
	return true;
}

size_t span(const struct fuzz_ctx *ctx, size_t len, int64_t pos)
{
	if (pos < 0 || (uint64_t)pos >= ctx->size)
		return 0;
	return len < ctx->size - pos ? len : ctx->size - pos;
}

struct fuzz_file *pick_file(struct fuzz_thread *t)
{
	unsigned int start = fuzz_below(&t->rng, FUZZ_FDS), i;

	for (i = 0; i < FUZZ_FDS; i++) {
		struct fuzz_file *f = &t->files[(start + i) % FUZZ_FDS];

		if (f->fd >= 0)
			return f;
	}
	return NULL;
}
