// SPDX-License-Identifier: GPL-2.0
/*
 * mymemtrace's BPF programs: per-call cost breakdown of every access to
 * mymem, on the syscall, kernel and mmap paths.
 *
 * Each traced thread has one state while a call is under way: in a
 * per-CPU slot while it runs, in its task storage while it is switched
 * out. The state names the part of the call that is running now (dispatch,
 * buffer, lock, copy, off-CPU); every probe takes one timestamp, closes the
 * running part and opens the next, so the parts add up to the total.
 *
 * Function targets come in two flavours, fentry/fexit and kprobe/kretprobe,
 * sharing one handler each; the loader picks one flavour per function.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "mymemtrace.h"
#include "hist_slots.h"

char LICENSE[] SEC("license") = "GPL";

/* Knobs, set by the loader between open and load. */
const volatile __u32 targ_tgid;		/* 0: every process */
const volatile bool targ_follow;	/* the processes in traced_tgids */
const volatile __u32 targ_rdev;		/* the device, kernel dev_t */
const volatile bool targ_events;	/* one ring buffer record per call */
const volatile bool targ_trace;		/* ... with the parts in order (--trace) */
const volatile bool targ_part_hists;	/* each part's histogram too (--part-hists) */
const volatile __u64 ringbuf_wakeup_bytes = 1 << 20;	/* a quarter of it */
const volatile __u32 targ_calib_tid;	/* the loader's calibration thread */
/* --floor: every program returns at once (the macros at the end). */
const volatile bool targ_floor;
const volatile bool targ_filter_comm;
const volatile __u32 targ_tid;		/* --tid: 0, every thread */
const volatile bool targ_filter_cgroup;	/* --cgroup: the tasks under cgroup_map[0] */
const volatile char targ_comm[MT_COMM_LEN];	/* with targ_filter_comm */

/*
 * Set by the loader after attach: the ops (bit 1 << op) whose module
 * function is traced. Their syscalls start as pending, with no fd lookup,
 * and become calls only when the module function runs on the device;
 * without it, sys_enter must look the fd up itself.
 */
__u32 lazy_ops;

/*
 * --min-latency: set by the loader after the calibration, per path, to the
 * threshold plus what the compensation takes out there, so that a record
 * is kept when its compensated total reaches the threshold. 0: every call.
 */
__u64 events_min_ns[MT_NR_PATHS];

/* The part of a call a thread is in, and what it has spent so far. */
struct mt_call {
	__u64 start;		/* 0: no call under way */
	__u64 last;		/* when the running part began */
	__u64 part_ns[MT_NR_PARTS];
	__u64 size;
	__u64 pid_tgid;		/* the thread making the call (low half) and its process */
	__u32 part;		/* the running part; never buffer or copy while idle */
	__u32 pad0;
	/* What the call is: written at its start in one store (MT_DESC). */
	union {
		struct {
			__u8 path;
			__u8 op;
			__u8 self;	/* the tracer's own call: aggregated apart */
			__u8 pending;	/* a syscall not yet seen reaching the device */
			__u8 standalone; /* the handler's call, outside any followed syscall */
			__u8 retrying;	/* a fault whose first try returned VM_FAULT_RETRY */
			__u16 fn_calls;	/* entries of the traced function so far, 0 for one */
		};
		__u64 desc;
	};
	__u32 via;		/* mt_key.via */
	__s32 fd;		/* of a pending syscall */
	__u64 lock;		/* the lock waited on, in the lock part */
	__u32 switches;
	__u32 before_lock;	/* the part a lock wait interrupted */
	__u32 before_offcpu;	/* the part a switch-out interrupted */
	__u32 pad;
	/* Last: copied between CPU slot and task storage only under --trace. */
	struct mt_timeline timeline;
};

/* mt_call.desc, byte by byte as the union lays it out (little-endian). */
#define MT_DESC(path, op)	((__u64)(path) | (__u64)(op) << 8)
#define MT_DESC_SELF		(1ULL << 16)
#define MT_DESC_PENDING		(1ULL << 24)
#define MT_DESC_STANDALONE	(1ULL << 32)

/* A call moves between CPU slot and task storage: its parts' order too under --trace. */
static __always_inline void copy_call(struct mt_call *to, const struct mt_call *from)
{
	if (targ_trace)
		*to = *from;
	else
		__builtin_memcpy(to, from, offsetof(struct mt_call, timeline));
}

/*
 * The aggregate slot last used on a CPU by each kind of call (path, op,
 * the tracer's own or not), with the rest of its key: a run of same-sized
 * calls never hashes, and neither does a read-modify-write loop.
 */
struct mt_agg_cache {
	__u64 size;
	__u32 via;
	__u32 slot_plus1;	/* 0: nothing cached */
};

#define MT_AGG_CACHE_KINDS	(2 * MT_NR_PATHS * MT_NR_OPS)
#define MT_AGG_CACHE_SIZE	32	/* a power of two above the kinds: a mask bounds the index */
_Static_assert(MT_AGG_CACHE_KINDS <= MT_AGG_CACHE_SIZE, "a cache entry per kind of call");

/*
 * The call of the thread running on this CPU. Probes inside a call touch
 * only this per-CPU slot; the call moves to the thread's task storage when
 * the thread is switched out and back when it runs again, so the costlier
 * task-storage lookup is paid per context switch, not per probe.
 *
 * Programs of one CPU never interleave on kernels without full preemption
 * (Debian's default is voluntary), so the slot and the aggregates take
 * plain stores and adds.
 */
struct mt_cpu {
	struct mt_call call;
	struct mt_agg_cache agg_cache[MT_AGG_CACHE_SIZE];
	/* The last process found in traced_tgids on this CPU (--follow). */
	__u32 traced_tgid;
};

/*
 * (An array indexed by bpf_get_smp_processor_id(), whose lookup 6.1
 * inlines, costs two instructions more per probe: the CPU number is a
 * helper call too; a .bss array indexed so, with no lookup at all, 50
 * more per read, counted.)
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct mt_cpu);
} cpu_state SEC(".maps");

/* Calls of switched-out threads. */
struct mt_task {
	struct mt_call call;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct mt_task);
} tasks SEC(".maps");

/* Calls held in task storage now: while 0, switch-ins look nothing up. */
__u64 parked_calls;

/* (path, op, size) -> its slot in agg_slots. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MT_MAX_AGG_SLOTS);
	__type(key, struct mt_key);
	__type(value, __u32);
} agg_index SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, MT_MAX_AGG_SLOTS);
	__type(key, __u32);
	__type(value, struct mt_agg);
} agg_slots SEC(".maps");

/* The next free slot of agg_slots. */
__u32 agg_slots_used;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, MT_NR_COUNTERS);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* With -- CMD: CMD and every process it starts, found at fork. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u8);
} traced_tgids SEC(".maps");

/* --cgroup: the cgroup v2 directory given, by fd (bpf_current_task_under_cgroup). */
struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cgroup_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);	/* resized by the loader */
} events SEC(".maps");

static __always_inline void counter_add(__u32 which, __u64 n)
{
	__u64 *c = bpf_map_lookup_elem(&counters, &which);

	if (c)
		*c += n;
}

static __always_inline struct mt_cpu *this_cpu(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&cpu_state, &zero);
}

/*
 * The current thread's call on this CPU, if one is under way. The slot
 * holds only the running thread's call: sched_switch parks it when its
 * thread leaves the CPU, and nothing else moves it between threads. So
 * no probe pays for a thread-id helper to check whose call it is.
 */
static __always_inline struct mt_call *current_call(void)
{
	struct mt_cpu *c = this_cpu();

	if (!c || !c->call.start)
		return NULL;
	return &c->call;
}

/*
 * The current thread's call, if it is in @part, MT_PART_BUFFER or
 * MT_PART_COPY: a call under way. An idle slot's part is never one of
 * these two (every way a call ends or leaves the slot leaves it at
 * dispatch, off-CPU or none), so the test spares the look at start.
 */
static __always_inline struct mt_cpu *call_in_module(__u32 part)
{
	struct mt_cpu *c = this_cpu();

	if (!c || c->call.part != part)
		return NULL;
	return c;
}

/* The CPU slot of the current thread's call on @path, if one is under way. */
static __always_inline struct mt_cpu *call_on(__u32 path)
{
	struct mt_cpu *c = this_cpu();

	if (!c || !c->call.start || c->call.path != path)
		return NULL;
	return c;
}

/* --trace: part @part of the call ended at @now. */
static __always_inline void timeline_add(struct mt_call *call, __u32 part, __u64 now)
{
	__u32 n = call->timeline.n;

	if (n >= MT_TIMELINE_LEN) {
		call->timeline.more++;
		return;
	}
	call->timeline.end_ns[n] = now - call->start;
	call->timeline.part[n] = part;
	call->timeline.n = n + 1;
}

/* Close the running part at @now and open @next. */
static __always_inline void enter_part(struct mt_call *call, __u32 next, __u64 now)
{
	__u32 part = call->part;

	if (part < MT_NR_PARTS) {
		call->part_ns[part] += now - call->last;
		if (targ_trace)
			timeline_add(call, part, now);
	}
	call->last = now;
	call->part = next;
}

/*
 * The same, where the probe knows the running part (@from): a constant
 * index, which spares the bounds check and a load on the hot probes.
 */
static __always_inline void switch_part(struct mt_call *call, __u32 from, __u32 next)
{
	__u64 now = bpf_ktime_get_ns();

	call->part_ns[from] += now - call->last;
	if (targ_trace)
		timeline_add(call, from, now);
	call->last = now;
	call->part = next;
}

/*
 * A call begins in part @part. @desc: MT_DESC(path, op) | the MT_DESC_*
 * flags that hold. Every store comes before the timestamp, outside the
 * call's time: what the probes cost inside a call is what compensation
 * must take out again.
 *
 * @null: the calibration's null syscall. A read has three parts
 * (dispatch, buffer, copy), and sys_exit aggregates each after its
 * timestamp: with two nanoseconds of parts of its own, the null syscall
 * costs sys_exit as much outside its window as a read does.
 */
static __always_inline void start_call(struct mt_call *call, __u64 pid_tgid, __u64 desc, __u64 size,
				       __u32 via, __u32 part, bool null)
{
	__u64 now;
	int i;

	for (i = 0; i < MT_NR_PARTS; i++)
		call->part_ns[i] = 0;
	if (null) {
		call->part_ns[MT_PART_BUFFER] = 1;
		call->part_ns[MT_PART_COPY] = 1;
	}
	call->pid_tgid = pid_tgid;
	call->desc = desc;
	call->size = size;
	call->part = part;
	call->switches = 0;
	call->via = via;
	if (targ_trace) {
		call->timeline.n = 0;
		call->timeline.more = 0;
	}
	now = bpf_ktime_get_ns();
	call->start = now;
	call->last = now;
}

/* A new slot for @key, or the one another CPU gave it first. */
static __always_inline __u32 *new_agg_slot(struct mt_key *key)
{
	__u32 slot;

	if (agg_slots_used >= MT_MAX_AGG_SLOTS)
		return NULL;
	slot = __sync_fetch_and_add(&agg_slots_used, 1);
	if (slot >= MT_MAX_AGG_SLOTS)
		return NULL;
	/* Fails when another CPU added the key first: its slot wins. */
	bpf_map_update_elem(&agg_index, key, &slot, BPF_NOEXIST);
	return bpf_map_lookup_elem(&agg_index, key);
}

static __noinline __u32 *agg_slot_of(__u32 path, __u32 op, __u64 size, __u32 via, __u32 result)
{
	struct mt_key key = { .path = path, .op = op, .size = size, .via = via, .result = result };
	__u32 *slot;

	slot = bpf_map_lookup_elem(&agg_index, &key);
	if (slot)
		return slot;
	if (agg_slots_used < MT_MAX_EXACT_KEYS) {
		slot = new_agg_slot(&key);
		if (slot)
			return slot;
	}
	/* Too many distinct sizes: key by log2 class. */
	key.size_class = MT_SIZE_CLASS;
	key.size = size ? 1ULL << mt_log2(size) : 0;
	slot = bpf_map_lookup_elem(&agg_index, &key);
	return slot ? slot : new_agg_slot(&key);
}

/*
 * How the call ended (mt_key.result): a read or write's errno, or
 * MT_RESULT_SHORT when it moved fewer bytes than asked; a fault's error
 * bits.
 */
static __always_inline __u32 call_result(const struct mt_call *call, __s64 ret)
{
	if (call->path == MT_PATH_MMAP)
		return ret & MT_VM_FAULT_ERROR ? MT_RESULT_VM_FAULT | (ret & MT_VM_FAULT_ERROR) : 0;
	if (ret < 0)
		return ret >= -MT_RESULT_ERRNO_MAX ? -ret : MT_RESULT_ERRNO_MAX;
	return (__u64)ret < call->size ? MT_RESULT_SHORT : MT_RESULT_OK;
}

/*
 * The call's aggregate. Calls that did all they were asked go through
 * the per-CPU cache; the rarer ones that did not (@result) look their key
 * up each time, so the cache and its test stay as they are.
 */
static __always_inline struct mt_agg *agg_for(struct mt_cpu *c, __u32 result)
{
	struct mt_call *call = &c->call;
	__u32 path = call->path + (call->self ? MT_NR_PATHS : 0), *slot, index;
	struct mt_agg_cache *e;

	if (result) {
		slot = agg_slot_of(path, call->op, call->size, call->via, result);
		if (!slot)
			return NULL;
		index = *slot;
		return bpf_map_lookup_elem(&agg_slots, &index);
	}
	e = &c->agg_cache[(path * MT_NR_OPS + call->op) & (MT_AGG_CACHE_SIZE - 1)];
	if (!e->slot_plus1 || e->size != call->size || e->via != call->via) {
		slot = agg_slot_of(path, call->op, call->size, call->via, MT_RESULT_OK);
		if (!slot)
			return NULL;
		e->slot_plus1 = *slot + 1;
		e->size = call->size;
		e->via = call->via;
	}
	index = e->slot_plus1 - 1;
	return bpf_map_lookup_elem(&agg_slots, &index);
}

#define MT_WAKE_WINDOW	8

static __always_inline void emit_event(struct mt_call *call, __u64 total, __s64 ret)
{
	struct mt_event *e;
	__u64 avail;
	int i;

	e = bpf_ringbuf_reserve(&events, targ_trace ? sizeof(*e) : MT_EVENT_BASE_SIZE, 0);
	if (!e) {
		counter_add(MT_CNT_EVENTS_DROPPED, 1);
		return;
	}
	e->start_ns = call->start;
	e->total_ns = total;
	for (i = 0; i < MT_NR_PARTS; i++)
		e->part_ns[i] = call->part_ns[i];
	e->size = call->size;
	e->ret = ret;
	e->pid = call->pid_tgid;
	e->tgid = call->pid_tgid >> 32;
	e->path = call->path;
	e->op = call->op;
	e->offcpu_switches = call->switches;
	e->via = call->via;
	e->fn_calls = call->fn_calls;
	e->pad = 0;
	if (targ_trace) {
		e->timeline = call->timeline;
		bpf_get_current_comm(e->comm, sizeof(e->comm));
	}
	/*
	 * Waking the reader per record costs more than the record: wake it
	 * once per quarter of the buffer, when the data waiting has just
	 * crossed the mark: within MT_WAKE_WINDOW records of it (the records'
	 * 8-byte headers counted, as the data waiting counts them), wide
	 * enough that records reserved at once on other CPUs do not carry it
	 * past unseen. Not while it stays above: a reader that is behind is
	 * awake, and waking it again per record would cost each call more
	 * than the record. It also polls every 100 ms, and its poll sees
	 * data already waiting, so no wakeup is lost for good.
	 */
	avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) - ringbuf_wakeup_bytes;
	bpf_ringbuf_submit(e, avail < MT_WAKE_WINDOW *
				      ((targ_trace ? sizeof(*e) : MT_EVENT_BASE_SIZE) + 8) ?
			      BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
}

/* The call ends: close the last part, aggregate, emit, go idle. */
static __always_inline void finish_call(struct mt_cpu *c, __s64 ret, __u64 now)
{
	struct mt_call *call = &c->call;
	struct mt_agg *agg;
	__u64 total;
	int i;

	enter_part(call, MT_NR_PARTS, now);
	total = now - call->start;
	agg = agg_for(c, call_result(call, ret));
	if (agg) {
		agg->count++;
		agg->total_ns += total;
		agg->total_hist[mt_fine_slot(total)]++;
		agg->offcpu_switches += call->switches;
		agg->fn_calls += call->fn_calls;
		/* min_ns 0 is "none yet": wrapping both by one tests it too. */
		if (total - 1 < agg->min_ns - 1)
			agg->min_ns = total;
		if (total > agg->max_ns)
			agg->max_ns = total;
		/*
		 * Most calls spend nothing in some parts (lock, off-CPU): those
		 * are left out here, and user space counts them into slot 0
		 * as count minus part_calls. Unrolled: constant offsets.
		 */
#pragma clang loop unroll(full)
		for (i = 0; i < MT_NR_PARTS; i++) {
			__u64 ns = call->part_ns[i];

			if (ns) {
				agg->part_ns[i] += ns;
				agg->part_calls[i]++;
				if (targ_part_hists)
					agg->part_hist[i][mt_hist_slot(ns)]++;
			}
		}
	} else {
		counter_add(MT_CNT_AGG_FAILED, 1);
	}
	if ((targ_events || targ_trace) && !call->self) {
		__u32 path = call->path;

		if (path < MT_NR_PATHS && total < events_min_ns[path])
			counter_add(MT_CNT_EVENTS_BELOW_MIN, 1);
		else
			emit_event(call, total, ret);
	}
	call->start = 0;
}

static __always_inline bool tgid_traced(__u32 tgid)
{
	if (targ_follow)
		return bpf_map_lookup_elem(&traced_tgids, &tgid) != NULL;
	return !targ_tgid || tgid == targ_tgid;
}

/*
 * The same, remembering on @c the last process found, so that a run of
 * calls from one traced process hashes once. Only hits are remembered: a
 * process found once stays traced (entries leave the map only by LRU
 * eviction), while a miss can turn into a hit at the next fork.
 */
static __always_inline bool tgid_traced_on(struct mt_cpu *c, __u32 tgid)
{
	if (!targ_follow)
		return tgid_traced(tgid);
	if (tgid == c->traced_tgid)
		return true;
	if (!bpf_map_lookup_elem(&traced_tgids, &tgid))
		return false;
	c->traced_tgid = tgid;
	return true;
}

static __always_inline int on_sched_process_fork(struct task_struct *parent,
						 struct task_struct *child)
{
	__u32 parent_tgid = parent->tgid, child_tgid = child->tgid;
	__u8 one = 1;

	if (targ_follow && parent_tgid != child_tgid &&
	    bpf_map_lookup_elem(&traced_tgids, &parent_tgid))
		bpf_map_update_elem(&traced_tgids, &child_tgid, &one, BPF_ANY);
	return 0;
}

/* --- the syscall layer (tracepoints: also on kernels without kprobes) --- */

/*
 * Is the file opened as another tracer's calibration file (it opens its
 * pread target with MT_CALIB_OPEN_FLAGS)? Its calls are not the device's.
 */
static __always_inline bool is_calibration_file(__u32 f_flags)
{
	return (f_flags & MT_CALIB_OPEN_FLAGS) == MT_CALIB_OPEN_FLAGS;
}

/*
 * Is @fd of the current task an open file of the traced device, and not
 * another tracer's calibration (@self: the call is this tracer's own,
 * which it keeps apart itself)? The task pointer is trusted in tp_btf
 * programs, so its chain is walked with direct loads (CO-RE relocated);
 * the file pointer read from the array is a plain value to the 6.1
 * verifier, so its two hops take helper calls.
 */
static __always_inline bool fd_is_device(int fd, bool self)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct fdtable *fdt = task->files->fdt;
	struct file *file;

	if (fd < 0 || (unsigned int)fd >= fdt->max_fds)
		return false;
	if (bpf_probe_read_kernel(&file, sizeof(file), &fdt->fd[fd]) || !file)
		return false;
	if (BPF_CORE_READ(file, f_inode, i_rdev) != targ_rdev)
		return false;
	return self || !is_calibration_file(BPF_CORE_READ(file, f_flags));
}

/* The comm filter compares two words, no string work. */
static __always_inline bool comm_matches(void)
{
	__u64 comm[MT_COMM_LEN / 8] = {};
	const volatile __u64 *want = (const volatile __u64 *)targ_comm;

	bpf_get_current_comm(comm, sizeof(comm));
	return comm[0] == want[0] && comm[1] == want[1];
}

/*
 * The task filters past the process: --tid, --name, --cgroup, cheapest
 * first; each costs nothing when not asked for (its knob is a constant
 * the verifier sees).
 */
static __always_inline bool task_filtered_out(__u64 pid_tgid)
{
	if (targ_tid && (__u32)pid_tgid != targ_tid)
		return true;
	if (targ_filter_comm && !comm_matches())
		return true;
	return targ_filter_cgroup && bpf_current_task_under_cgroup(&cgroup_map, 0) != 1;
}

/*
 * The syscalls the syscall path follows: those below 64 as masks (one
 * test for the most common ones), the vectored ones from preadv up as
 * masks of their distance from preadv, and the calibration's null call.
 * Every other syscall costs sys_enter and sys_exit no more than these tests.
 */
#define MT_LOW_READS	((1ULL << MT_NR_READ) | (1ULL << MT_NR_PREAD64) | (1ULL << MT_NR_READV))
#define MT_LOW_WRITES	((1ULL << MT_NR_WRITE) | (1ULL << MT_NR_PWRITE64) | (1ULL << MT_NR_WRITEV))
#define MT_HIGH_BIT(nr)	(1ULL << ((nr) - MT_NR_PREADV))
#define MT_HIGH_READS	(MT_HIGH_BIT(MT_NR_PREADV) | MT_HIGH_BIT(MT_NR_PREADV2))
#define MT_HIGH_WRITES	(MT_HIGH_BIT(MT_NR_PWRITEV) | MT_HIGH_BIT(MT_NR_PWRITEV2))

/* The op is the write mask's bit, and a syscall-path call's desc is its op. */
_Static_assert(MT_OP_READ == 0 && MT_OP_WRITE == 1 && MT_PATH_SYSCALL == 0,
	       "sys_enter and sys_exit compute op and path with masks");

static __always_inline bool followed_syscall(long id)
{
	if ((unsigned long)id < 64)
		return ((MT_LOW_READS | MT_LOW_WRITES) >> id) & 1;
	/* (The null call, 309, is in the high range too: not a mask's answer.) */
	if ((unsigned long)(id - MT_NR_PREADV) < 64 &&
	    (((MT_HIGH_READS | MT_HIGH_WRITES) >> (id - MT_NR_PREADV)) & 1))
		return true;
	return id == MT_NR_NULL_CALL;
}

static __always_inline int on_sys_enter(struct pt_regs *regs, long id)
{
	bool self, null = id == MT_NR_NULL_CALL;
	__u64 pid_tgid, desc;
	struct mt_cpu *c;
	__u32 op, via;

	if ((unsigned long)id < 64) {
		/* One test turns away every other low syscall. */
		if (!(((MT_LOW_READS | MT_LOW_WRITES) >> id) & 1))
			return 0;
		op = (MT_LOW_WRITES >> id) & 1;
	} else if ((unsigned long)(id - MT_NR_PREADV) < 64 &&
		   (((MT_HIGH_READS | MT_HIGH_WRITES) >> (id - MT_NR_PREADV)) & 1)) {
		op = (MT_HIGH_WRITES >> (id - MT_NR_PREADV)) & 1;
	} else if (null) {
		op = MT_OP_READ;
	} else {
		return 0;
	}

	c = this_cpu();
	if (!c)
		return 0;
	/*
	 * The tracer's own calls, when it times its cost, pass every filter.
	 * Its null syscall takes the same path as a read, so that it costs
	 * the probes what a read's syscall does.
	 */
	pid_tgid = bpf_get_current_pid_tgid();
	self = (__u32)pid_tgid == targ_calib_tid;
	if (!self && (null || !tgid_traced_on(c, pid_tgid >> 32) ||
		      task_filtered_out(pid_tgid)))
		return 0;
	desc = MT_DESC(MT_PATH_SYSCALL, op) | (self ? MT_DESC_SELF : 0);
	if (!null) {
		if ((lazy_ops >> op) & 1)
			desc |= MT_DESC_PENDING;
		else if (!fd_is_device(regs->di, self))
			return 0;
	}
	/* A call still under way here was never followed to its end. */
	if (c->call.start && !c->call.pending)
		counter_add(MT_CNT_CALLS_ABANDONED, 1);
	c->call.fd = regs->di;
	/* The vectored calls: their size is summed as the handler is called. */
	via = id > MT_NR_PWRITE64 && !null ? id : MT_VIA_PLAIN;
	start_call(&c->call, pid_tgid, desc, via || null ? 0 : regs->dx, via, MT_PART_DISPATCH,
		   null);
	return 0;
}

static __always_inline int on_sys_exit(long id, long ret)
{
	struct mt_cpu *c;

	/* Only the calls sys_enter can have started: nothing for the rest. */
	if (!followed_syscall(id))
		return 0;
	c = this_cpu();
	if (!c || !c->call.start)
		return 0;
	/* One test: a syscall-path call (path 0) that reached the device. */
	if (c->call.desc & (0xff | MT_DESC_PENDING)) {
		if (c->call.path == MT_PATH_SYSCALL)
			c->call.start = 0;	/* pending: it never reached the device */
		return 0;
	}
	finish_call(c, ret, bpf_ktime_get_ns());
	return 0;
}

/* --- off-CPU time and lock waits --- */

/*
 * @prev's call leaves the CPU: its off-CPU part begins, and the call is
 * parked in @prev's task storage. A pending syscall is parked only if its
 * fd is the device (prev is still current here); the others are dropped.
 */
static __noinline void park_call(struct mt_cpu *c, struct task_struct *prev, __u64 now)
{
	struct mt_call *call = &c->call;
	struct mt_task *ts;

	if (call->pending && !fd_is_device(call->fd, call->self)) {
		call->start = 0;
		return;
	}
	if (call->part != MT_PART_OFFCPU) {
		call->before_offcpu = call->part;
		enter_part(call, MT_PART_OFFCPU, now);
		call->switches++;
	}
	ts = bpf_task_storage_get(&tasks, prev, NULL, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (ts) {
		copy_call(&ts->call, call);
		__sync_fetch_and_add(&parked_calls, 1);
	} else {
		counter_add(MT_CNT_STATE_LOST, 1);
	}
	call->start = 0;
}

/* @next's parked call, if any, comes back to this CPU. */
static __noinline void unpark_call(struct mt_cpu *c, struct task_struct *next, __u64 now)
{
	struct mt_task *ts = bpf_task_storage_get(&tasks, next, NULL, 0);

	if (!ts || !ts->call.start)
		return;
	copy_call(&c->call, &ts->call);
	ts->call.start = 0;
	__sync_fetch_and_add(&parked_calls, -1);
	if (c->call.part == MT_PART_OFFCPU)
		enter_part(&c->call, c->call.before_offcpu, now);
}

static __always_inline int on_sched_switch(struct task_struct *prev,
					   struct task_struct *next)
{
	struct mt_cpu *c;
	__u64 now = 0;

	c = this_cpu();
	if (!c)
		return 0;
	if (c->call.start && (__u32)c->call.pid_tgid == prev->pid) {
		now = bpf_ktime_get_ns();
		park_call(c, prev, now);
	}
	if (parked_calls) {
		if (!now)
			now = bpf_ktime_get_ns();
		unpark_call(c, next, now);
	}
	return 0;
}

/*
 * The lock part runs from the first contention_begin to the contention_end
 * of the same lock. The two do not pair up one to one: a mutex's slow path
 * begins again for each round of waiting (an optimistic spin, then the
 * sleep: 6.1 and 6.12 both) and ends once, and the spinlock guarding its
 * wait list has begin/end pairs of its own inside. Counting depth, as this
 * did, left a contended call in the lock part for good: a call of the
 * handler outside a syscall (io_uring's workers) then never ended.
 */
static __always_inline int on_contention_begin(void *lock)
{
	struct mt_call *call;

	call = current_call();
	if (!call || call->part == MT_PART_LOCK)
		return 0;
	call->before_lock = call->part;
	call->lock = (__u64)lock;
	enter_part(call, MT_PART_LOCK, bpf_ktime_get_ns());
	return 0;
}

static __always_inline int on_contention_end(void *lock)
{
	struct mt_call *call;

	call = current_call();
	if (!call || call->part != MT_PART_LOCK || call->lock != (__u64)lock)
		return 0;
	enter_part(call, call->before_lock, bpf_ktime_get_ns());
	return 0;
}

/* --- shared handlers of the function targets --- */

/* Not in vmlinux.h: include/linux/sched.h's task flags. */
#define MT_PF_IO_WORKER		0x00000010
#define MT_PF_KTHREAD		0x00200000

/* Where a handler call outside the followed syscalls comes from (mt_key.via). */
static __always_inline __u32 outside_via(void)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct pt_regs *regs;

	if (task->flags & MT_PF_KTHREAD)
		return MT_VIA_OUTSIDE | MT_VIA_NO_SYSCALL;
	if (task->flags & MT_PF_IO_WORKER)
		return MT_VIA_OUTSIDE | MT_VIA_IO_WORKER;
	regs = (struct pt_regs *)bpf_task_pt_regs(task);
	return MT_VIA_OUTSIDE | (BPF_CORE_READ(regs, orig_ax) & MT_VIA_NO_SYSCALL);
}

/*
 * The module's handler called outside every followed syscall (io_uring,
 * a kernel caller): a call of its own, from handler entry to exit, if the
 * file is the device and the task is traced.
 */
static __noinline void standalone_entry(struct mt_cpu *c, __u32 op, __u64 count, __u32 rdev,
					__u32 f_flags)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();

	if (rdev != targ_rdev || is_calibration_file(f_flags))
		return;
	if (!tgid_traced_on(c, pid_tgid >> 32) || task_filtered_out(pid_tgid))
		return;
	start_call(&c->call, pid_tgid,
		   MT_DESC(MT_PATH_SYSCALL, op) | MT_DESC_STANDALONE,
		   count, outside_via(), MT_PART_BUFFER, false);
}

/*
 * mymem_read/mymem_write: the module's part of a syscall-path call. A
 * pending syscall becomes a call here, if @file is the traced device and
 * not another tracer's calibration; a vectored one adds each segment's
 * @count to its size. @btf: @file may be read directly (fentry), else
 * through bpf_probe_read (kprobe); a constant, so the other way is
 * compiled out.
 */
static __always_inline void module_fn_entry(struct file *file, __u32 op, __u64 count, bool btf)
{
#define FILE_RDEV() (btf ? file->f_inode->i_rdev : BPF_CORE_READ(file, f_inode, i_rdev))
#define FILE_FLAGS() (btf ? file->f_flags : BPF_CORE_READ(file, f_flags))
	struct mt_cpu *c = this_cpu();
	struct mt_call *call;

	if (!c)
		return;
	call = &c->call;
	if (!call->start) {
		standalone_entry(c, op, count, FILE_RDEV(), FILE_FLAGS());
		return;
	}
	if (call->path != MT_PATH_SYSCALL || call->part != MT_PART_DISPATCH) {
		/* Another call holds the thread's state: this one is not followed. */
		if (FILE_RDEV() == targ_rdev && !is_calibration_file(FILE_FLAGS()))
			counter_add(MT_CNT_CALLS_ABANDONED, 1);
		return;
	}
	if (call->pending) {
		if (FILE_RDEV() != targ_rdev || (!call->self && is_calibration_file(FILE_FLAGS()))) {
			call->start = 0;
			return;
		}
		call->pending = 0;
	}
	/*
	 * A vectored call adds each segment, and counts the handler's
	 * entries; a plain call enters it once, which 0 stands for.
	 */
	if (call->via) {
		call->size += count;
		call->fn_calls++;
	}
	switch_part(call, MT_PART_DISPATCH, MT_PART_BUFFER);
#undef FILE_RDEV
#undef FILE_FLAGS
}

static __always_inline void module_fn_exit(__s64 ret)
{
	struct mt_cpu *c = this_cpu();

	if (!c)
		return;
	if (c->call.part == MT_PART_BUFFER && c->call.path == MT_PATH_SYSCALL) {
		if (c->call.standalone)
			finish_call(c, ret, bpf_ktime_get_ns());
		else
			switch_part(&c->call, MT_PART_BUFFER, MT_PART_DISPATCH);
		return;
	}
	/*
	 * A call of the handler alone ends with it, whatever part it is in
	 * (a lock whose end was not seen): never left open to block the
	 * thread's next call.
	 */
	if (c->call.start && c->call.standalone)
		finish_call(c, ret, bpf_ktime_get_ns());
}

/*
 * mymem_kernel_read/write: a whole kernel-path call. It takes the slot
 * from a pending syscall (one that has not reached the device) but never
 * from a call under way.
 */
static __always_inline void kernel_api_entry(__u32 op, __u64 len)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	bool self = (__u32)pid_tgid == targ_calib_tid;
	struct mt_cpu *c;

	/* Calibration (mymemtrace.h): this tracer's apart, another's left out. */
	if (len == MT_CALIB_KERNEL_LEN && !self)
		return;
	c = this_cpu();
	if (!c)
		return;
	if (c->call.start && !c->call.pending) {
		/* A call under way is never replaced: this one is not followed. */
		counter_add(MT_CNT_CALLS_ABANDONED, 1);
		return;
	}
	start_call(&c->call, pid_tgid, MT_DESC(MT_PATH_KERNEL, op) | (self ? MT_DESC_SELF : 0),
		   len, MT_VIA_PLAIN, MT_PART_BUFFER, false);
}

static __always_inline void kernel_api_exit(__s64 ret)
{
	struct mt_cpu *c;

	c = call_on(MT_PATH_KERNEL);
	if (c)
		finish_call(c, ret, bpf_ktime_get_ns());
}

/* The copy to or from user memory, when called from the module. */
static __always_inline void copy_entry(void)
{
	struct mt_cpu *c = call_in_module(MT_PART_BUFFER);

	if (c)
		switch_part(&c->call, MT_PART_BUFFER, MT_PART_COPY);
}

static __always_inline void copy_exit(void)
{
	struct mt_cpu *c = call_in_module(MT_PART_COPY);

	if (c)
		switch_part(&c->call, MT_PART_COPY, MT_PART_BUFFER);
}

/*
 * handle_mm_fault on a mapping of the device: an mmap-path call. A fault
 * inside a traced read() stays part of that call; a pending syscall is
 * some other file's (faults in a mymem read come after the module took
 * it), so the fault replaces it.
 *
 * One fault can take two tries: 6.12 first tries under the VMA's own lock,
 * and a mapping without map_pages (mymem's) is told VM_FAULT_RETRY there,
 * before its fault handler runs; the architecture's fault code then tries
 * again under mmap_lock. Both tries are one call (fn_calls counts them),
 * and the time between them is its dispatch.
 */
static __always_inline void fault_entry(struct vm_area_struct *vma, bool btf)
{
	struct file *file = btf ? vma->vm_file : BPF_CORE_READ(vma, vm_file);
	__u64 pid_tgid;
	struct mt_cpu *c;

	/*
	 * First what turns most faults away in one load: an anonymous
	 * mapping has no file. (@btf: fentry, whose @vma is read directly.)
	 */
	if (!file)
		return;
	if ((btf ? file->f_inode->i_rdev : BPF_CORE_READ(file, f_inode, i_rdev)) != targ_rdev)
		return;
	pid_tgid = bpf_get_current_pid_tgid();
	if (!tgid_traced(pid_tgid >> 32))
		return;
	if (task_filtered_out(pid_tgid))
		return;
	c = this_cpu();
	if (!c)
		return;
	if (!c->call.start || c->call.pending) {
		start_call(&c->call, pid_tgid, MT_DESC(MT_PATH_MMAP, MT_OP_FAULT), 4096,
			   MT_VIA_PLAIN, MT_PART_DISPATCH, false);
	} else if (c->call.retrying) {
		c->call.retrying = 0;
		c->call.fn_calls++;
	}
}

static __always_inline void fault_exit(__s64 ret)
{
	struct mt_cpu *c;

	c = call_on(MT_PATH_MMAP);
	if (!c)
		return;
	if (ret & VM_FAULT_RETRY) {
		c->call.retrying = 1;
		if (!c->call.fn_calls)
			c->call.fn_calls = 1;
		return;
	}
	finish_call(c, ret, bpf_ktime_get_ns());
}

static __always_inline void vm_fault_entry(void)
{
	struct mt_call *call;

	call = current_call();
	if (call && call->path == MT_PATH_MMAP && call->part == MT_PART_DISPATCH)
		switch_part(call, MT_PART_DISPATCH, MT_PART_BUFFER);
}

static __always_inline void vm_fault_exit(void)
{
	struct mt_call *call;

	call = current_call();
	if (call && call->path == MT_PATH_MMAP && call->part == MT_PART_BUFFER)
		switch_part(call, MT_PART_BUFFER, MT_PART_DISPATCH);
}

/*
 * --- the programs ---
 * Each is a thin wrapper made by one of the macros below, so that the
 * --floor check (the same attach points, every program returning at once)
 * is written once, here. The section names carry mymem's default
 * functions; the loader retargets them (--read-func, ...) before load.
 */
#define TP_PROGRAM(tp, handler, args...)		\
SEC("tp_btf/" #tp)					\
int BPF_PROG(tp, ##args)				\
{							\
	return targ_floor ? 0 : handler;		\
}

#define FENTRY(prog, func, call, args...)		\
SEC("fentry/" #func)					\
int BPF_PROG(fentry_##prog, ##args)			\
{							\
	if (!targ_floor)				\
		call;					\
	return 0;					\
}

#define FEXIT(prog, func, call, args...)		\
SEC("fexit/" #func)					\
int BPF_PROG(fexit_##prog, ##args)			\
{							\
	if (!targ_floor)				\
		call;					\
	return 0;					\
}

#define KPROBE(prog, func, call, args...)		\
SEC("kprobe/" #func)					\
int BPF_KPROBE(kprobe_##prog, ##args)			\
{							\
	if (!targ_floor)				\
		call;					\
	return 0;					\
}

#define KRETPROBE(prog, func, call, args...)		\
SEC("kretprobe/" #func)					\
int BPF_KRETPROBE(kretprobe_##prog, ##args)		\
{							\
	if (!targ_floor)				\
		call;					\
	return 0;					\
}

TP_PROGRAM(sched_process_fork, on_sched_process_fork(parent, child), struct task_struct *parent, struct task_struct *child);
TP_PROGRAM(sys_enter, on_sys_enter(regs, id), struct pt_regs *regs, long id);
TP_PROGRAM(sys_exit, on_sys_exit(regs->orig_ax, ret), struct pt_regs *regs, long ret);
TP_PROGRAM(sched_switch, on_sched_switch(prev, next), bool preempt, struct task_struct *prev, struct task_struct *next);
TP_PROGRAM(contention_begin, on_contention_begin(lock), void *lock, unsigned int flags);
TP_PROGRAM(contention_end, on_contention_end(lock), void *lock, int ret);

/*
 * The syscall layer where fentry works: fentry and fexit on the functions
 * of just the syscalls that can reach the device (and the calibration's
 * null call, attached only while it runs), so that every other syscall of
 * every task pays nothing. The raw tracepoints above are the fallback:
 * while one is attached, every syscall of every task takes the kernel's
 * slow path. The syscall's number is a constant here, so on_sys_enter's
 * and on_sys_exit's tests of it fold away.
 */
#define SYSCALL_FN(name, nr)					\
SEC("fentry/__x64_sys_" #name)					\
int BPF_PROG(enter_##name, struct pt_regs *regs)		\
{								\
	return targ_floor ? 0 : on_sys_enter(regs, nr);		\
}								\
SEC("fexit/__x64_sys_" #name)					\
int BPF_PROG(exit_##name, struct pt_regs *regs, long ret)	\
{								\
	return targ_floor ? 0 : on_sys_exit(nr, ret);		\
}

SYSCALL_FN(read, MT_NR_READ)
SYSCALL_FN(write, MT_NR_WRITE)
SYSCALL_FN(pread64, MT_NR_PREAD64)
SYSCALL_FN(pwrite64, MT_NR_PWRITE64)
SYSCALL_FN(readv, MT_NR_READV)
SYSCALL_FN(writev, MT_NR_WRITEV)
SYSCALL_FN(preadv, MT_NR_PREADV)
SYSCALL_FN(pwritev, MT_NR_PWRITEV)
SYSCALL_FN(preadv2, MT_NR_PREADV2)
SYSCALL_FN(pwritev2, MT_NR_PWRITEV2)
SYSCALL_FN(getcpu, MT_NR_NULL_CALL)

/* The function targets, fentry/fexit flavour. */
FENTRY(read_fn, mymem_read, module_fn_entry(file, MT_OP_READ, count, true),
       struct file *file, char *buf, size_t count);
FEXIT(read_fn, mymem_read, module_fn_exit(ret),
      struct file *file, char *buf, size_t count, loff_t *ppos, long ret);
FENTRY(write_fn, mymem_write, module_fn_entry(file, MT_OP_WRITE, count, true),
       struct file *file, const char *buf, size_t count);
FEXIT(write_fn, mymem_write, module_fn_exit(ret),
      struct file *file, const char *buf, size_t count, loff_t *ppos, long ret);
FENTRY(kread, mymem_kernel_read, kernel_api_entry(MT_OP_READ, len), void *dst, size_t len);
FEXIT(kread, mymem_kernel_read, kernel_api_exit(ret),
      void *dst, size_t len, long long pos, long ret);
FENTRY(kwrite, mymem_kernel_write, kernel_api_entry(MT_OP_WRITE, len),
       const void *src, size_t len);
FEXIT(kwrite, mymem_kernel_write, kernel_api_exit(ret),
      const void *src, size_t len, long long pos, long ret);
FENTRY(copy_to_user, _copy_to_user, copy_entry());
FEXIT(copy_to_user, _copy_to_user, copy_exit());
FENTRY(copy_from_user, _copy_from_user, copy_entry());
FEXIT(copy_from_user, _copy_from_user, copy_exit());
FENTRY(fault, handle_mm_fault, fault_entry(vma, true), struct vm_area_struct *vma);
FEXIT(fault, handle_mm_fault, fault_exit(ret), struct vm_area_struct *vma,
      unsigned long address, unsigned int flags, struct pt_regs *regs, vm_fault_t ret);
FENTRY(vm_fault, mymem_vm_fault, vm_fault_entry());
FEXIT(vm_fault, mymem_vm_fault, vm_fault_exit());

/* The same targets, kprobe/kretprobe flavour. */
KPROBE(read_fn, mymem_read, module_fn_entry(file, MT_OP_READ, count, false),
       struct file *file, char *buf, size_t count);
KRETPROBE(read_fn, mymem_read, module_fn_exit(ret), long ret);
KPROBE(write_fn, mymem_write, module_fn_entry(file, MT_OP_WRITE, count, false),
       struct file *file, const char *buf, size_t count);
KRETPROBE(write_fn, mymem_write, module_fn_exit(ret), long ret);
KPROBE(kread, mymem_kernel_read, kernel_api_entry(MT_OP_READ, len), void *dst, size_t len);
KRETPROBE(kread, mymem_kernel_read, kernel_api_exit(ret), long ret);
KPROBE(kwrite, mymem_kernel_write, kernel_api_entry(MT_OP_WRITE, len),
       const void *src, size_t len);
KRETPROBE(kwrite, mymem_kernel_write, kernel_api_exit(ret), long ret);
KPROBE(copy_to_user, _copy_to_user, copy_entry());
KRETPROBE(copy_to_user, _copy_to_user, copy_exit());
KPROBE(copy_from_user, _copy_from_user, copy_entry());
KRETPROBE(copy_from_user, _copy_from_user, copy_exit());
KPROBE(fault, handle_mm_fault, fault_entry(vma, false), struct vm_area_struct *vma);
KRETPROBE(fault, handle_mm_fault, fault_exit(ret), long ret);
KPROBE(vm_fault, mymem_vm_fault, vm_fault_entry());
KRETPROBE(vm_fault, mymem_vm_fault, vm_fault_exit());
