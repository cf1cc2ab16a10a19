/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the tracer attaches to, as plain data: the targets and how each was
 * attached. The attach engine (collect/attach.h) hands out a table of
 * these (attacher_coverage); a run (model/run.h) keeps it as its coverage,
 * so no renderer reads the attach engine's state.
 */
#ifndef MYMEMTRACE_MODEL_TARGETS_H
#define MYMEMTRACE_MODEL_TARGETS_H

enum attach_method { ATTACH_NONE, ATTACH_FENTRY, ATTACH_KPROBE, ATTACH_TRACEPOINT };
#define NR_ATTACH_METHODS (ATTACH_TRACEPOINT + 1)

enum target_id {
	/* tracepoints */
	T_SYS_ENTER, T_SYS_EXIT, T_SCHED_SWITCH, T_LOCK_BEGIN, T_LOCK_END, T_FORK,
	/* functions */
	T_READ_FN, T_WRITE_FN, T_KREAD, T_KWRITE, T_COPY_TO_USER,
	T_COPY_FROM_USER, T_FAULT, T_VM_FAULT,
	NR_TARGETS,
};

/* One attach target, as a run saw it: its coverage. */
struct run_target {
	char func[64];			/* function or tracepoint */
	enum attach_method method;	/* ATTACH_NONE: not attached */
	char why[160];			/* why not */
	char measures[96];		/* what is missing without it */
};

/* "fentry", "kprobe", "tracepoint" or "unavailable" (ATTACH_NONE). */
const char *attach_method_name(enum attach_method m);
/* The method of that name, or -1. */
int attach_method_parse(const char *name);

#endif /* MYMEMTRACE_MODEL_TARGETS_H */
