/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mymemtrace validate's options and figures: what the rounds fill
 * (validate_rounds.c) and the tables print (validate_table.c).
 */
#ifndef MYMEMTRACE_CLI_VALIDATE_FIGURES_H
#define MYMEMTRACE_CLI_VALIDATE_FIGURES_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "model/names.h"

#define VALIDATE_MAX_SIZES	16
#define VALIDATE_MAX_ROUNDS	15
#define VALIDATE_MAX_SIZE	524288	/* mymem's buffer */
/* The kernel race's calls: 8-byte reads and writes of the counter. */
#define VALIDATE_RACE_SIZE	8

/* The paths compared, in the tables' order. */
enum { VALIDATE_SYSCALL, VALIDATE_KERNEL, VALIDATE_NR_PATHS };

struct validate_path {
	const char *bench_mode;	/* mymem-bench --mode */
	uint32_t path;		/* MT_PATH_*: the tracer's name for it */
};

extern const struct validate_path validate_paths[VALIDATE_NR_PATHS];

struct validate_opts {
	uint64_t sizes[VALIDATE_MAX_SIZES];
	int n_sizes;
	unsigned int calls, rounds;
	double threshold;	/* % */
	bool raw;
	unsigned int race_workers, race_iterations;	/* 0: no race */
	const char *bench;	/* mymem-bench */
	char self[PATH_MAX];	/* this mymemtrace */
	char dir[64];		/* scratch files */
};

/* One (path, op, size): its median in each round, untraced and traced. */
struct round_medians {
	uint64_t untraced[VALIDATE_MAX_ROUNDS], traced[VALIDATE_MAX_ROUNDS];
	unsigned int n_untraced, n_traced;
};

struct validate_figures {
	/* [path][op][index in validate_opts.sizes] */
	struct round_medians calls[VALIDATE_NR_PATHS][MT_NR_OPS][VALIDATE_MAX_SIZES];
	/* The kernel race's reads and writes. */
	struct round_medians race[MT_NR_OPS];
};

#endif /* MYMEMTRACE_CLI_VALIDATE_FIGURES_H */
