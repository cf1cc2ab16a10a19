// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "render/prometheus.h"
#include "serve/metrics_server.h"

/*
 * Limits for clients that misbehave: a connection idle this long is closed
 * (one opened and never finished included), and past this many at once new
 * ones are refused. Prometheus needs one connection per scrape.
 */
#define IDLE_TIMEOUT_S		10
#define MAX_CONNECTIONS		64
#define MAX_PER_ADDRESS		16

struct metrics_server {
	struct MHD_Daemon *daemon;
	metrics_render_fn *render;
	void *ctx;
};

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned int status,
			     const char *type, char *body, size_t len, enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, body, mode);
	enum MHD_Result ret;

	if (!resp) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(body);
		return MHD_NO;	/* libmicrohttpd closes the connection */
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result plain(struct MHD_Connection *conn, unsigned int status, const char *text)
{
	return reply(conn, status, "text/plain; charset=utf-8", (char *)text, strlen(text),
		     MHD_RESPMEM_PERSISTENT);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size, void **req)
{
	static int started;
	struct metrics_server *s = cls;
	char *body = NULL;
	size_t len = 0;
	FILE *out;

	(void)version;
	(void)upload_data;
	/* The first call sees the headers only; answer once the body is in. */
	if (!*req) {
		*req = &started;
		return MHD_YES;
	}
	if (*upload_data_size) {
		*upload_data_size = 0;	/* a body we do not want: dropped */
		return MHD_YES;
	}
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return plain(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET /metrics\n");
	if (strcmp(url, "/metrics"))
		return plain(conn, MHD_HTTP_NOT_FOUND, "mymemtrace serves GET /metrics\n");
	out = open_memstream(&body, &len);
	if (!out)
		return plain(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
	if (s->render(s->ctx, out) || fclose(out)) {
		free(body);
		return plain(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "reading the aggregates failed\n");
	}
	return reply(conn, MHD_HTTP_OK, PROMETHEUS_CONTENT_TYPE, body, len, MHD_RESPMEM_MUST_FREE);
}

static void log_mhd(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	fprintf(stderr, "mymemtrace: --prometheus: ");
	vfprintf(stderr, fmt, ap);
}

struct metrics_server *metrics_server_start(const char *addr, unsigned int port,
					    metrics_render_fn *render, void *ctx,
					    bool verbose)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	unsigned int flags = MHD_USE_AUTO_INTERNAL_THREAD;
	struct sockaddr *sa = (struct sockaddr *)&sin;
	struct metrics_server *s;

	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		if (inet_pton(AF_INET6, addr, &sin6.sin6_addr) != 1) {
			fprintf(stderr, "mymemtrace: --prometheus: %s is not a numeric address\n", addr);
			return NULL;
		}
		sa = (struct sockaddr *)&sin6;
		flags |= MHD_USE_IPv6;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->render = render;
	s->ctx = ctx;
	/* Errors are ours to report; libmicrohttpd's own lines only with -v. */
	if (verbose)
		flags |= MHD_USE_ERROR_LOG;
	errno = 0;
	s->daemon = MHD_start_daemon(flags, port, NULL, NULL, on_request, s,
				     MHD_OPTION_SOCK_ADDR, sa,
				     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)IDLE_TIMEOUT_S,
				     MHD_OPTION_CONNECTION_LIMIT, (unsigned int)MAX_CONNECTIONS,
				     MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)MAX_PER_ADDRESS,
				     MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL,
				     MHD_OPTION_END);
	if (!s->daemon) {
		fprintf(stderr, "mymemtrace: --prometheus %s:%u: cannot listen there%s%s\n", addr, port,
			errno ? ": " : "", errno ? strerror(errno) : "");
		free(s);
		return NULL;
	}
	return s;
}

void metrics_server_stop(struct metrics_server *s)
{
	if (!s)
		return;
	MHD_stop_daemon(s->daemon);
	free(s);
}
