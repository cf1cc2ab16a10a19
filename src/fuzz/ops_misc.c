// SPDX-License-Identifier: GPL-2.0
/* open, close, bad file descriptors and the ioctls, with hostile arguments. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mymem.h"
#include "fuzz.h"

/* Not open in this process: far above any descriptor it uses. */
#define BAD_FD	1000000

void op_open(struct fuzz_thread *t)
{
	static const int accs[] = { O_RDWR, O_RDWR, O_RDWR, O_RDONLY, O_WRONLY };
	static const int extras[] = { 0, 0, O_NONBLOCK, O_APPEND, O_CLOEXEC,
				      O_TRUNC, O_DIRECTORY, O_CREAT | O_EXCL };
	struct fuzz_file *slot = NULL;
	int acc, extra, fd, err, want_err = 0;
	unsigned int i;
	char what[96];

	for (i = 0; i < FUZZ_FDS && !slot; i++)
		if (t->files[i].fd < 0)
			slot = &t->files[i];
	if (!slot)
		return op_close(t);
	acc = accs[fuzz_below(&t->rng, sizeof(accs) / sizeof(accs[0]))];
	extra = extras[fuzz_below(&t->rng, sizeof(extras) / sizeof(extras[0]))];
	if (extra & O_DIRECTORY)
		want_err = ENOTDIR;
	else if (extra & O_EXCL)
		want_err = EEXIST;

	errno = 0;
	fd = open(t->ctx->device, acc | extra, 0600);
	err = errno;
	count(t, OP_OPEN, fd < 0 ? -1 : 0, err, -1);
	snprintf(what, sizeof(what), "open(%s, %#x)", t->ctx->device, acc | extra);
	if (!expect_ret(t, what, fd < 0 ? -1 : 0, err, want_err ? -1 : 0, want_err)) {
		if (fd >= 0)
			close(fd);
		return;
	}
	if (fd >= 0)
		*slot = (struct fuzz_file){ fd, acc, 0 };
}

void op_close(struct fuzz_thread *t)
{
	struct fuzz_file *f = pick_file(t);
	long ret;

	if (!f)
		return op_open(t);
	ret = close(f->fd);
	count(t, OP_CLOSE, ret, errno, -1);
	expect_ret(t, "close", ret, errno, 0, 0);
	f->fd = -1;
}

void fuzz_close_all(struct fuzz_thread *t)
{
	unsigned int i;

	if (t->map.addr)
		munmap(t->map.addr, t->map.len);
	t->map.addr = NULL;
	for (i = 0; i < FUZZ_FDS; i++) {
		if (t->files[i].fd >= 0)
			close(t->files[i].fd);
		t->files[i].fd = -1;
	}
}

/* Every call on a descriptor that is not open: EBADF, whatever else is wrong. */
void op_bad_fd(struct fuzz_thread *t)
{
	int fd = fuzz_chance(&t->rng, 50) ? -1 : BAD_FD;
	uint8_t b[8];
	long ret;

	switch (fuzz_below(&t->rng, 5)) {
	case 0: ret = read(fd, b, sizeof(b)); break;
	case 1: ret = write(fd, hostile_pick(t, 64).p, 64); break;
	case 2: ret = lseek(fd, 0, SEEK_SET); break;
	case 3: ret = ioctl(fd, MYMEM_IOC_RESET); break;
	default:
		ret = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED ? -1 : 0;
		break;
	}
	count(t, OP_BAD_FD, ret, errno, -1);
	expect_ret(t, "call on a descriptor that is not open", ret, errno, -1, EBADF);
}

static struct fuzz_file *any_file(struct fuzz_thread *t)
{
	struct fuzz_file *f = pick_file(t);

	if (!f)
		op_open(t);
	return f;
}

void op_ioctl_size(struct fuzz_thread *t)
{
	struct fuzz_file *f = any_file(t);
	struct fuzz_buf b;
	uint64_t got;
	long ret;
	int err;
	char what[96];

	if (!f)
		return;
	b = fuzz_chance(&t->rng, 40) ? hostile_pick(t, 8) : ordinary_buf(t);
	errno = 0;
	ret = ioctl(f->fd, MYMEM_IOC_GET_SIZE, b.p);
	err = errno;
	count(t, OP_IOCTL_SIZE, ret, err, -1);
	snprintf(what, sizeof(what), "ioctl(GET_SIZE, %s)", b.kind);
	if (!expect_ret(t, what, ret, err, b.writable >= 8 && !b.range_bad ? 0 : -1,
			EFAULT) || ret)
		return;
	memcpy(&got, b.p, sizeof(got));
	if (got != t->ctx->size)
		fuzz_fail(t, "%s: size %llu, want %zu", what,
			  (unsigned long long)got, t->ctx->size);
}

/*
 * ADD_U64: copy the argument in (EFAULT), check the offset (EINVAL), store
 * the result (EFAULT, and then the counter must be unchanged), add.
 */
void op_ioctl_add(struct fuzz_thread *t)
{
	struct fuzz_ctx *ctx = t->ctx;
	struct fuzz_file *f = any_file(t);
	size_t own_words = (t->own_end - t->own_start) / 8;
	struct mymem_add_u64 arg, seen;
	struct fuzz_buf b;
	uint64_t counter;
	bool valid;
	long ret, want;
	int err, want_err = 0;
	char what[128];

	if (!f)
		return;
	arg.offset = t->own_start + 8 * fuzz_below(&t->rng, own_words);
	arg.delta = fuzz_chance(&t->rng, 50) ? 1 : fuzz_rand(&t->rng);
	arg.result = 0;
	switch (fuzz_below(&t->rng, 8)) {
	case 0: arg.offset += 1 + fuzz_below(&t->rng, 7); break;	/* unaligned */
	case 1: arg.offset = ctx->size - fuzz_below(&t->rng, 8); break;
	case 2: arg.offset = (1ULL << 63) + 8 * fuzz_below(&t->rng, 1ULL << 40); break;
	default: break;
	}
	b = fuzz_chance(&t->rng, 35) ? hostile_pick(t, sizeof(arg)) : ordinary_buf(t);
	/* Put in what the buffer can take; the rest is whatever it holds. */
	if (b.shared)
		pthread_mutex_lock(&ctx->low_lock);
	if (b.writable)
		memcpy(b.p, &arg, b.writable < sizeof(arg) ? b.writable : sizeof(arg));
	if (b.readable >= sizeof(arg) && !b.range_bad)
		memcpy(&seen, b.p, sizeof(seen));
	else
		seen = arg;
	valid = seen.offset < ctx->size - 7 && !(seen.offset % 8);
	/*
	 * An argument half in the read-only page mixes our offset with the one
	 * stored there; if that lands in another thread's region, skip it.
	 */
	if (valid && (seen.offset < t->own_start || seen.offset + 8 > t->own_end))
		goto out;
	if (b.range_bad || b.readable < sizeof(arg))
		want = -1, want_err = EFAULT;
	else if (!valid)
		want = -1, want_err = EINVAL;
	else if (b.writable < sizeof(arg))
		want = -1, want_err = EFAULT;
	else
		want = 0;

	memcpy(&counter, ctx->model + (valid ? seen.offset : 0), 8);
	errno = 0;
	ret = ioctl(f->fd, MYMEM_IOC_ADD_U64, b.p);
	err = errno;
	count(t, OP_IOCTL_ADD, ret, err, -1);
	snprintf(what, sizeof(what), "ioctl(ADD_U64, %s, offset %llu)", b.kind,
		 (unsigned long long)seen.offset);
	if (!expect_ret(t, what, ret, err, want, want_err) || ret)
		goto out;
	counter += seen.delta;
	memcpy(ctx->model + seen.offset, &counter, 8);
	memcpy(&seen, b.p, sizeof(seen));
	if (seen.result != counter)
		fuzz_fail(t, "%s: result %llu, want %llu", what,
			  (unsigned long long)seen.result,
			  (unsigned long long)counter);
out:
	if (b.shared)
		pthread_mutex_unlock(&ctx->low_lock);
}

/* Called with the reset lock held for writing: no other call is running. */
void op_ioctl_reset(struct fuzz_thread *t)
{
	struct fuzz_file *f = any_file(t);
	long ret;

	if (!f)
		return;
	/* RESET takes no argument: a hostile one changes nothing. */
	ret = ioctl(f->fd, MYMEM_IOC_RESET, hostile_pick(t, 8).p);
	count(t, OP_IOCTL_RESET, ret, errno, -1);
	if (expect_ret(t, "ioctl(RESET)", ret, errno, 0, 0))
		memset(t->ctx->model, 0, t->ctx->size);
}

/* Commands mymem does not know; types the VFS handles itself are left out. */
void op_ioctl_bad(struct fuzz_thread *t)
{
	static const unsigned int known[] = {
		MYMEM_IOC_GET_SIZE, MYMEM_IOC_RESET, MYMEM_IOC_ADD_U64,
	};
	struct fuzz_file *f = any_file(t);
	unsigned int cmd, type, i;
	long ret;
	char what[64];

	if (!f)
		return;
	do {
		cmd = (unsigned int)fuzz_rand(&t->rng);
		if (fuzz_chance(&t->rng, 50))	/* mymem's type, unknown numbers */
			cmd = (cmd & ~_IOC_TYPEMASK) | (MYMEM_IOC_MAGIC << _IOC_TYPESHIFT);
		type = _IOC_TYPE(cmd);
		for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (cmd == known[i])
				type = 0;
	} while (type == 0 || type == 'T' || type == 'f' || type == 'X' ||
		 type == 0x94 || type == 0x12);
	errno = 0;
	ret = ioctl(f->fd, cmd, hostile_pick(t, 64).p);
	count(t, OP_IOCTL_BAD, ret, errno, -1);
	snprintf(what, sizeof(what), "ioctl(%#x)", cmd);
	expect_ret(t, what, ret, errno, -1, ENOTTY);
}
