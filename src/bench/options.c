// SPDX-License-Identifier: GPL-2.0
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mymem.h"
#include "options.h"

static const uint64_t default_sizes[] = { 1, 64, 1024, 65536, 524288 };

const char *argp_program_version = "mymem-bench 0.1";

static const char doc[] =
"mymem-bench: time reads and writes of mymem from user space or the kernel.\n"
"\n"
"USAGE: mymem-bench [--mode syscall|mmap|kernel] [--op read|write|both]\n"
"                   [--sizes LIST] [-n N] [--warmup K] [--json]\n"
"       mymem-bench [--mode syscall|kernel] --race W N --lock LOCK [--trials T] [--call-times]\n"
"\n"
"EXAMPLES:\n"
"    mymem-bench                          # read()/write(), default sizes\n"
"    mymem-bench --mode mmap -n 10000     # memcpy through the mapping\n"
"    mymem-bench --mode kernel --json     # the in-kernel path (mymem_test)\n"
"    mymem-bench --sizes 64,4k --op read  # reads only, two sizes\n"
"    mymem-bench --race 50 150000 --lock none   # the course's Part 3 race\n"
"    mymem-bench --race 8 1000 --lock ioctl     # the atomic-add fix\n"
"    mymem-bench --mode kernel --race 50 150000 --lock atomic\n"
"\n"
"Exit status: 0 on success, 1 on a failed call or a data mismatch, 2 on a\n"
"bad command line.\n"
"\v"
"Times are CLOCK_MONOTONIC ns around each call; p50/p99 are nearest-rank.\n"
"The race's counter is the u64 at offset 0, set to 0xdeadbeef before each\n"
"trial. LOCK is none, mutex or ioctl in user space (ioctl: MYMEM_IOC_ADD_U64)\n"
"and none, mutex or atomic in the kernel (ioctl is accepted for atomic).";

enum { OPT_MODE = 0x100, OPT_OP, OPT_SIZES, OPT_WARMUP, OPT_JSON, OPT_RACE,
       OPT_LOCK, OPT_TRIALS, OPT_DEV, OPT_CALL_TIMES };

static const struct argp_option options[] = {
	{ "mode", OPT_MODE, "MODE", 0, "syscall (default), mmap or kernel", 0 },
	{ "op", OPT_OP, "OP", 0, "read, write or both (default)", 0 },
	{ "sizes", OPT_SIZES, "LIST", 0,
	  "Comma-separated sizes in bytes, k/M suffixes (default 1,64,1024,65536,524288)", 0 },
	{ NULL, 'n', "N", 0, "Timed calls per op and size (default 1000)", 0 },
	{ "warmup", OPT_WARMUP, "K", 0, "Untimed calls before each size (default 0)", 0 },
	{ "json", OPT_JSON, NULL, 0, "Print one JSON object instead of the table", 0 },
	{ "dev", OPT_DEV, "PATH", 0, "Device of the syscall/mmap paths (default " MYMEM_DEVICE ")", 0 },
	{ "race", OPT_RACE, "W N", 0,
	  "Counter race: W threads x N increments (two arguments)", 1 },
	{ "lock", OPT_LOCK, "LOCK", 0, "Race lock: none, mutex, ioctl/atomic", 1 },
	{ "trials", OPT_TRIALS, "T", 0, "Race trials (default 3)", 1 },
	{ "call-times", OPT_CALL_TIMES, NULL, 0,
	  "Kernel race, lock none or mutex: time every call, as --mode kernel times its calls", 1 },
	{ 0 }
};

int parse_size(const char *s, uint64_t *out)
{
	char digits[32];
	uint64_t v, mult = 1;
	size_t len = strlen(s);

	if (!len || len >= sizeof(digits))
		return -1;
	memcpy(digits, s, len + 1);
	switch (digits[len - 1]) {
	case 'k': case 'K': mult = 1024; digits[len - 1] = '\0'; break;
	case 'm': case 'M': mult = 1024 * 1024; digits[len - 1] = '\0'; break;
	}
	if (parse_u64(digits, 1, UINT64_MAX / mult, &v))
		return -1;
	*out = v * mult;
	return 0;
}

int parse_size_list(const char *s, uint64_t *sizes, size_t max, size_t *n)
{
	char *copy = strdup(s), *save = NULL, *tok;
	size_t count = 0;
	int ret = 0;

	if (!copy)
		return -1;
	/* strtok_r would skip empty items; "64,,1" is an error, not two sizes. */
	if (!*s || *s == ',' || s[strlen(s) - 1] == ',' || strstr(s, ",,"))
		ret = -1;
	for (tok = strtok_r(copy, ",", &save); !ret && tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (count == max || parse_size(tok, &sizes[count]))
			ret = -1;
		else
			count++;
	}
	free(copy);
	if (!ret)
		*n = count;
	return ret;
}

int parse_mode(const char *s, enum bench_mode *out)
{
	if (!strcmp(s, "syscall"))
		*out = MODE_SYSCALL;
	else if (!strcmp(s, "mmap"))
		*out = MODE_MMAP;
	else if (!strcmp(s, "kernel"))
		*out = MODE_KERNEL;
	else
		return -1;
	return 0;
}

int parse_op(const char *s, unsigned int *out)
{
	if (!strcmp(s, "read"))
		*out = OP_READ;
	else if (!strcmp(s, "write"))
		*out = OP_WRITE;
	else if (!strcmp(s, "both"))
		*out = OP_BOTH;
	else
		return -1;
	return 0;
}

int parse_lock(const char *s, enum race_lock *out)
{
	if (!strcmp(s, "none"))
		*out = LOCK_NONE;
	else if (!strcmp(s, "mutex"))
		*out = LOCK_MUTEX;
	else if (!strcmp(s, "ioctl") || !strcmp(s, "atomic"))
		*out = LOCK_ATOMIC;
	else
		return -1;
	return 0;
}

const char *mode_name(enum bench_mode mode)
{
	static const char *const names[] = { "syscall", "mmap", "kernel" };

	return names[mode];
}

const char *lock_name(enum race_lock lock, enum bench_mode mode)
{
	static const char *const names[] = { "none", "mutex", "ioctl" };

	if (lock == LOCK_ATOMIC && mode == MODE_KERNEL)
		return "atomic";
	return names[lock];
}

struct parse_state {
	struct bench_opts *opts;
	bool have_lock, have_trials, have_bench_opt;
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct parse_state *ps = state->input;
	struct bench_opts *o = ps->opts;
	uint64_t v;

	switch (key) {
	case OPT_MODE:
		if (parse_mode(arg, &o->mode))
			argp_error(state, "--mode: '%s' is not syscall, mmap or kernel", arg);
		break;
	case OPT_OP:
		ps->have_bench_opt = true;
		if (parse_op(arg, &o->ops))
			argp_error(state, "--op: '%s' is not read, write or both", arg);
		break;
	case OPT_SIZES:
		ps->have_bench_opt = true;
		if (parse_size_list(arg, o->sizes, BENCH_MAX_SIZES, &o->nr_sizes))
			argp_error(state, "--sizes: '%s' is not a list of up to %d sizes >= 1 (e.g. 64,4k,512k)",
				   arg, BENCH_MAX_SIZES);
		break;
	case 'n':
		ps->have_bench_opt = true;
		if (parse_u64(arg, 1, BENCH_MAX_N, &o->n))
			argp_error(state, "-n: '%s' is not a number from 1 to %u", arg, BENCH_MAX_N);
		break;
	case OPT_WARMUP:
		ps->have_bench_opt = true;
		if (parse_u64(arg, 0, BENCH_MAX_N, &o->warmup))
			argp_error(state, "--warmup: '%s' is not a number from 0 to %u", arg, BENCH_MAX_N);
		break;
	case OPT_JSON:
		o->json = true;
		break;
	case OPT_DEV:
		o->dev = arg;
		break;
	case OPT_RACE:
		o->race = true;
		if (parse_u64(arg, 1, BENCH_MAX_WORKERS, &v))
			argp_error(state, "--race: workers '%s' is not a number from 1 to %d",
				   arg, BENCH_MAX_WORKERS);
		o->workers = v;
		/* The second argument, N, is the next word. */
		if (state->next >= state->argc)
			argp_error(state, "--race needs two numbers: --race W N");
		arg = state->argv[state->next++];
		if (parse_u64(arg, 1, UINT64_MAX / BENCH_MAX_WORKERS, &o->iterations))
			argp_error(state, "--race: iterations '%s' is not a positive number", arg);
		break;
	case OPT_LOCK:
		ps->have_lock = true;
		if (parse_lock(arg, &o->lock))
			argp_error(state, "--lock: '%s' is not none, mutex, ioctl or atomic", arg);
		break;
	case OPT_TRIALS:
		ps->have_trials = true;
		if (parse_u64(arg, 1, 1000, &v))
			argp_error(state, "--trials: '%s' is not a number from 1 to 1000", arg);
		o->trials = v;
		break;
	case OPT_CALL_TIMES:
		o->call_times = true;
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	case ARGP_KEY_END:
		if (o->call_times && (!o->race || o->mode != MODE_KERNEL || o->lock == LOCK_ATOMIC))
			argp_error(state, "--call-times goes with --mode kernel --race and lock none or mutex");
		if (o->call_times && o->iterations > (1u << 20) / o->workers)
			argp_error(state, "--call-times: at most %u calls (W x N)", 1u << 20);
		if (o->race && !ps->have_lock)
			argp_error(state, "--race needs --lock none|mutex|%s",
				   o->mode == MODE_KERNEL ? "atomic" : "ioctl");
		if (!o->race && (ps->have_lock || ps->have_trials))
			argp_error(state, "--lock and --trials go with --race");
		if (o->race && ps->have_bench_opt)
			argp_error(state, "--race does not take --op, --sizes, -n or --warmup");
		if (o->race && o->mode == MODE_MMAP)
			argp_error(state, "--race runs in syscall or kernel mode, not mmap");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static void set_defaults(struct bench_opts *o)
{
	*o = (struct bench_opts){
		.mode = MODE_SYSCALL,
		.ops = OP_BOTH,
		.n = 1000,
		.dev = MYMEM_DEVICE,
		.trials = 3,
		.nr_sizes = sizeof(default_sizes) / sizeof(default_sizes[0]),
	};
	memcpy(o->sizes, default_sizes, sizeof(default_sizes));
}

int bench_parse_args(int argc, char **argv, struct bench_opts *opts)
{
	static const struct argp argp = { options, parse_opt, NULL, doc, NULL, NULL, NULL };
	struct parse_state ps = { .opts = opts };

	set_defaults(opts);
	/* argp prints its one-line errors and exits with this status. */
	argp_err_exit_status = 2;
	return argp_parse(&argp, argc, argv, 0, NULL, &ps) ? 2 : 0;
}
