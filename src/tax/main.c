// SPDX-License-Identifier: GPL-2.0
/*
 * tax-workload: what a tracer costs the work that never touches the
 * device. Times a loop of each op and prints one JSON object per op:
 *
 *   geteuid, getppid  a null syscall (raw syscall(), nothing cached)
 *   read64            a 64-byte read() of /dev/zero: another file's read
 *   pingpong          a round trip between two threads over two pipes:
 *                     each thread one write() and one read(), two context
 *                     switches on one CPU
 *   fault             the first touch of a page of an anonymous mapping
 *
 * It never opens the device. Under scripts/vm-run --icount guest time
 * counts instructions, so ns_per_op is then instructions per op.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "clock.h"

#define FAULT_BATCH_PAGES 256

static void die(const char *what)
{
	fprintf(stderr, "tax-workload: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t time_null(long nr, long n)
{
	uint64_t t0 = now_ns();
	long i;

	for (i = 0; i < n; i++)
		syscall(nr);
	return now_ns() - t0;
}

static uint64_t time_read64(long n)
{
	char buf[64];
	int fd = open("/dev/zero", O_RDONLY);
	uint64_t t0;
	long i;

	if (fd < 0)
		die("/dev/zero");
	t0 = now_ns();
	for (i = 0; i < n; i++)
		if (read(fd, buf, sizeof(buf)) != sizeof(buf))
			die("read /dev/zero");
	t0 = now_ns() - t0;
	close(fd);
	return t0;
}

struct pingpong {
	int there[2], back[2];
	long n;
};

static void *pong(void *arg)
{
	struct pingpong *p = arg;
	char c;
	long i;

	for (i = 0; i < p->n; i++)
		if (read(p->there[0], &c, 1) != 1 || write(p->back[1], &c, 1) != 1)
			die("pong");
	return NULL;
}

static uint64_t time_pingpong(long n)
{
	struct pingpong p = { .n = n };
	pthread_t thread;
	uint64_t t0;
	char c = 'x';
	long i;

	if (pipe(p.there) || pipe(p.back))
		die("pipe");
	if (pthread_create(&thread, NULL, pong, &p))
		die("pthread_create");
	t0 = now_ns();
	for (i = 0; i < n; i++)
		if (write(p.there[1], &c, 1) != 1 || read(p.back[0], &c, 1) != 1)
			die("ping");
	t0 = now_ns() - t0;
	pthread_join(thread, NULL);
	close(p.there[0]);
	close(p.there[1]);
	close(p.back[0]);
	close(p.back[1]);
	return t0;
}

/* Only the touches are timed: mmap and munmap of each batch are not. */
static uint64_t time_fault(long n)
{
	long page = sysconf(_SC_PAGESIZE), done = 0, i, batch;
	uint64_t total = 0, t0;
	char *m;

	while (done < n) {
		batch = n - done < FAULT_BATCH_PAGES ? n - done : FAULT_BATCH_PAGES;
		m = mmap(NULL, batch * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
		if (m == MAP_FAILED)
			die("mmap");
		t0 = now_ns();
		for (i = 0; i < batch; i++)
			((volatile char *)m)[i * page] = 1;
		total += now_ns() - t0;
		munmap(m, batch * page);
		done += batch;
	}
	return total;
}

static uint64_t time_op(const char *op, long n)
{
	if (!strcmp(op, "geteuid"))
		return time_null(SYS_geteuid, n);
	if (!strcmp(op, "getppid"))
		return time_null(SYS_getppid, n);
	if (!strcmp(op, "read64"))
		return time_read64(n);
	if (!strcmp(op, "pingpong"))
		return time_pingpong(n);
	if (!strcmp(op, "fault"))
		return time_fault(n);
	fprintf(stderr, "tax-workload: no op '%s' (geteuid, getppid, read64, pingpong, fault)\n", op);
	exit(2);
}

int main(int argc, char **argv)
{
	long n = 20000;
	int i = 1;

	if (argc > 2 && !strcmp(argv[1], "-n")) {
		n = strtol(argv[2], NULL, 10);
		i = 3;
	}
	if (i >= argc || n <= 0) {
		fprintf(stderr, "usage: tax-workload [-n N] OP...   (OP: geteuid getppid read64 pingpong fault)\n");
		return 2;
	}
	for (; i < argc; i++) {
		uint64_t ns;

		time_op(argv[i], n / 10 + 1);	/* warm: caches, page tables, the other thread */
		ns = time_op(argv[i], n);
		printf("{\"op\": \"%s\", \"n\": %ld, \"ns_per_op\": %.1f}\n", argv[i], n,
		       (double)ns / n);
		fflush(stdout);
	}
	return 0;
}
