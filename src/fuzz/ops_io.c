// SPDX-License-Identifier: GPL-2.0
/*
 * read, write, pread, pwrite and lseek, with random and hostile sizes,
 * offsets, whences and buffers; each result predicted by the model first.
 *
 * The order of the checks is the kernel's: ksys_pread64/pwrite64 refuse a
 * negative offset, vfs_read/vfs_write check the file mode (EBADF), then
 * access_ok() on the buffer (EFAULT), then rw_verify_area() (EINVAL), and
 * only then call mymem, which returns 0 at EOF, ENOSPC past the end, and a
 * count up to the first byte that faults, or EFAULT if that is the first.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

static bool can_read(const struct fuzz_file *f)
{
	return f->acc == O_RDONLY || f->acc == O_RDWR;
}

static bool can_write(const struct fuzz_file *f)
{
	return f->acc == O_WRONLY || f->acc == O_RDWR;
}

/* Lengths from 0 to two buffer sizes, most of them small; *huge: past TASK_SIZE. */
static size_t pick_len(struct fuzz_thread *t, bool *huge)
{
	size_t own = t->own_end - t->own_start;
	static const size_t huge_lens[] = { SIZE_MAX, SIZE_MAX / 2 + 1, 1ULL << 62 };

	*huge = false;
	switch (fuzz_below(&t->rng, 20)) {
	case 0:
		return 0;
	case 1:
		*huge = true;
		return huge_lens[fuzz_below(&t->rng, 3)];
	case 2:
		return 1 + fuzz_below(&t->rng, 2 * t->ctx->size);
	case 3: case 4: case 5:
		return 1 + fuzz_below(&t->rng, own);
	case 6: case 7: case 8: case 9: case 10: case 11:
		return 1 + fuzz_below(&t->rng, 2 * t->ctx->page);
	default:
		return 1 + fuzz_below(&t->rng, 64);
	}
}

/* Fill what a write will send with bytes the model can tell apart. */
static void fill_random(struct fuzz_thread *t, uint8_t *p, size_t len)
{
	uint64_t word = fuzz_rand(&t->rng);
	size_t head = len < 256 ? len : 256, i;

	for (i = 0; i < head; i++)
		p[i] = (uint8_t)(fuzz_rand(&t->rng) >> 56);
	if (len > head)
		memset(p + head, (int)(word & 0xff), len - head);
	/* Distinct markers far in, where a misplaced copy would show. */
	for (i = head; i + 8 <= len; i += 4093)
		memcpy(p + i, &word, 8);
}

/* pread's offsets: mostly inside the buffer, some at or past its ends. */
static int64_t pick_read_pos(struct fuzz_thread *t)
{
	int64_t size = (int64_t)t->ctx->size;

	switch (fuzz_below(&t->rng, 12)) {
	case 0: return size;
	case 1: return size + 1 + (int64_t)fuzz_below(&t->rng, size);
	case 2: return -1 - (int64_t)fuzz_below(&t->rng, size);
	case 3: return INT64_MAX - (int64_t)fuzz_below(&t->rng, 64);
	case 4: return size - 1 - (int64_t)fuzz_below(&t->rng, 64);
	case 5: case 6: case 7:
		return (int64_t)(t->own_start + fuzz_below(&t->rng, t->own_end - t->own_start));
	default:
		return (int64_t)fuzz_below(&t->rng, size);
	}
}

/* Writes land in the thread's own region, at the end, past it, or nowhere. */
static int64_t pick_write_pos(struct fuzz_thread *t, bool positional)
{
	int64_t size = (int64_t)t->ctx->size;

	switch (fuzz_below(&t->rng, positional ? 14 : 12)) {
	case 0: return size;
	case 1: return (int64_t)t->own_end - 1 - (int64_t)fuzz_below(&t->rng, 64);
	case 12: return -1 - (int64_t)fuzz_below(&t->rng, size);
	case 13: return INT64_MAX - (int64_t)fuzz_below(&t->rng, 64);
	default:
		return (int64_t)(t->own_start + fuzz_below(&t->rng, t->own_end - t->own_start));
	}
}

/*
 * What the VFS refuses before mymem sees a read or write, in the kernel's
 * order (top of this file): true, with the errno in *err, if it does.
 */
static bool vfs_refuses(bool positional, int64_t pos, size_t len, bool mode_ok,
			const struct fuzz_buf *b, bool huge, int *err)
{
	if (positional && pos < 0)
		*err = EINVAL;
	else if (!mode_ok)
		*err = EBADF;
	else if (b->range_bad || huge)
		*err = EFAULT;
	else if (positional && (int64_t)((uint64_t)pos + len) < 0)
		*err = EINVAL;
	else
		return false;
	return true;
}

void op_read(struct fuzz_thread *t, bool positional)
{
	enum fuzz_op op = positional ? OP_PREAD : OP_READ;
	struct fuzz_file *f = pick_file(t);
	struct fuzz_buf b;
	int64_t pos;
	size_t len, n;
	long ret, want = 0;
	int err, want_err = 0;
	bool huge;
	char what[160];

	if (!f)
		return op_open(t);
	len = pick_len(t, &huge);
	b = fuzz_chance(&t->rng, 25) ? hostile_pick(t, len) : ordinary_buf(t);
	if (!huge && len > b.limit)
		len = b.limit;
	pos = positional ? pick_read_pos(t) : f->pos;

	if (vfs_refuses(positional, pos, len, can_read(f), &b, huge, &want_err))
		want = -1;
	else if (!(n = span(t->ctx, len, pos)))
		want = 0;
	else if (!b.writable)
		want = -1, want_err = EFAULT;
	else
		want = (long)(n < b.writable ? n : b.writable);

	if (b.shared)
		pthread_mutex_lock(&t->ctx->low_lock);
	errno = 0;
	ret = positional ? pread(f->fd, b.p, len, pos) : read(f->fd, b.p, len);
	err = errno;
	count(t, op, ret, err, (long)len);
	snprintf(what, sizeof(what), "%s(fd %d, %s, %zu) at %lld",
		 op_name(op), f->fd, b.kind, len, (long long)pos);
	if (expect_ret(t, what, ret, err, want, want_err) && ret > 0) {
		if (!positional)
			f->pos += ret;
		expect_contents(t, what, b.p, (size_t)pos, (size_t)ret);
	}
	if (b.shared)
		pthread_mutex_unlock(&t->ctx->low_lock);
}

void op_write(struct fuzz_thread *t, bool positional)
{
	enum fuzz_op op = positional ? OP_PWRITE : OP_WRITE;
	struct fuzz_file *f = pick_file(t);
	struct fuzz_buf b;
	int64_t pos;
	size_t len, n;
	long ret, want = 0;
	int err, want_err = 0;
	bool huge;
	char what[160];

	if (!f)
		return op_open(t);
	len = pick_len(t, &huge);
	pos = pick_write_pos(t, positional);
	/* Other threads own the bytes past this region, unless it is the last. */
	if (!huge && pos >= 0 && (uint64_t)pos < t->own_end &&
	    t->own_end < t->ctx->size && len > t->own_end - pos)
		len = t->own_end - pos;
	b = fuzz_chance(&t->rng, 25) ? hostile_pick(t, len) : ordinary_buf(t);
	if (!huge && len > b.limit)
		len = b.limit;
	if (b.p == t->scratch && !huge)
		fill_random(t, b.p, len);

	if (!positional) {
		/* pick_write_pos() gives 0..size without "positional". */
		ret = lseek(f->fd, pos, SEEK_SET);
		if (!expect_ret(t, "lseek before write", ret, errno, pos, 0))
			return;
		f->pos = pos;
	}

	if (vfs_refuses(positional, pos, len, can_write(f), &b, huge, &want_err))
		want = -1;
	else if (!len)
		want = 0;
	else if (!(n = span(t->ctx, len, pos)))
		want = -1, want_err = ENOSPC;
	else if (!b.readable)
		want = -1, want_err = EFAULT;
	else
		want = (long)(n < b.readable ? n : b.readable);

	if (b.shared)
		pthread_mutex_lock(&t->ctx->low_lock);
	errno = 0;
	ret = positional ? pwrite(f->fd, b.p, len, pos) : write(f->fd, b.p, len);
	err = errno;
	count(t, op, ret, err, (long)len);
	snprintf(what, sizeof(what), "%s(fd %d, %s, %zu) at %lld",
		 op_name(op), f->fd, b.kind, len, (long long)pos);
	if (expect_ret(t, what, ret, err, want, want_err) && ret > 0) {
		if (!positional)
			f->pos += ret;
		memcpy(t->ctx->model + pos, b.p, (size_t)ret);
	}
	if (b.shared)
		pthread_mutex_unlock(&t->ctx->low_lock);
}

/* What lseek must return: fixed_size_llseek(), generic_file_llseek_size(), vfs_setpos(). */
static int64_t seek_model(int64_t cur, int64_t off, int whence, int64_t size,
			  int *err)
{
	int64_t np;

	switch (whence) {
	case SEEK_SET:
		np = off;
		break;
	case SEEK_CUR:
		if (off == 0)
			return cur;
		np = (int64_t)((uint64_t)cur + (uint64_t)off);
		break;
	case SEEK_END:
		np = (int64_t)((uint64_t)size + (uint64_t)off);
		break;
	default:	/* fixed_size_llseek() has no SEEK_DATA or SEEK_HOLE */
		*err = EINVAL;
		return -1;
	}
	if (np < 0 || np > size) {
		*err = EINVAL;
		return -1;
	}
	return np;
}

void op_lseek(struct fuzz_thread *t)
{
	static const int whences[] = { SEEK_SET, SEEK_SET, SEEK_CUR, SEEK_CUR,
				       SEEK_END, SEEK_END, SEEK_DATA, SEEK_HOLE,
				       5, 77, -1 };
	struct fuzz_file *f = pick_file(t);
	int64_t size = (int64_t)t->ctx->size, off, want, ret;
	int whence, err, want_err = 0;
	char what[128];

	if (!f)
		return op_open(t);
	whence = whences[fuzz_below(&t->rng, sizeof(whences) / sizeof(whences[0]))];
	switch (fuzz_below(&t->rng, 10)) {
	case 0: off = 0; break;
	case 1: off = size; break;
	case 2: off = -size - (int64_t)fuzz_below(&t->rng, 2); break;
	case 3: off = fuzz_chance(&t->rng, 50) ? INT64_MAX : INT64_MIN; break;
	case 4: off = (int64_t)fuzz_rand(&t->rng); break;
	case 5: case 6: off = -(int64_t)fuzz_below(&t->rng, size + 2); break;
	default: off = (int64_t)fuzz_below(&t->rng, size + 2); break;
	}
	want = seek_model(f->pos, off, whence, size, &want_err);
	errno = 0;
	ret = lseek(f->fd, off, whence);
	err = errno;
	count(t, OP_LSEEK, ret, err, -1);
	snprintf(what, sizeof(what), "lseek(fd %d, %lld, %d) from %lld", f->fd,
		 (long long)off, whence, (long long)f->pos);
	if (expect_ret(t, what, ret, err, want, want_err) && ret >= 0)
		f->pos = ret;
}
