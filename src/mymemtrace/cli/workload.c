// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "command.h"
#include "cli/workload.h"

void workload_init(struct workload *w, char **argv)
{
	*w = (struct workload){ .argv = argv, .pid = -1, .gate = -1,
				.held_out = -1, .held_err = -1 };
}

int workload_start(struct workload *w, bool hold)
{
	if (!w->argv)
		return 0;
	if (hold) {
		w->held_out = hold_output();
		w->held_err = hold_output();
	}
	w->pid = spawn_command(w->argv, &w->gate, w->held_out, w->held_err);
	if (w->pid < 0) {
		fprintf(stderr, "mymemtrace: cannot start %s: %s\n", w->argv[0], strerror(errno));
		return -1;
	}
	return 0;
}

void workload_release(struct workload *w)
{
	if (w->pid <= 0 || w->gate < 0)
		return;
	if (write(w->gate, "g", 1) != 1)
		fprintf(stderr, "mymemtrace: cannot release %s\n", w->argv[0]);
	close(w->gate);
	w->gate = -1;
}

bool workload_exited(struct workload *w)
{
	if (w->pid > 0 && waitpid(w->pid, &w->status, WNOHANG) == w->pid)
		w->pid = 0;
	return w->pid == 0;
}

void workload_show_output(struct workload *w)
{
	show_held_output(w->held_out, STDOUT_FILENO);
	show_held_output(w->held_err, STDERR_FILENO);
}

void workload_stop(struct workload *w)
{
	if (w->held_out >= 0)
		close(w->held_out);
	if (w->held_err >= 0)
		close(w->held_err);
	w->held_out = w->held_err = -1;
	if (w->gate >= 0)
		close(w->gate);		/* CMD, still held, exits without running */
	else if (w->pid > 0)
		kill(w->pid, SIGTERM);	/* stopped by Ctrl-C, SIGTERM, q or -d */
	w->gate = -1;
	if (w->pid > 0)
		waitpid(w->pid, &w->status, 0);
}

int workload_exit_status(const struct workload *w, int ret)
{
	if (w->argv && w->pid >= 0 && ret == 0) {
		if (WIFEXITED(w->status))
			return WEXITSTATUS(w->status);
		if (WIFSIGNALED(w->status))
			return 128 + WTERMSIG(w->status);
	}
	return ret;
}
