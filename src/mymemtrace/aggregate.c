// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "aggregate.h"

const char *path_name(uint32_t path)
{
	static const char *const names[] = { "syscall", "kernel", "mmap" };

	return path < MT_NR_PATHS ? names[path] : "?";
}

const char *op_name(uint32_t op)
{
	static const char *const names[] = { "read", "write", "fault" };

	return op < MT_NR_OPS ? names[op] : "?";
}

static const char *vectored_name(uint32_t nr)
{
	switch (nr) {
	case MT_NR_READV: return "readv";
	case MT_NR_WRITEV: return "writev";
	case MT_NR_PREADV: return "preadv";
	case MT_NR_PWRITEV: return "pwritev";
	case MT_NR_PREADV2: return "preadv2";
	case MT_NR_PWRITEV2: return "pwritev2";
	default: return NULL;
	}
}

const char *via_name(uint32_t via, char *buf, size_t len)
{
	uint32_t nr = via & ~MT_VIA_OUTSIDE;

	if (via == MT_VIA_PLAIN)
		return NULL;
	if (!(via & MT_VIA_OUTSIDE)) {
		const char *name = vectored_name(nr);

		if (name)
			return name;
		snprintf(buf, len, "syscall_%u", nr);
	} else if (nr == MT_VIA_NO_SYSCALL) {
		snprintf(buf, len, "outside:kthread");
	} else if (nr == MT_VIA_IO_WORKER) {
		snprintf(buf, len, "outside:io_worker");
	} else if (nr == MT_NR_IO_URING_ENTER) {
		snprintf(buf, len, "outside:io_uring_enter");
	} else {
		snprintf(buf, len, "outside:syscall_%u", nr);
	}
	return buf;
}

const char *op_label(const struct mt_key *k, char *buf, size_t len)
{
	uint32_t nr = k->via & ~MT_VIA_OUTSIDE;
	const char *name;

	if (k->via == MT_VIA_PLAIN)
		return op_name(k->op);
	if (!(k->via & MT_VIA_OUTSIDE) && (name = vectored_name(nr)))
		return name;
	/* op@where: the handler called outside a followed syscall. */
	snprintf(buf, len, "%s@%s", op_name(k->op),
		 nr == MT_VIA_NO_SYSCALL ? "kthread" : nr == MT_VIA_IO_WORKER ? "iowq" :
		 nr == MT_NR_IO_URING_ENTER ? "uring" : "sys");
	return buf;
}

static void agg_add(struct mt_agg *sum, const struct mt_agg *cpu)
{
	/*
	 * __u64, the fields' own type: uint64_t is unsigned long, __u64 is
	 * unsigned long long, and a store through the other type may be
	 * moved past the reads of min_ns below (strict aliasing). It was:
	 * a CPU's larger min won over a smaller one summed before it.
	 */
	const __u64 *src = (const __u64 *)cpu;
	__u64 *dst = (__u64 *)sum;
	size_t i;

	/* Every field adds up except the bounds. */
	for (i = 0; i < sizeof(*sum) / sizeof(__u64); i++)
		dst[i] += src[i];
	sum->min_ns -= cpu->min_ns;
	sum->max_ns -= cpu->max_ns;
	if (cpu->count && (!sum->min_ns || cpu->min_ns < sum->min_ns))
		sum->min_ns = cpu->min_ns;
	if (cpu->max_ns > sum->max_ns)
		sum->max_ns = cpu->max_ns;
}

/*
 * The BPF side leaves a part's histogram alone when a call spent nothing
 * in it (most calls never wait on a lock or leave the CPU): those calls
 * belong in slot 0, and are the count minus the calls with time in the
 * part. Read while calls are being added, a count can run ahead of the
 * rest by a call in flight; that call lands in slot 0 until the next read.
 */
static void fill_zero_slots(struct mt_agg *sum)
{
	int c;

	for (c = 0; c < MT_NR_COMPS; c++)
		if (sum->count > sum->comp_calls[c])
			sum->comp_hist[c][0] += sum->count - sum->comp_calls[c];
}

/* Sums @slot of the per-CPU aggregates into @sum. */
static int read_slot(int slots_fd, uint32_t slot, struct mt_agg *sum,
		     struct mt_agg *percpu, int ncpus)
{
	int cpu;

	if (bpf_map_lookup_elem(slots_fd, &slot, percpu))
		return -1;
	memset(sum, 0, sizeof(*sum));
	for (cpu = 0; cpu < ncpus; cpu++)
		agg_add(sum, &percpu[cpu]);
	fill_zero_slots(sum);
	return 0;
}

/* Calls @fn for every key of the index with its summed aggregate. */
static int for_each_key(int index_fd, int slots_fd,
			int (*fn)(const struct mt_key *, const struct mt_agg *, void *),
			void *arg)
{
	int ncpus = libbpf_num_possible_cpus(), ret = 0;
	struct mt_key key, next, *prev = NULL;
	struct mt_agg *percpu, sum;
	uint32_t slot;

	if (ncpus <= 0)
		return -1;
	percpu = calloc(ncpus, sizeof(*percpu));
	if (!percpu)
		return -1;
	while (!ret && !bpf_map_get_next_key(index_fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(index_fd, &key, &slot) ||
		    read_slot(slots_fd, slot, &sum, percpu, ncpus))
			continue;	/* deleted meanwhile */
		ret = fn(&key, &sum, arg);
	}
	free(percpu);
	return ret;
}

static int add_row(const struct mt_key *key, const struct mt_agg *agg, void *arg)
{
	struct rows *rows = arg;

	if (key->path >= MT_NR_PATHS || !agg->count)
		return 0;	/* the tracer's own calls, or reset since */
	if (rows->n == MAX_ROWS)
		return -1;
	rows->row[rows->n].key = *key;
	rows->row[rows->n].agg = *agg;
	rows->n++;
	return 0;
}

static int cmp_rows(const void *a, const void *b)
{
	const struct mt_key *x = &((const struct row *)a)->key;
	const struct mt_key *y = &((const struct row *)b)->key;

	if (x->path != y->path)
		return x->path < y->path ? -1 : 1;
	if (x->op != y->op)
		return x->op < y->op ? -1 : 1;
	if (x->size != y->size)
		return x->size < y->size ? -1 : 1;
	if (x->via != y->via)
		return x->via < y->via ? -1 : 1;
	return (int)x->size_class - (int)y->size_class;
}

int rows_read(int index_fd, int slots_fd, struct rows *rows)
{
	int ret;

	rows->n = 0;
	ret = for_each_key(index_fd, slots_fd, add_row, rows);
	qsort(rows->row, rows->n, sizeof(rows->row[0]), cmp_rows);
	return ret;
}

int agg_read_key(int index_fd, int slots_fd, const struct mt_key *key, struct mt_agg *sum)
{
	int ncpus = libbpf_num_possible_cpus(), ret = -1;
	struct mt_agg *percpu;
	uint32_t slot;

	memset(sum, 0, sizeof(*sum));
	if (bpf_map_lookup_elem(index_fd, key, &slot))
		return 0;	/* no such call yet */
	if (ncpus <= 0)
		return -1;
	percpu = calloc(ncpus, sizeof(*percpu));
	if (percpu)
		ret = read_slot(slots_fd, slot, sum, percpu, ncpus);
	free(percpu);
	return ret;
}

struct reset_args {
	int index_fd, slots_fd;
	struct mt_agg *zeros;	/* one per CPU */
};

static int zero_slot(const struct mt_key *key, const struct mt_agg *agg, void *arg)
{
	struct reset_args *fds = arg;
	uint32_t slot;

	(void)agg;
	if (bpf_map_lookup_elem(fds->index_fd, key, &slot))
		return 0;
	return bpf_map_update_elem(fds->slots_fd, &slot, fds->zeros, BPF_ANY) ? -1 : 0;
}

int rows_reset(int index_fd, int slots_fd)
{
	int ncpus = libbpf_num_possible_cpus(), ret;
	struct reset_args fds = { .index_fd = index_fd, .slots_fd = slots_fd };

	if (ncpus <= 0)
		return -1;
	fds.zeros = calloc(ncpus, sizeof(struct mt_agg));
	if (!fds.zeros)
		return -1;
	ret = for_each_key(index_fd, slots_fd, zero_slot, &fds);
	free(fds.zeros);
	return ret;
}

uint64_t counter_read(int counters_fd, uint32_t which)
{
	int ncpus = libbpf_num_possible_cpus(), cpu;
	uint64_t *values, sum = 0;

	if (ncpus <= 0)
		return 0;
	values = calloc(ncpus, sizeof(*values));
	if (values && !bpf_map_lookup_elem(counters_fd, &which, values))
		for (cpu = 0; cpu < ncpus; cpu++)
			sum += values[cpu];
	free(values);
	return sum;
}

void fine_bounds(size_t slot, uint64_t *lo, uint64_t *hi)
{
	size_t l = slot / MT_FINE_SUB + 1, q = slot % MT_FINE_SUB;

	if (slot < 8) {
		*lo = *hi = slot;
		return;
	}
	*lo = (uint64_t)(MT_FINE_SUB + q) << (l - 2);
	*hi = *lo + (1ull << (l - 2)) - 1;
	if (slot == MT_TOTAL_SLOTS - 1)
		*hi = UINT64_MAX;	/* also everything above */
}

uint64_t hist_percentile(const __u64 *hist, size_t slots, uint64_t count,
			 double pct, uint64_t min, uint64_t max)
{
	uint64_t rank, seen = 0, lo, hi, v;
	size_t i;

	if (!count)
		return 0;
	rank = (uint64_t)(pct / 100.0 * (double)count + 0.999999);
	if (rank < 1)
		rank = 1;
	for (i = 0; i < slots; i++) {
		if (!hist[i] || seen + hist[i] < rank) {
			seen += hist[i];
			continue;
		}
		/* The bucket holds [lo, hi]; its last rank maps to hi. */
		fine_bounds(i, &lo, &hi);
		v = lo + (uint64_t)((double)(hi - lo) * (double)(rank - seen) / (double)hist[i]);
		if (v < min)
			v = min;
		if (max && v > max)
			v = max;
		return v;
	}
	return max;
}
