// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "collect/attach.h"

#define verbose(a, ...) do { if ((a)->opts.verbose) fprintf(stderr, __VA_ARGS__); } while (0)

void attacher_init(struct attacher *a, const struct attach_opts *opts)
{
	*a = (struct attacher){ .opts = *opts };
}

bool attacher_target_ok(const struct attacher *a, enum target_id id)
{
	return a->targets[id].method != ATTACH_NONE;
}

bool attacher_module_loaded(const struct attacher *a)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/module/%s", a->opts.module);
	return !access(path, F_OK);
}

bool attacher_module_attached(const struct attacher *a)
{
	int i;

	for (i = 0; i < NR_TARGETS; i++)
		if (a->targets[i].in_module && attacher_target_ok(a, i))
			return true;
	return false;
}

/*
 * Can kprobes be attached, and will they fire? A kernel without them has
 * no kprobe PMU; with them switched off (debugfs kprobes/enabled = 0) they
 * attach but never fire, which would count nothing without a word.
 */
static bool kprobes_usable(char *why, size_t len)
{
	static const char enabled[] = "/sys/kernel/debug/kprobes/enabled";
	char state = '1';
	FILE *f;

	if (access("/sys/bus/event_source/devices/kprobe/type", F_OK) &&
	    access("/sys/kernel/tracing/kprobe_events", F_OK) &&
	    access("/sys/kernel/debug/tracing/kprobe_events", F_OK)) {
		snprintf(why, len, "kprobe: not in this kernel");
		return false;
	}
	f = fopen(enabled, "r");
	if (f) {
		if (fread(&state, 1, 1, f) != 1)
			state = '1';
		fclose(f);
	}
	if (state == '0') {
		snprintf(why, len, "kprobe: switched off (%s is 0)", enabled);
		return false;
	}
	return true;
}

/*
 * Can this kernel load fentry programs at all? (The host kernel here
 * refuses them with EPERM.) A trivial program on @func answers; a single
 * target's attach can still fail later, and falls back on its own.
 */
static bool fentry_supported(const struct attacher *a, const char *func, char *why, size_t len)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FENTRY);
	int id = btf__find_by_name_kind(a->vmlinux_btf, func, BTF_KIND_FUNC);
	int fd;

	if (id < 0) {
		snprintf(why, len, "fentry: %s is not in the kernel's BTF", func);
		return false;
	}
	opts.attach_btf_id = id;
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "mt_fentry_probe", "GPL", insns, 2, &opts);
	if (fd < 0) {
		snprintf(why, len, "fentry: this kernel refuses it (%s)", strerror(errno));
		return false;
	}
	close(fd);
	return true;
}

/* Is @func a symbol of the running kernel or of a loaded module? */
static bool in_kallsyms(const char *func)
{
	char line[512], name[256];
	FILE *f = fopen("/proc/kallsyms", "r");
	bool found = false;

	while (f && !found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%*s %*s %255s", name) == 1 && !strcmp(name, func);
	if (f)
		fclose(f);
	return found;
}

/*
 * The copy a driver does: its own out-of-line helper when it has one
 * (mymem does, because Debian's 6.1 kernel cannot trace _copy_to_user),
 * else the kernel's function.
 */
static const char *copy_func(const struct attacher *a, const char *helper, const char *kernel_func, bool *in_module)
{
	*in_module = (a->module_btf && btf__find_by_name_kind(a->module_btf, helper, BTF_KIND_FUNC) >= 0) ||
		     in_kallsyms(helper);
	return *in_module ? helper : kernel_func;
}

/* Loads, or not, a target's entry and exit programs (tp_btf, fentry/fexit). */
static void load_entry_exit(struct target *target, bool on)
{
	bpf_program__set_autoload(target->entry, on);
	if (target->exit)
		bpf_program__set_autoload(target->exit, on);
}

static void load_kprobes(struct target *target, bool on)
{
	bpf_program__set_autoload(target->kprobe, on);
	bpf_program__set_autoload(target->kretprobe, on);
}

static void prepare_tracepoint(struct attacher *a, enum target_id id, const char *name, const char *measures,
		       struct bpf_program *prog)
{
	struct target *target = &a->targets[id];
	char type[64];

	*target = (struct target){ .func = name, .measures = measures, .is_tracepoint = true,
			      .entry = prog };
	snprintf(type, sizeof(type), "btf_trace_%s", name);
	if (btf__find_by_name_kind(a->vmlinux_btf, type, BTF_KIND_TYPEDEF) < 0) {
		snprintf(target->why, sizeof(target->why), "no tracepoint %s in this kernel", name);
		load_entry_exit(target, false);
	}
}

static void prepare_function(struct attacher *a, enum target_id id, const char *func, bool in_module,
		     const char *measures, struct bpf_program *entry,
		     struct bpf_program *exit, struct bpf_program *kprobe,
		     struct bpf_program *kretprobe, const char *no_kprobe,
		     const char *no_fentry)
{
	struct target *target = &a->targets[id];
	struct btf *btf = in_module ? a->module_btf : a->vmlinux_btf;

	*target = (struct target){
		.func = func, .in_module = in_module, .measures = measures,
		.entry = entry, .exit = exit, .kprobe = kprobe, .kretprobe = kretprobe,
	};
	if (no_fentry) {
		snprintf(target->why, sizeof(target->why), "%s", no_fentry);
		load_entry_exit(target, false);
	} else if (!btf) {
		snprintf(target->why, sizeof(target->why), "fentry: no BTF for module %s", a->opts.module);
		load_entry_exit(target, false);
	} else if (btf__find_by_name_kind(btf, func, BTF_KIND_FUNC) < 0) {
		snprintf(target->why, sizeof(target->why), "fentry: %s is not in the %s BTF", func,
			 in_module ? a->opts.module : "kernel's");
		load_entry_exit(target, false);
	} else {
		bpf_program__set_attach_target(entry, 0, func);
		bpf_program__set_attach_target(exit, 0, func);
	}
	/* Loaded even where fentry should work: its attach can still fail. */
	if (no_kprobe) {
		size_t len = strlen(target->why);

		snprintf(target->why + len, sizeof(target->why) - len, "%s%s", len ? "; " : "", no_kprobe);
		load_kprobes(target, false);
	}
}

/*
 * The syscall layer on fentry, if this kernel has every syscall function
 * in its BTF; the raw tracepoints stay loaded as the fallback either way.
 */
static void prepare_syscall_fns(struct attacher *a, struct mymemtrace_bpf *skel, const char *no_fentry)
{
	static const char *const names[NR_SYSCALL_FNS] = {
		"read", "write", "pread64", "pwrite64", "readv", "writev",
		"preadv", "pwritev", "preadv2", "pwritev2", "getcpu",
	};
	struct bpf_program *entries[NR_SYSCALL_FNS] = {
		skel->progs.enter_read, skel->progs.enter_write, skel->progs.enter_pread64,
		skel->progs.enter_pwrite64, skel->progs.enter_readv, skel->progs.enter_writev,
		skel->progs.enter_preadv, skel->progs.enter_pwritev, skel->progs.enter_preadv2,
		skel->progs.enter_pwritev2, skel->progs.enter_getcpu,
	};
	struct bpf_program *exits[NR_SYSCALL_FNS] = {
		skel->progs.exit_read, skel->progs.exit_write, skel->progs.exit_pread64,
		skel->progs.exit_pwrite64, skel->progs.exit_readv, skel->progs.exit_writev,
		skel->progs.exit_preadv, skel->progs.exit_pwritev, skel->progs.exit_preadv2,
		skel->progs.exit_pwritev2, skel->progs.exit_getcpu,
	};
	int i;

	a->syscall_fentry = !no_fentry;
	if (no_fentry)
		verbose(a, "mymemtrace: the syscall layer on its raw tracepoints (%s)\n", no_fentry);
	for (i = 0; i < NR_SYSCALL_FNS; i++) {
		struct syscall_fn *s = &a->syscall_fns[i];

		snprintf(s->func, sizeof(s->func), "__x64_sys_%s", names[i]);
		s->entry = entries[i];
		s->exit = exits[i];
		if (a->syscall_fentry && btf__find_by_name_kind(a->vmlinux_btf, s->func, BTF_KIND_FUNC) < 0) {
			verbose(a, "mymemtrace: the syscall layer on its raw tracepoints (%s is not in the kernel's BTF)\n",
				s->func);
			a->syscall_fentry = false;
		}
	}
	for (i = 0; i < NR_SYSCALL_FNS; i++) {
		bpf_program__set_autoload(a->syscall_fns[i].entry, a->syscall_fentry);
		bpf_program__set_autoload(a->syscall_fns[i].exit, a->syscall_fentry);
	}
}

int attacher_prepare(struct attacher *a, struct mymemtrace_bpf *skel)
{
	char kprobe_why[128];
	const char *no_kprobe = kprobes_usable(kprobe_why, sizeof(kprobe_why)) ? NULL : kprobe_why;
	char fentry_why[128] = "fentry: off (--force-kprobes)";
	const char *no_fentry = NULL, *copy_to, *copy_from;
	bool copy_to_mod, copy_from_mod;

	a->vmlinux_btf = btf__load_vmlinux_btf();
	if (!a->vmlinux_btf) {
		fprintf(stderr, "mymemtrace: this kernel has no BTF (/sys/kernel/btf/vmlinux: %s): CO-RE needs a kernel built with CONFIG_DEBUG_INFO_BTF=y\n",
			access("/sys/kernel/btf/vmlinux", R_OK) ? strerror(errno) : "unreadable");
		return -1;
	}
	a->module_btf = btf__load_module_btf(a->opts.module, a->vmlinux_btf);
	if (!attacher_module_loaded(a))
		fprintf(stderr, "mymemtrace: module %s is not loaded: its functions are not traced\n",
			a->opts.module);
	else if (!a->module_btf && !a->opts.force_kprobes)
		fprintf(stderr, "mymemtrace: module %s has no BTF (/sys/kernel/btf/%s): its functions are traced with %s\n",
			a->opts.module, a->opts.module, no_kprobe ? "nothing (no kprobes either)" : "kprobes");
	if (no_kprobe && a->opts.force_kprobes)
		fprintf(stderr, "mymemtrace: --force-kprobes: %s; functions stay untraced\n", no_kprobe);

	copy_to = copy_func(a, a->opts.copy_to_func, "_copy_to_user", &copy_to_mod);
	copy_from = copy_func(a, a->opts.copy_from_func, "_copy_from_user", &copy_from_mod);
	if (a->opts.force_kprobes || !fentry_supported(a, "vfs_read", fentry_why, sizeof(fentry_why)))
		no_fentry = fentry_why;

	prepare_syscall_fns(a, skel, no_fentry);
	prepare_tracepoint(a, T_SYS_ENTER, "sys_enter", "the syscall path", skel->progs.sys_enter);
	prepare_tracepoint(a, T_SYS_EXIT, "sys_exit", "the syscall path", skel->progs.sys_exit);
	prepare_tracepoint(a, T_SCHED_SWITCH, "sched_switch", "off-CPU time", skel->progs.sched_switch);
	prepare_tracepoint(a, T_LOCK_BEGIN, "contention_begin", "lock waits", skel->progs.contention_begin);
	prepare_tracepoint(a, T_LOCK_END, "contention_end", "lock waits", skel->progs.contention_end);
	prepare_tracepoint(a, T_FORK, "sched_process_fork", "the processes CMD starts", skel->progs.sched_process_fork);

#define FN(id, func, mod, what, name) \
	prepare_function(a, id, func, mod, what, skel->progs.fentry_##name, skel->progs.fexit_##name, \
		 skel->progs.kprobe_##name, skel->progs.kretprobe_##name, no_kprobe, no_fentry)
	FN(T_READ_FN, a->opts.read_func, true, "dispatch/buffer split of reads", read_fn);
	FN(T_WRITE_FN, a->opts.write_func, true, "dispatch/buffer split of writes", write_fn);
	FN(T_KREAD, a->opts.kread_func, true, "the kernel path's reads", kread);
	FN(T_KWRITE, a->opts.kwrite_func, true, "the kernel path's writes", kwrite);
	FN(T_COPY_TO_USER, copy_to, copy_to_mod, "copy time of reads", copy_to_user);
	FN(T_COPY_FROM_USER, copy_from, copy_from_mod, "copy time of writes", copy_from_user);
	FN(T_FAULT, "handle_mm_fault", false, "the mmap path", fault);
	FN(T_VM_FAULT, a->opts.fault_func, true, "buffer time of mmap faults", vm_fault);
#undef FN
	return 0;
}

static bool attach_fentry(struct target *target)
{
	if (!bpf_program__autoload(target->entry))
		return false;
	target->entry_link = bpf_program__attach(target->entry);
	target->exit_link = target->entry_link ? bpf_program__attach(target->exit) : NULL;
	if (target->entry_link && target->exit_link)
		return true;
	snprintf(target->why, sizeof(target->why), "fentry: %s", strerror(errno));
	bpf_link__destroy(target->entry_link);
	target->entry_link = NULL;
	return false;
}

/*
 * The return probe: with KRETPROBE_MAXACTIVE instances through tracefs,
 * else libbpf's, with the kernel's default (said once, with the reason).
 */
static struct bpf_link *attach_return(struct attacher *a, struct target *target)
{

	if (!kretprobe_attach(&target->kret, target->kretprobe, target->func))
		return target->kret.link;
	if (!a->warned_maxactive)
		fprintf(stderr, "mymemtrace: kretprobes with %d instances need tracefs (%s): with the kernel's default, returns beyond about ten threads in a function at once are missed, and not counted\n",
			KRETPROBE_MAXACTIVE, strerror(errno));
	a->warned_maxactive = true;
	target->default_maxactive = true;
	return bpf_program__attach_kprobe(target->kretprobe, true, target->func);
}

static bool attach_kprobe(struct attacher *a, struct target *target)
{
	size_t len = strlen(target->why);

	if (!bpf_program__autoload(target->kprobe))
		return false;
	target->entry_link = bpf_program__attach_kprobe(target->kprobe, false, target->func);
	target->exit_link = target->entry_link ? attach_return(a, target) : NULL;
	if (target->entry_link && target->exit_link)
		return true;
	snprintf(target->why + len, sizeof(target->why) - len, "%skprobe: %s", len ? "; " : "",
		 strerror(errno));
	bpf_link__destroy(target->entry_link);
	target->entry_link = NULL;
	return false;
}

uint64_t attacher_returns_missed(const struct attacher *a)
{
	uint64_t missed = 0;
	int i;

	for (i = 0; i < NR_TARGETS; i++)
		if (a->targets[i].method == ATTACH_KPROBE)
			missed += kretprobe_missed(&a->targets[i].kret);
	return missed;
}

static void detach_syscall_fn(struct syscall_fn *s)
{
	bpf_link__destroy(s->entry_link);
	bpf_link__destroy(s->exit_link);
	s->entry_link = s->exit_link = NULL;
}

/* fentry and fexit on every syscall function, or on none (errno set). */
static bool attach_syscall_fns(struct attacher *a)
{
	int i, n = a->calibrated ? SYSCALL_FN_CALIB : NR_SYSCALL_FNS;

	for (i = 0; i < n; i++) {
		struct syscall_fn *s = &a->syscall_fns[i];

		s->entry_link = bpf_program__attach(s->entry);
		s->exit_link = s->entry_link ? bpf_program__attach(s->exit) : NULL;
		if (!s->exit_link) {
			int err = errno;

			verbose(a, "mymemtrace: fentry on %s: %s; the syscall layer on its raw tracepoints\n",
				s->func, strerror(err));
			while (i >= 0)
				detach_syscall_fn(&a->syscall_fns[i--]);
			errno = err;
			return false;
		}
	}
	return true;
}

void attacher_calibration_done(struct attacher *a)
{
	a->calibrated = true;
	detach_syscall_fn(&a->syscall_fns[SYSCALL_FN_CALIB]);
}

int attacher_attach(struct attacher *a)
{
	bool syscalls_on_fentry;
	int i;

	kretprobe_remove_stale();
	syscalls_on_fentry = a->syscall_fentry && attach_syscall_fns(a);
	for (i = 0; i < NR_TARGETS; i++) {
		struct target *target = &a->targets[i];

		if (syscalls_on_fentry && (i == T_SYS_ENTER || i == T_SYS_EXIT)) {
			target->method = ATTACH_FENTRY;
			verbose(a, "mymemtrace: %-20s fentry (%s ... %s)\n", target->func,
				a->syscall_fns[0].func, a->syscall_fns[NR_SYSCALL_FNS - 1].func);
			continue;
		}
		if (target->is_tracepoint) {
			if (!bpf_program__autoload(target->entry))
				continue;
			target->entry_link = bpf_program__attach(target->entry);
			if (target->entry_link)
				target->method = ATTACH_TRACEPOINT;
			else
				snprintf(target->why, sizeof(target->why), "%s", strerror(errno));
		} else if (attach_fentry(target)) {
			target->method = ATTACH_FENTRY;
			target->why[0] = '\0';
		} else if (attach_kprobe(a, target)) {
			target->method = ATTACH_KPROBE;
		}
		if (target->method != ATTACH_NONE)
			verbose(a, "mymemtrace: %-20s %s\n", target->func, attach_method_name(target->method));
		else
			verbose(a, "mymemtrace: %-20s unavailable (%s); missing: %s\n", target->func, target->why, target->measures);
	}
	if ((attacher_target_ok(a, T_SYS_ENTER) && attacher_target_ok(a, T_SYS_EXIT)) ||
	    attacher_target_ok(a, T_KREAD) || attacher_target_ok(a, T_KWRITE))
		return 0;
	fprintf(stderr, "mymemtrace: neither the syscall layer nor the kernel API could be attached: nothing to trace\n");
	return -1;
}

void attacher_detach(struct attacher *a)
{
	int i;

	for (i = 0; i < NR_SYSCALL_FNS; i++)
		detach_syscall_fn(&a->syscall_fns[i]);
	for (i = 0; i < NR_TARGETS; i++) {
		bpf_link__destroy(a->targets[i].entry_link);
		if (a->targets[i].kret.link)
			kretprobe_detach(&a->targets[i].kret);
		else
			bpf_link__destroy(a->targets[i].exit_link);
		a->targets[i].entry_link = a->targets[i].exit_link = NULL;
		a->targets[i].method = ATTACH_NONE;
	}
}

void attacher_free(struct attacher *a)
{
	attacher_detach(a);
	btf__free(a->module_btf);
	btf__free(a->vmlinux_btf);
	a->module_btf = a->vmlinux_btf = NULL;
}

/* The attach results as plain data: the run model's coverage. */
void attacher_coverage(const struct attacher *a, struct run_target out[NR_TARGETS])
{
	int i;

	for (i = 0; i < NR_TARGETS; i++) {
		const struct target *target = &a->targets[i];

		snprintf(out[i].func, sizeof(out[i].func), "%s", target->func ? target->func : "?");
		out[i].method = target->method;
		snprintf(out[i].why, sizeof(out[i].why), "%s", target->why[0] ? target->why : "?");
		snprintf(out[i].measures, sizeof(out[i].measures), "%s",
			 target->measures ? target->measures : "?");
	}
}
