/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One round of mymemtrace validate: mymem-bench untraced, then the same
 * under this mymemtrace, each side's medians into the figures.
 */
#ifndef MYMEMTRACE_CLI_VALIDATE_ROUNDS_H
#define MYMEMTRACE_CLI_VALIDATE_ROUNDS_H

#include "cli/validate_figures.h"

/*
 * Every size and op of validate_paths[@p], untraced then traced. 0, or -1
 * with the reason on stderr. Uses the scratch files in @o->dir.
 */
int validate_path_round(const struct validate_opts *o, struct validate_figures *f, int p);
/* The kernel race, unlocked: its 8-byte reads and writes, each call timed. */
int validate_race_round(const struct validate_opts *o, struct validate_figures *f);
/* The scratch files of the rounds, removed; then @o->dir itself. */
void validate_remove_scratch(const struct validate_opts *o);

#endif /* MYMEMTRACE_CLI_VALIDATE_ROUNDS_H */
