/* SPDX-License-Identifier: GPL-2.0 */
/*
 * -- CMD: the command traced. It is started held at a gate, released once
 * the probes are attached (so that its first call is traced), and its exit
 * status becomes the tracer's, as with perf stat and strace -c.
 */
#ifndef MYMEMTRACE_CLI_WORKLOAD_H
#define MYMEMTRACE_CLI_WORKLOAD_H

#include <stdbool.h>
#include <sys/types.h>

struct workload {
	char **argv;			/* NULL: no CMD */
	pid_t pid;			/* -1: none; 0: it has exited (status set) */
	int gate;			/* -1 once released */
	int status;
	int held_out, held_err;		/* its output while the live view draws; -1: its own */
};

void workload_init(struct workload *w, char **argv);
/* Starts CMD at its gate; @hold: keep its output until workload_show_output(). 0, or -1. */
int workload_start(struct workload *w, bool hold);
/* Lets CMD run. */
void workload_release(struct workload *w);
/* Has CMD exited (its status kept)? */
bool workload_exited(struct workload *w);
/* The output held while the live view drew, now on our stdout and stderr. */
void workload_show_output(struct workload *w);
/* Stops CMD if it still runs (held: it exits without running), and reaps it. */
void workload_stop(struct workload *w);
/* With CMD and @ret 0 (nothing went wrong), CMD's status; else @ret. */
int workload_exit_status(const struct workload *w, int ret);

#endif /* MYMEMTRACE_CLI_WORKLOAD_H */
