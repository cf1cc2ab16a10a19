// SPDX-License-Identifier: GPL-2.0
/*
 * mmap, munmap, mremap, loads and stores through the mapping, and read(2)
 * and write(2) whose user buffer is the mapping of the buffer itself (the
 * copy faults the page in while mymem holds its mutex: the fault path must
 * not take it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"

static bool mapped(const struct fuzz_thread *t)
{
	return t->map.addr != NULL;
}

/* The mapped part of the thread's own region, as buffer offsets. */
static bool own_mapped(const struct fuzz_thread *t, size_t *lo, size_t *hi)
{
	size_t a = t->map.off > t->own_start ? t->map.off : t->own_start;
	size_t b = t->map.off + t->map.len < t->own_end ?
		   t->map.off + t->map.len : t->own_end;

	if (!mapped(t) || a >= b)
		return false;
	*lo = a;
	*hi = b;
	return true;
}

void op_mmap(struct fuzz_thread *t)
{
	struct fuzz_ctx *ctx = t->ctx;
	struct fuzz_file *f = pick_file(t);
	size_t page = ctx->page, pages = ctx->size / page;
	size_t own_pages = (t->own_end - t->own_start) / page;
	size_t pgoff, npages, len;
	int prot = PROT_READ | PROT_WRITE, flags = MAP_SHARED;
	long want = 0;
	int want_err = 0, err;
	off_t off;
	void *p;
	char what[160];

	if (!f)
		return op_open(t);
	if (mapped(t))
		return op_munmap(t);

	pgoff = t->own_start / page + fuzz_below(&t->rng, own_pages);
	npages = 1 + fuzz_below(&t->rng, t->own_start / page + own_pages - pgoff);
	switch (fuzz_below(&t->rng, 12)) {
	case 0:	/* the whole buffer; only the own region is touched */
		pgoff = 0;
		npages = pages;
		break;
	case 1:
		flags = MAP_PRIVATE;
		want = -1, want_err = EINVAL;
		break;
	case 2:
		pgoff = pages + fuzz_below(&t->rng, 1ULL << 30);
		want = -1, want_err = EINVAL;
		break;
	case 3:
		npages = pages - pgoff + 1 + fuzz_below(&t->rng, 4);
		want = -1, want_err = EINVAL;
		break;
	case 4:
		prot = PROT_READ;
		break;
	default:
		break;
	}
	len = npages * page;
	off = (off_t)(pgoff * page);
	/* do_mmap() checks the file's mode before the driver sees the call. */
	if (f->acc == O_WRONLY || ((prot & PROT_WRITE) && f->acc == O_RDONLY &&
				   flags == MAP_SHARED))
		want = -1, want_err = EACCES;

	errno = 0;
	p = mmap(NULL, len, prot, flags, f->fd, off);
	err = errno;
	count(t, OP_MMAP, p == MAP_FAILED ? -1 : 0, err, -1);
	snprintf(what, sizeof(what), "mmap(%zu pages at page %zu, prot %d, flags %#x, fd %d)",
		 npages, pgoff, prot, flags, f->fd);
	if (!expect_ret(t, what, p == MAP_FAILED ? -1 : 0, err, want, want_err)) {
		if (p != MAP_FAILED)
			munmap(p, len);
		return;
	}
	if (p == MAP_FAILED)
		return;
	t->map = (struct fuzz_map){ p, pgoff * page, len, prot & PROT_WRITE };
}

void op_munmap(struct fuzz_thread *t)
{
	size_t page = t->ctx->page;
	long ret;

	if (!mapped(t)) {
		/* An address that is not page-aligned: EINVAL, nothing unmapped. */
		errno = 0;
		ret = munmap(t->scratch + 1, page);
		count(t, OP_MUNMAP, ret, errno, -1);
		expect_ret(t, "munmap(unaligned)", ret, errno, -1, EINVAL);
		return;
	}
	if (t->map.len > page && fuzz_chance(&t->rng, 30)) {
		/* The first page only: the rest stays mapped, and checked. */
		ret = munmap(t->map.addr, page);
		count(t, OP_MUNMAP, ret, errno, -1);
		if (expect_ret(t, "munmap(first page)", ret, errno, 0, 0)) {
			t->map.addr += page;
			t->map.off += page;
			t->map.len -= page;
		}
		return;
	}
	ret = munmap(t->map.addr, t->map.len);
	count(t, OP_MUNMAP, ret, errno, -1);
	if (expect_ret(t, "munmap", ret, errno, 0, 0))
		t->map.addr = NULL;
}

/* Growing is refused (VM_DONTEXPAND); shrinking unmaps the tail. */
void op_mremap(struct fuzz_thread *t)
{
	size_t page = t->ctx->page;
	void *p;
	int err;

	if (!mapped(t))
		return op_mmap(t);
	errno = 0;
	p = mremap(t->map.addr, t->map.len, t->map.len + page, MREMAP_MAYMOVE);
	err = errno;
	count(t, OP_MREMAP, p == MAP_FAILED ? -1 : 0, err, -1);
	if (!expect_ret(t, "mremap(grow by a page)", p == MAP_FAILED ? -1 : 0,
			err, -1, EFAULT))
		return;
	if (t->map.len > page) {
		p = mremap(t->map.addr, t->map.len, t->map.len - page, 0);
		if (expect_ret(t, "mremap(shrink by a page)",
			       p == MAP_FAILED ? -1 : 0, errno, 0, 0))
			t->map.len -= page;
	}
}

/* Two disjoint ranges of @len in [lo, hi), or false. */
static bool two_ranges(struct fuzz_thread *t, size_t lo, size_t hi, size_t len,
		       size_t *a, size_t *b)
{
	if (hi - lo < 2 * len)
		return false;
	*a = lo + fuzz_below(&t->rng, hi - lo - len + 1);
	*b = lo + fuzz_below(&t->rng, hi - lo - len + 1);
	return *a + len <= *b || *b + len <= *a;
}

/* read(2)/write(2) with the mapping as the user buffer. */
static void syscall_through_map(struct fuzz_thread *t, size_t lo, size_t hi)
{
	struct fuzz_file *f = pick_file(t);
	uint8_t *model = t->ctx->model;
	size_t len = 1 + fuzz_below(&t->rng, 2 * t->ctx->page);
	size_t in_map, in_buf;
	bool to_map = fuzz_chance(&t->rng, 50);
	long ret;
	char what[160];

	if (!f || f->acc != O_RDWR || (to_map && !t->map.writable) ||
	    !two_ranges(t, lo, hi, len, &in_map, &in_buf))
		return;
	errno = 0;
	if (to_map) {
		ret = pread(f->fd, t->map.addr + (in_map - t->map.off), len, in_buf);
		snprintf(what, sizeof(what), "pread(%zu) at %zu into the mapping at %zu",
			 len, in_buf, in_map);
		count(t, OP_PREAD, ret, errno, (long)len);
		if (expect_ret(t, what, ret, errno, (long)len, 0))
			memmove(model + in_map, model + in_buf, len);
	} else {
		ret = pwrite(f->fd, t->map.addr + (in_map - t->map.off), len, in_buf);
		snprintf(what, sizeof(what), "pwrite(%zu) at %zu from the mapping at %zu",
			 len, in_buf, in_map);
		count(t, OP_PWRITE, ret, errno, (long)len);
		if (expect_ret(t, what, ret, errno, (long)len, 0))
			memmove(model + in_buf, model + in_map, len);
	}
}

void op_mapped_io(struct fuzz_thread *t)
{
	uint8_t *model = t->ctx->model;
	size_t lo, hi, off, len, i;
	uint8_t *p;

	if (!mapped(t))
		return op_mmap(t);
	if (!own_mapped(t, &lo, &hi))
		return op_munmap(t);
	if (fuzz_chance(&t->rng, 30))
		return syscall_through_map(t, lo, hi);

	len = 1 + fuzz_below(&t->rng, hi - lo < 512 ? hi - lo : 512);
	off = lo + fuzz_below(&t->rng, hi - lo - len + 1);
	p = t->map.addr + (off - t->map.off);
	if (t->map.writable && fuzz_chance(&t->rng, 50)) {
		for (i = 0; i < len; i++)
			p[i] = model[off + i] = (uint8_t)(fuzz_rand(&t->rng) >> 40);
		count(t, OP_MAPPED_IO, 0, 0, -1);
		return;
	}
	count(t, OP_MAPPED_IO, 0, 0, -1);
	expect_contents(t, "load through the mapping", p, off, len);
}
