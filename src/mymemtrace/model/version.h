/* SPDX-License-Identifier: GPL-2.0 */
/* The tracer's version, as its -V, its saved runs' readers and its metrics say it. */
#ifndef MYMEMTRACE_MODEL_VERSION_H
#define MYMEMTRACE_MODEL_VERSION_H

#define MYMEMTRACE_VERSION "0.1"

#endif /* MYMEMTRACE_MODEL_VERSION_H */
