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

#include "aggregate.h"
#include "attach.h"
#include "calibrate.h"
#include "clock.h"
#include "env.h"
#include "events.h"
#include "mymemtrace.skel.h"
#include "live.h"
#include "report.h"
#include "subcommands.h"
#include "svg.h"

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
			fprintf(stderr, "mymemtrace: /dev/mymem does not exist: mymem is not loaded (run `sudo insmod kmod/mymem.ko`), or trace another device with --dev\n");
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

static bool command_exists(const char *cmd)
{
	char buf[4096];
	const char *path = getenv("PATH");
	const char *p, *end;

	if (strchr(cmd, '/'))
		return !access(cmd, X_OK);
	for (p = path ? path : "/usr/bin:/bin"; p; p = end ? end + 1 : NULL) {
		end = strchr(p, ':');
		snprintf(buf, sizeof(buf), "%.*s/%s", end ? (int)(end - p) : (int)strlen(p), p, cmd);
		if (!access(buf, X_OK))
			return true;
	}
	return false;
}

/*
 * Forks CMD, held until release_command() so that it is traced from its
 * first call. Returns the child's pid; @gate is the pipe that holds it.
 */
static pid_t spawn_command(char **cmd, int *gate, int output_fd)
{
	int fds[2];
	pid_t pid;
	char c;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(fds[1]);
		/* EOF without a byte: the tracer gave up, so do not run. */
		if (read(fds[0], &c, 1) != 1)
			_exit(127);
		close(fds[0]);
		signal(SIGPIPE, SIG_DFL);	/* ignored here; CMD gets the default */
		if (output_fd >= 0) {
			dup2(output_fd, STDOUT_FILENO);
			dup2(output_fd, STDERR_FILENO);
			close(output_fd);
		}
		execvp(cmd[0], cmd);
		fprintf(stderr, "mymemtrace: cannot run %s: %s\n", cmd[0], strerror(errno));
		_exit(127);
	}
	close(fds[0]);
	*gate = fds[1];
	return pid;
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
	skel->rodata->ringbuf_wakeup_bytes = env.ringbuf_bytes / 4;
	skel->rodata->targ_calib_tid = syscall(SYS_gettid);
	skel->rodata->targ_floor = env.floor;
	if (env.comm) {
		skel->rodata->targ_filter_comm = true;
		strncpy((char *)skel->rodata->targ_comm, env.comm, MT_COMM_LEN - 1);
	}
	/* Without --events the ring buffer is never written: keep it small. */
	bpf_map__set_max_entries(skel->maps.events,
				 env.events_path ? env.ringbuf_bytes : 4096);
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

/* Reads the maps into @rows and @view; the counters into @run. */
static void read_run(struct mymemtrace_bpf *skel, struct rows *rows, struct run_info *run,
		     struct run *view)
{
	int counters = bpf_map__fd(skel->maps.counters);

	if (rows_read(bpf_map__fd(skel->maps.agg_index), bpf_map__fd(skel->maps.agg_slots), rows))
		fprintf(stderr, "mymemtrace: reading the aggregates failed\n");
	run->events_dropped = counter_read(counters, MT_CNT_EVENTS_DROPPED);
	run->agg_failed = counter_read(counters, MT_CNT_AGG_FAILED);
	run->calls_lost = counter_read(counters, MT_CNT_STATE_LOST);
	if (view_from_rows(rows, run, view))
		fprintf(stderr, "mymemtrace: out of memory\n");
}

static void print_report(const struct run *view, bool final)
{
	if (env.hist)
		report_hists(stdout, view);
	report_table(stdout, view);
	if (final)
		report_compare(stdout, view);
	fflush(stdout);
}

/* CMD's output, held while the live view has the screen, then shown. */
static int hold_output(void)
{
	char path[] = "/tmp/mymemtrace-cmd-XXXXXX";
	int fd = mkstemp(path);

	if (fd >= 0)
		unlink(path);
	return fd;
}

static void show_held_output(int fd)
{
	char buf[65536];
	ssize_t n;

	if (fd < 0 || lseek(fd, 0, SEEK_SET))
		return;
	fflush(stdout);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(STDOUT_FILENO, buf, n) != n)
			break;
}

int main(int argc, char **argv)
{
	static struct rows rows;
	struct mymemtrace_bpf *skel = NULL;
	struct events_writer writer = {};
	struct ring_buffer *rb = NULL;
	struct run view = {};
	struct run_info run = {};
	struct utsname uts;
	uint64_t start, next_print, deadline, untraced_ns = 0, reset_at = 0;
	pid_t child = -1;
	int gate = -1, status = 0, ret = 1, held = -1;
	bool live_on = false, watch_module = false;
	const char *gone = NULL;
	uint32_t rdev;

	if (argc > 1 && is_subcommand(argv[1]))
		return run_subcommand(argc - 1, argv + 1);
	env_parse(argc, argv);
	/* Everything the command line can get wrong, before anything is loaded. */
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
	if (!has_bpf_capabilities())
		return MT_EXIT_CANNOT_TRACE;
	if (device_rdev(env.dev, &rdev))
		return MT_EXIT_CANNOT_TRACE;
	uname(&uts);
	run.kernel = uts.release;
	libbpf_set_print(libbpf_print);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	/* A closed stdout must not kill us before the exports are written. */
	signal(SIGPIPE, SIG_IGN);

	/* The live view only ever takes a terminal; pipes get plain blocks. */
	live_on = env.hist && env.interval_s && !env.no_live && !env.floor && live_possible();
	if (live_on && env.cmd)
		held = hold_output();
	if (env.cmd) {
		child = spawn_command(env.cmd, &gate, held);
		if (child < 0) {
			fprintf(stderr, "mymemtrace: cannot start %s: %s\n", env.cmd[0], strerror(errno));
			return 1;
		}
	}
	ret = MT_EXIT_CANNOT_TRACE;
	skel = open_and_load(env.cmd ? child : env.pid, rdev);
	if (!skel && !env.force_kprobes && !load_hopeless) {
		/* e.g. a --read-func whose arguments differ from mymem's */
		fprintf(stderr, "mymemtrace: retrying with kprobes instead of fentry\n");
		env.force_kprobes = true;
		skel = open_and_load(env.cmd ? child : env.pid, rdev);
	}
	if (!skel)
		goto cleanup;
	untraced_ns = env.floor ? 0 : time_device_reads(env.dev);
	if (attach_all())
		goto cleanup;
	ret = MT_EXIT_FAILED;
	watch_module = module_attached();
	/* Where the module function is traced, it tells the device apart. */
	skel->bss->lazy_ops = (target_ok(T_READ_FN) ? 1u << MT_OP_READ : 0) |
			      (target_ok(T_WRITE_FN) ? 1u << MT_OP_WRITE : 0);
	if (child > 0) {
		__u8 one = 1;
		__u32 key = child;

		if (bpf_map_update_elem(bpf_map__fd(skel->maps.traced_tgids), &key, &one, BPF_ANY)) {
			fprintf(stderr, "mymemtrace: cannot follow %s: %s\n", env.cmd[0], strerror(errno));
			goto cleanup;
		}
	}
	if (!env.floor) {
		calibrate(bpf_map__fd(skel->maps.counters), &run.cal);
		if (!run.cal.valid)
			fprintf(stderr, "mymemtrace: mode-switch calibration failed (%llu of %d calls seen): mode_switch is not reported\n",
				(unsigned long long)run.cal.calls, CALIBRATION_CALLS);
		calibrate_self(untraced_ns, time_device_reads(env.dev), &run.cal);
		run.cal.self_calls = self_call_count(bpf_map__fd(skel->maps.agg_index),
						     bpf_map__fd(skel->maps.agg_slots));
		if (run.cal.self_calls != SELF_CALIBRATION_CALLS)
			run.cal.self_valid = false;
		if (!run.cal.self_valid)
			fprintf(stderr, "mymemtrace: could not measure its own cost per call (%llu of %d calls seen)\n",
				(unsigned long long)run.cal.self_calls, SELF_CALIBRATION_CALLS);
	}
	if (env.calibrate_only) {
		report_calibration(stdout, &run.cal);
		ret = 0;
		goto cleanup;
	}

	if (env.events_path) {
		if (events_open(&writer, env.events_path))
			goto cleanup;
		rb = ring_buffer__new(bpf_map__fd(skel->maps.events), events_handle, &writer, NULL);
		if (!rb) {
			fprintf(stderr, "mymemtrace: cannot read the ring buffer: %s\n", strerror(errno));
			goto cleanup;
		}
	}
	if (live_on && live_start(env.cmd ? env.cmd[0] : env.dev)) {
		fprintf(stderr, "mymemtrace: cannot use this terminal for the live view: printing blocks\n");
		live_on = false;
	}

	start = now_ns();
	next_print = start + env.interval_s * 1000000000ull;
	deadline = env.duration_s ? start + env.duration_s * 1000000000ull : UINT64_MAX;
	if (child > 0) {
		if (write(gate, "g", 1) != 1)
			fprintf(stderr, "mymemtrace: cannot release %s\n", env.cmd[0]);
		close(gate);
		gate = -1;
	} else if (!live_on) {
		fprintf(stderr, "Tracing %s... Hit Ctrl-C to end.\n", env.dev);
	}
	if (live_on) {
		run.duration_ns = 0;
		read_run(skel, &rows, &run, &view);
		live_draw(&view, 0, true);
	}

	while (!exiting && now_ns() < deadline) {
		enum live_action action = LIVE_NONE;

		if (rb) {
			int err = ring_buffer__poll(rb, 100);

			if (err < 0 && err != -EINTR) {
				fprintf(stderr, "mymemtrace: ring buffer: %s\n", strerror(-err));
				break;
			}
		} else {
			usleep(100000);
		}
		if (child > 0 && waitpid(child, &status, WNOHANG) == child) {
			child = 0;
			break;
		}
		if (target_gone(rdev, watch_module, &gone))
			break;
		if (live_on)
			action = live_keys();
		if (action == LIVE_QUIT)
			break;
		if (action == LIVE_RESET) {
			if (rows_reset(bpf_map__fd(skel->maps.agg_index), bpf_map__fd(skel->maps.agg_slots)))
				fprintf(stderr, "mymemtrace: resetting the counters failed\n");
			reset_at = now_ns();
			live_reset_rates();
		}
		if (env.interval_s && !env.floor && (now_ns() >= next_print || action != LIVE_NONE)) {
			bool tick = now_ns() >= next_print;

			run.duration_ns = now_ns() - (reset_at ? reset_at : start);
			read_run(skel, &rows, &run, &view);
			if (live_on)
				live_draw(&view, run.duration_ns / 1e9, tick || action == LIVE_RESET);
			else
				print_report(&view, false);
			if (tick)
				next_print += env.interval_s * 1000000000ull;
		}
	}
	live_stop();
	show_held_output(held);
	if (gone)
		fprintf(stderr, "mymemtrace: %s went away %.1f s into the run (unloaded?): stopping; the report and exports cover what was traced until then\n",
			gone, (now_ns() - start) / 1e9);
	if (rb)
		ring_buffer__consume(rb);
	run.duration_ns = now_ns() - (reset_at ? reset_at : start);
	run.events_written = writer.written;
	if (env.floor) {
		fprintf(stderr, "mymemtrace: --floor: empty programs were attached for %.1f s; nothing was measured\n",
			run.duration_ns / 1e9);
		ret = 0;
		goto cleanup;
	}
	read_run(skel, &rows, &run, &view);
	if (reset_at)
		fprintf(stdout, "\n(the counters were reset %.1f s into the run: this covers the last %.1f s)",
			(reset_at - start) / 1e9, run.duration_ns / 1e9);
	print_report(&view, true);
	ret = gone ? MT_EXIT_TARGET_GONE : MT_EXIT_OK;
	if (env.json_path && export_json(env.json_path, &rows, &run))
		ret = MT_EXIT_FAILED;
	if (env.csv_path && export_csv(env.csv_path, &rows, &run))
		ret = MT_EXIT_FAILED;
	if (env.svg_path && svg_write(env.svg_path, &view))
		ret = MT_EXIT_FAILED;
	if (events_close(&writer))
		ret = MT_EXIT_FAILED;
	if (env.events_path)
		fprintf(stderr, "mymemtrace: %llu events written to %s, %llu dropped\n",
			(unsigned long long)writer.written, env.events_path,
			(unsigned long long)run.events_dropped);

cleanup:
	live_stop();
	ring_buffer__free(rb);
	atomic_abort(&writer.file);	/* a run that failed part way: no half file */
	attach_destroy();
	mymemtrace_bpf__destroy(skel);
	run_free(&view);
	if (held >= 0)
		close(held);
	if (gate >= 0)
		close(gate);	/* CMD, still held, exits without running */
	else if (child > 0)
		kill(child, SIGTERM);	/* stopped by Ctrl-C, SIGTERM, q or -d */
	if (child > 0)
		waitpid(child, &status, 0);
	if (env.cmd && child >= 0 && ret == 0) {
		if (WIFEXITED(status))
			return WEXITSTATUS(status);
		if (WIFSIGNALED(status))
			return 128 + WTERMSIG(status);
	}
	return ret;
}
