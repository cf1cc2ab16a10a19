/* SPDX-License-Identifier: GPL-2.0 */
/* mymemtrace validate's tables: the figures side by side, and the errors. */
#ifndef MYMEMTRACE_CLI_VALIDATE_TABLE_H
#define MYMEMTRACE_CLI_VALIDATE_TABLE_H

#include "cli/validate_figures.h"

/*
 * Prints the tables on stdout. Returns the worst |error| in %, or -1 when
 * a figure is missing.
 */
double validate_print_tables(const struct validate_opts *o, const struct validate_figures *f);

#endif /* MYMEMTRACE_CLI_VALIDATE_TABLE_H */
