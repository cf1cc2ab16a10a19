/* SPDX-License-Identifier: GPL-2.0 */
/* The run model as JSON (model/run_file.h reads it back). */
#ifndef MYMEMTRACE_RENDER_RUN_JSON_H
#define MYMEMTRACE_RENDER_RUN_JSON_H

#include <stdio.h>

#include "model/run.h"

/* @run as JSON on @f (a run_renderer: run_write() puts it in a file). */
void run_render_json(FILE *f, const struct run *run);

#endif /* MYMEMTRACE_RENDER_RUN_JSON_H */
