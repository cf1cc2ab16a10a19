// SPDX-License-Identifier: GPL-2.0
/* Unit tests of mymem-bench's command line (src/bench/options.c). */
#include <stdint.h>

#include "options.h"
#include "parse.h"
#include "unit.h"

static bool test_parse_u64(void)
{
	uint64_t v = 0;

	ASSERT_EQ(parse_u64("1000", 1, 2000, &v), 0, "in range");
	ASSERT_EQ(v, 1000, "value");
	ASSERT_EQ(parse_u64("0", 1, 10, &v), (unsigned long long)-1, "below min");
	ASSERT_EQ(parse_u64("11", 1, 10, &v), (unsigned long long)-1, "above max");
	ASSERT_EQ(parse_u64("-1", 0, 10, &v), (unsigned long long)-1, "negative");
	ASSERT_EQ(parse_u64("12x", 0, 100, &v), (unsigned long long)-1, "trailing junk");
	ASSERT_EQ(parse_u64("", 0, 100, &v), (unsigned long long)-1, "empty");
	ASSERT_EQ(parse_u64("99999999999999999999999", 0, UINT64_MAX, &v),
		  (unsigned long long)-1, "overflow");
	return true;
}

static bool test_parse_size(void)
{
	uint64_t v = 0;

	ASSERT_EQ(parse_size("64", &v), 0, "plain");
	ASSERT_EQ(v, 64, "64");
	ASSERT_EQ(parse_size("4k", &v), 0, "k");
	ASSERT_EQ(v, 4096, "4k");
	ASSERT_EQ(parse_size("512K", &v), 0, "K");
	ASSERT_EQ(v, 524288, "512K");
	ASSERT_EQ(parse_size("1M", &v), 0, "M");
	ASSERT_EQ(v, 1048576, "1M");
	ASSERT_EQ(parse_size("0", &v), (unsigned long long)-1, "zero");
	ASSERT_EQ(parse_size("k", &v), (unsigned long long)-1, "suffix alone");
	ASSERT_EQ(parse_size("4G", &v), (unsigned long long)-1, "unknown suffix");
	return true;
}

static bool test_parse_size_list(void)
{
	uint64_t sizes[4];
	size_t n = 0;

	ASSERT_EQ(parse_size_list("1,64,4k", sizes, 4, &n), 0, "list");
	ASSERT_EQ(n, 3, "count");
	ASSERT_EQ(sizes[2], 4096, "third");
	ASSERT_EQ(parse_size_list("64,,1", sizes, 4, &n), (unsigned long long)-1, "empty item");
	ASSERT_EQ(parse_size_list(",64", sizes, 4, &n), (unsigned long long)-1, "leading comma");
	ASSERT_EQ(parse_size_list("64,", sizes, 4, &n), (unsigned long long)-1, "trailing comma");
	ASSERT_EQ(parse_size_list("1,2,3,4,5", sizes, 4, &n), (unsigned long long)-1, "too many");
	ASSERT_EQ(parse_size_list("1,x", sizes, 4, &n), (unsigned long long)-1, "bad item");
	ASSERT_EQ(n, 3, "count kept after an error");
	return true;
}

static bool test_parse_u64_list(void)
{
	uint64_t v[3];
	double d;

	ASSERT_EQ(parse_u64_list("1,64,4096", 1, 4096, v, 3), 3, "three");
	ASSERT_EQ(v[1], 64, "second");
	ASSERT_EQ(parse_u64_list("", 1, 10, v, 3), 0, "empty list");
	ASSERT_EQ(parse_u64_list("1,,2", 1, 10, v, 3), (unsigned long long)-1, "empty item");
	ASSERT_EQ(parse_u64_list("1,2,3,4", 1, 10, v, 3), (unsigned long long)-1, "too many");
	ASSERT_EQ(parse_u64_list("0x40", 1, 100, v, 3), (unsigned long long)-1, "decimal only");
	ASSERT_EQ(parse_u64_list("11", 1, 10, v, 3), (unsigned long long)-1, "above max");
	ASSERT_EQ(parse_double("2.5", 0, 10, &d), 0, "a double");
	ASSERT_TRUE(d == 2.5, "its value");
	ASSERT_EQ(parse_double("nan", 0, 10, &d), (unsigned long long)-1, "nan");
	ASSERT_EQ(parse_double("inf", 0, 1e9, &d), (unsigned long long)-1, "inf");
	ASSERT_EQ(parse_double("-1", 0, 10, &d), (unsigned long long)-1, "below min");
	ASSERT_EQ(parse_double("3x", 0, 10, &d), (unsigned long long)-1, "trailing junk");
	ASSERT_TRUE(d == 2.5, "kept after an error");
	return true;
}

static bool test_parse_duration(void)
{
	uint64_t ns = 7;

	ASSERT_EQ(parse_duration_ns("10us", &ns), 0, "10us");
	ASSERT_EQ(ns, 10000, "in ns");
	ASSERT_EQ(parse_duration_ns("2ms", &ns), 0, "2ms");
	ASSERT_EQ(ns, 2000000, "2ms in ns");
	ASSERT_EQ(parse_duration_ns("500ns", &ns), 0, "500ns");
	ASSERT_EQ(ns, 500, "500ns in ns");
	ASSERT_EQ(parse_duration_ns("1s", &ns), 0, "1s");
	ASSERT_EQ(ns, 1000000000, "1s in ns");
	ASSERT_EQ(parse_duration_ns("25", &ns), 0, "bare");
	ASSERT_EQ(ns, 25000, "a bare number is us");
	ASSERT_EQ(parse_duration_ns("10 us", &ns), (unsigned long long)-1, "blank");
	ASSERT_EQ(parse_duration_ns("10min", &ns), (unsigned long long)-1, "unknown unit");
	ASSERT_EQ(parse_duration_ns("-1us", &ns), (unsigned long long)-1, "negative");
	ASSERT_EQ(parse_duration_ns("99999999999999999s", &ns), (unsigned long long)-1, "overflow");
	ASSERT_EQ(ns, 25000, "kept after an error");
	return true;
}

static bool test_names(void)
{
	enum bench_mode mode;
	enum race_lock lock;
	unsigned int op;

	ASSERT_EQ(parse_mode("mmap", &mode), 0, "mmap");
	ASSERT_EQ(mode, MODE_MMAP, "mode");
	ASSERT_EQ(parse_mode("MMAP", &mode), (unsigned long long)-1, "case matters");
	ASSERT_EQ(parse_op("both", &op), 0, "both");
	ASSERT_EQ(op, OP_READ | OP_WRITE, "both is read and write");
	ASSERT_EQ(parse_op("rw", &op), (unsigned long long)-1, "rw");
	ASSERT_EQ(parse_lock("ioctl", &lock), 0, "ioctl");
	ASSERT_EQ(lock, LOCK_ATOMIC, "ioctl is the atomic add");
	ASSERT_STREQ(lock_name(LOCK_ATOMIC, MODE_SYSCALL), "ioctl", "user-space name");
	ASSERT_STREQ(lock_name(LOCK_ATOMIC, MODE_KERNEL), "atomic", "kernel name");
	ASSERT_EQ(parse_lock("spin", &lock), (unsigned long long)-1, "spin");
	return true;
}

static bool test_parse_args(void)
{
	char *argv[] = { "mymem-bench", "--mode", "kernel", "--sizes", "8,1k",
			 "-n", "7", "--warmup", "2", "--op", "read", "--json", NULL };
	char *race[] = { "mymem-bench", "--race", "4", "100", "--lock", "mutex",
			 "--trials", "5", NULL };
	struct bench_opts o;

	ASSERT_EQ(bench_parse_args(12, argv, &o), 0, "parse");
	ASSERT_EQ(o.mode, MODE_KERNEL, "mode");
	ASSERT_EQ(o.nr_sizes, 2, "sizes");
	ASSERT_EQ(o.sizes[1], 1024, "second size");
	ASSERT_EQ(o.n, 7, "n");
	ASSERT_EQ(o.warmup, 2, "warmup");
	ASSERT_EQ(o.ops, OP_READ, "op");
	ASSERT_TRUE(o.json && !o.race, "json, no race");

	ASSERT_EQ(bench_parse_args(8, race, &o), 0, "parse race");
	ASSERT_TRUE(o.race, "race");
	ASSERT_EQ(o.workers, 4, "workers");
	ASSERT_EQ(o.iterations, 100, "iterations");
	ASSERT_EQ(o.lock, LOCK_MUTEX, "lock");
	ASSERT_EQ(o.trials, 5, "trials");
	ASSERT_EQ(o.n, 1000, "default n kept");
	ASSERT_EQ(o.nr_sizes, 5, "default sizes kept");
	return true;
}

static const struct unit_test tests[] = {
	{ "parse_u64", test_parse_u64 },
	{ "parse_size", test_parse_size },
	{ "parse_size_list", test_parse_size_list },
	{ "parse_u64_list", test_parse_u64_list },
	{ "parse_duration", test_parse_duration },
	{ "names", test_names },
	{ "parse_args", test_parse_args },
};

UNIT_MAIN("options", tests)
