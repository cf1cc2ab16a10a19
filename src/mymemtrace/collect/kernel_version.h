/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The oldest kernel mymemtrace runs on, and the check made before anything
 * is loaded: an older kernel would refuse the BPF programs with a verifier
 * message that names a helper, not the kernel version a user needs.
 */
#ifndef MYMEMTRACE_COLLECT_KERNEL_VERSION_H
#define MYMEMTRACE_COLLECT_KERNEL_VERSION_H

#include <stdbool.h>

/*
 * 5.15, for bpf_task_pt_regs() (how a handler call outside a syscall tells
 * where it came from). Below it, more goes: BPF atomics that return the
 * old value (5.12), task storage in tracing programs and
 * bpf_get_current_task_btf() (5.11), the BPF ring buffer (5.8), fentry and
 * tp_btf (5.5).
 */
#define MT_MIN_KERNEL_MAJOR	5
#define MT_MIN_KERNEL_MINOR	15
#define MT_MIN_KERNEL_NEEDS \
	"bpf_task_pt_regs (5.15), BPF atomic fetch-and-add (5.12), task storage in tracing programs (5.11), the BPF ring buffer (5.8), fentry/tp_btf (5.5)"

/*
 * Is @release (as uname -r prints it) at least the oldest kernel supported?
 * A release that does not start with MAJOR.MINOR is taken as supported:
 * the load then says what is missing.
 */
bool kernel_release_supported(const char *release);

/* The same for the running kernel; false with a message naming what is missing. */
bool kernel_supported(void);

#endif /* MYMEMTRACE_COLLECT_KERNEL_VERSION_H */
