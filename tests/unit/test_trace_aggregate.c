// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the in-kernel aggregates: per-CPU values summed into one row, on
 * real BPF maps (a hash and a per-CPU array, as the BPF side has them).
 * Needs the right to create maps (root); says SKIP without it.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "collect/maps.h"
#include "unit.h"

static struct agg_rows rows;

/*
 * One key whose calls ran on two CPUs: the row's min and max are the
 * smallest and largest over the CPUs, whichever CPU holds which. (A
 * store of the sum through a pointer of another integer type once let
 * the larger min win: seen in the guest as p50 = p99 = min.)
 */
static bool merge(int cpu_small, int cpu_large, int ncpus)
{
	int idx, slots;
	struct mt_key key = { .path = MT_PATH_SYSCALL, .op = MT_OP_READ, .size = 64 };
	struct mt_agg *v = calloc(ncpus, sizeof(*v));
	__u32 slot = 1;
	bool ok = false;

	idx = bpf_map_create(BPF_MAP_TYPE_HASH, "t_index", sizeof(key), sizeof(slot), 4, NULL);
	slots = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "t_slots", sizeof(slot), sizeof(*v), 4, NULL);
	if (!v || idx < 0 || slots < 0)
		goto out;
	v[cpu_small] = (struct mt_agg){ .count = 400, .total_ns = 5204531, .min_ns = 8138,
					.max_ns = 688067 };
	v[cpu_large] = (struct mt_agg){ .count = 1, .total_ns = 663968, .min_ns = 663968,
					.max_ns = 663968 };
	if (bpf_map_update_elem(idx, &key, &slot, BPF_ANY) ||
	    bpf_map_update_elem(slots, &slot, v, BPF_ANY) || agg_rows_read(idx, slots, &rows))
		goto out;
	ok = rows.n == 1 && rows.row[0].agg.count == 401 && rows.row[0].agg.total_ns == 5868499 &&
	     rows.row[0].agg.min_ns == 8138 && rows.row[0].agg.max_ns == 688067;
	if (!ok)
		printf("  cpu %d small, cpu %d large: %zu rows, count %llu, min %llu, max %llu\n",
		       cpu_small, cpu_large, rows.n, (unsigned long long)rows.row[0].agg.count,
		       (unsigned long long)rows.row[0].agg.min_ns,
		       (unsigned long long)rows.row[0].agg.max_ns);
out:
	free(v);
	if (idx >= 0)
		close(idx);
	if (slots >= 0)
		close(slots);
	return ok;
}

static bool test_min_and_max_over_cpus(void)
{
	int ncpus = libbpf_num_possible_cpus();

	ASSERT_TRUE(ncpus >= 2, "two CPUs (this host has one: the case cannot be built)");
	ASSERT_TRUE(merge(0, 1, ncpus), "the smaller min on the first CPU");
	ASSERT_TRUE(merge(1, 0, ncpus), "the smaller min on the second CPU");
	return true;
}

static const struct unit_test tests[] = {
	{ "min_and_max_over_cpus", test_min_and_max_over_cpus },
};

int main(void)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "t_probe", 4, 4, 1, NULL);

	if (fd < 0) {
		printf("SKIP unit/trace_aggregate/min_and_max_over_cpus: cannot create BPF maps here (%s): needs root\n",
		       strerror(errno));
		return 0;
	}
	close(fd);
	return unit_run("trace_aggregate", tests, sizeof(tests) / sizeof(tests[0]));
}
