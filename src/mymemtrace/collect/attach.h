/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The attach engine: one table of targets drives which BPF programs load,
 * how each target is attached (fentry, falling back to kprobe function by
 * function), and what the report says is missing.
 */
#ifndef MYMEMTRACE_ATTACH_H
#define MYMEMTRACE_ATTACH_H

#include <stdbool.h>

#include "collect/kretprobe.h"
#include "mymemtrace.skel.h"
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

extern struct target targets[NR_TARGETS];

/*
 * Fill the table from env and @skel; decide autoload. Before load.
 * Returns -1 if the kernel has no BTF: nothing, kprobes included, can help.
 */
int attach_prepare(struct mymemtrace_bpf *skel);
/* Attach every target it can. Returns 0, or -1 if nothing useful attached. */
int attach_all(void);
/* Detach every link; the programs stay loaded, so attach_all() can run again. */
void attach_detach(void);
/* Detach, and free what attach_prepare() took. */
void attach_destroy(void);

bool target_ok(enum target_id id);
/* Returns the kretprobes missed so far (0 under fentry: fexit misses none). */
uint64_t attach_returns_missed(void);
/* Is env.module loaded (built in counts too)? */
bool module_loaded(void);
/* Is any function of the driver's module attached (so its unload matters)? */
bool module_attached(void);

#endif /* MYMEMTRACE_ATTACH_H */
