// SPDX-License-Identifier: GPL-2.0
/*
 * The buffers system calls are given: an ordinary one, and hostile ones
 * (NULL, a kernel address, unmapped memory, a PROT_NONE page, a read-only
 * page, and buffers that cross from a good page into a bad one), each with
 * how many of its bytes the kernel can actually reach.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "mymem.h"
#include "fuzz.h"

/* The kernel's direct map: access_ok() refuses it outright. */
#define KERNEL_ADDRESS		((uint8_t *)0xffff888000000000ULL)
/* Below mmap_min_addr (64 KiB on Debian): never mapped by anything. */
#define LOW_UNMAPPED		((uint8_t *)0x1010)

enum { GUARD_RW0, GUARD_NONE, GUARD_RW2, GUARD_RO, GUARD_PAGES };

int hostile_setup(struct fuzz_ctx *ctx, struct fuzz_thread *t)
{
	size_t page = ctx->page;
	struct mymem_add_u64 *add;

	t->scratch = mmap(NULL, 2 * ctx->size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	t->guard = mmap(NULL, GUARD_PAGES * page, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (t->scratch == MAP_FAILED || t->guard == MAP_FAILED)
		return -errno;

	/* The read-only page holds a valid ADD_U64 argument on its own region. */
	memset(t->guard + GUARD_RO * page, 0x5a + t->index, page);
	add = (struct mymem_add_u64 *)(t->guard + GUARD_RO * page);
	add->offset = t->own_start;
	add->delta = 1;
	if (mprotect(t->guard + GUARD_NONE * page, page, PROT_NONE) ||
	    mprotect(t->guard + GUARD_RO * page, page, PROT_READ))
		return -errno;
	return 0;
}

void hostile_teardown(struct fuzz_ctx *ctx, struct fuzz_thread *t)
{
	if (t->scratch && t->scratch != MAP_FAILED)
		munmap(t->scratch, 2 * ctx->size);
	if (t->guard && t->guard != MAP_FAILED)
		munmap(t->guard, GUARD_PAGES * ctx->page);
}

/*
 * A page mapped just below mmap_min_addr, with the page above it unmapped
 * and, short of exhausting the address space, never mapped: a buffer that
 * crosses into truly unmapped memory. Mapping there needs CAP_SYS_RAWIO;
 * without it the case is left out, and said so.
 */
int hostile_setup_low_page(struct fuzz_ctx *ctx)
{
	unsigned long min_addr = 0;
	FILE *f = fopen("/proc/sys/vm/mmap_min_addr", "r");
	void *want, *p;

	if (f) {
		if (fscanf(f, "%lu", &min_addr) != 1)
			min_addr = 0;
		fclose(f);
	}
	if (min_addr < 2 * ctx->page) {
		fprintf(stderr, "mymem-fuzz: note: mmap_min_addr is %lu: no unmapped page to cross into; that case is left out\n",
			min_addr);
		return 0;
	}
	want = (void *)(min_addr - ctx->page);
	p = mmap(want, ctx->page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p == MAP_FAILED || p != want) {
		fprintf(stderr, "mymem-fuzz: note: cannot map below mmap_min_addr (%s; needs CAP_SYS_RAWIO): buffers crossing into an unmapped page are left out\n",
			p == MAP_FAILED ? strerror(errno) : "moved");
		if (p != MAP_FAILED)
			munmap(p, ctx->page);
		return 0;
	}
	/* msync() says ENOMEM for an unmapped range: check the page above. */
	if (msync((void *)min_addr, ctx->page, MS_ASYNC) == 0 || errno != ENOMEM) {
		munmap(p, ctx->page);
		fprintf(stderr, "mymem-fuzz: note: the page at mmap_min_addr is mapped: buffers crossing into an unmapped page are left out\n");
		return 0;
	}
	ctx->low_page = p;
	return 0;
}

struct fuzz_buf ordinary_buf(struct fuzz_thread *t)
{
	size_t n = 2 * t->ctx->size;

	return (struct fuzz_buf){ .p = t->scratch, .readable = n,
				  .writable = n, .limit = n, .kind = "ordinary" };
}

/* Bytes before a bad page: 1..len-1 where len allows, so copies stop short. */
static size_t cross_at(struct fuzz_thread *t, size_t len)
{
	size_t limit = len < t->ctx->page ? len : t->ctx->page;

	return limit > 1 ? 1 + fuzz_below(&t->rng, limit - 1) : 1;
}

/* Memory that faults at its first byte, in both directions. */
static struct fuzz_buf faulting(uint8_t *p, const char *kind)
{
	return (struct fuzz_buf){ .p = p, .limit = SIZE_MAX, .kind = kind };
}

struct fuzz_buf hostile_pick(struct fuzz_thread *t, size_t len)
{
	size_t page = t->ctx->page;
	uint8_t *none = t->guard + GUARD_NONE * page;
	uint8_t *ro = t->guard + GUARD_RO * page;
	struct fuzz_buf b;
	size_t k;

	switch (fuzz_below(&t->rng, 9)) {
	case 0:
		return faulting(NULL, "NULL");
	case 1:
		b = faulting(KERNEL_ADDRESS, "kernel address");
		b.range_bad = true;
		return b;
	case 2:
		return faulting(LOW_UNMAPPED, "unmapped");
	case 3:
		return faulting(none, "PROT_NONE page");
	case 4:
		return (struct fuzz_buf){ .p = ro, .readable = page,
					  .limit = page, .kind = "read-only page" };
	case 5:
		k = cross_at(t, len);
		return (struct fuzz_buf){ .p = none - k, .readable = k,
					  .writable = k, .limit = SIZE_MAX,
					  .kind = "crossing into PROT_NONE" };
	case 6:
		k = cross_at(t, len);
		return (struct fuzz_buf){ .p = ro - k, .readable = k + page,
					  .writable = k, .limit = k + page,
					  .kind = "crossing into read-only" };
	case 7:
		if (t->ctx->low_page) {
			k = cross_at(t, len);
			return (struct fuzz_buf){ .p = t->ctx->low_page + page - k,
						  .readable = k, .writable = k,
						  .limit = SIZE_MAX, .shared = true,
						  .kind = "crossing into unmapped" };
		}
		/* the case is unavailable here */
		return ordinary_buf(t);
	default:
		return ordinary_buf(t);
	}
}
