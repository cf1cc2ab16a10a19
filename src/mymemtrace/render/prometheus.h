/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The run model in the Prometheus text exposition format (version 0.0.4):
 * what GET /metrics serves (metrics_server.c) under --prometheus.
 */
#ifndef MYMEMTRACE_RENDER_PROMETHEUS_H
#define MYMEMTRACE_RENDER_PROMETHEUS_H

#include <stdio.h>

#include "model/run.h"

#define PROMETHEUS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* A run_renderer: every metric of @run, each family with HELP and TYPE. */
void run_render_prometheus(FILE *out, const struct run *run);

#endif /* MYMEMTRACE_RENDER_PROMETHEUS_H */
