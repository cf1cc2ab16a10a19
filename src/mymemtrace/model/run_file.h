/* SPDX-License-Identifier: GPL-2.0 */
/* A saved run: the run model read back from the JSON render/json.c writes. */
#ifndef MYMEMTRACE_MODEL_RUN_FILE_H
#define MYMEMTRACE_MODEL_RUN_FILE_H

#include <stddef.h>

#include "model/run.h"

/* The format's version, written into every saved run. */
#define RUN_JSON_VERSION "0.5"

/* @run from a file run_render_json() wrote. 0, or -1 with a message in @err. */
int run_read_json(const char *path, struct run *run, char *err, size_t errlen);
/* The same from @text, a NUL-terminated JSON document. */
int run_parse_json(const char *text, struct run *run, char *err, size_t errlen);

#endif /* MYMEMTRACE_MODEL_RUN_FILE_H */
