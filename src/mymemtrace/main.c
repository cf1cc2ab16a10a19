// SPDX-License-Identifier: GPL-2.0
/*
 * mymemtrace: per-call cost breakdown of every access to mymem (or another
 * driver's device), on the syscall, kernel and mmap paths.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "collect/maps.h"
#include "collect/attach.h"
#include "collect/calibrate.h"
#include "stream/chrome_trace.h"
#include "clock.h"
#include "command.h"
#include "render/csv.h"
#include "cli/env.h"
#include "stream/events.h"
#include "collect/kernel_version.h"
#include "render/live.h"
#include "serve/metrics_server.h"
#include "mymemtrace.skel.h"
#include "render/prometheus.h"
#include "render/report.h"
#include "render/run_json.h"
#include "collect/run_maps.h"
#include "cli/subcommands.h"
#include "render/svg.h"

static volatile sig_atomic_t exiting;

static void on_signal(int sig)
{
	(void)sig;
	exiting = 1;
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	/* libbpf's own messages only with -v: failures are reported by us. */
	if (!env.verbose || level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, args);
}

/* CAP_SYS_ADMIN, or CAP_BPF and CAP_PERFMON; else says which are missing. */
static bool has_bpf_capabilities(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = {};
	bool bpf, perfmon;
	uint64_t eff;

	if (syscall(SYS_capget, &hdr, data))
		return geteuid() == 0;
	eff = (uint64_t)data[1].effective << 32 | data[0].effective;
	if (eff & (1ull << CAP_SYS_ADMIN))
		return true;
	bpf = eff & (1ull << CAP_BPF);
	perfmon = eff & (1ull << CAP_PERFMON);
	if (bpf && perfmon)
		return true;
	fprintf(stderr, "mymemtrace: needs root, or the capabilities CAP_BPF and CAP_PERFMON (missing: %s%s%s; CAP_SYS_ADMIN would do too): run it with sudo\n",
		bpf ? "" : "CAP_BPF", bpf || perfmon ? "" : " and ", perfmon ? "" : "CAP_PERFMON");
	return false;
}

static uint32_t kernel_dev(dev_t dev)
{
	return (major(dev) << 20) | minor(dev);
}

/*
 * Is what we trace still there? An unload is refused while fentry holds
 * the module, but kprobes do not hold it: then the module, or the device
 * (a new one may have another number), can go away under us.
 */
static bool target_gone(uint32_t rdev, bool watch_module, const char **what)
{
	struct stat st;

	if (watch_module && !module_loaded()) {
		*what = env.module;
		return true;
	}
	if (stat(env.dev, &st) || !S_ISCHR(st.st_mode) || kernel_dev(st.st_rdev) != rdev) {
		*what = env.dev;
		return true;
	}
	return false;
}

/* The device's number as the kernel encodes dev_t (MKDEV: 12 + 20 bits). */
static int device_rdev(const char *path, uint32_t *rdev)
{
	struct stat st;

	if (stat(path, &st)) {
		if (errno == ENOENT && !strcmp(path, "/dev/mymem"))
			fprintf(stderr, "mymemtrace: /dev/mymem does not exist: mymem is not loaded (run `sudo insmod build/kmod/$(uname -r)/mymem.ko`), or trace another device with --dev\n");
		else
			fprintf(stderr, "mymemtrace: --dev %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISCHR(st.st_mode)) {
		fprintf(stderr, "mymemtrace: --dev %s: not a character device\n", path);
		return -1;
	}
	*rdev = kernel_dev(st.st_rdev);
	return 0;
}

/* Set when loading failed in a way kprobes cannot help: no BTF, no rights. */
static bool load_hopeless;

static struct mymemtrace_bpf *open_and_load(pid_t tgid, uint32_t rdev)
{
	struct mymemtrace_bpf *skel = mymemtrace_bpf__open();
	int err;

	if (!skel) {
		fprintf(stderr, "mymemtrace: cannot open the BPF object: %s\n", strerror(errno));
		return NULL;
	}
	skel->rodata->targ_tgid = tgid;
	skel->rodata->targ_follow = env.cmd != NULL;
	skel->rodata->targ_rdev = rdev;
	skel->rodata->targ_events = env.events_path != NULL;
	skel->rodata->targ_trace = env.trace_path != NULL;
	skel->rodata->ringbuf_wakeup_bytes = env.ringbuf_bytes / 4;
	skel->rodata->targ_calib_tid = syscall(SYS_gettid);
	skel->rodata->targ_floor = env.floor;
	skel->rodata->targ_part_hists = env.part_hists;
	if (env.comm) {
		skel->rodata->targ_filter_comm = true;
		strncpy((char *)skel->rodata->targ_comm, env.comm, MT_COMM_LEN - 1);
	}
	/* Without --events or --trace the ring buffer is never written: keep it small. */
	bpf_map__set_max_entries(skel->maps.events,
				 env.events_path || env.trace_path ? env.ringbuf_bytes : 4096);
	if (attach_prepare(skel)) {
		load_hopeless = true;
		goto fail;
	}
	err = mymemtrace_bpf__load(skel);
	if (!err)
		return skel;
	load_hopeless = err == -EPERM;
	if (err == -EPERM)
		fprintf(stderr, "mymemtrace: loading BPF programs was refused (EPERM): needs root, or CAP_BPF and CAP_PERFMON\n");
	else
		fprintf(stderr, "mymemtrace: loading the BPF programs failed: %s (run with -v for the verifier's log)\n",
			strerror(-err));
fail:
	attach_destroy();
	mymemtrace_bpf__destroy(skel);
	return NULL;
}

/* One tracing session: what main()'s steps share. */
struct tracer {
	struct mymemtrace_bpf *skel;
	struct ring_buffer *rb;
	struct events_writer writer;	/* --events */
	struct chrome_trace chrome;	/* --trace */
	struct metrics_server *metrics;	/* --prometheus */
	struct run_context ctx;		/* what the run model needs beyond the maps */
	struct run_target targets[NR_TARGETS];
	struct run run;
	struct utsname uts;
	uint32_t rdev;
	pid_t child;			/* -1: no CMD; 0: CMD has exited */
	int gate, status;
	int held_out, held_err;		/* CMD's output while the live view draws */
	FILE *out;			/* the report: stdout, stderr with CMD, or -o */
	struct atomic_file out_file;	/* -o FILE */
	bool live_on, watch_module;
	const char *gone;		/* what went away while traced */
	uint64_t start, reset_at;
	struct calib_untraced untraced;	/* calibration calls before attaching */
	uint64_t scrape_since;		/* set before the metrics server starts */
};

/* The attach layer's results, copied into plain data for the run model. */
static void copy_coverage(struct run_target *out)
{
	int i;

	for (i = 0; i < NR_TARGETS; i++) {
		snprintf(out[i].func, sizeof(out[i].func), "%s", targets[i].func ? targets[i].func : "?");
		out[i].method = targets[i].method;
		snprintf(out[i].why, sizeof(out[i].why), "%s", targets[i].why[0] ? targets[i].why : "?");
		snprintf(out[i].measures, sizeof(out[i].measures), "%s",
			 targets[i].measures ? targets[i].measures : "?");
	}
}

/*
 * The run model, from the maps as they are now. t->ctx is only read here
 * (it is fixed once calibrated), as the metrics server's thread reads it.
 */
static int build_run(const struct tracer *t, uint64_t since, struct run *run)
{
	struct mymemtrace_bpf *skel = t->skel;
	struct run_context ctx = t->ctx;

	ctx.duration_ns = now_ns() - since;
	ctx.returns_missed = attach_returns_missed();
	return run_from_maps(bpf_map__fd(skel->maps.agg_index), bpf_map__fd(skel->maps.agg_slots),
			     bpf_map__fd(skel->maps.counters), &ctx, run);
}

static void read_run(struct tracer *t)
{
	build_run(t, t->reset_at ? t->reset_at : t->start, &t->run);
}

/* One GET /metrics, on the metrics server's thread: a run model of its own. */
static int render_scrape(void *ctx, FILE *out)
{
	const struct tracer *t = ctx;
	struct run run = {};

	if (build_run(t, t->scrape_since, &run))
		return -1;
	run_render_prometheus(out, &run);
	run_free(&run);
	return 0;
}

/* A ring buffer record: to --events, to --trace, or to both. */
static int on_record(void *ctx, void *data, size_t len)
{
	struct tracer *t = ctx;

	if (env.events_path)
		events_handle(&t->writer, data, len);
	if (env.trace_path)
		chrome_trace_add(&t->chrome, data, len);
	return 0;
}

static void print_report(FILE *out, const struct run *run, bool final)
{
	if (env.hist)
		report_hists(out, run);
	report_table(out, run);
	if (final)
		report_compare(out, run);
	fflush(out);
}

/*
 * Where the report goes. CMD's stdout is CMD's (as with perf stat, strace
 * -c and time): with -- CMD the report goes to stderr, or to -o FILE.
 */
static int open_report(struct tracer *t)
{
	if (env.output_path) {
		if (atomic_open(&t->out_file, env.output_path))
			return -1;
		t->out = t->out_file.f;
	} else {
		t->out = env.cmd ? stderr : stdout;
	}
	return 0;
}

/* Everything the command line can get wrong, before anything is loaded. */
static int check_before_loading(struct tracer *t)
{
	if (env.cmd && !command_exists(env.cmd[0])) {
		fprintf(stderr, "mymemtrace: %s: command not found\n", env.cmd[0]);
		return MT_EXIT_USAGE;
	}
	if (env.pid && kill(env.pid, 0) && errno == ESRCH) {
		fprintf(stderr, "mymemtrace: -p %d: no such process\n", env.pid);
		return MT_EXIT_USAGE;
	}
	if (env_check_outputs())
		return MT_EXIT_USAGE;
	if (!has_bpf_capabilities() || !kernel_supported())
		return MT_EXIT_CANNOT_TRACE;
	if (device_rdev(env.dev, &t->rdev))
		return MT_EXIT_CANNOT_TRACE;
	if (open_report(t))
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
static int start_command(struct tracer *t)
{
	/* The live view only ever takes a terminal; pipes get plain blocks. */
	t->live_on = env.hist && env.interval_s && !env.no_live && !env.floor && live_possible();
	if (t->live_on && env.cmd) {
		t->held_out = hold_output();
		t->held_err = hold_output();
	}
	if (!env.cmd)
		return 0;
	t->child = spawn_command(env.cmd, &t->gate, t->held_out, t->held_err);
	if (t->child < 0) {
		fprintf(stderr, "mymemtrace: cannot start %s: %s\n", env.cmd[0], strerror(errno));
		return -1;
	}
	return 0;
}

/* Loads (retrying with kprobes where fentry failed) and attaches. 0, or -1. */
static int load_and_attach(struct tracer *t)
{
	pid_t tgid = env.cmd ? t->child : env.pid;

	t->skel = open_and_load(tgid, t->rdev);
	if (!t->skel && !env.force_kprobes && !load_hopeless) {
		/* e.g. a --read-func whose arguments differ from mymem's */
		fprintf(stderr, "mymemtrace: retrying with kprobes instead of fentry\n");
		env.force_kprobes = true;
		t->skel = open_and_load(tgid, t->rdev);
	}
	if (!t->skel)
		return -1;
	if (!env.floor)
		calibrate_untraced(env.dev, &t->untraced);
	if (attach_all())
		return -1;
	copy_coverage(t->targets);
	t->watch_module = module_attached();
	/* Where the module function is traced, it tells the device apart. */
	t->skel->bss->lazy_ops = (target_ok(T_READ_FN) ? 1u << MT_OP_READ : 0) |
				 (target_ok(T_WRITE_FN) ? 1u << MT_OP_WRITE : 0);
	if (t->child > 0) {
		__u8 one = 1;
		__u32 key = t->child;

		if (bpf_map_update_elem(bpf_map__fd(t->skel->maps.traced_tgids), &key, &one, BPF_ANY)) {
			fprintf(stderr, "mymemtrace: cannot follow %s: %s\n", env.cmd[0], strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* The mode switch and this tool's own cost per call, into t->ctx.cal. */
static void calibrate_run(struct tracer *t)
{
	struct calibration *cal = &t->ctx.cal;
	struct mymemtrace_bpf *skel = t->skel;

	if (env.floor)
		return;
	calibrate_traced(env.dev, bpf_map__fd(skel->maps.agg_index),
			 bpf_map__fd(skel->maps.agg_slots), &t->untraced, cal);
	if (!cal->valid)
		fprintf(stderr, "mymemtrace: mode-switch calibration failed (%llu of %d calls seen): mode_switch is not reported\n",
			(unsigned long long)cal->calls, CALIB_CALLS);
	if (!cal->self_valid)
		fprintf(stderr, "mymemtrace: could not measure its own cost per syscall-path call (%llu of %d calls seen): those figures are not compensated\n",
			(unsigned long long)cal->self_calls, CALIB_CALLS);
	if (!cal->kernel_valid && target_ok(T_KREAD))
		fprintf(stderr, "mymemtrace: could not measure its own cost per kernel-path call (%llu of %d calls seen): those figures are not compensated\n",
			(unsigned long long)cal->kernel_calls, CALIB_CALLS);
	cal->compensated = !env.raw;
	if (env.raw)
		cal->mode_switch_ns = cal->raw_mode_switch_ns;
}

/* What is written or served while tracing: --events, --trace, --prometheus, the live view. 0, or -1. */
static int open_streams(struct tracer *t)
{
	if (env.events_path && events_open(&t->writer, env.events_path))
		return -1;
	t->writer.cal = &t->ctx.cal;
	t->writer.targets = t->targets;
	if (env.trace_path && chrome_trace_open(&t->chrome, env.trace_path, t->targets))
		return -1;
	if (env.events_path || env.trace_path) {
		t->rb = ring_buffer__new(bpf_map__fd(t->skel->maps.events), on_record, t, NULL);
		if (!t->rb) {
			fprintf(stderr, "mymemtrace: cannot read the ring buffer: %s\n", strerror(errno));
			return -1;
		}
	}
	if (env.prometheus) {
		t->scrape_since = now_ns();
		t->metrics = metrics_server_start(env.prom_addr, env.prom_port, render_scrape, t,
						  env.verbose);
		if (!t->metrics)
			return -1;
	}
	if (t->live_on && live_start(env.cmd ? env.cmd[0] : env.dev)) {
		fprintf(stderr, "mymemtrace: cannot use this terminal for the live view: printing blocks\n");
		t->live_on = false;
	}
	return 0;
}

/* Lets CMD run: the tracer is attached, so its first call is traced. */
static void release_command(struct tracer *t)
{
	if (t->child > 0) {
		if (write(t->gate, "g", 1) != 1)
			fprintf(stderr, "mymemtrace: cannot release %s\n", env.cmd[0]);
		close(t->gate);
		t->gate = -1;
	} else if (!t->live_on) {
		fprintf(stderr, "Tracing %s... Hit Ctrl-C to end.\n", env.dev);
	}
}

/*
 * The ring buffer's reader runs ahead of the traced threads: nice -10 for
 * this thread alone (CMD, forked already, keeps its own). At equal weight,
 * 50 busy threads on 2 CPUs left the reader a fiftieth of them, and 64% of
 * the records were dropped; the reader sleeps whenever the buffer is
 * drained, so it takes no more than it needs. Not allowed: as it was.
 */
static void raise_reader_priority(void)
{
	if (setpriority(PRIO_PROCESS, syscall(SYS_gettid), -10) && env.verbose)
		fprintf(stderr, "mymemtrace: the ring buffer's reader keeps its priority: %s\n",
			strerror(errno));
}

/* Traces until CMD exits, -d, a signal, q, or the module goes away. */
static void trace_loop(struct tracer *t)
{
	uint64_t next_print, deadline;

	if (t->rb)
		raise_reader_priority();
	t->start = now_ns();
	next_print = t->start + env.interval_s * 1000000000ull;
	deadline = env.duration_s ? t->start + env.duration_s * 1000000000ull : UINT64_MAX;
	release_command(t);
	if (t->live_on) {
		read_run(t);
		t->run.duration_ns = 0;
		live_draw(&t->run, 0, true);
	}
	while (!exiting && now_ns() < deadline) {
		enum live_action action = LIVE_NONE;

		if (t->rb) {
			int err = ring_buffer__poll(t->rb, 100);

			if (err < 0 && err != -EINTR) {
				fprintf(stderr, "mymemtrace: ring buffer: %s\n", strerror(-err));
				break;
			}
		} else {
			usleep(100000);
		}
		if (t->child > 0 && waitpid(t->child, &t->status, WNOHANG) == t->child) {
			t->child = 0;
			break;
		}
		if (target_gone(t->rdev, t->watch_module, &t->gone))
			break;
		if (t->live_on)
			action = live_keys();
		if (action == LIVE_QUIT)
			break;
		if (action == LIVE_RESET) {
			if (agg_reset(bpf_map__fd(t->skel->maps.agg_index),
				       bpf_map__fd(t->skel->maps.agg_slots)))
				fprintf(stderr, "mymemtrace: resetting the counters failed\n");
			t->reset_at = now_ns();
			live_reset_rates();
		}
		if (env.interval_s && !env.floor && (now_ns() >= next_print || action != LIVE_NONE)) {
			bool tick = now_ns() >= next_print;

			read_run(t);
			if (t->live_on)
				live_draw(&t->run, t->run.duration_ns / 1e9, tick || action == LIVE_RESET);
			else
				print_report(t->out, &t->run, false);
			if (tick)
				next_print += env.interval_s * 1000000000ull;
		}
	}
	live_stop();
	show_held_output(t->held_out, STDOUT_FILENO);
	show_held_output(t->held_err, STDERR_FILENO);
	if (t->gone)
		fprintf(stderr, "mymemtrace: %s went away %.1f s into the run (unloaded?): stopping; the report and exports cover what was traced until then\n",
			t->gone, (now_ns() - t->start) / 1e9);
	if (t->rb)
		ring_buffer__consume(t->rb);
}

/* The final report and every export, all rendered from one run model. */
static int finish(struct tracer *t)
{
	int ret = t->gone ? MT_EXIT_TARGET_GONE : MT_EXIT_OK;

	if (env.floor) {
		fprintf(stderr, "mymemtrace: --floor: empty programs were attached for %.1f s; nothing was measured\n",
			(now_ns() - t->start) / 1e9);
		return 0;
	}
	/* What was traced is scraped no more: the exports have it all. */
	metrics_server_stop(t->metrics);
	t->metrics = NULL;
	read_run(t);
	if (t->reset_at)
		fprintf(t->out, "\n(the counters were reset %.1f s into the run: this covers the last %.1f s)",
			(t->reset_at - t->start) / 1e9, t->run.duration_ns / 1e9);
	print_report(t->out, &t->run, true);
	if (t->out_file.f && atomic_commit(&t->out_file))
		ret = MT_EXIT_FAILED;
	if (env.json_path && run_write(env.json_path, run_render_json, &t->run))
		ret = MT_EXIT_FAILED;
	if (env.csv_path && run_write(env.csv_path, run_render_csv, &t->run))
		ret = MT_EXIT_FAILED;
	if (env.svg_path && run_write(env.svg_path, svg_render, &t->run))
		ret = MT_EXIT_FAILED;
	if (events_close(&t->writer))
		ret = MT_EXIT_FAILED;
	if (env.events_path)
		fprintf(stderr, "mymemtrace: %llu events written to %s, %llu dropped\n",
			(unsigned long long)t->writer.written, env.events_path,
			(unsigned long long)t->run.events_dropped);
	if (env.trace_path) {
		uint64_t calls = t->chrome.calls, merged = t->chrome.truncated;

		if (chrome_trace_close(&t->chrome, t->run.events_dropped, t->run.kernel))
			ret = MT_EXIT_FAILED;
		else
			fprintf(stderr, "mymemtrace: %llu calls written to %s (open it in ui.perfetto.dev), %llu dropped%s\n",
				(unsigned long long)calls, env.trace_path,
				(unsigned long long)t->run.events_dropped,
				merged ? "; calls with more parts than kept end in one merged part" : "");
	}
	return ret;
}

/* Detaches and frees everything, and reaps CMD. */
static void teardown(struct tracer *t)
{
	live_stop();
	metrics_server_stop(t->metrics);
	ring_buffer__free(t->rb);
	events_abort(&t->writer);	/* a run that failed part way: no half file */
	atomic_abort(&t->chrome.file);
	chrome_trace_free(&t->chrome);
	attach_destroy();
	mymemtrace_bpf__destroy(t->skel);
	run_free(&t->run);
	atomic_abort(&t->out_file);
	if (t->held_out >= 0)
		close(t->held_out);
	if (t->held_err >= 0)
		close(t->held_err);
	if (t->gate >= 0)
		close(t->gate);		/* CMD, still held, exits without running */
	else if (t->child > 0)
		kill(t->child, SIGTERM);	/* stopped by Ctrl-C, SIGTERM, q or -d */
	if (t->child > 0)
		waitpid(t->child, &t->status, 0);
}

/* With -- CMD and nothing gone wrong, CMD's status is ours. */
static int exit_status(const struct tracer *t, int ret)
{
	if (env.cmd && t->child >= 0 && ret == 0) {
		if (WIFEXITED(t->status))
			return WEXITSTATUS(t->status);
		if (WIFSIGNALED(t->status))
			return 128 + WTERMSIG(t->status);
	}
	return ret;
}

int main(int argc, char **argv)
{
	struct tracer t = { .child = -1, .gate = -1, .held_out = -1, .held_err = -1 };
	int ret;

	if (argc > 1 && is_subcommand(argv[1]))
		return run_subcommand(argc - 1, argv + 1);

	/* Parse the command line, and check all it names before loading. */
	env_parse(argc, argv);
	ret = check_before_loading(&t);
	if (ret)
		return ret;
	uname(&t.uts);
	t.ctx.kernel = t.uts.release;
	t.ctx.targets = t.targets;
	t.ctx.part_hists = env.part_hists;
	libbpf_set_print(libbpf_print);
	handle_signals();

	/* Start CMD, held until the probes are attached. */
	if (start_command(&t))
		return 1;

	/* Load and attach: fentry, falling back to kprobes. */
	ret = MT_EXIT_CANNOT_TRACE;
	if (load_and_attach(&t))
		goto cleanup;
	ret = MT_EXIT_FAILED;

	/* Calibrate the mode switch and our own cost per call. */
	calibrate_run(&t);
	if (env.calibrate_only) {
		report_calibration(t.out, &t.ctx.cal, t.targets);
		ret = t.out_file.f && atomic_commit(&t.out_file) ? MT_EXIT_FAILED : 0;
		goto cleanup;
	}

	/* Open what streams while tracing, then trace. */
	if (open_streams(&t))
		goto cleanup;
	trace_loop(&t);

	/* Report and export, from one run model. */
	ret = finish(&t);

cleanup:
	teardown(&t);
	return exit_status(&t, ret);
}
