/* SPDX-License-Identifier: GPL-2.0 */
/* The run model as JSON, written and read back (run_json.c). */
#ifndef MYMEMTRACE_RUN_JSON_H
#define MYMEMTRACE_RUN_JSON_H

#include <stdio.h>

#include "run.h"

#define RUN_JSON_VERSION "0.4"

/* @run as JSON on @f (a run_renderer: run_write() puts it in a file). */
void run_render_json(FILE *f, const struct run *run);
/* @run from a file run_render_json() wrote. 0, or -1 with a message in @err. */
int run_read_json(const char *path, struct run *run, char *err, size_t errlen);
/* The same from @text, a NUL-terminated JSON document. */
int run_parse_json(const char *text, struct run *run, char *err, size_t errlen);

#endif /* MYMEMTRACE_RUN_JSON_H */
