// SPDX-License-Identifier: GPL-2.0
/*
 * every_way_in: reach /dev/mymem by a way other than read()/write(), N
 * times, so that the tracer's counts can be checked against it.
 *
 *   every_way_in WAY N [DEV]
 *
 * WAY: readv, preadv, preadv2, writev, pwritev, pwritev2 (each call 4
 * segments of 64 bytes: 256 bytes), or uring-read, uring-write (one
 * 64-byte IORING_OP_READ/WRITE per call, through a ring set up with the
 * raw syscalls). Exits 0 when every call moved all its bytes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#define SEGS	4
#define SEG	64

struct ring {
	int fd;
	unsigned int *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
};

static int ring_setup(struct ring *r)
{
	struct io_uring_params p = { 0 };
	void *sq, *cq;

	r->fd = syscall(__NR_io_uring_setup, 4, &p);
	if (r->fd < 0)
		return -1;
	sq = mmap(NULL, p.sq_off.array + p.sq_entries * sizeof(unsigned int),
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQ_RING);
	cq = mmap(NULL, p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe),
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_CQ_RING);
	r->sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe),
		       PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || r->sqes == MAP_FAILED)
		return -1;
	r->sq_tail = (unsigned int *)((char *)sq + p.sq_off.tail);
	r->sq_mask = (unsigned int *)((char *)sq + p.sq_off.ring_mask);
	r->sq_array = (unsigned int *)((char *)sq + p.sq_off.array);
	r->cq_head = (unsigned int *)((char *)cq + p.cq_off.head);
	r->cq_tail = (unsigned int *)((char *)cq + p.cq_off.tail);
	r->cq_mask = (unsigned int *)((char *)cq + p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)((char *)cq + p.cq_off.cqes);
	return 0;
}

/* One read or write through the ring, waited for. Its result. */
static long ring_rw(struct ring *r, int op, int fd, void *buf, unsigned int len)
{
	unsigned int tail = *r->sq_tail, idx = tail & *r->sq_mask, head;
	struct io_uring_sqe *sqe = &r->sqes[idx];
	long res;

	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = op;
	sqe->fd = fd;
	sqe->addr = (unsigned long)buf;
	sqe->len = len;
	sqe->off = 0;
	r->sq_array[idx] = idx;
	__atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, r->fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0)
		return -errno;
	head = *r->cq_head;
	if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE))
		return -EAGAIN;
	res = r->cqes[head & *r->cq_mask].res;
	__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
	return res;
}

int main(int argc, char **argv)
{
	const char *way = argc > 2 ? argv[1] : NULL, *dev = argc > 3 ? argv[3] : "/dev/mymem";
	long n = argc > 2 ? atol(argv[2]) : 0, i, got = 0, want;
	bool uring = way && !strncmp(way, "uring-", 6);
	char buf[SEGS][SEG] = { { 0 } };
	struct iovec iov[SEGS];
	struct ring ring;
	int fd, s;

	if (!way || n <= 0) {
		fprintf(stderr, "usage: every_way_in readv|preadv|preadv2|writev|pwritev|pwritev2|uring-read|uring-write N [DEV]\n");
		return 2;
	}
	fd = open(dev, O_RDWR);
	if (fd < 0 || (uring && ring_setup(&ring))) {
		perror(dev);
		return 1;
	}
	for (s = 0; s < SEGS; s++)
		iov[s] = (struct iovec){ buf[s], SEG };
	want = uring ? SEG : SEGS * SEG;
	for (i = 0; i < n; i++) {
		if (!strcmp(way, "readv"))
			got = lseek(fd, 0, SEEK_SET) ? -1 : readv(fd, iov, SEGS);
		else if (!strcmp(way, "writev"))
			got = lseek(fd, 0, SEEK_SET) ? -1 : writev(fd, iov, SEGS);
		else if (!strcmp(way, "preadv"))
			got = preadv(fd, iov, SEGS, 0);
		else if (!strcmp(way, "pwritev"))
			got = pwritev(fd, iov, SEGS, 0);
		else if (!strcmp(way, "preadv2"))
			got = preadv2(fd, iov, SEGS, 0, 0);
		else if (!strcmp(way, "pwritev2"))
			got = pwritev2(fd, iov, SEGS, 0, 0);
		else if (!strcmp(way, "uring-read"))
			got = ring_rw(&ring, IORING_OP_READ, fd, buf[0], SEG);
		else if (!strcmp(way, "uring-write"))
			got = ring_rw(&ring, IORING_OP_WRITE, fd, buf[0], SEG);
		else {
			fprintf(stderr, "every_way_in: no way '%s'\n", way);
			return 2;
		}
		if (got != want) {
			fprintf(stderr, "every_way_in: %s call %ld moved %ld of %ld bytes (%s)\n", way,
				i, got, want, got < 0 ? strerror(got == -1 ? errno : -got) : "short");
			return 1;
		}
	}
	return 0;
}
