/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BPF programs opened, their knobs set (rodata, between open and
 * load, as libbpf-bootstrap's loaders do), the attach table prepared and
 * the programs loaded.
 */
#ifndef MYMEMTRACE_COLLECT_LOAD_H
#define MYMEMTRACE_COLLECT_LOAD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "mymemtrace.skel.h"
#include "collect/attach.h"
#include "model/calibration.h"

/* What the BPF side is told before it loads. */
struct load_opts {
	pid_t tgid;			/* -p, or CMD; 0: every process */
	bool follow;			/* CMD's children too */
	uint32_t rdev;			/* the device traced (collect/device.h) */
	pid_t tid;			/* 0: every thread */
	const char *comm;		/* NULL: every name */
	int cgroup_fd;			/* -1: every cgroup (collect/cgroup.h) */
	bool events;			/* one ring buffer record per call */
	bool timeline;			/* records carry the parts in order (--trace) */
	uint64_t ringbuf_bytes;
	bool floor;			/* empty programs: the overhead floor */
	bool part_hists;		/* each part's histogram too */
};

/*
 * The programs loaded, the table in @a prepared. NULL on failure, with a
 * message; *@hopeless then says whether kprobes could not help either (no
 * BTF, no rights), so that retrying without fentry is pointless.
 */
struct mymemtrace_bpf *load_programs(const struct load_opts *opts, struct attacher *a,
				     bool *hopeless);

/*
 * --min-latency, once calibrated: records only for calls whose compensated
 * total reaches @min_ns (0: every call). Before the run starts.
 */
void set_min_latency(struct mymemtrace_bpf *skel, uint64_t min_ns, const struct calibration *cal);

#endif /* MYMEMTRACE_COLLECT_LOAD_H */
