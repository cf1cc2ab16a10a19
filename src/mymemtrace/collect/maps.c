// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "collect/maps.h"

static void agg_add(struct mt_agg *sum, const struct mt_agg *cpu)
{
	/*
	 * __u64, the fields' own type: uint64_t is unsigned long, __u64 is
	 * unsigned long long, and a store through the other type may be
	 * moved past the reads of min_ns below (strict aliasing): a CPU's
	 * larger min would then win over a smaller one summed before it.
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

	for (c = 0; c < MT_NR_PARTS; c++)
		if (sum->count > sum->part_calls[c])
			sum->part_hist[c][0] += sum->count - sum->part_calls[c];
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
	struct agg_rows *rows = arg;

	if (key->path >= MT_NR_PATHS || !agg->count)
		return 0;	/* the tracer's own calls, or reset since */
	if (rows->n == MAX_AGG_ROWS)
		return -1;
	rows->row[rows->n].key = *key;
	rows->row[rows->n].agg = *agg;
	rows->n++;
	return 0;
}

static int cmp_rows(const void *a, const void *b)
{
	const struct mt_key *x = &((const struct agg_row *)a)->key;
	const struct mt_key *y = &((const struct agg_row *)b)->key;

	if (x->path != y->path)
		return x->path < y->path ? -1 : 1;
	if (x->op != y->op)
		return x->op < y->op ? -1 : 1;
	if (x->size != y->size)
		return x->size < y->size ? -1 : 1;
	if (x->via != y->via)
		return x->via < y->via ? -1 : 1;
	if (x->result != y->result)
		return x->result < y->result ? -1 : 1;
	return (int)x->size_class - (int)y->size_class;
}

int agg_rows_read(int index_fd, int slots_fd, struct agg_rows *rows)
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

int agg_reset(int index_fd, int slots_fd)
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
