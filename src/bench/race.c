// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "mymem.h"
#include "race.h"
#include "target.h"

struct race_shared {
	const struct bench_opts *opts;
	pthread_barrier_t start;	/* all threads begin together */
	pthread_mutex_t counter_lock;	/* LOCK_MUTEX */
};

struct race_worker {
	struct race_shared *shared;
	pthread_t thread;
	int fd;
	int error;			/* errno of the first failed call */
};

/* The course's increment: read the counter, add one, write it back. */
static int read_modify_write(int fd)
{
	uint64_t value;

	if (pread(fd, &value, sizeof(value), 0) != sizeof(value))
		return -1;
	value++;
	if (pwrite(fd, &value, sizeof(value), 0) != sizeof(value))
		return -1;
	return 0;
}

static int increment(struct race_worker *w)
{
	struct mymem_add_u64 add = { .offset = 0, .delta = 1 };
	int ret;

	switch (w->shared->opts->lock) {
	case LOCK_MUTEX:
		pthread_mutex_lock(&w->shared->counter_lock);
		ret = read_modify_write(w->fd);
		pthread_mutex_unlock(&w->shared->counter_lock);
		return ret;
	case LOCK_ATOMIC:
		return ioctl(w->fd, MYMEM_IOC_ADD_U64, &add);
	default:
		return read_modify_write(w->fd);
	}
}

static void *race_thread(void *arg)
{
	struct race_worker *w = arg;
	uint64_t i;

	pthread_barrier_wait(&w->shared->start);
	for (i = 0; i < w->shared->opts->iterations; i++) {
		if (increment(w)) {
			w->error = errno;
			break;
		}
	}
	return NULL;
}

static int counter_set(int fd, uint64_t value)
{
	return pwrite(fd, &value, sizeof(value), 0) == sizeof(value) ? 0 : -1;
}

static int counter_get(int fd, uint64_t *value)
{
	return pread(fd, value, sizeof(*value), 0) == sizeof(*value) ? 0 : -1;
}

static int user_trial(const struct bench_opts *o, int fd, uint64_t *observed,
		      uint64_t *elapsed)
{
	struct race_shared shared = { .opts = o };
	struct race_worker *workers = calloc(o->workers, sizeof(*workers));
	uint32_t started = 0, i;
	uint64_t t0, final;
	int ret = 1;

	if (!workers || counter_set(fd, RACE_INITIAL)) {
		fprintf(stderr, "mymem-bench: race set-up failed: %s\n", strerror(errno));
		free(workers);
		return 1;
	}
	pthread_mutex_init(&shared.counter_lock, NULL);
	/* The main thread is a party too: it starts the clock. */
	pthread_barrier_init(&shared.start, NULL, o->workers + 1);

	for (i = 0; i < o->workers; i++) {
		workers[i].shared = &shared;
		workers[i].fd = open(o->dev, O_RDWR | O_CLOEXEC);
		if (workers[i].fd < 0) {
			explain_open_error(o->dev, errno);
			goto out;
		}
	}
	for (i = 0; i < o->workers; i++) {
		if (pthread_create(&workers[i].thread, NULL, race_thread, &workers[i])) {
			fprintf(stderr, "mymem-bench: cannot start race thread %u\n", i);
			/* The barrier will never fill: this run cannot go on. */
			exit(1);
		}
		started++;
	}
	t0 = now_ns();
	pthread_barrier_wait(&shared.start);
	for (i = 0; i < started; i++)
		pthread_join(workers[i].thread, NULL);
	*elapsed = now_ns() - t0;

	for (i = 0; i < o->workers; i++) {
		if (workers[i].error) {
			fprintf(stderr, "mymem-bench: race thread %u: %s\n", i,
				strerror(workers[i].error));
			goto out;
		}
	}
	if (counter_get(fd, &final)) {
		fprintf(stderr, "mymem-bench: reading the counter: %s\n", strerror(errno));
		goto out;
	}
	*observed = final - RACE_INITIAL;
	ret = 0;
out:
	for (i = 0; i < o->workers; i++)
		if (workers[i].fd > 0)
			close(workers[i].fd);
	pthread_barrier_destroy(&shared.start);
	pthread_mutex_destroy(&shared.counter_lock);
	free(workers);
	return ret;
}

/* @samples: NULL, or room for 2 * W * N call times (reads, then writes). */
static int kernel_trial(const struct bench_opts *o, int fd, uint64_t *observed,
			uint64_t *elapsed, uint64_t *samples)
{
	static const uint32_t kernel_lock[] = {
		[LOCK_NONE] = MYMEM_TEST_LOCK_NONE,
		[LOCK_MUTEX] = MYMEM_TEST_LOCK_MUTEX,
		[LOCK_ATOMIC] = MYMEM_TEST_LOCK_ATOMIC,
	};
	struct mymem_test_race arg = {
		.workers = o->workers,
		.lock = kernel_lock[o->lock],
		.iterations = o->iterations,
		.initial = RACE_INITIAL,
		.samples_ptr = (uintptr_t)samples,
	};

	if (ioctl(fd, MYMEM_TEST_IOC_RACE, &arg)) {
		fprintf(stderr, "mymem-bench: %s: race: %s\n", MYMEM_TEST_DEVICE,
			strerror(errno));
		return 1;
	}
	*observed = arg.observed;
	*elapsed = arg.elapsed_ns;
	return 0;
}

int race_run(const struct bench_opts *o, struct race_result *res)
{
	bool kernel = o->mode == MODE_KERNEL;
	const char *path = kernel ? MYMEM_TEST_DEVICE : o->dev;
	int fd = open(path, O_RDWR | O_CLOEXEC);
	uint64_t calls = (uint64_t)o->workers * o->iterations, *samples = NULL;
	uint64_t *reads = NULL, *writes = NULL;
	uint32_t t;
	int ret = 0;

	if (fd < 0) {
		explain_open_error(path, errno);
		return 1;
	}
	if (o->call_times) {
		samples = calloc(2 * calls, sizeof(*samples));
		reads = calloc(calls * o->trials, sizeof(*reads));
		writes = calloc(calls * o->trials, sizeof(*writes));
		if (!samples || !reads || !writes) {
			fprintf(stderr, "mymem-bench: out of memory for --call-times\n");
			ret = 1;
		}
	}
	res->expected = calls;
	for (t = 0; t < o->trials && !ret; t++) {
		if (kernel)
			ret = kernel_trial(o, fd, &res->observed[t], &res->elapsed_ns[t], samples);
		else
			ret = user_trial(o, fd, &res->observed[t], &res->elapsed_ns[t]);
		if (!ret && samples) {
			memcpy(reads + t * calls, samples, calls * sizeof(*samples));
			memcpy(writes + t * calls, samples + calls, calls * sizeof(*samples));
		}
	}
	if (!ret && samples) {
		stats_summarize(reads, calls * o->trials, &res->read_ns);
		stats_summarize(writes, calls * o->trials, &res->write_ns);
	}
	free(samples);
	free(reads);
	free(writes);
	close(fd);
	return ret;
}

int race_check_exact(const struct bench_opts *o, const struct race_result *res)
{
	uint32_t t;

	if (o->lock == LOCK_NONE)
		return 0;
	for (t = 0; t < o->trials; t++) {
		if (res->observed[t] != res->expected) {
			fprintf(stderr, "mymem-bench: lock %s lost increments: trial %u observed %llu of %llu\n",
				lock_name(o->lock, o->mode), t,
				(unsigned long long)res->observed[t],
				(unsigned long long)res->expected);
			return 1;
		}
	}
	return 0;
}
