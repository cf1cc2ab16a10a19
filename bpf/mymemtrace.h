/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one header shared by mymemtrace's BPF programs and its loader:
 * constants, map keys and values, and the ring buffer record.
 */
#ifndef MYMEMTRACE_H
#define MYMEMTRACE_H

/* Where a traced call came from. */
enum mt_path {
	MT_PATH_SYSCALL,	/* read()/write() on the device */
	MT_PATH_KERNEL,		/* mymem's exported kernel API */
	MT_PATH_MMAP,		/* a page fault on a mapping of the device */
	MT_NR_PATHS,
	/*
	 * The tracer's own calls while it measures its cost, aggregated apart
	 * under MT_SELF_PATH(path) and never reported as rows.
	 */
	MT_PATH_SELF = MT_NR_PATHS,
};

#define MT_SELF_PATH(path)	(MT_PATH_SELF + (path))

enum mt_op {
	MT_OP_READ,
	MT_OP_WRITE,
	MT_OP_FAULT,
	MT_NR_OPS,
};

/*
 * The parts of a call. Exactly one is running at any time during a call;
 * every probe closes it and opens the next, so the parts add up to the
 * total by construction.
 */
enum mt_part {
	MT_PART_DISPATCH,	/* syscall, VFS or fault layers outside the module */
	MT_PART_BUFFER,		/* in the module, none of the others */
	MT_PART_LOCK,		/* waiting on a contended lock */
	MT_PART_COPY,		/* copy_to_user / copy_from_user */
	MT_PART_OFFCPU,		/* switched out */
	MT_NR_PARTS,
};

/*
 * Log2 histograms of ns: slot i counts values in [2^i, 2^(i+1)), slot 0
 * also 0; the last slot also everything above 2^32 ns (4.3 s). A power of
 * two, so that a mask bounds the index for the verifier.
 */
#define MT_HIST_SLOTS		32

/*
 * The total's histogram is finer, for percentiles: slots 0..7 hold the
 * values 0..7; above, each power of two 2^l (3 <= l <= 32) is cut into 4,
 * slot 4*(l-1) + q holding [(4+q) << (l-2), (5+q) << (l-2)). The last slot
 * also holds everything from 2^33 ns (8.6 s) up.
 */
#define MT_FINE_SUB		4
#define MT_TOTAL_SLOTS		(MT_HIST_SLOTS * MT_FINE_SUB)

/*
 * Sizes are keyed exactly for the first MT_MAX_EXACT_KEYS distinct
 * (path, op, size) keys; later ones share the key of their log2 class,
 * marked by MT_SIZE_CLASS in size_class (size then holds the class's
 * lower bound).
 *
 * Each key owns one slot of a per-CPU array of aggregates; the agg_index
 * hash maps keys to slots. A call finds its slot through a per-CPU cache
 * of the last key, so a run of same-sized calls never hashes.
 */
#define MT_MAX_EXACT_KEYS	256
#define MT_SIZE_CLASS		1
#define MT_MAX_AGG_SLOTS	1024	/* exact keys + every class key + slack */

struct mt_key {
	__u32 path;		/* enum mt_path */
	__u32 op;		/* enum mt_op */
	__u64 size;		/* requested bytes; a page for faults */
	__u32 size_class;	/* 0: exact size; MT_SIZE_CLASS: log2 class */
	__u32 via;		/* syscall path: how the call came in, below */
	__u32 result;		/* how the calls ended, below: 0 for the ones that did all they were asked */
	__u32 pad;
};

/*
 * How a call ended (mt_key.result), so that failed and short calls are
 * counted apart and never mixed into the latency of the ones that did all
 * they were asked: MT_RESULT_OK; a read or write that failed, its errno;
 * one that moved fewer bytes than asked, MT_RESULT_SHORT; a fault that
 * failed, MT_RESULT_VM_FAULT | its VM_FAULT_* error bits.
 */
#define MT_RESULT_OK		0
#define MT_RESULT_ERRNO_MAX	4095
#define MT_RESULT_SHORT		0xffff
#define MT_RESULT_VM_FAULT	0x10000
/* The error bits of a vm_fault_t (VM_FAULT_ERROR): OOM, SIGBUS, SIGSEGV, HWPOISON, HWPOISON_LARGE, FALLBACK. */
#define MT_VM_FAULT_ERROR	0x0873

/*
 * How a syscall-path call came in (mt_key.via): MT_VIA_PLAIN for read,
 * write, pread64 and pwrite64; a vectored syscall's number (readv, preadv,
 * preadv2 and the writes), its size the sum of its segments; or
 * MT_VIA_OUTSIDE | the syscall the thread was in (io_uring_enter, say),
 * for calls of the module's read or write handler outside every syscall
 * followed: each such call is a call of its own, handler entry to exit.
 * MT_VIA_NO_SYSCALL: a kernel thread's; MT_VIA_IO_WORKER: an io_uring
 * worker's.
 */
#define MT_VIA_PLAIN		0
#define MT_VIA_OUTSIDE		0x10000
#define MT_VIA_NO_SYSCALL	0xffff
#define MT_VIA_IO_WORKER	0xfffe

struct mt_agg {
	__u64 count;
	__u64 total_ns;
	__u64 min_ns;		/* per CPU; 0 until the first call */
	__u64 max_ns;
	__u64 part_ns[MT_NR_PARTS];
	__u64 part_calls[MT_NR_PARTS];	/* calls that spent time in the part */
	__u64 offcpu_switches;
	/* Entries of the module's handler by vectored calls (several each); 0 for other keys, one per call. */
	__u64 fn_calls;
	__u64 total_hist[MT_TOTAL_SLOTS];	/* fine, see above */
	/*
	 * With --part-hists only (about a hundred instructions per call),
	 * and only calls that spent time in the part: see fill_zero_slots().
	 */
	__u64 part_hist[MT_NR_PARTS][MT_HIST_SLOTS];
};

/*
 * --trace: the parts of one call in the order they ran, each as the part
 * and when it ended, in ns from the call's start. Past MT_TIMELINE_LEN parts
 * the rest is only counted in more: the ring buffer record says how much
 * time each part had in all (part_ns), so what was not kept is known.
 */
#define MT_TIMELINE_LEN		16

struct mt_timeline {
	__u64 end_ns[MT_TIMELINE_LEN];
	__u8 part[MT_TIMELINE_LEN];	/* enum mt_part */
	__u32 n;		/* parts kept */
	__u32 more;		/* changes of part past the last kept one */
};

/*
 * One record per call on the ring buffer (--events, --trace). Without
 * --trace it ends at timeline: the loader and the reader both use
 * MT_EVENT_BASE_SIZE then.
 */
struct mt_event {
	__u64 start_ns;		/* CLOCK_MONOTONIC (bpf_ktime_get_ns) */
	__u64 total_ns;
	__u64 part_ns[MT_NR_PARTS];
	__u64 size;
	__s64 ret;		/* the call's return value */
	__u32 pid;		/* thread id */
	__u32 tgid;
	__u32 path;
	__u32 op;
	__u32 offcpu_switches;
	__u32 via;		/* as in mt_key */
	__u32 fn_calls;		/* as in mt_agg */
	__u32 pad;
	/* --trace only: */
	struct mt_timeline timeline;
	char comm[16];		/* the thread's name */
};

#define MT_EVENT_BASE_SIZE	offsetof(struct mt_event, timeline)

/* Indexes of the per-CPU counters map. */
enum mt_counter {
	MT_CNT_EVENTS_DROPPED,	/* ring buffer reserve failures */
	MT_CNT_AGG_FAILED,	/* no aggregate slot (should stay 0) */
	MT_CNT_STATE_LOST,	/* a switched-out call could not be kept */
	/*
	 * A call seen starting that could not be followed to its end: the
	 * module's handler or kernel API entered while another call held the
	 * thread's state, or a call replaced before it ended (a fault whose
	 * retry never came). Should stay 0; never lost without being counted.
	 */
	MT_CNT_CALLS_ABANDONED,
	/* Calls left out of the records as faster than --min-latency. */
	MT_CNT_EVENTS_BELOW_MIN,
	MT_NR_COUNTERS,
};

/*
 * A tracer's own calls on the device (its start-up cost measurement) are
 * made on a file opened with both of these flags (O_NOATIME | O_SYNC, as
 * x86_64 numbers them: neither changes what a read of a character device
 * does), so that every tracer running at the time, not only the one
 * calibrating, can tell them from the workload's and leave them out.
 */
#define MT_CALIB_OPEN_FLAGS	(01000000 | 04010000)

/*
 * ... and its calls of the kernel API (MYMEM_IOC_TIME_KERNEL_READ) ask for
 * this many bytes at the end of the buffer: they read nothing, and every
 * tracer leaves kernel-path calls of this length out.
 */
#define MT_CALIB_KERNEL_LEN	0x6d796d656d63616cULL	/* "mymemcal" */

/* x86_64 syscall numbers of the calls the syscall path follows. */
#define MT_NR_READ		0
#define MT_NR_WRITE		1
#define MT_NR_PREAD64		17
#define MT_NR_PWRITE64		18
#define MT_NR_READV		19
#define MT_NR_WRITEV		20
#define MT_NR_PREADV		295
#define MT_NR_PWRITEV		296
#define MT_NR_PREADV2		327
#define MT_NR_PWRITEV2		328
#define MT_NR_IO_URING_ENTER	426
/*
 * Calibration: a null syscall, getcpu(NULL, NULL, NULL) (its function has
 * arguments, so it is in the kernel's BTF for fentry, unlike getppid's;
 * and programs ask the vDSO, not the syscall, for it). The loader's
 * calibration thread makes it, and it is traced as a syscall-path read of
 * size 0 (MT_SELF_PATH), through the same sys_enter and sys_exit code as a
 * read.
 */
#define MT_NR_NULL_CALL		309

#define MT_COMM_LEN		16

#endif /* MYMEMTRACE_H */
