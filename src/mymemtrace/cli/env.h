/* SPDX-License-Identifier: GPL-2.0 */
/* mymemtrace's command line: argp fills one struct env of settings. */
#ifndef MYMEMTRACE_CLI_ENV_H
#define MYMEMTRACE_CLI_ENV_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "collect/attach.h"

struct env {
	bool hist;
	bool part_hists;		/* each part's histogram too: costs the probes */
	unsigned int interval_s;	/* 0: only at the end */
	unsigned int duration_s;	/* 0: until Ctrl-C or CMD exits */
	pid_t pid;
	pid_t tid;			/* -t: one thread */
	const char *comm;		/* -n: tasks of this name */
	const char *cgroup_path;	/* -c: tasks in this cgroup v2, and below */
	const char *json_path;
	const char *csv_path;
	const char *events_path;
	const char *svg_path;
	const char *output_path;	/* -o: the report; else stdout, or stderr with CMD */
	const char *trace_path;		/* --trace: Chrome trace JSON */
	const char *prometheus;		/* --prometheus [ADDR:]PORT, as given */
	char prom_addr[64];		/* its address, numeric */
	unsigned int prom_port;
	bool no_live;			/* plain blocks even on a terminal */
	bool timestamp;			/* -T: a time of day above each periodic block */
	uint64_t ringbuf_bytes;
	uint64_t min_latency_ns;	/* --min-latency: 0, every call's record */
	bool verbose;
	bool force_kprobes;
	bool floor;			/* empty programs: the overhead floor */
	bool calibrate_only;
	bool raw;			/* no compensation of the probes' cost */
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

/* Exit statuses; docs/failure.md lists the cases. */
enum mt_exit {
	MT_EXIT_OK = 0,		/* with -- CMD: CMD's own status instead */
	MT_EXIT_FAILED = 1,	/* failed part way, or an export not written */
	MT_EXIT_USAGE = 2,	/* bad command line: nothing was loaded */
	MT_EXIT_CANNOT_TRACE = 3, /* no privileges, BTF, device or attach point */
	MT_EXIT_TARGET_GONE = 4, /* the module went away; what was traced is kept */
};

/* Parses argv into env; exits 2 with a one-line message on bad input. */
void env_parse(int argc, char **argv);
/*
 * Can every output file be written? Tried by creating (and removing) a file
 * beside each, before anything is loaded. Prints why not; -1 then.
 */
int env_check_outputs(void);

/* The attach engine set up as the options say (collect/attach.h). */
void env_attach_opts(struct attacher *a);

#endif /* MYMEMTRACE_CLI_ENV_H */
