// SPDX-License-Identifier: GPL-2.0
/*
 * mymemtrace: per-call cost breakdown of every access to mymem (or another
 * driver's device), on the syscall, kernel and mmap paths.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "atomic_file.h"
#include "clock.h"
#include "command.h"
#include "cli/env.h"
#include "cli/subcommands.h"
#include "cli/workload.h"
#include "collect/attach.h"
#include "collect/calibrate.h"
#include "collect/cgroup.h"
#include "collect/device.h"
#include "collect/kernel_version.h"
#include "collect/load.h"
#include "collect/maps.h"
#include "collect/run_maps.h"
#include "model/compensate.h"
#include "render/csv.h"
#include "render/live.h"
#include "render/prometheus.h"
#include "render/report.h"
#include "render/run_json.h"
#include "render/svg.h"
#include "serve/metrics_server.h"
#include "stream/chrome_trace.h"
#include "stream/events.h"
#include "stream/records.h"

static volatile sig_atomic_t exiting;

static void on_signal(int sig)
{
	(void)sig;
	exiting = 1;
}

/*
 * libbpf's own messages, as libbpf-tools show them: its warnings always
 * (they say why a load or an attach failed on this kernel), its debug
 * output (the verifier's log among it) under -v.
 */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG && !env.verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

/* One tracing session: what main()'s steps share. */
struct tracer {
	struct mymemtrace_bpf *skel;
	struct ring_buffer *rb;
	struct attacher attacher;
	struct record_store records;	/* for --events and --trace */
	struct metrics_server *metrics;	/* --prometheus */
	struct run_context ctx;		/* what the run model needs beyond the maps */
	struct run_target targets[NR_TARGETS];
	struct run run;
	struct utsname uts;
	uint32_t rdev;
	int cgroup_fd;			/* --cgroup's directory; -1: none */
	struct workload cmd;		/* -- CMD */
	FILE *out;			/* the report: stdout, stderr with CMD, or -o */
	struct atomic_file out_file;	/* -o FILE */
	bool live_on, watch_module;
	const char *gone;		/* what went away while traced */
	uint64_t start, reset_at;
	struct calib_untraced untraced;	/* calibration calls before attaching */
	uint64_t scrape_since;		/* set before the metrics server starts */
};

/*
 * The run model, from the maps as they are now. tracer->ctx is only read here
 * (it is fixed once calibrated), as the metrics server's thread reads it.
 */
static int build_run(const struct tracer *tracer, uint64_t since, struct run *run)
{
	struct mymemtrace_bpf *skel = tracer->skel;
	struct run_context ctx = tracer->ctx;

	ctx.duration_ns = now_ns() - since;
	ctx.returns_missed = attacher_returns_missed(&tracer->attacher);
	return run_from_maps(bpf_map__fd(skel->maps.agg_index), bpf_map__fd(skel->maps.agg_slots),
			     bpf_map__fd(skel->maps.counters), &ctx, run);
}

static void read_run(struct tracer *tracer)
{
	build_run(tracer, tracer->reset_at ? tracer->reset_at : tracer->start, &tracer->run);
}

/* One GET /metrics, on the metrics server's thread: a run model of its own. */
static int render_scrape(void *ctx, FILE *out)
{
	const struct tracer *tracer = ctx;
	struct run run = {};

	if (build_run(tracer, tracer->scrape_since, &run))
		return -1;
	run_render_prometheus(out, &run);
	run_free(&run);
	return 0;
}

/*
 * Where the report goes. CMD's stdout is CMD's (as with perf stat, strace
 * -c and time): with -- CMD the report goes to stderr, or to -o FILE.
 */
static int open_report(struct tracer *tracer)
{
	if (env.output_path) {
		if (atomic_open(&tracer->out_file, env.output_path))
			return -1;
		tracer->out = tracer->out_file.f;
	} else {
		tracer->out = env.cmd ? stderr : stdout;
	}
	return 0;
}

/* Everything the command line can get wrong, before anything is loaded. */
static int check_before_loading(struct tracer *tracer)
{
	if (env.cmd && !command_exists(env.cmd[0])) {
		fprintf(stderr, "mymemtrace: %s: command not found\n", env.cmd[0]);
		return MT_EXIT_USAGE;
	}
	if (env.pid && kill(env.pid, 0) && errno == ESRCH) {
		fprintf(stderr, "mymemtrace: -p %d: no such process\n", env.pid);
		return MT_EXIT_USAGE;
	}
	if (env.tid && kill(env.tid, 0) && errno == ESRCH) {
		fprintf(stderr, "mymemtrace: -t %d: no such thread\n", env.tid);
		return MT_EXIT_USAGE;
	}
	if (env.cgroup_path && (tracer->cgroup_fd = cgroup_open(env.cgroup_path)) < 0)
		return MT_EXIT_USAGE;
	if (env_check_outputs())
		return MT_EXIT_USAGE;
	if (!has_bpf_capabilities() || !kernel_supported())
		return MT_EXIT_CANNOT_TRACE;
	if (device_rdev(env.dev, &tracer->rdev))
		return MT_EXIT_CANNOT_TRACE;
	if (open_report(tracer))
		return MT_EXIT_USAGE;
	return 0;
}

static void handle_signals(void)
{
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	/* A closed stdout must not kill us before the exports are written. */
	signal(SIGPIPE, SIG_IGN);
}

/* CMD, held at its gate until everything is attached. 0, or -1. */
static int start_command(struct tracer *tracer)
{
	/* The live view only ever takes a terminal; pipes get plain blocks. */
	tracer->live_on = env.hist && env.interval_s && !env.no_live && !env.floor && live_possible();
	return workload_start(&tracer->cmd, tracer->live_on);
}

/* Loads (retrying with kprobes where fentry failed) and attaches. 0, or -1. */
static int load_and_attach(struct tracer *tracer)
{
	struct load_opts opts = {
		.tgid = env.cmd ? tracer->cmd.pid : env.pid, .follow = env.cmd != NULL,
		.rdev = tracer->rdev, .tid = env.tid, .comm = env.comm,
		.cgroup_fd = tracer->cgroup_fd,
		.events = env.events_path != NULL, .timeline = env.trace_path != NULL,
		.ringbuf_bytes = env.ringbuf_bytes, .floor = env.floor, .part_hists = env.part_hists,
	};
	struct attacher *a = &tracer->attacher;
	bool hopeless;

	tracer->skel = load_programs(&opts, a, &hopeless);
	if (!tracer->skel && !a->opts.force_kprobes && !hopeless) {
		/* e.g. a --read-func whose arguments differ from mymem's */
		fprintf(stderr, "mymemtrace: retrying with kprobes instead of fentry\n");
		a->opts.force_kprobes = true;
		tracer->skel = load_programs(&opts, a, &hopeless);
	}
	if (!tracer->skel)
		return -1;
	if (!env.floor)
		calibrate_untraced(env.dev, &tracer->untraced);
	if (attacher_attach(a))
		return -1;
	attacher_coverage(a, tracer->targets);
	tracer->watch_module = attacher_module_attached(a);
	/* Where the module function is traced, it tells the device apart. */
	tracer->skel->bss->lazy_ops = (attacher_target_ok(a, T_READ_FN) ? 1u << MT_OP_READ : 0) |
				 (attacher_target_ok(a, T_WRITE_FN) ? 1u << MT_OP_WRITE : 0);
	if (tracer->cmd.pid > 0) {
		__u8 one = 1;
		__u32 key = tracer->cmd.pid;

		if (bpf_map_update_elem(bpf_map__fd(tracer->skel->maps.traced_tgids), &key, &one, BPF_ANY)) {
			fprintf(stderr, "mymemtrace: cannot follow %s: %s\n", env.cmd[0], strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* The mode switch and this tool's own cost per call, into tracer->ctx.cal. */
static void calibrate_run(struct tracer *tracer)
{
	struct calibration *cal = &tracer->ctx.cal;
	struct mymemtrace_bpf *skel = tracer->skel;

	if (env.floor) {
		/* The same attach points as a traced run's, once it has calibrated. */
		attacher_calibration_done(&tracer->attacher);
		return;
	}
	calibrate_traced(env.dev, bpf_map__fd(skel->maps.agg_index),
			 bpf_map__fd(skel->maps.agg_slots), &tracer->untraced, cal);
	attacher_calibration_done(&tracer->attacher);
	calibration_settle(cal, env.raw, attacher_target_ok(&tracer->attacher, T_KREAD));
	compensation_settle(cal, tracer->targets);
	set_min_latency(skel, env.min_latency_ns, cal);
}

/* What is written or served while tracing: --events, --trace, --prometheus, the live view. 0, or -1. */
static int open_streams(struct tracer *tracer)
{
	if (env.events_path || env.trace_path) {
		/* Records are formatted at the end: kept whole when --trace needs the timeline. */
		size_t size = env.trace_path ? sizeof(struct mt_event) : MT_EVENT_BASE_SIZE;

		if (records_open(&tracer->records, size, env.events_path ? env.events_path : env.trace_path))
			return -1;
		tracer->rb = ring_buffer__new(bpf_map__fd(tracer->skel->maps.events), records_handle,
					 &tracer->records, NULL);
		if (!tracer->rb) {
			fprintf(stderr, "mymemtrace: cannot read the ring buffer: %s\n", strerror(errno));
			return -1;
		}
	}
	if (env.prometheus) {
		tracer->scrape_since = now_ns();
		tracer->metrics = metrics_server_start(env.prom_addr, env.prom_port, render_scrape, tracer,
						  env.verbose);
		if (!tracer->metrics)
			return -1;
	}
	if (tracer->live_on && live_start(env.cmd ? env.cmd[0] : env.dev)) {
		fprintf(stderr, "mymemtrace: cannot use this terminal for the live view: printing blocks\n");
		tracer->live_on = false;
	}
	return 0;
}

/* Lets CMD run: the tracer is attached, so its first call is traced. */
static void release_command(struct tracer *tracer)
{
	if (tracer->cmd.argv)
		workload_release(&tracer->cmd);
	else if (!tracer->live_on)
		fprintf(stderr, "Tracing %s... Hit Ctrl-C to end.\n", env.dev);
}

/* Traces until CMD exits, -d, a signal, q, or the module goes away. */
static void trace_loop(struct tracer *tracer)
{
	uint64_t next_print, deadline;

	if (tracer->rb)
		records_reader_priority(env.verbose);
	tracer->start = now_ns();
	next_print = tracer->start + env.interval_s * 1000000000ull;
	deadline = env.duration_s ? tracer->start + env.duration_s * 1000000000ull : UINT64_MAX;
	release_command(tracer);
	if (tracer->live_on) {
		read_run(tracer);
		tracer->run.duration_ns = 0;
		live_draw(&tracer->run, 0, true);
	}
	while (!exiting && now_ns() < deadline) {
		enum live_action action = LIVE_NONE;

		if (tracer->rb) {
			int err = ring_buffer__poll(tracer->rb, 100);

			if (err < 0 && err != -EINTR) {
				fprintf(stderr, "mymemtrace: ring buffer: %s\n", strerror(-err));
				break;
			}
		} else {
			usleep(100000);
		}
		if (workload_exited(&tracer->cmd))
			break;
		if (tracer->watch_module && !attacher_module_loaded(&tracer->attacher)) {
			tracer->gone = env.module;
			break;
		}
		if (device_gone(env.dev, tracer->rdev)) {
			tracer->gone = env.dev;
			break;
		}
		if (tracer->live_on)
			action = live_keys();
		if (action == LIVE_QUIT)
			break;
		if (action == LIVE_RESET) {
			if (agg_reset(bpf_map__fd(tracer->skel->maps.agg_index),
				       bpf_map__fd(tracer->skel->maps.agg_slots)))
				fprintf(stderr, "mymemtrace: resetting the counters failed\n");
			tracer->reset_at = now_ns();
			live_reset_rates();
		}
		if (env.interval_s && !env.floor && (now_ns() >= next_print || action != LIVE_NONE)) {
			bool tick = now_ns() >= next_print;

			read_run(tracer);
			if (tracer->live_on) {
				live_draw(&tracer->run, tracer->run.duration_ns / 1e9, tick || action == LIVE_RESET);
			} else {
				if (env.timestamp)
					report_time_of_day(tracer->out);
				report_print(tracer->out, &tracer->run, env.hist, false);
			}
			if (tick)
				next_print += env.interval_s * 1000000000ull;
		}
	}
	live_stop();
	workload_show_output(&tracer->cmd);
	if (tracer->gone)
		fprintf(stderr, "mymemtrace: %s went away %.1f s into the run (unloaded?): stopping; the report and exports cover what was traced until then\n",
			tracer->gone, (now_ns() - tracer->start) / 1e9);
	if (tracer->rb)
		ring_buffer__consume(tracer->rb);
}

/* The final report and every export, all rendered from one run model. */
static int finish(struct tracer *tracer)
{
	int ret = tracer->gone ? MT_EXIT_TARGET_GONE : MT_EXIT_OK;

	if (env.floor) {
		fprintf(stderr, "mymemtrace: --floor: empty programs were attached for %.1f s; nothing was measured\n",
			(now_ns() - tracer->start) / 1e9);
		return 0;
	}
	/* What was traced is scraped no more: the exports have it all. */
	metrics_server_stop(tracer->metrics);
	tracer->metrics = NULL;
	read_run(tracer);
	if (tracer->reset_at)
		fprintf(tracer->out, "\n(the counters were reset %.1f s into the run: this covers the last %.1f s)",
			(tracer->reset_at - tracer->start) / 1e9, tracer->run.duration_ns / 1e9);
	report_print(tracer->out, &tracer->run, env.hist, true);
	if (tracer->out_file.f && atomic_commit(&tracer->out_file))
		ret = MT_EXIT_FAILED;
	if (env.json_path && run_write(env.json_path, run_render_json, &tracer->run))
		ret = MT_EXIT_FAILED;
	if (env.csv_path && run_write(env.csv_path, run_render_csv, &tracer->run))
		ret = MT_EXIT_FAILED;
	if (env.svg_path && run_write(env.svg_path, svg_render, &tracer->run))
		ret = MT_EXIT_FAILED;
	if (env.events_path &&
	    events_export(env.events_path, &tracer->records, &tracer->run, env.min_latency_ns))
		ret = MT_EXIT_FAILED;
	if (env.trace_path &&
	    chrome_trace_export(env.trace_path, &tracer->records, &tracer->run, env.min_latency_ns))
		ret = MT_EXIT_FAILED;
	return ret;
}

/* Detaches and frees everything, and reaps CMD. */
static void teardown(struct tracer *tracer)
{
	live_stop();
	metrics_server_stop(tracer->metrics);
	ring_buffer__free(tracer->rb);
	records_free(&tracer->records);
	attacher_free(&tracer->attacher);
	mymemtrace_bpf__destroy(tracer->skel);
	run_free(&tracer->run);
	atomic_abort(&tracer->out_file);
	workload_stop(&tracer->cmd);
	if (tracer->cgroup_fd >= 0)
		close(tracer->cgroup_fd);
}

int main(int argc, char **argv)
{
	struct tracer tracer = { .cgroup_fd = -1 };
	int ret;

	if (argc > 1 && is_subcommand(argv[1]))
		return run_subcommand(argc - 1, argv + 1);

	/* Parse the command line, and check all it names before loading. */
	env_parse(argc, argv);
	workload_init(&tracer.cmd, env.cmd);
	ret = check_before_loading(&tracer);
	if (ret)
		return ret;

	/* The session's context: the kernel, the attach engine's options, signals. */
	uname(&tracer.uts);
	tracer.ctx.kernel = tracer.uts.release;
	tracer.ctx.targets = tracer.targets;
	tracer.ctx.part_hists = env.part_hists;
	env_attach_opts(&tracer.attacher);
	libbpf_set_print(libbpf_print);
	handle_signals();

	/* Start CMD, held until the probes are attached. */
	ret = MT_EXIT_FAILED;
	if (start_command(&tracer))
		goto cleanup;

	/* Load and attach: fentry, falling back to kprobes. */
	ret = MT_EXIT_CANNOT_TRACE;
	if (load_and_attach(&tracer))
		goto cleanup;
	ret = MT_EXIT_FAILED;

	/* Calibrate the mode switch and our own cost per call. */
	calibrate_run(&tracer);
	if (env.calibrate_only) {
		report_calibration(tracer.out, &tracer.ctx.cal);
		ret = tracer.out_file.f && atomic_commit(&tracer.out_file) ? MT_EXIT_FAILED : 0;
		goto cleanup;
	}

	/* Open what streams while tracing, then trace. */
	if (open_streams(&tracer))
		goto cleanup;
	trace_loop(&tracer);

	/* Report and export, from one run model. */
	ret = finish(&tracer);

cleanup:
	teardown(&tracer);
	return workload_exit_status(&tracer.cmd, ret);
}
