/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The subcommands that work on saved runs and need no privileges:
 *   mymemtrace report RUN.json [--hist]
 *   mymemtrace diff A.json B.json [--threshold PCT] [--metric M]
 *   mymemtrace plot RUN.json -o FILE.svg
 * and one that runs the tracer (validate.h):
 *   mymemtrace validate [--sizes LIST] [--rounds N] [--threshold PCT]
 */
#ifndef MYMEMTRACE_CLI_SUBCOMMANDS_H
#define MYMEMTRACE_CLI_SUBCOMMANDS_H

#include <stdbool.h>

bool is_subcommand(const char *name);
/* argv[0] is the subcommand. Returns the exit status. */
int run_subcommand(int argc, char **argv);

#endif /* MYMEMTRACE_CLI_SUBCOMMANDS_H */
