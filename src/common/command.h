/* SPDX-License-Identifier: GPL-2.0 */
/* -- CMD: the command mymemtrace starts and traces from its first call. */
#ifndef MYMEMTRACE_COMMAND_H
#define MYMEMTRACE_COMMAND_H

#include <stdbool.h>
#include <sys/types.h>

/* Is @cmd a file we could run, on $PATH or as a path? */
bool command_exists(const char *cmd);
/*
 * Forks CMD, held until a byte is written to @gate (closing @gate without
 * one makes it exit 127 unrun). Its stdout goes to @out_fd and its stderr
 * to @err_fd where those are not -1. Returns its pid, or -1.
 */
pid_t spawn_command(char **cmd, int *gate, int out_fd, int err_fd);
/* A temporary file for CMD's output while the live view has the screen. */
int hold_output(void);
/* Writes what was held to @to (CMD's stdout to ours, its stderr to ours). */
void show_held_output(int fd, int to);
/*
 * Runs CMD to its end, not held: its stdout into the file @out_path (made
 * or emptied; NULL: thrown away), its stderr to @err_fd (-1: ours).
 * Returns its exit status, 128 + the signal that ended it, or -1 when it
 * could not be started (errno says why).
 */
int run_command(char **cmd, const char *out_path, int err_fd);

#endif /* MYMEMTRACE_COMMAND_H */
