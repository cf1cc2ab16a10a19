/* SPDX-License-Identifier: GPL-2.0 */
/* The run as CSV: one line per row, the parts in the parts table's order. */
#ifndef MYMEMTRACE_RENDER_CSV_H
#define MYMEMTRACE_RENDER_CSV_H

#include <stdio.h>

#include "model/run.h"

/* A run_renderer: run_write() puts it in a file. */
void run_render_csv(FILE *f, const struct run *run);

#endif /* MYMEMTRACE_RENDER_CSV_H */
