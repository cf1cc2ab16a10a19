// SPDX-License-Identifier: GPL-2.0
#include <argp.h>
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse.h"
#include "cli/env.h"
#include "model/version.h"

/*
 * The ring buffer's default: 8 MiB holds about 80000 --events records of
 * 104 bytes (with the ring buffer's header), over a second of the fastest
 * single-threaded call rate seen in the guest, so the reader, which wakes
 * at least every 100 ms, keeps up. --trace records carry the parts in
 * order (272 bytes with the header): 32 MiB holds as many records again.
 */
#define DEFAULT_RINGBUF (8ull << 20)
#define DEFAULT_RINGBUF_TRACE (32ull << 20)

struct env env = {
	.dev = "/dev/mymem",
	.module = "mymem",
	.read_func = "mymem_read",
	.write_func = "mymem_write",
	.kread_func = "mymem_kernel_read",
	.kwrite_func = "mymem_kernel_write",
	.fault_func = "mymem_vm_fault",
	.copy_to_func = "mymem_copy_to_user",
	.copy_from_func = "mymem_copy_from_user",
};

const char *argp_program_version = "mymemtrace " MYMEMTRACE_VERSION;

static const char doc[] =
"mymemtrace: per-call cost breakdown of every access to mymem.\n"
"\n"
"USAGE: mymemtrace [--hist] [-i SEC] [-d SEC] [-p PID] [-t TID] [-n COMM] [-c CGROUP] [--json FILE]\n"
"                  [--csv FILE] [--svg FILE] [--events FILE] [--trace FILE]\n"
"                  [--prometheus [ADDR:]PORT] [-o FILE] [-v] [-- CMD ARGS...]\n"
"       mymemtrace report RUN.json [--hist] [--parts]\n"
"       mymemtrace diff A.json B.json [--threshold PCT] [--metric mean|p50|p90|p99]\n"
"       mymemtrace plot RUN.json -o FILE.svg\n"
"\n"
"EXAMPLES:\n"
"    mymemtrace -- build/mymem-bench -n 1000    # trace a run, report at exit\n"
"    mymemtrace --hist -i 1 -- CMD              # live view on a terminal\n"
"    mymemtrace --hist -i 1 > log               # histograms every second\n"
"    mymemtrace --json run.json -- CMD          # the breakdown as JSON\n"
"    mymemtrace -o report.txt -- CMD > cmd.out  # CMD's stdout stays CMD's\n"
"    mymemtrace --trace calls.json -- CMD       # a timeline for ui.perfetto.dev\n"
"    mymemtrace --prometheus 9100 -d 3600       # GET /metrics while tracing\n"
"    mymemtrace --events calls.csv -d 5         # one record per call, 5 s\n"
"    mymemtrace --force-kprobes -- CMD          # kprobes instead of fentry\n"
"    mymemtrace --dev /dev/zero -- dd if=/dev/zero of=/dev/null count=100\n"
"    mymemtrace --module rust_mymem --read-func rust_mymem_read -- CMD\n"
"\n"
"Exit status: CMD's with -- CMD, else 0; 1 when tracing fails part way or an\n"
"export cannot be written; 2 on a bad command line (nothing is loaded); 3 when\n"
"it cannot trace here (privileges, BTF, the device, attach points); 4 when the\n"
"module is unloaded while traced (what was traced is still written). diff: 1\n"
"when a row regressed. To trace a command named report, diff or plot, put --\n"
"before it.";

enum {
	OPT_HIST = 0x100, OPT_JSON, OPT_CSV, OPT_EVENTS, OPT_RINGBUF, OPT_MIN_LATENCY, OPT_KPROBES,
	OPT_FLOOR, OPT_CALIBRATE, OPT_DEV, OPT_MODULE, OPT_READ_FUNC, OPT_WRITE_FUNC, OPT_KREAD_FUNC,
	OPT_KWRITE_FUNC, OPT_FAULT_FUNC, OPT_COPY_TO_FUNC, OPT_COPY_FROM_FUNC, OPT_SVG,
	OPT_NO_LIVE, OPT_TRACE, OPT_PROMETHEUS, OPT_RAW, OPT_PART_HISTS,
};

static const struct argp_option options[] = {
	{ NULL, 0, NULL, 0, "What to show:", 1 },
	{ "hist", OPT_HIST, NULL, 0, "Print log2 latency histograms per key", 1 },
	{ "part-hists", OPT_PART_HISTS, NULL, 0,
	  "Also keep each part's histogram per key (the probes pay about 110 instructions more per call)", 1 },
	{ "interval", 'i', "SEC", 0,
	  "Print every SEC seconds, not only at the end (with --hist on a terminal: the live view)", 1 },
	{ "no-live", OPT_NO_LIVE, NULL, 0, "Plain periodic blocks even on a terminal", 1 },
	{ "timestamp", 'T', NULL, 0, "A time of day (HH:MM:SS) above each periodic block", 1 },
	{ "duration", 'd', "SEC", 0, "Stop after SEC seconds", 1 },
	{ "verbose", 'v', NULL, 0, "Say how each target was attached", 1 },
	{ "calibrate", OPT_CALIBRATE, NULL, 0,
	  "Only measure the mode switch and this tool's own cost per call, then exit", 1 },
	{ "raw", OPT_RAW, NULL, 0,
	  "Report the figures as the probes see them, their own cost included (not compensated)", 1 },
	{ "floor", OPT_FLOOR, NULL, 0,
	  "Attach the same points with empty programs and measure nothing: the overhead floor", 1 },
	{ NULL, 0, NULL, 0, "What to trace:", 2 },
	{ "pid", 'p', "PID", 0, "Only this process's syscalls and faults", 2 },
	{ "tid", 't', "TID", 0, "Only this thread's syscalls and faults", 2 },
	{ "name", 'n', "COMM", 0, "Only tasks with this name", 2 },
	{ "cgroup", 'c', "PATH", 0, "Only tasks in this cgroup v2 and below it", 2 },
	{ "dev", OPT_DEV, "PATH", 0, "The device (default /dev/mymem)", 2 },
	{ "module", OPT_MODULE, "NAME", 0, "The driver's module (default mymem)", 2 },
	{ "read-func", OPT_READ_FUNC, "FUNC", 0, "Its read handler (default mymem_read)", 2 },
	{ "write-func", OPT_WRITE_FUNC, "FUNC", 0, "Its write handler (default mymem_write)", 2 },
	{ "kread-func", OPT_KREAD_FUNC, "FUNC", 0, "Its kernel read API (default mymem_kernel_read)", 2 },
	{ "kwrite-func", OPT_KWRITE_FUNC, "FUNC", 0, "Its kernel write API (default mymem_kernel_write)", 2 },
	{ "fault-func", OPT_FAULT_FUNC, "FUNC", 0, "Its fault handler (default mymem_vm_fault)", 2 },
	{ "copy-to-func", OPT_COPY_TO_FUNC, "FUNC", 0,
	  "Its copy_to_user helper (default mymem_copy_to_user; else the kernel's _copy_to_user)", 2 },
	{ "copy-from-func", OPT_COPY_FROM_FUNC, "FUNC", 0,
	  "Its copy_from_user helper (default mymem_copy_from_user; else _copy_from_user)", 2 },
	{ "force-kprobes", OPT_KPROBES, NULL, 0, "Use kprobes even where fentry works", 2 },
	{ NULL, 0, NULL, 0, "Where results go:", 3 },
	{ "json", OPT_JSON, "FILE", 0, "The report as JSON", 3 },
	{ "csv", OPT_CSV, "FILE", 0, "The report as CSV, one row per key", 3 },
	{ "events", OPT_EVENTS, "FILE", 0, "One record per call (.csv: CSV, else JSON lines)", 3 },
	{ "svg", OPT_SVG, "FILE", 0, "The breakdown and histograms as an SVG plot", 3 },
	{ "trace", OPT_TRACE, "FILE", 0, "Every call and its parts on a timeline (Chrome trace JSON: ui.perfetto.dev)", 3 },
	{ "prometheus", OPT_PROMETHEUS, "[ADDR:]PORT", 0,
	  "Serve GET /metrics (Prometheus text format) while tracing; ADDR defaults to 127.0.0.1", 3 },
	{ "output", 'o', "FILE", 0, "The report into FILE (default stdout; with -- CMD, stderr)", 3 },
	{ "min-latency", OPT_MIN_LATENCY, "DURATION", 0,
	  "--events and --trace keep only calls at least this long (10us, 2ms; a bare number is us); the report still counts every call", 3 },
	{ "ringbuf-size", OPT_RINGBUF, "BYTES", 0, "Ring buffer for --events and --trace (a power of 2; default 8 MiB, 32 MiB with --trace)", 3 },
	{ 0 }
};

static unsigned long parse_ulong(struct argp_state *state, const char *opt,
				 const char *arg, unsigned long min, unsigned long max)
{
	uint64_t v = 0;

	if (parse_u64(arg, min, max, &v))
		argp_error(state, "%s: '%s' is not a number from %lu to %lu", opt, arg, min, max);
	return v;
}

/* "[ADDR:]PORT" into env.prom_addr and env.prom_port. 0, or -1. */
static int parse_listen_address(const char *arg)
{
	const char *colon = strrchr(arg, ':'), *port = arg;
	unsigned char any[sizeof(struct in6_addr)];
	uint64_t v;
	size_t len;

	snprintf(env.prom_addr, sizeof(env.prom_addr), "127.0.0.1");
	if (colon) {
		port = colon + 1;
		len = colon - arg;
		if (len >= 2 && arg[0] == '[' && arg[len - 1] == ']') {
			arg++;
			len -= 2;
		}
		if (!len || len >= sizeof(env.prom_addr))
			return -1;
		memcpy(env.prom_addr, arg, len);
		env.prom_addr[len] = 0;
		if (inet_pton(AF_INET, env.prom_addr, any) != 1 &&
		    inet_pton(AF_INET6, env.prom_addr, any) != 1)
			return -1;
	}
	if (parse_u64(port, 1, 65535, &v))
		return -1;
	env.prom_port = v;
	return 0;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case OPT_HIST: env.hist = true; break;
	case OPT_PART_HISTS: env.part_hists = true; break;
	case 'T': env.timestamp = true; break;
	case 'i': env.interval_s = parse_ulong(state, "-i", arg, 1, 86400); break;
	case 'd': env.duration_s = parse_ulong(state, "-d", arg, 1, 86400 * 365); break;
	case 'v': env.verbose = true; break;
	case 'p': env.pid = parse_ulong(state, "-p", arg, 1, INT_MAX); break;
	case 't': env.tid = parse_ulong(state, "-t", arg, 1, INT_MAX); break;
	case 'n':
		if (!*arg || strlen(arg) > 15)
			argp_error(state, "-n: a task name has 1 to 15 characters");
		env.comm = arg;
		break;
	case 'c': env.cgroup_path = arg; break;
	case OPT_DEV: env.dev = arg; break;
	case OPT_MODULE: env.module = arg; break;
	case OPT_READ_FUNC: env.read_func = arg; break;
	case OPT_WRITE_FUNC: env.write_func = arg; break;
	case OPT_KREAD_FUNC: env.kread_func = arg; break;
	case OPT_KWRITE_FUNC: env.kwrite_func = arg; break;
	case OPT_FAULT_FUNC: env.fault_func = arg; break;
	case OPT_COPY_TO_FUNC: env.copy_to_func = arg; break;
	case OPT_COPY_FROM_FUNC: env.copy_from_func = arg; break;
	case OPT_KPROBES: env.force_kprobes = true; break;
	case OPT_FLOOR: env.floor = true; break;
	case OPT_RAW: env.raw = true; break;
	case OPT_CALIBRATE: env.calibrate_only = true; break;
	case OPT_JSON: env.json_path = arg; break;
	case OPT_CSV: env.csv_path = arg; break;
	case OPT_EVENTS: env.events_path = arg; break;
	case OPT_SVG: env.svg_path = arg; break;
	case OPT_NO_LIVE: env.no_live = true; break;
	case OPT_TRACE: env.trace_path = arg; break;
	case 'o': env.output_path = arg; break;
	case OPT_PROMETHEUS:
		if (parse_listen_address(arg))
			argp_error(state, "--prometheus: '%s' is not [ADDR:]PORT (a numeric IPv4 address, or [IPv6], and a port from 1 to 65535)", arg);
		env.prometheus = arg;
		break;
	case OPT_MIN_LATENCY:
		if (parse_duration_ns(arg, &env.min_latency_ns) || !env.min_latency_ns)
			argp_error(state, "--min-latency: '%s' is not a duration above 0 (10us, 2ms, 500ns, 1s)", arg);
		break;
	case OPT_RINGBUF:
		env.ringbuf_bytes = parse_ulong(state, "--ringbuf-size", arg, 4096, 1ul << 30);
		if (env.ringbuf_bytes & (env.ringbuf_bytes - 1))
			argp_error(state, "--ringbuf-size: %s is not a power of 2", arg);
		break;
	case ARGP_KEY_ARG:
		/* Everything from the first plain argument on is CMD. */
		env.cmd = &state->argv[state->next - 1];
		state->next = state->argc;
		break;
	case ARGP_KEY_END:
		if (!env.ringbuf_bytes)
			env.ringbuf_bytes = env.trace_path ? DEFAULT_RINGBUF_TRACE : DEFAULT_RINGBUF;
		if (env.cmd && env.pid)
			argp_error(state, "-p and -- CMD exclude each other");
		if (env.min_latency_ns && !env.events_path && !env.trace_path)
			argp_error(state, "--min-latency chooses the records of --events and --trace: give one of them");
		if (env.floor && (env.json_path || env.csv_path || env.events_path || env.svg_path ||
				  env.hist || env.trace_path || env.prometheus || env.output_path))
			argp_error(state, "--floor measures nothing: no --json, --csv, --svg, --events, --trace, --prometheus, -o or --hist");
		if (env.calibrate_only && (env.trace_path || env.prometheus))
			argp_error(state, "--calibrate traces no calls: no --trace or --prometheus");
		if (env.calibrate_only && (env.cmd || env.floor))
			argp_error(state, "--calibrate takes no CMD and no --floor");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

void env_parse(int argc, char **argv)
{
	static const struct argp argp = { options, parse_opt, "[-- CMD ARGS...]", doc, NULL, NULL, NULL };

	argp_err_exit_status = 2;
	/* ARGP_IN_ORDER: CMD's own options stay CMD's. */
	argp_parse(&argp, argc, argv, ARGP_IN_ORDER, NULL, NULL);
}

/* A file can be created in @path's directory, and @path is no directory. */
static int check_output(const char *opt, const char *path)
{
	char probe[4096];
	const char *slash = strrchr(path, '/');
	struct stat st;
	int fd;

	if (!*path) {
		fprintf(stderr, "mymemtrace: %s: an empty file name\n", opt);
		return -1;
	}
	if (!stat(path, &st) && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "mymemtrace: %s %s: is a directory\n", opt, path);
		return -1;
	}
	if (!slash)
		snprintf(probe, sizeof(probe), ".mymemtrace-probe-XXXXXX");
	else
		snprintf(probe, sizeof(probe), "%.*s/.mymemtrace-probe-XXXXXX",
			 (int)(slash - path), path);
	fd = mkstemp(probe);
	if (fd < 0) {
		fprintf(stderr, "mymemtrace: %s %s: cannot write there: %s\n", opt, path,
			strerror(errno));
		return -1;
	}
	close(fd);
	unlink(probe);
	return 0;
}

int env_check_outputs(void)
{
	const struct { const char *opt, *path; } outs[] = {
		{ "--json", env.json_path }, { "--csv", env.csv_path },
		{ "--events", env.events_path }, { "--svg", env.svg_path },
		{ "--trace", env.trace_path }, { "-o", env.output_path },
	};
	size_t i, j, n = sizeof(outs) / sizeof(outs[0]);

	for (i = 0; i < n; i++) {
		if (!outs[i].path)
			continue;
		for (j = i + 1; j < n; j++) {
			if (outs[j].path && !strcmp(outs[i].path, outs[j].path)) {
				fprintf(stderr, "mymemtrace: %s and %s both write %s\n",
					outs[i].opt, outs[j].opt, outs[i].path);
				return -1;
			}
		}
		if (check_output(outs[i].opt, outs[i].path))
			return -1;
	}
	return 0;
}

void env_attach_opts(struct attacher *a)
{
	attacher_init(a, &(struct attach_opts){
		.module = env.module,
		.read_func = env.read_func, .write_func = env.write_func,
		.kread_func = env.kread_func, .kwrite_func = env.kwrite_func,
		.fault_func = env.fault_func,
		.copy_to_func = env.copy_to_func, .copy_from_func = env.copy_from_func,
		.force_kprobes = env.force_kprobes, .verbose = env.verbose,
	});
}
