// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <linux/types.h>

#include "mymemtrace.h"
#include "collect/load.h"

struct mymemtrace_bpf *load_programs(const struct load_opts *opts, struct attacher *a,
				     bool *hopeless)
{
	struct mymemtrace_bpf *skel = mymemtrace_bpf__open();
	int err;

	*hopeless = false;
	if (!skel) {
		fprintf(stderr, "mymemtrace: cannot open the BPF object: %s\n", strerror(errno));
		return NULL;
	}
	skel->rodata->targ_tgid = opts->tgid;
	skel->rodata->targ_follow = opts->follow;
	skel->rodata->targ_rdev = opts->rdev;
	skel->rodata->targ_events = opts->events;
	skel->rodata->targ_trace = opts->timeline;
	skel->rodata->ringbuf_wakeup_bytes = opts->ringbuf_bytes / 4;
	/* The calibration's calls are made by this thread (collect/calibrate.h). */
	skel->rodata->targ_calib_tid = syscall(SYS_gettid);
	skel->rodata->targ_floor = opts->floor;
	skel->rodata->targ_part_hists = opts->part_hists;
	skel->rodata->targ_tid = opts->tid;
	skel->rodata->targ_filter_cgroup = opts->cgroup_fd >= 0;
	if (opts->comm) {
		skel->rodata->targ_filter_comm = true;
		strncpy((char *)skel->rodata->targ_comm, opts->comm, MT_COMM_LEN - 1);
	}
	/* Without records the ring buffer is never written: keep it small. */
	bpf_map__set_max_entries(skel->maps.events,
				 opts->events || opts->timeline ? opts->ringbuf_bytes : 4096);
	if (attacher_prepare(a, skel)) {
		*hopeless = true;
		goto fail;
	}
	err = mymemtrace_bpf__load(skel);
	if (!err && opts->cgroup_fd >= 0) {
		__u32 zero = 0;

		if (bpf_map_update_elem(bpf_map__fd(skel->maps.cgroup_map), &zero, &opts->cgroup_fd,
					BPF_ANY)) {
			fprintf(stderr, "mymemtrace: --cgroup: the BPF side cannot take it: %s\n",
				strerror(errno));
			goto fail;
		}
	}
	if (!err)
		return skel;
	*hopeless = err == -EPERM;
	if (err == -EPERM)
		fprintf(stderr, "mymemtrace: loading BPF programs was refused (EPERM): needs root, or CAP_BPF and CAP_PERFMON\n");
	else
		fprintf(stderr, "mymemtrace: loading the BPF programs failed: %s (run with -v for the verifier's log)\n",
			strerror(-err));
fail:
	attacher_free(a);
	mymemtrace_bpf__destroy(skel);
	return NULL;
}

void set_min_latency(struct mymemtrace_bpf *skel, uint64_t min_ns, const struct calibration *cal)
{
	uint32_t path;

	if (!min_ns)
		return;
	/* The BPF side compares raw totals: the threshold plus what compensation takes out. */
	for (path = 0; path < MT_NR_PATHS; path++)
		skel->bss->events_min_ns[path] = min_ns + (cal->compensated ? cal->taken_out_ns[path] : 0);
}
