// SPDX-License-Identifier: GPL-2.0
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

const char *comp_name(uint32_t comp)
{
	static const char *const names[] = { "dispatch", "buffer", "lock_wait", "copy", "offcpu" };

	return comp < MT_NR_COMPS ? names[comp] : "?";
}

static void agg_add(struct mt_agg *sum, const struct mt_agg *cpu)
{
	const uint64_t *src = (const uint64_t *)cpu;
	uint64_t *dst = (uint64_t *)sum;
	size_t i;

	/* Every field adds up except the bounds. */
	for (i = 0; i < sizeof(*sum) / sizeof(uint64_t); i++)
		dst[i] += src[i];
	sum->min_ns -= cpu->min_ns;
	sum->max_ns -= cpu->max_ns;
	if (cpu->count && (!sum->min_ns || cpu->min_ns < sum->min_ns))
		sum->min_ns = cpu->min_ns;
	if (cpu->max_ns > sum->max_ns)
		sum->max_ns = cpu->max_ns;
}

static int read_map(int fd, struct rows *rows, struct mt_agg *percpu, int ncpus)
{
	struct mt_key key, next, *prev = NULL;
	int cpu;

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (rows->n == MAX_ROWS)
			return -1;
		if (key.path >= MT_NR_PATHS)
			continue;	/* the tracer's own calls */
		if (bpf_map_lookup_elem(fd, &key, percpu))
			continue;	/* deleted meanwhile */
		rows->row[rows->n].key = key;
		memset(&rows->row[rows->n].agg, 0, sizeof(struct mt_agg));
		for (cpu = 0; cpu < ncpus; cpu++)
			agg_add(&rows->row[rows->n].agg, &percpu[cpu]);
		rows->n++;
	}
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
	return (int)x->size_class - (int)y->size_class;
}

int rows_read(int aggs_fd, int class_aggs_fd, struct rows *rows)
{
	int ncpus = libbpf_num_possible_cpus();
	struct mt_agg *percpu;
	int ret;

	if (ncpus <= 0)
		return -1;
	percpu = calloc(ncpus, sizeof(*percpu));
	if (!percpu)
		return -1;
	rows->n = 0;
	ret = read_map(aggs_fd, rows, percpu, ncpus);
	if (!ret)
		ret = read_map(class_aggs_fd, rows, percpu, ncpus);
	free(percpu);
	qsort(rows->row, rows->n, sizeof(rows->row[0]), cmp_rows);
	return ret;
}

uint64_t self_call_count(int aggs_fd)
{
	int ncpus = libbpf_num_possible_cpus(), cpu;
	struct mt_key key, next, *prev = NULL;
	struct mt_agg *percpu;
	uint64_t calls = 0;

	percpu = ncpus > 0 ? calloc(ncpus, sizeof(*percpu)) : NULL;
	if (!percpu)
		return 0;
	while (!bpf_map_get_next_key(aggs_fd, prev, &next)) {
		key = next;
		prev = &key;
		if (key.path != MT_PATH_SELF || bpf_map_lookup_elem(aggs_fd, &key, percpu))
			continue;
		for (cpu = 0; cpu < ncpus; cpu++)
			calls += percpu[cpu].count;
	}
	free(percpu);
	return calls;
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
