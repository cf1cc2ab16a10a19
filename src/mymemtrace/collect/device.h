/* SPDX-License-Identifier: GPL-2.0 */
/* What tracing needs from the machine: the rights, and the device traced. */
#ifndef MYMEMTRACE_COLLECT_DEVICE_H
#define MYMEMTRACE_COLLECT_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

/* CAP_SYS_ADMIN, or CAP_BPF and CAP_PERFMON; else says which are missing. */
bool has_bpf_capabilities(void);

/*
 * The character device @path's number as the kernel encodes dev_t (MKDEV:
 * 12 + 20 bits), which the BPF side compares. 0, or -1 with a message.
 */
int device_rdev(const char *path, uint32_t *rdev);

/*
 * Is the device at @path gone, or another one now (a new device may have
 * another number)? kprobes do not hold the module: it can go away under us.
 */
bool device_gone(const char *path, uint32_t rdev);

#endif /* MYMEMTRACE_COLLECT_DEVICE_H */
