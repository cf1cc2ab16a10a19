/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --prometheus: GET /metrics over HTTP (libmicrohttpd), on a thread of its
 * own, so that a scrape never holds up tracing and a slow or hostile
 * client holds up neither tracing nor other scrapes for long.
 */
#ifndef MYMEMTRACE_SERVE_METRICS_SERVER_H
#define MYMEMTRACE_SERVE_METRICS_SERVER_H

#include <stdbool.h>
#include <stdio.h>

/* Writes one scrape's body into @out: 0, or -1 (the client gets a 500). */
typedef int metrics_render_fn(void *ctx, FILE *out);

struct metrics_server;

/*
 * Listens on @addr (numeric IPv4 or IPv6) and @port; @render runs on the
 * server's thread, one scrape at a time. NULL with a message on failure.
 */
struct metrics_server *metrics_server_start(const char *addr, unsigned int port,
					    metrics_render_fn *render, void *ctx,
					    bool verbose);
/* Stops listening, ends every connection, frees. NULL is fine. */
void metrics_server_stop(struct metrics_server *s);

#endif /* MYMEMTRACE_SERVE_METRICS_SERVER_H */
