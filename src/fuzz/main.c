// SPDX-License-Identifier: GPL-2.0
/*
 * mymem-fuzz: hostile system calls on /dev/mymem from several threads,
 * checked against a model. Prints its seed first, so that a failure can be
 * replayed, and a count of every operation by outcome at the end.
 *
 * Exit status: 0 every result matched the model, 1 a mismatch (the first
 * one is printed with the seed, thread and operation), 2 bad usage or
 * set-up failure.
 */
#define _GNU_SOURCE
#include <argp.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "fuzz.h"
#include "mymem.h"
#include "parse.h"

static struct fuzz_ctx ctx;
static double deadline;		/* CLOCK_MONOTONIC seconds; 0: none */

static double now(void)
{
	return now_ns() / 1e9;
}

/* The command line, as argp fills it. */
struct fuzz_opts {
	uint64_t threads, ops, seconds, seed;
	bool verbose;
};

static const char doc[] =
"mymem-fuzz: random and hostile system calls on /dev/mymem (it overwrites\n"
"the buffer), each result checked against a model of the buffer.\n"
"\n"
"USAGE: mymem-fuzz [--threads N] [--ops N] [--seconds S] [--seed N] [--device PATH] [-v]\n"
"\n"
"EXAMPLES:\n"
"    mymem-fuzz                  # 10^6 calls from 8 threads\n"
"    mymem-fuzz --seed 1234 -v   # replay a run, counts by outcome\n"
"\n"
"Exit status: 0 every result matched the model, 1 a mismatch, 2 bad usage\n"
"or set-up failure.";

enum { OPT_THREADS = 0x100, OPT_OPS, OPT_SECONDS, OPT_SEED, OPT_DEVICE };

/*
 * One line per problem, and exit 2: argp's own errors add a second "Try"
 * line, so its messages are turned off (ARGP_NO_ERRS) and said here.
 */
static void bad_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "mymem-fuzz: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see --help)\n");
	exit(2);
}

static const struct argp_option options[] = {
	{ "threads", OPT_THREADS, "N", 0, "Threads, each writing its own region (default 8)", 0 },
	{ "ops", OPT_OPS, "N", 0, "System calls in all (default 1000000)", 0 },
	{ "seconds", OPT_SECONDS, "S", 0, "Stop after S seconds even if --ops are not done", 0 },
	{ "seed", OPT_SEED, "N", 0, "Replay a run: the seed it printed", 0 },
	{ "device", OPT_DEVICE, "PATH", 0, "The device (default " MYMEM_DEVICE ")", 0 },
	{ "verbose", 'v', NULL, 0, "Print the count of every operation by outcome", 0 },
	{ "help", 'h', NULL, 0, "This text", 0 },
	{ 0 }
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct fuzz_opts *o = state->input;

	switch (key) {
	case OPT_THREADS:
		if (parse_u64(arg, 1, FUZZ_MAX_THREADS, &o->threads))
			bad_usage("--threads: '%s' is not a number from 1 to 64", arg);
		break;
	case OPT_OPS:
		if (parse_u64(arg, 1, UINT64_MAX, &o->ops))
			bad_usage("--ops: '%s' is not a positive number", arg);
		break;
	case OPT_SECONDS:
		if (parse_u64(arg, 1, 1000000, &o->seconds))
			bad_usage("--seconds: '%s' is not a positive number", arg);
		break;
	case OPT_SEED:
		if (parse_u64(arg, 0, UINT64_MAX, &o->seed))
			bad_usage("--seed: '%s' is not a number", arg);
		break;
	case OPT_DEVICE:
		ctx.device = arg;
		break;
	case 'v':
		o->verbose = true;
		break;
	case 'h':
		argp_help(state->root_argp, stdout, ARGP_HELP_STD_HELP, state->name);
		exit(0);
	case ARGP_KEY_ARG:
		bad_usage("unexpected argument '%s'", arg);
		break;
	case ARGP_KEY_ERROR:
		/* An unknown option, or one without its value: the last word read. */
		bad_usage("bad option '%s'", state->argv[state->next - 1]);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* The operation mix: mostly data movement, some of everything else. */
static void one_op(struct fuzz_thread *t)
{
	uint64_t r = fuzz_below(&t->rng, 100);

	if (r < 16) op_read(t, false);
	else if (r < 32) op_write(t, false);
	else if (r < 42) op_read(t, true);
	else if (r < 52) op_write(t, true);
	else if (r < 60) op_lseek(t);
	else if (r < 63) op_open(t);
	else if (r < 65) op_close(t);
	else if (r < 68) op_ioctl_size(t);
	else if (r < 75) op_ioctl_add(t);
	else if (r < 77) op_ioctl_bad(t);
	else if (r < 80) op_mmap(t);
	else if (r < 82) op_munmap(t);
	else if (r < 83) op_mremap(t);
	else if (r < 99) op_mapped_io(t);
	else op_bad_fd(t);
}

/* The whole own region, read back through a fresh descriptor. */
static void final_check(struct fuzz_thread *t)
{
	size_t len = t->own_end - t->own_start;
	int fd = open(ctx.device, O_RDONLY);
	ssize_t n;

	if (fd < 0) {
		fuzz_fail(t, "final open: %s", strerror(errno));
		return;
	}
	n = pread(fd, t->scratch, len, t->own_start);
	close(fd);
	if (expect_ret(t, "final read of the region", n, errno, (long)len, 0))
		expect_contents(t, "final read of the region", t->scratch,
				t->own_start, len);
}

static void *thread_main(void *arg)
{
	struct fuzz_thread *t = arg;

	/* Some operations make no call (nothing to close, say): count calls. */
	for (t->op_index = 0; t->calls < t->ops && !ctx.stop; t->op_index++) {
		if ((t->op_index & 255) == 0 && deadline && now() > deadline)
			break;
		/* About one RESET in 20000 operations, with nothing else running. */
		if (fuzz_below(&t->rng, 20000) == 0) {
			pthread_rwlock_wrlock(&ctx.reset_lock);
			op_ioctl_reset(t);
		} else {
			pthread_rwlock_rdlock(&ctx.reset_lock);
			one_op(t);
		}
		pthread_rwlock_unlock(&ctx.reset_lock);
	}
	fuzz_close_all(t);
	pthread_rwlock_rdlock(&ctx.reset_lock);
	if (!ctx.stop)
		final_check(t);
	pthread_rwlock_unlock(&ctx.reset_lock);
	return NULL;
}

static int setup(uint64_t total_ops)
{
	pthread_rwlockattr_t attr;
	size_t region;
	uint64_t size;
	unsigned int i;
	int fd;

	fd = open(ctx.device, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "mymem-fuzz: %s: %s (is mymem.ko loaded?)\n",
			ctx.device, strerror(errno));
		return -1;
	}
	if (ioctl(fd, MYMEM_IOC_GET_SIZE, &size)) {
		fprintf(stderr, "mymem-fuzz: %s: GET_SIZE: %s (not a mymem device?)\n",
			ctx.device, strerror(errno));
		close(fd);
		return -1;
	}
	ctx.size = size;
	ctx.page = (size_t)sysconf(_SC_PAGESIZE);
	region = size / ctx.threads / ctx.page * ctx.page;
	if (region < ctx.page) {
		fprintf(stderr, "mymem-fuzz: a %zu-byte buffer has less than a page per thread for %u threads\n",
			ctx.size, ctx.threads);
		close(fd);
		return -1;
	}
	/* The model starts as what the buffer holds now. */
	ctx.model = malloc(size);
	if (!ctx.model || pread(fd, ctx.model, size, 0) != (ssize_t)size) {
		fprintf(stderr, "mymem-fuzz: reading the buffer: %s\n", strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);

	/* Writer preference: RESET must not wait behind a stream of readers. */
	pthread_rwlockattr_init(&attr);
	pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&ctx.reset_lock, &attr);
	pthread_mutex_init(&ctx.low_lock, NULL);
	hostile_setup_low_page(&ctx);

	for (i = 0; i < ctx.threads; i++) {
		struct fuzz_thread *t = &ctx.thread[i];
		unsigned int j;

		t->ctx = &ctx;
		t->index = i;
		t->rng = (ctx.seed ^ (0x9e3779b97f4a7c15ULL * (i + 1))) | 1;
		t->ops = total_ops / ctx.threads + (i < total_ops % ctx.threads);
		t->own_start = i * region;
		t->own_end = i + 1 == ctx.threads ? ctx.size : (i + 1) * region;
		for (j = 0; j < FUZZ_FDS; j++)
			t->files[j].fd = -1;
		if (hostile_setup(&ctx, t)) {
			fprintf(stderr, "mymem-fuzz: buffers: %s\n", strerror(errno));
			return -1;
		}
	}
	return 0;
}

static void summary(double seconds, bool verbose)
{
	uint64_t total[OP_COUNT][OUT_COUNT] = { { 0 } }, ops = 0, faults = 0, shorts = 0;
	unsigned int i, op, out;

	for (i = 0; i < ctx.threads; i++)
		for (op = 0; op < OP_COUNT; op++)
			for (out = 0; out < OUT_COUNT; out++)
				total[op][out] += ctx.thread[i].counts[op][out];
	for (op = 0; op < OP_COUNT; op++) {
		for (out = 0; out < OUT_COUNT; out++)
			ops += total[op][out];
		faults += total[op][OUT_EFAULT];
		shorts += total[op][OUT_SHORT];
	}
	if (verbose) {
		printf("%-20s", "operation");
		for (out = 0; out < OUT_COUNT; out++)
			printf(" %8s", outcome_name(out));
		printf("\n");
		for (op = 0; op < OP_COUNT; op++) {
			printf("%-20s", op_name(op));
			for (out = 0; out < OUT_COUNT; out++)
				printf(" %8llu", (unsigned long long)total[op][out]);
			printf("\n");
		}
	}
	printf("mymem-fuzz: seed %llu, %u threads, %llu calls in %.1f s (%llu EFAULT, %llu short copies): %s\n",
	       (unsigned long long)ctx.seed, ctx.threads, (unsigned long long)ops,
	       seconds, (unsigned long long)faults, (unsigned long long)shorts,
	       ctx.stop ? "FAILED" : "every result matched the model");
}

int main(int argc, char **argv)
{
	static const struct argp argp = { options, parse_opt, NULL, doc, NULL, NULL, NULL };
	struct fuzz_opts o = {
		.threads = 8,
		.ops = 1000000,
		.seed = ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid(),
	};
	uint64_t threads, ops, seconds, seed;
	bool verbose;
	double start;
	unsigned int i;

	ctx.device = MYMEM_DEVICE;
	argp_parse(&argp, argc, argv, ARGP_NO_ERRS | ARGP_NO_HELP, NULL, &o);
	threads = o.threads;
	ops = o.ops;
	seconds = o.seconds;
	seed = o.seed;
	verbose = o.verbose;
	ctx.threads = (unsigned int)threads;
	ctx.seed = seed;

	printf("mymem-fuzz: seed %llu (replay with --seed %llu)\n",
	       (unsigned long long)seed, (unsigned long long)seed);
	fflush(stdout);
	if (setup(ops))
		return 2;
	start = now();
	if (seconds)
		deadline = start + (double)seconds;
	for (i = 0; i < ctx.threads; i++) {
		if (pthread_create(&ctx.thread[i].tid, NULL, thread_main, &ctx.thread[i])) {
			fprintf(stderr, "mymem-fuzz: pthread_create failed\n");
			ctx.stop = 1;
			ctx.threads = i;
			break;
		}
	}
	for (i = 0; i < ctx.threads; i++)
		pthread_join(ctx.thread[i].tid, NULL);
	summary(now() - start, verbose);
	for (i = 0; i < ctx.threads; i++)
		hostile_teardown(&ctx, &ctx.thread[i]);
	return ctx.stop ? 1 : 0;
}
