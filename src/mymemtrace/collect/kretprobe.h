/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kretprobes that do not miss returns. A kretprobe keeps one instance per
 * call in flight, and the kernel's default is max(10, 2 * CPUs): with more
 * threads inside a function at once (50 threads sleeping on mymem's mutex)
 * the returns of the rest are missed, and their calls never end. libbpf
 * (1.1) cannot ask for more, so these are made through tracefs, whose
 * kprobe_events takes "r<MAXACTIVE>:", and run the BPF program through a
 * perf event on that trace event, as libbpf's legacy kprobes do.
 *
 * The events are named mymemtrace_<pid>/<func>; each is removed when its
 * link is, and those of tracers that died without removing theirs are
 * removed by the next one.
 */
#ifndef MYMEMTRACE_COLLECT_KRETPROBE_H
#define MYMEMTRACE_COLLECT_KRETPROBE_H

#include <stdint.h>

#include <bpf/libbpf.h>

/* Instances per kretprobe: more threads in flight than any workload here. */
#define KRETPROBE_MAXACTIVE	1024

struct kretprobe {
	struct bpf_link *link;
	char event[96];		/* group/event in tracefs; "" when not made */
};

/*
 * Attaches @prog (a SEC("kretprobe") program) to @func's returns with
 * KRETPROBE_MAXACTIVE instances. 0, or -1 with errno set (no tracefs, or
 * the kernel refused), and @kp left empty.
 */
int kretprobe_attach(struct kretprobe *kp, struct bpf_program *prog, const char *func);
/* Detaches and removes the event; @kp is empty afterwards. */
void kretprobe_detach(struct kretprobe *kp);
/* The returns @kp's probe missed so far (kprobe_profile). */
uint64_t kretprobe_missed(const struct kretprobe *kp);
/* Removes the events left by tracers that are no longer running. */
void kretprobe_remove_stale(void);

#endif /* MYMEMTRACE_COLLECT_KRETPROBE_H */
