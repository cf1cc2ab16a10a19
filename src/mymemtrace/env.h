/* SPDX-License-Identifier: GPL-2.0 */
/* mymemtrace's command line: argp fills one struct env of settings. */
#ifndef MYMEMTRACE_ENV_H
#define MYMEMTRACE_ENV_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct env {
	bool hist;
	unsigned int interval_s;	/* 0: only at the end */
	unsigned int duration_s;	/* 0: until Ctrl-C or CMD exits */
	pid_t pid;
	const char *comm;
	const char *json_path;
	const char *csv_path;
	const char *events_path;
	const char *svg_path;
	bool no_live;			/* plain blocks even on a terminal */
	uint64_t ringbuf_bytes;
	bool verbose;
	bool force_kprobes;
	bool floor;			/* empty programs: the overhead floor */
	bool calibrate_only;
	const char *dev;
	const char *module;
	const char *read_func;
	const char *write_func;
	const char *kread_func;
	const char *kwrite_func;
	const char *fault_func;
	const char *copy_to_func;	/* the module's copy helpers, if any */
	const char *copy_from_func;
	char **cmd;			/* -- CMD ARGS..., NULL-terminated */
};

extern struct env env;

/* Parses argv into env; exits 2 with a one-line message on bad input. */
void env_parse(int argc, char **argv);

#define log_verbose(...) do { if (env.verbose) fprintf(stderr, __VA_ARGS__); } while (0)

#endif /* MYMEMTRACE_ENV_H */
