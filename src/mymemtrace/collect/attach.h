/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The attach engine: one table of targets drives which BPF programs load,
 * how each target is attached (fentry, falling back to kprobe function by
 * function), and what the report says is missing.
 */
#ifndef MYMEMTRACE_COLLECT_ATTACH_H
#define MYMEMTRACE_COLLECT_ATTACH_H

#include <stdbool.h>
#include <stdint.h>

#include "mymemtrace.skel.h"
#include "collect/kretprobe.h"
#include "model/targets.h"


struct target {
	const char *func;		/* function or tracepoint name */
	bool in_module;			/* the driver's module, not vmlinux */
	bool is_tracepoint;		/* only @entry, a tp_btf program */
	const char *measures;		/* what is missing without it */
	struct bpf_program *entry, *exit;	/* tp_btf, or fentry and fexit */
	struct bpf_program *kprobe, *kretprobe;	/* a function's fallback */
	struct bpf_link *entry_link, *exit_link;
	struct kretprobe kret;		/* exit_link's tracefs event, if kprobe */
	bool default_maxactive;		/* a kretprobe that can miss returns */
	enum attach_method method;
	char why[160];			/* why it is not attached */
};

/*
 * What the command line decides about attaching (retsnoop's
 * mass_attacher_opts): the driver's module and functions, and how.
 */
struct attach_opts {
	const char *module;
	const char *read_func, *write_func;	/* the module's read/write handlers */
	const char *kread_func, *kwrite_func;	/* its kernel API */
	const char *fault_func;			/* its mmap fault handler */
	const char *copy_to_func, *copy_from_func; /* its copy helpers, if any */
	bool force_kprobes;			/* no fentry, even where it works */
	bool verbose;				/* each target's method on stderr */
};

/*
 * The syscall layer where fentry works (T_SYS_ENTER and T_SYS_EXIT then
 * say fentry): fentry and fexit on the function of each syscall that can
 * reach the device, so that no other syscall pays anything; and the
 * calibration's null call (getcpu), attached only while it runs.
 */
#define NR_SYSCALL_FNS		11
#define SYSCALL_FN_CALIB	(NR_SYSCALL_FNS - 1)

struct syscall_fn {
	char func[32];			/* __x64_sys_read */
	struct bpf_program *entry, *exit;
	struct bpf_link *entry_link, *exit_link;
};

/* The engine: its options, the table of targets, and the BTF it read. */
struct attacher {
	struct attach_opts opts;
	struct target targets[NR_TARGETS];
	struct syscall_fn syscall_fns[NR_SYSCALL_FNS];
	bool syscall_fentry;		/* the syscall layer on syscall_fns, not the raw tracepoints */
	bool calibrated;		/* the null call's probes are no longer wanted */
	struct btf *vmlinux_btf, *module_btf;
	bool warned_maxactive;		/* said once: kretprobes with the default */
};

void attacher_init(struct attacher *a, const struct attach_opts *opts);
/*
 * Fill the table from the options and @skel; decide autoload. Before load.
 * Returns -1 if the kernel has no BTF: nothing, kprobes included, can help.
 */
int attacher_prepare(struct attacher *a, struct mymemtrace_bpf *skel);
/* Attach every target it can. Returns 0, or -1 if nothing useful attached. */
int attacher_attach(struct attacher *a);
/*
 * The calibration is over: its null call's probes come off, so that
 * getcpu() costs other tasks nothing more (on the raw tracepoints the
 * test that turns it away stays).
 */
void attacher_calibration_done(struct attacher *a);
/* Detach every link; the programs stay loaded, so attacher_attach() can run again. */
void attacher_detach(struct attacher *a);
/* Detach, and free what attacher_prepare() took. */
void attacher_free(struct attacher *a);

bool attacher_target_ok(const struct attacher *a, enum target_id id);
/* The attach results as plain data, for the run model (NR_TARGETS entries). */
void attacher_coverage(const struct attacher *a, struct run_target out[NR_TARGETS]);
/* Returns the kretprobes missed so far (0 under fentry: fexit misses none). */
uint64_t attacher_returns_missed(const struct attacher *a);
/* Is the module loaded (built in counts too)? */
bool attacher_module_loaded(const struct attacher *a);
/* Is any function of the driver's module attached (so its unload matters)? */
bool attacher_module_attached(const struct attacher *a);

#endif /* MYMEMTRACE_COLLECT_ATTACH_H */
