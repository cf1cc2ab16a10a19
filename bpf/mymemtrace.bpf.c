// SPDX-License-Identifier: GPL-2.0
/*
 * mymemtrace's BPF programs: per-call cost breakdown of every access to
 * mymem, on the syscall, kernel and mmap paths.
 *
 * Each traced thread has one state (task storage) while a call is under
 * way. The state names the part of the call that is running now (dispatch,
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

char LICENSE[] SEC("license") = "GPL";

/* Knobs, set by the loader between open and load. */
const volatile __u32 targ_tgid;		/* 0: every process */
const volatile bool targ_follow;	/* the processes in traced_tgids */
const volatile __u32 targ_rdev;		/* the device, kernel dev_t */
const volatile bool targ_events;	/* one ring buffer record per call */
const volatile __u32 targ_calib_tid;	/* the loader's calibration thread */
/* --floor: every program returns at once; the verifier drops the rest. */
const volatile bool targ_floor;
const volatile bool targ_filter_comm;
const volatile char targ_comm[MT_COMM_LEN];	/* with targ_filter_comm */

/* The part of a call a thread is in, and what it has spent so far. */
struct mt_task {
	__u64 start;		/* 0: no call under way */
	__u64 last;		/* when the running part began */
	__u64 comp_ns[MT_NR_COMPS];
	__u64 size;
	__u32 path;
	__u32 op;
	__u32 comp;		/* the running part */
	__u32 before_lock;	/* the part a lock wait interrupted */
	__u32 before_offcpu;	/* the part a switch-out interrupted */
	__u32 lock_depth;	/* nested contention_begin */
	__u32 switches;
	__u32 self;		/* the tracer's own call: aggregated apart */
	__u64 calib_start;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct mt_task);
} tasks SEC(".maps");

/* Exact sizes; when full, calls go to their size's log2 class below. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, MT_MAX_EXACT_KEYS);
	__type(key, struct mt_key);
	__type(value, struct mt_agg);
} aggs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, MT_NR_PATHS * MT_NR_OPS * 64);
	__type(key, struct mt_key);
	__type(value, struct mt_agg);
} class_aggs SEC(".maps");

/* A zeroed value to insert new keys with (too big for the stack). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct mt_agg);
} zero_agg SEC(".maps");

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

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);	/* resized by the loader */
} events SEC(".maps");

static __always_inline void count(__u32 which, __u64 n)
{
	__u64 *c = bpf_map_lookup_elem(&counters, &which);

	if (c)
		__sync_fetch_and_add(c, n);
}

static __always_inline __u32 log2_u64(__u64 v)
{
	__u32 r = 0, shift;

	shift = (v > 0xffffffffULL) << 5; v >>= shift; r |= shift;
	shift = (v > 0xffff) << 4; v >>= shift; r |= shift;
	shift = (v > 0xff) << 3; v >>= shift; r |= shift;
	shift = (v > 0xf) << 2; v >>= shift; r |= shift;
	shift = (v > 0x3) << 1; v >>= shift; r |= shift;
	r |= (v >> 1);
	return r;
}

static __always_inline __u32 hist_slot(__u64 ns)
{
	__u32 slot = log2_u64(ns);

	if (slot > MT_HIST_SLOTS - 1)
		slot = MT_HIST_SLOTS - 1;
	/*
	 * Clang knows the bound and would drop the mask; the 6.1 verifier
	 * does not, so hide the value from clang and keep the mask.
	 */
	asm volatile("" : "+r"(slot));
	return slot & (MT_HIST_SLOTS - 1);
}

/* The fine slot of the total's histogram (mymemtrace.h). */
static __always_inline __u32 fine_slot(__u64 ns)
{
	__u32 l = log2_u64(ns), slot;

	if (ns < 8)
		slot = ns;
	else if (l > 32)
		slot = MT_TOTAL_SLOTS - 1;
	else
		slot = (l - 1) * MT_FINE_SUB + ((ns >> (l - 2)) & (MT_FINE_SUB - 1));
	asm volatile("" : "+r"(slot));	/* keep the mask: see hist_slot() */
	return slot & (MT_TOTAL_SLOTS - 1);
}

static __always_inline struct mt_task *task_state(struct task_struct *task,
						  bool create)
{
	return bpf_task_storage_get(&tasks, task, NULL,
				    create ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
}

static __always_inline struct mt_task *current_state(bool create)
{
	return task_state(bpf_get_current_task_btf(), create);
}

/* Close the running part at @now and open @next. */
static __always_inline void enter_comp(struct mt_task *t, __u32 next, __u64 now)
{
	__u32 comp = t->comp;

	if (comp < MT_NR_COMPS)
		t->comp_ns[comp] += now - t->last;
	t->last = now;
	t->comp = next;
}

static __always_inline void start_call(struct mt_task *t, __u32 path, __u32 op,
				       __u64 size, __u32 comp, __u64 now)
{
	int i;

	for (i = 0; i < MT_NR_COMPS; i++)
		t->comp_ns[i] = 0;
	t->start = now;
	t->last = now;
	t->path = path;
	t->op = op;
	t->size = size;
	t->comp = comp;
	t->lock_depth = 0;
	t->switches = 0;
	t->self = 0;
}

static __always_inline struct mt_agg *agg_for(struct mt_task *t)
{
	struct mt_key key = {
		.path = t->self ? MT_PATH_SELF : t->path, .op = t->op, .size = t->size,
	};
	struct mt_agg *agg;
	__u32 zero = 0;
	void *fresh;

	agg = bpf_map_lookup_elem(&aggs, &key);
	if (agg)
		return agg;
	fresh = bpf_map_lookup_elem(&zero_agg, &zero);
	if (!fresh)
		return NULL;
	/* Fails when another CPU added the key first (fine) or when full. */
	bpf_map_update_elem(&aggs, &key, fresh, BPF_NOEXIST);
	agg = bpf_map_lookup_elem(&aggs, &key);
	if (agg)
		return agg;

	/* Too many distinct sizes: key by log2 class. */
	key.size_class = MT_SIZE_CLASS;
	key.size = t->size ? 1ULL << log2_u64(t->size) : 0;
	agg = bpf_map_lookup_elem(&class_aggs, &key);
	if (agg)
		return agg;
	bpf_map_update_elem(&class_aggs, &key, fresh, BPF_NOEXIST);
	return bpf_map_lookup_elem(&class_aggs, &key);
}

static __always_inline void emit_event(struct mt_task *t, __u64 total, __s64 ret)
{
	struct mt_event *e;
	__u64 id;
	int i;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count(MT_CNT_EVENTS_DROPPED, 1);
		return;
	}
	id = bpf_get_current_pid_tgid();
	e->start_ns = t->start;
	e->total_ns = total;
	for (i = 0; i < MT_NR_COMPS; i++)
		e->comp_ns[i] = t->comp_ns[i];
	e->size = t->size;
	e->ret = ret;
	e->pid = (__u32)id;
	e->tgid = id >> 32;
	e->path = t->path;
	e->op = t->op;
	e->offcpu_switches = t->switches;
	e->pad = 0;
	bpf_ringbuf_submit(e, 0);
}

/* The call ends: close the last part, aggregate, emit, go idle. */
static __always_inline void finish_call(struct mt_task *t, __s64 ret, __u64 now)
{
	struct mt_agg *agg;
	__u64 total;
	int i;

	enter_comp(t, MT_NR_COMPS, now);
	total = now - t->start;
	agg = agg_for(t);
	if (agg) {
		/* Per-CPU values: atomics only guard against preemption. */
		__sync_fetch_and_add(&agg->count, 1);
		__sync_fetch_and_add(&agg->total_ns, total);
		__sync_fetch_and_add(&agg->total_hist[fine_slot(total)], 1);
		__sync_fetch_and_add(&agg->offcpu_switches, t->switches);
		/* Racy only against preemption on this CPU: a bound, not a count. */
		if (!agg->min_ns || total < agg->min_ns)
			agg->min_ns = total;
		if (total > agg->max_ns)
			agg->max_ns = total;
		for (i = 0; i < MT_NR_COMPS; i++) {
			__u64 ns = t->comp_ns[i];

			__sync_fetch_and_add(&agg->comp_ns[i], ns);
			__sync_fetch_and_add(&agg->comp_hist[i][hist_slot(ns)], 1);
		}
	} else {
		count(MT_CNT_AGG_FAILED, 1);
	}
	if (targ_events && !t->self)
		emit_event(t, total, ret);
	t->start = 0;
}

static __always_inline bool tgid_traced(__u32 tgid)
{
	if (targ_follow)
		return bpf_map_lookup_elem(&traced_tgids, &tgid) != NULL;
	return !targ_tgid || tgid == targ_tgid;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(sched_process_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 parent_tgid = parent->tgid, child_tgid = child->tgid;
	__u8 one = 1;

	if (targ_floor)
		return 0;

	if (targ_follow && parent_tgid != child_tgid &&
	    bpf_map_lookup_elem(&traced_tgids, &parent_tgid))
		bpf_map_update_elem(&traced_tgids, &child_tgid, &one, BPF_ANY);
	return 0;
}

/* --- the syscall layer (tracepoints: also on kernels without kprobes) --- */

/*
 * Is @fd of the current task an open file of the traced device? The task
 * pointer is trusted in tp_btf programs, so its chain is walked with direct
 * loads (CO-RE relocated); the file pointer read from the array is a plain
 * value to the 6.1 verifier, so its two hops take helper calls.
 */
static __always_inline bool fd_is_device(int fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct fdtable *fdt = task->files->fdt;
	struct file *file;

	if (fd < 0 || (unsigned int)fd >= fdt->max_fds)
		return false;
	if (bpf_probe_read_kernel(&file, sizeof(file), &fdt->fd[fd]) || !file)
		return false;
	return BPF_CORE_READ(file, f_inode, i_rdev) == targ_rdev;
}

/* The comm filter compares two words, no string work. */
static __always_inline bool comm_matches(void)
{
	__u64 comm[MT_COMM_LEN / 8] = {};
	const volatile __u64 *want = (const volatile __u64 *)targ_comm;

	bpf_get_current_comm(comm, sizeof(comm));
	return comm[0] == want[0] && comm[1] == want[1];
}

SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter, struct pt_regs *regs, long id)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct mt_task *t;
	bool self;
	__u32 op;

	if (targ_floor)
		return 0;
	if (id == MT_NR_READ || id == MT_NR_PREAD64)
		op = MT_OP_READ;
	else if (id == MT_NR_WRITE || id == MT_NR_PWRITE64)
		op = MT_OP_WRITE;
	else if (id == MT_NR_GETPPID && (__u32)pid_tgid == targ_calib_tid) {
		t = current_state(true);
		if (t)
			t->calib_start = bpf_ktime_get_ns();
		return 0;
	} else
		return 0;

	/* The tracer's own calls, when it times its cost, pass every filter. */
	self = (__u32)pid_tgid == targ_calib_tid;
	if (!self && !tgid_traced(pid_tgid >> 32))
		return 0;
	if (!self && targ_filter_comm && !comm_matches())
		return 0;
	if (!fd_is_device((int)regs->di))
		return 0;
	t = current_state(true);
	if (!t)
		return 0;
	start_call(t, MT_PATH_SYSCALL, op, regs->dx, MT_COMP_DISPATCH, bpf_ktime_get_ns());
	t->self = self;
	return 0;
}

/* Only the calls sys_enter can have started: no lookup for any other. */
static __always_inline bool followed_syscall(long id)
{
	return id == MT_NR_READ || id == MT_NR_WRITE || id == MT_NR_PREAD64 ||
	       id == MT_NR_PWRITE64 || id == MT_NR_GETPPID;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit, struct pt_regs *regs, long ret)
{
	struct mt_task *t;
	__u64 now;

	if (targ_floor)
		return 0;
	if (!followed_syscall(regs->orig_ax))
		return 0;
	t = current_state(false);
	if (!t)
		return 0;
	now = bpf_ktime_get_ns();
	if (t->calib_start) {
		count(MT_CNT_CALIB_CALLS, 1);
		count(MT_CNT_CALIB_NS, now - t->calib_start);
		t->calib_start = 0;
		return 0;
	}
	if (t->start && t->path == MT_PATH_SYSCALL)
		finish_call(t, ret, now);
	return 0;
}

/* --- off-CPU time and lock waits --- */

SEC("tp_btf/sched_switch")
int BPF_PROG(sched_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next)
{
	struct mt_task *t;
	__u64 now = 0;

	if (targ_floor)
		return 0;

	t = task_state(prev, false);
	if (t && t->start && t->comp != MT_COMP_OFFCPU) {
		now = bpf_ktime_get_ns();
		t->before_offcpu = t->comp;
		enter_comp(t, MT_COMP_OFFCPU, now);
		t->switches++;
	}
	t = task_state(next, false);
	if (t && t->start && t->comp == MT_COMP_OFFCPU) {
		if (!now)
			now = bpf_ktime_get_ns();
		enter_comp(t, t->before_offcpu, now);
	}
	return 0;
}

SEC("tp_btf/contention_begin")
int BPF_PROG(contention_begin, void *lock, unsigned int flags)
{
	struct mt_task *t;

	if (targ_floor)
		return 0;
	t = current_state(false);
	if (!t || !t->start)
		return 0;
	/* A spinlock inside a mutex's slow path is the same wait. */
	if (t->lock_depth++ == 0) {
		t->before_lock = t->comp;
		enter_comp(t, MT_COMP_LOCK, bpf_ktime_get_ns());
	}
	return 0;
}

SEC("tp_btf/contention_end")
int BPF_PROG(contention_end, void *lock, int ret)
{
	struct mt_task *t;

	if (targ_floor)
		return 0;
	t = current_state(false);
	if (!t || !t->start || !t->lock_depth)
		return 0;
	if (--t->lock_depth == 0)
		enter_comp(t, t->before_lock, bpf_ktime_get_ns());
	return 0;
}

/* --- shared handlers of the function targets --- */

/* mymem_read/mymem_write: the module's part of a syscall-path call. */
static __always_inline void module_fn_entry(void)
{
	struct mt_task *t;

	if (targ_floor)
		return;
	t = current_state(false);
	if (t && t->start && t->path == MT_PATH_SYSCALL && t->comp == MT_COMP_DISPATCH)
		enter_comp(t, MT_COMP_BUFFER, bpf_ktime_get_ns());
}

static __always_inline void module_fn_exit(void)
{
	struct mt_task *t;

	if (targ_floor)
		return;
	t = current_state(false);
	if (t && t->start && t->path == MT_PATH_SYSCALL && t->comp == MT_COMP_BUFFER)
		enter_comp(t, MT_COMP_DISPATCH, bpf_ktime_get_ns());
}

/* mymem_kernel_read/write: a whole kernel-path call. */
static __always_inline void kernel_api_entry(__u32 op, __u64 len)
{
	struct mt_task *t;

	if (targ_floor)
		return;
	t = current_state(true);
	if (t && !t->start)
		start_call(t, MT_PATH_KERNEL, op, len, MT_COMP_BUFFER,
			   bpf_ktime_get_ns());
}

static __always_inline void kernel_api_exit(__s64 ret)
{
	struct mt_task *t;

	if (targ_floor)
		return;
	t = current_state(false);
	if (t && t->start && t->path == MT_PATH_KERNEL)
		finish_call(t, ret, bpf_ktime_get_ns());
}

/* _copy_to_user/_copy_from_user, when called from the module. */
static __always_inline void copy_entry(void)
{
	struct mt_task *t;

	if (targ_floor)
		return;
	t = current_state(false);
	if (t && t->start && t->comp == MT_COMP_BUFFER)
		enter_comp(t, MT_COMP_COPY, bpf_ktime_get_ns());
}

static __always_inline void copy_exit(void)
{
	struct mt_task *t;

	if (targ_floor)
		return;
	t = current_state(false);
	if (t && t->start && t->comp == MT_COMP_COPY)
		enter_comp(t, MT_COMP_BUFFER, bpf_ktime_get_ns());
}

/* handle_mm_fault on a mapping of the device: an mmap-path call. */
static __always_inline void fault_entry(struct vm_area_struct *vma)
{
	struct mt_task *t;

	if (targ_floor)
		return;

	if (!tgid_traced(bpf_get_current_pid_tgid() >> 32))
		return;
	if (BPF_CORE_READ(vma, vm_file, f_inode, i_rdev) != targ_rdev)
		return;
	t = current_state(true);
	/* A fault inside a traced read() stays part of that call. */
	if (t && !t->start)
		start_call(t, MT_PATH_MMAP, MT_OP_FAULT, 4096, MT_COMP_DISPATCH,
			   bpf_ktime_get_ns());
}

static __always_inline void fault_exit(__s64 ret)
{
	struct mt_task *t;

	if (targ_floor)
		return;
	t = current_state(false);
	if (t && t->start && t->path == MT_PATH_MMAP)
		finish_call(t, ret, bpf_ktime_get_ns());
}

static __always_inline void vm_fault_entry(void)
{
	struct mt_task *t;

	if (targ_floor)
		return;
	t = current_state(false);
	if (t && t->start && t->path == MT_PATH_MMAP && t->comp == MT_COMP_DISPATCH)
		enter_comp(t, MT_COMP_BUFFER, bpf_ktime_get_ns());
}

static __always_inline void vm_fault_exit(void)
{
	struct mt_task *t;

	if (targ_floor)
		return;
	t = current_state(false);
	if (t && t->start && t->path == MT_PATH_MMAP && t->comp == MT_COMP_BUFFER)
		enter_comp(t, MT_COMP_DISPATCH, bpf_ktime_get_ns());
}

/*
 * --- the function targets, fentry/fexit flavour ---
 * The section names carry mymem's default functions; the loader retargets
 * them (--read-func, --write-func, ...) before load.
 */
SEC("fentry/mymem_read")
int BPF_PROG(fentry_read_fn) { module_fn_entry(); return 0; }
SEC("fexit/mymem_read")
int BPF_PROG(fexit_read_fn) { module_fn_exit(); return 0; }
SEC("fentry/mymem_write")
int BPF_PROG(fentry_write_fn) { module_fn_entry(); return 0; }
SEC("fexit/mymem_write")
int BPF_PROG(fexit_write_fn) { module_fn_exit(); return 0; }

SEC("fentry/mymem_kernel_read")
int BPF_PROG(fentry_kread, void *dst, size_t len)
{ kernel_api_entry(MT_OP_READ, len); return 0; }
SEC("fexit/mymem_kernel_read")
int BPF_PROG(fexit_kread, void *dst, size_t len, long long pos, long ret)
{ kernel_api_exit(ret); return 0; }
SEC("fentry/mymem_kernel_write")
int BPF_PROG(fentry_kwrite, const void *src, size_t len)
{ kernel_api_entry(MT_OP_WRITE, len); return 0; }
SEC("fexit/mymem_kernel_write")
int BPF_PROG(fexit_kwrite, const void *src, size_t len, long long pos, long ret)
{ kernel_api_exit(ret); return 0; }

SEC("fentry/_copy_to_user")
int BPF_PROG(fentry_copy_to_user) { copy_entry(); return 0; }
SEC("fexit/_copy_to_user")
int BPF_PROG(fexit_copy_to_user) { copy_exit(); return 0; }
SEC("fentry/_copy_from_user")
int BPF_PROG(fentry_copy_from_user) { copy_entry(); return 0; }
SEC("fexit/_copy_from_user")
int BPF_PROG(fexit_copy_from_user) { copy_exit(); return 0; }

SEC("fentry/handle_mm_fault")
int BPF_PROG(fentry_fault, struct vm_area_struct *vma)
{ fault_entry(vma); return 0; }
SEC("fexit/handle_mm_fault")
int BPF_PROG(fexit_fault, struct vm_area_struct *vma, unsigned long address,
	     unsigned int flags, struct pt_regs *regs, vm_fault_t ret)
{ fault_exit(ret); return 0; }
SEC("fentry/mymem_vm_fault")
int BPF_PROG(fentry_vm_fault) { vm_fault_entry(); return 0; }
SEC("fexit/mymem_vm_fault")
int BPF_PROG(fexit_vm_fault) { vm_fault_exit(); return 0; }

/* --- the same targets, kprobe/kretprobe flavour --- */
SEC("kprobe/mymem_read")
int BPF_KPROBE(kprobe_read_fn) { module_fn_entry(); return 0; }
SEC("kretprobe/mymem_read")
int BPF_KRETPROBE(kretprobe_read_fn) { module_fn_exit(); return 0; }
SEC("kprobe/mymem_write")
int BPF_KPROBE(kprobe_write_fn) { module_fn_entry(); return 0; }
SEC("kretprobe/mymem_write")
int BPF_KRETPROBE(kretprobe_write_fn) { module_fn_exit(); return 0; }

SEC("kprobe/mymem_kernel_read")
int BPF_KPROBE(kprobe_kread, void *dst, size_t len)
{ kernel_api_entry(MT_OP_READ, len); return 0; }
SEC("kretprobe/mymem_kernel_read")
int BPF_KRETPROBE(kretprobe_kread, long ret) { kernel_api_exit(ret); return 0; }
SEC("kprobe/mymem_kernel_write")
int BPF_KPROBE(kprobe_kwrite, const void *src, size_t len)
{ kernel_api_entry(MT_OP_WRITE, len); return 0; }
SEC("kretprobe/mymem_kernel_write")
int BPF_KRETPROBE(kretprobe_kwrite, long ret) { kernel_api_exit(ret); return 0; }

SEC("kprobe/_copy_to_user")
int BPF_KPROBE(kprobe_copy_to_user) { copy_entry(); return 0; }
SEC("kretprobe/_copy_to_user")
int BPF_KRETPROBE(kretprobe_copy_to_user) { copy_exit(); return 0; }
SEC("kprobe/_copy_from_user")
int BPF_KPROBE(kprobe_copy_from_user) { copy_entry(); return 0; }
SEC("kretprobe/_copy_from_user")
int BPF_KRETPROBE(kretprobe_copy_from_user) { copy_exit(); return 0; }

SEC("kprobe/handle_mm_fault")
int BPF_KPROBE(kprobe_fault, struct vm_area_struct *vma)
{ fault_entry(vma); return 0; }
SEC("kretprobe/handle_mm_fault")
int BPF_KRETPROBE(kretprobe_fault, long ret) { fault_exit(ret); return 0; }
SEC("kprobe/mymem_vm_fault")
int BPF_KPROBE(kprobe_vm_fault) { vm_fault_entry(); return 0; }
SEC("kretprobe/mymem_vm_fault")
int BPF_KRETPROBE(kretprobe_vm_fault) { vm_fault_exit(); return 0; }
