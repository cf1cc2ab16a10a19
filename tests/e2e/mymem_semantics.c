// SPDX-License-Identifier: GPL-2.0
/*
 * End-to-end tests of /dev/mymem's semantics, run in the guest with mymem
 * loaded: EOF, short reads and writes, ENOSPC, seek bounds, EFAULT and short
 * copies, ioctls (with -ENOTTY), mmap coherence both ways and mmap bounds,
 * concurrent opens, and the kernel benchmark's error paths.
 *
 * Prints one line per subtest: "PASS e2e/semantics/<name>" or
 * "FAIL e2e/semantics/<name>: <why>". Exits 1 if any failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mymem.h"

static int failures;
static const char *current;
static size_t buf_size;

/* Each ASSERT reports the first failed check of a subtest and returns. */
#define FAIL_IF(cond, fmt, ...)						\
	do {								\
		if (cond) {						\
			printf("FAIL e2e/semantics/%s: " fmt "\n",	\
			       current, ##__VA_ARGS__);			\
			failures++;					\
			return false;					\
		}							\
	} while (0)
/* Each argument is evaluated once: they are often the call under test. */
#define ASSERT_EQ(got, want, what)					\
	do {								\
		long long _got = (long long)(got);			\
		long long _want = (long long)(want);			\
		int _err = errno;					\
		FAIL_IF(_got != _want,					\
			"%s: got %lld, want %lld (errno %s)", what,	\
			_got, _want, strerror(_err));			\
	} while (0)
#define ASSERT_ERRNO(ret, err, what)					\
	do {								\
		long long _ret = (long long)(ret);			\
		int _err = errno;					\
		FAIL_IF(_ret != -1 || _err != (err),			\
			"%s: got %lld errno %s, want -1 errno %s", what, \
			_ret, strerror(_err), strerror(err));		\
	} while (0)

/* Opaque to the compiler, so that it lets us pass NULL on purpose. */
static void *volatile null_ptr;

static int open_dev(void)
{
	int fd = open(MYMEM_DEVICE, O_RDWR);

	if (fd < 0) {
		fprintf(stderr, "%s: %s: is mymem loaded?\n", MYMEM_DEVICE,
			strerror(errno));
		exit(1);
	}
	return fd;
}

/* Fill the whole buffer with a pattern that depends on the offset. */
static uint8_t pattern(size_t off, unsigned int seed)
{
	return (uint8_t)(off * 7 + seed + (off >> 12));
}

static bool fill(int fd, unsigned int seed)
{
	uint8_t *buf = malloc(buf_size);
	ssize_t n;
	size_t i;

	for (i = 0; i < buf_size; i++)
		buf[i] = pattern(i, seed);
	n = pwrite(fd, buf, buf_size, 0);
	free(buf);
	return n == (ssize_t)buf_size;
}

static bool test_get_size(int fd)
{
	uint64_t size = 0;

	ASSERT_EQ(ioctl(fd, MYMEM_IOC_GET_SIZE, &size), 0, "GET_SIZE");
	FAIL_IF(size == 0 || size % 4096, "size %llu", (unsigned long long)size);
	buf_size = size;
	return true;
}

static bool test_read_eof_and_short(int fd)
{
	char buf[128];

	ASSERT_EQ(lseek(fd, 0, SEEK_END), buf_size, "SEEK_END");
	ASSERT_EQ(read(fd, buf, sizeof(buf)), 0, "read at the end");
	ASSERT_EQ(lseek(fd, -10, SEEK_END), buf_size - 10, "SEEK_END -10");
	ASSERT_EQ(read(fd, buf, sizeof(buf)), 10, "read crossing the end");
	ASSERT_EQ(lseek(fd, 0, SEEK_CUR), buf_size, "position after short read");
	ASSERT_EQ(read(fd, buf, 0), 0, "zero-length read");
	return true;
}

static bool test_write_short_and_enospc(int fd)
{
	char buf[128], back[128];

	memset(buf, 0x5a, sizeof(buf));
	ASSERT_EQ(lseek(fd, -16, SEEK_END), buf_size - 16, "seek");
	ASSERT_EQ(write(fd, buf, sizeof(buf)), 16, "write crossing the end");
	ASSERT_ERRNO(write(fd, buf, sizeof(buf)), ENOSPC, "write at the end");
	ASSERT_EQ(write(fd, buf, 0), 0, "zero-length write at the end");
	ASSERT_EQ(pread(fd, back, 16, buf_size - 16), 16, "read back");
	FAIL_IF(memcmp(back, buf, 16), "tail not written");
	return true;
}

static bool test_seek_bounds(int fd)
{
	ASSERT_EQ(lseek(fd, 100, SEEK_SET), 100, "SEEK_SET 100");
	ASSERT_EQ(lseek(fd, 50, SEEK_CUR), 150, "SEEK_CUR +50");
	ASSERT_EQ(lseek(fd, -150, SEEK_CUR), 0, "SEEK_CUR back to 0");
	ASSERT_EQ(lseek(fd, buf_size, SEEK_SET), buf_size, "SEEK_SET size");
	ASSERT_ERRNO(lseek(fd, -1, SEEK_SET), EINVAL, "SEEK_SET -1");
	ASSERT_ERRNO(lseek(fd, buf_size + 1, SEEK_SET), EINVAL, "SEEK_SET size+1");
	ASSERT_ERRNO(lseek(fd, 1, SEEK_END), EINVAL, "SEEK_END +1");
	ASSERT_ERRNO(lseek(fd, -(off_t)buf_size - 1, SEEK_END), EINVAL,
		     "SEEK_END -(size+1)");
	ASSERT_EQ(lseek(fd, 0, SEEK_CUR), buf_size, "position kept after EINVAL");
	ASSERT_ERRNO(lseek(fd, 0, 77), EINVAL, "bad whence");
	return true;
}

/* A user buffer whose second page is unmapped: copies fault half way. */
static uint8_t *map_half_faulting(void)
{
	long page = sysconf(_SC_PAGESIZE);
	uint8_t *p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	munmap(p + page, page);
	return p;
}

static bool test_efault(int fd)
{
	long page = sysconf(_SC_PAGESIZE);
	uint8_t *p = map_half_faulting();
	uint8_t back[256];
	ssize_t n;
	int i;

	FAIL_IF(!p, "mmap: %s", strerror(errno));
	ASSERT_ERRNO(pread(fd, null_ptr, 64, 0), EFAULT, "read into NULL");
	ASSERT_ERRNO(pwrite(fd, null_ptr, 64, 0), EFAULT, "write from NULL");
	ASSERT_ERRNO(pread(fd, (void *)0xffff888000000000ULL, 64, 0), EFAULT,
		     "read into a kernel address");
	ASSERT_ERRNO(pread(fd, p + page, 64, 0), EFAULT,
		     "read into an unmapped page");

	/* A buffer crossing into the unmapped page: a short copy. */
	FAIL_IF(!fill(fd, 3), "fill");
	n = pread(fd, p + page - 100, 256, 0);
	FAIL_IF(n != 100, "short read returned %zd, want 100 (up to the fault)", n);
	for (i = 0; i < n; i++)
		FAIL_IF(p[page - 100 + i] != pattern(i, 3), "short read byte %d", i);

	memset(p + page - 100, 0xa5, 100);
	ASSERT_EQ(lseek(fd, 0, SEEK_SET), 0, "seek");
	n = write(fd, p + page - 100, 256);
	FAIL_IF(n != 100, "short write returned %zd, want 100 (up to the fault)", n);
	ASSERT_EQ(lseek(fd, 0, SEEK_CUR), n, "position advanced by the short write");
	ASSERT_EQ(pread(fd, back, sizeof(back), 0), sizeof(back), "read back");
	for (i = 0; i < n; i++)
		FAIL_IF(back[i] != 0xa5, "written byte %d is %#x", i, back[i]);
	/* Only the bytes counted are written; the rest keep their values. */
	for (; i < 256; i++)
		FAIL_IF(back[i] != pattern(i, 3), "byte %d past the short write is %#x", i, back[i]);

	/* A write that faults at once changes nothing. */
	ASSERT_ERRNO(pwrite(fd, p + page, 64, 200), EFAULT, "write from an unmapped page");
	ASSERT_EQ(pread(fd, back, 64, 200), 64, "read back after EFAULT");
	for (i = 0; i < 56; i++)
		FAIL_IF(back[i] != pattern(200 + i, 3), "byte %d changed by a failed write", 200 + i);

	/* A read-only page cannot be read into. */
	FAIL_IF(mprotect(p, page, PROT_READ), "mprotect");
	ASSERT_ERRNO(pread(fd, p, 64, 0), EFAULT, "read into a read-only page");
	munmap(p, page);
	return true;
}

/* ADD_U64 whose result cannot be stored: EFAULT, and the counter unchanged. */
static bool add_u64_unwritable_result(int fd)
{
	long page = sysconf(_SC_PAGESIZE);
	struct mymem_add_u64 *ro;
	uint64_t v = 7;
	bool ok;

	ro = mmap(NULL, page, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ro == MAP_FAILED)
		return false;
	ro->offset = 16;
	ro->delta = 1;
	ok = pwrite(fd, &v, 8, 16) == 8 && !mprotect(ro, page, PROT_READ) &&
	     ioctl(fd, MYMEM_IOC_ADD_U64, ro) == -1 && errno == EFAULT &&
	     pread(fd, &v, 8, 16) == 8 && v == 7;
	munmap(ro, page);
	return ok;
}

static bool test_ioctls(int fd)
{
	struct mymem_add_u64 add = { .offset = 8, .delta = 5 };
	uint64_t v = 40;

	ASSERT_EQ(ioctl(fd, MYMEM_IOC_RESET), 0, "RESET");
	ASSERT_EQ(pread(fd, &v, 8, 0), 8, "read after reset");
	ASSERT_EQ(v, 0, "first word after reset");
	ASSERT_EQ(pread(fd, &v, 8, buf_size - 8), 8, "read last word");
	ASSERT_EQ(v, 0, "last word after reset");

	v = 40;
	ASSERT_EQ(pwrite(fd, &v, 8, 8), 8, "write counter");
	ASSERT_EQ(ioctl(fd, MYMEM_IOC_ADD_U64, &add), 0, "ADD_U64");
	ASSERT_EQ(add.result, 45, "ADD_U64 result");
	ASSERT_EQ(pread(fd, &v, 8, 8), 8, "read counter");
	ASSERT_EQ(v, 45, "counter in the buffer");

	add.offset = 3;
	ASSERT_ERRNO(ioctl(fd, MYMEM_IOC_ADD_U64, &add), EINVAL, "unaligned ADD_U64");
	add.offset = buf_size;
	ASSERT_ERRNO(ioctl(fd, MYMEM_IOC_ADD_U64, &add), EINVAL, "ADD_U64 past the end");
	add.offset = buf_size - 8;
	ASSERT_EQ(ioctl(fd, MYMEM_IOC_ADD_U64, &add), 0, "ADD_U64 on the last word");
	ASSERT_ERRNO(ioctl(fd, MYMEM_IOC_ADD_U64, null_ptr), EFAULT, "ADD_U64 NULL");
	FAIL_IF(!add_u64_unwritable_result(fd), "ADD_U64 with a read-only result");
	ASSERT_ERRNO(ioctl(fd, MYMEM_IOC_GET_SIZE, null_ptr), EFAULT, "GET_SIZE NULL");
	ASSERT_ERRNO(ioctl(fd, _IO('m', 99)), ENOTTY, "unknown command");
	ASSERT_ERRNO(ioctl(fd, _IOR('x', 1, uint64_t), &v), ENOTTY,
		     "another driver's command");
	return true;
}

static bool test_mmap_coherence(int fd)
{
	uint8_t *map = mmap(NULL, buf_size, PROT_READ | PROT_WRITE, MAP_SHARED,
			    fd, 0);
	uint8_t buf[64];
	size_t off = buf_size - 64;

	FAIL_IF(map == MAP_FAILED, "mmap: %s", strerror(errno));
	memset(buf, 0x3c, sizeof(buf));
	ASSERT_EQ(pwrite(fd, buf, sizeof(buf), off), sizeof(buf), "write()");
	FAIL_IF(memcmp(map + off, buf, sizeof(buf)), "write() not seen in the mapping");

	memset(map + 4096, 0xc3, 64);
	ASSERT_EQ(pread(fd, buf, sizeof(buf), 4096), sizeof(buf), "read()");
	FAIL_IF(buf[0] != 0xc3 || buf[63] != 0xc3, "mapping write not seen by read()");

	/* read() into a mapping of the buffer itself must not deadlock. */
	ASSERT_EQ(pread(fd, map + 8192, 64, 4096), 64, "read() into the mapping");
	FAIL_IF(map[8192] != 0xc3, "self-copy");
	ASSERT_EQ(munmap(map, buf_size), 0, "munmap");
	return true;
}

static bool test_mmap_bounds(int fd)
{
	long page = sysconf(_SC_PAGESIZE);
	void *p;

	p = mmap(NULL, buf_size + page, PROT_READ, MAP_SHARED, fd, 0);
	FAIL_IF(p != MAP_FAILED, "mapping past the end succeeded");
	p = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, buf_size);
	FAIL_IF(p != MAP_FAILED, "mapping at offset size succeeded");
	p = mmap(NULL, page, PROT_READ, MAP_PRIVATE, fd, 0);
	FAIL_IF(p != MAP_FAILED, "private mapping succeeded");
	p = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, buf_size - page);
	FAIL_IF(p == MAP_FAILED, "last page: %s", strerror(errno));
	munmap(p, page);
	return true;
}

struct opener {
	int id;
	bool ok;
};

/* Each thread owns a file and a region: positions are per open file. */
static void *opener_thread(void *arg)
{
	struct opener *o = arg;
	int fd = open(MYMEM_DEVICE, O_RDWR);
	size_t region = 4096, base = (size_t)o->id * region;
	uint8_t buf[4096], back[4096];
	int i;

	o->ok = fd >= 0;
	for (i = 0; o->ok && i < 200; i++) {
		memset(buf, o->id + i, sizeof(buf));
		o->ok = lseek(fd, base, SEEK_SET) == (off_t)base &&
			write(fd, buf, region) == (ssize_t)region &&
			lseek(fd, 0, SEEK_CUR) == (off_t)(base + region) &&
			lseek(fd, base, SEEK_SET) == (off_t)base &&
			read(fd, back, region) == (ssize_t)region &&
			!memcmp(buf, back, region);
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

static bool test_concurrent_opens(int fd)
{
	struct opener o[8];
	pthread_t t[8];
	int i;

	(void)fd;
	for (i = 0; i < 8; i++) {
		o[i].id = i;
		FAIL_IF(pthread_create(&t[i], NULL, opener_thread, &o[i]), "pthread_create");
	}
	for (i = 0; i < 8; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < 8; i++)
		FAIL_IF(!o[i].ok, "opener %d saw wrong data or position", i);
	return true;
}

static bool test_kernel_bench_errors(int fd)
{
	struct mymem_test_timing timing = { .size = 64, .trials = 4 };
	struct mymem_test_race race = { .workers = 2, .iterations = 10 };
	uint64_t samples[8];
	int tfd = open(MYMEM_TEST_DEVICE, O_RDWR);

	(void)fd;
	FAIL_IF(tfd < 0, "%s: %s", MYMEM_TEST_DEVICE, strerror(errno));
	ASSERT_ERRNO(ioctl(tfd, MYMEM_TEST_IOC_TIMING, &timing), EFAULT,
		     "TIMING without a sample buffer");
	timing.samples_ptr = (uintptr_t)samples;
	timing.size = buf_size + 1;
	ASSERT_ERRNO(ioctl(tfd, MYMEM_TEST_IOC_TIMING, &timing), EINVAL,
		     "TIMING larger than the buffer");
	timing.size = 64;
	ASSERT_EQ(ioctl(tfd, MYMEM_TEST_IOC_TIMING, &timing), 0, "TIMING");
	ASSERT_EQ(timing.mismatches, 0, "TIMING mismatches");
	FAIL_IF(!samples[0] || !samples[7], "zero sample");
	race.lock = 7;
	ASSERT_ERRNO(ioctl(tfd, MYMEM_TEST_IOC_RACE, &race), EINVAL, "RACE bad lock");
	race.lock = MYMEM_TEST_LOCK_MUTEX;
	race.workers = 0;
	ASSERT_ERRNO(ioctl(tfd, MYMEM_TEST_IOC_RACE, &race), EINVAL, "RACE 0 workers");
	race.workers = 3;
	race.initial = 100;
	ASSERT_EQ(ioctl(tfd, MYMEM_TEST_IOC_RACE, &race), 0, "RACE");
	ASSERT_EQ(race.expected, 30, "RACE expected");
	ASSERT_EQ(race.observed, 30, "RACE observed");
	ASSERT_EQ(race.final, 130, "RACE final");
	ASSERT_ERRNO(ioctl(tfd, _IO('t', 42)), ENOTTY, "unknown command");
	close(tfd);
	return true;
}

struct subtest {
	const char *name;
	bool (*fn)(int fd);
};

static const struct subtest subtests[] = {
	{ "get_size", test_get_size },	/* first: sets buf_size */
	{ "read_eof_and_short", test_read_eof_and_short },
	{ "write_short_and_enospc", test_write_short_and_enospc },
	{ "seek_bounds", test_seek_bounds },
	{ "efault_and_short_copies", test_efault },
	{ "ioctls", test_ioctls },
	{ "mmap_coherence", test_mmap_coherence },
	{ "mmap_bounds", test_mmap_bounds },
	{ "concurrent_opens", test_concurrent_opens },
	{ "kernel_bench_errors", test_kernel_bench_errors },
};

int main(void)
{
	int fd = open_dev();
	size_t i;

	for (i = 0; i < sizeof(subtests) / sizeof(subtests[0]); i++) {
		current = subtests[i].name;
		if (subtests[i].fn(fd))
			printf("PASS e2e/semantics/%s\n", current);
		if (!buf_size) {
			printf("FAIL e2e/semantics/rest: no buffer size, stopping\n");
			return 1;
		}
	}
	close(fd);
	return failures ? 1 : 0;
}
