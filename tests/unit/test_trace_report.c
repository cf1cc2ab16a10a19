// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of mymemtrace's user-space maths and writers: percentiles from
 * log2 histograms, the breakdown's unknown parts, JSON and CSV export.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/hist.h"
#include "model/agg_row.h"
#include "model/breakdown.h"
#include "render/csv.h"
#include "render/run_json.h"
#include "model/run_file.h"
#include "collect/run_maps.h"
#include "unit.h"

static bool test_fine_bounds(void)
{
	uint64_t lo, hi, prev_hi = 0;
	size_t s;

	fine_bounds(5, &lo, &hi);
	ASSERT_TRUE(lo == 5 && hi == 5, "small values are exact");
	fine_bounds(8, &lo, &hi);
	ASSERT_TRUE(lo == 8 && hi == 9, "slot 8 is [8, 9]");
	fine_bounds(36, &lo, &hi);
	ASSERT_TRUE(lo == 1024 && hi == 1279, "slot 36 is [1024, 1279]");
	fine_bounds(39, &lo, &hi);
	ASSERT_TRUE(lo == 1792 && hi == 2047, "slot 39 is [1792, 2047]");
	/* The buckets tile the line: no gap, no overlap. */
	for (s = 0; s < MT_TOTAL_SLOTS; s++) {
		fine_bounds(s, &lo, &hi);
		ASSERT_TRUE(s == 0 || lo == prev_hi + 1, "contiguous");
		ASSERT_TRUE(hi >= lo, "ordered");
		ASSERT_TRUE(s == MT_TOTAL_SLOTS - 1 || hi - lo <= lo / 4, "at most a quarter wide");
		prev_hi = hi;
	}
	ASSERT_EQ(hi, UINT64_MAX, "the last slot takes everything above");
	return true;
}

static bool test_percentile_one_bucket(void)
{
	__u64 hist[MT_TOTAL_SLOTS] = {};

	/* 100 values in [1024, 1279]: p50 halfway, clamped to min and max. */
	hist[36] = 100;
	ASSERT_EQ(hist_percentile(hist, MT_TOTAL_SLOTS, 100, 50, 1024, 1279), 1151, "p50");
	ASSERT_EQ(hist_percentile(hist, MT_TOTAL_SLOTS, 100, 100, 1024, 1200), 1200,
		  "p100 clamped to max");
	ASSERT_EQ(hist_percentile(hist, MT_TOTAL_SLOTS, 100, 1, 1100, 1279), 1100,
		  "p1 clamped to min");
	return true;
}

static bool test_percentile_two_buckets(void)
{
	__u64 hist[MT_TOTAL_SLOTS] = {};

	hist[8] = 90;	/* [8, 9] */
	hist[76] = 10;	/* [1 Mi, 1.25 Mi) */
	ASSERT_TRUE(hist_percentile(hist, MT_TOTAL_SLOTS, 100, 90, 8, 2000000) <= 9,
		    "p90 in the low bucket");
	ASSERT_TRUE(hist_percentile(hist, MT_TOTAL_SLOTS, 100, 91, 8, 2000000) >= 1 << 20,
		    "p91 in the high bucket");
	ASSERT_EQ(hist_percentile(hist, MT_TOTAL_SLOTS, 0, 50, 0, 0), 0, "empty");
	return true;
}

/* The coverage a run model carries: here, everything attached. */
static struct run_target cov[NR_TARGETS];

static void all_attached(void)
{
	int i;

	for (i = 0; i < NR_TARGETS; i++) {
		cov[i].method = i < T_READ_FN ? ATTACH_TRACEPOINT : ATTACH_FENTRY;
		snprintf(cov[i].func, sizeof(cov[i].func), "f%d", i);
		snprintf(cov[i].measures, sizeof(cov[i].measures), "m");
		cov[i].why[0] = '\0';
	}
}

static struct agg_row sample_row(uint32_t path)
{
	struct agg_row r = { .key = { .path = path, .op = MT_OP_READ, .size = 64 } };

	r.agg.count = 4;
	r.agg.total_ns = 4000;
	r.agg.min_ns = 900;
	r.agg.max_ns = 1100;
	r.agg.part_ns[MT_PART_DISPATCH] = 1000;
	r.agg.part_ns[MT_PART_BUFFER] = 1200;
	r.agg.part_ns[MT_PART_COPY] = 1800;
	r.agg.total_hist[36] = 4;
	return r;
}

static bool test_breakdown_known_parts(void)
{
	struct calibration cal = { .valid = true, .mode_switch_ns = 77 };
	struct agg_row r = sample_row(MT_PATH_SYSCALL);
	struct breakdown b;

	all_attached();
	breakdown_of(&r, &cal, cov, &b);
	ASSERT_EQ(b.mean, 1000, "mean");
	ASSERT_EQ(b.part[MT_PART_COPY], 450, "copy per call");
	ASSERT_TRUE(b.known[MT_PART_COPY] && !b.has_unattributed, "all known");
	ASSERT_TRUE(b.mode_switch_known && b.mode_switch == 77, "mode switch");

	cov[T_COPY_TO_USER].method = ATTACH_NONE;
	breakdown_of(&r, &cal, cov, &b);
	ASSERT_TRUE(!b.known[MT_PART_COPY] && !b.known[MT_PART_BUFFER], "copy and buffer unknown");
	ASSERT_TRUE(b.known[MT_PART_DISPATCH], "dispatch still known");
	ASSERT_EQ(b.unattributed, 750, "buffer + copy together");

	cov[T_READ_FN].method = ATTACH_NONE;
	breakdown_of(&r, &cal, cov, &b);
	ASSERT_TRUE(!b.known[MT_PART_DISPATCH], "no module probe: dispatch unknown");
	ASSERT_EQ(b.unattributed, 1000, "everything but lock and off-CPU");

	r = sample_row(MT_PATH_KERNEL);
	all_attached();
	breakdown_of(&r, &cal, cov, &b);
	ASSERT_TRUE(b.mode_switch_known && b.mode_switch == 0, "kernel path: no mode switch");
	return true;
}

static char *slurp(const char *path)
{
	static char buf[16384];
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	if (f)
		fclose(f);
	buf[n] = '\0';
	return buf;
}

static bool test_export_json_and_csv(void)
{
	static struct agg_rows rows;
	struct run_context ctx = { .kernel = "test", .duration_ns = 5, .targets = cov,
				   .cal = { .valid = true, .mode_switch_ns = 77 } };
	struct run run = {};
	char json[] = "/tmp/mt-unit-XXXXXX", csv[64];
	int fd = mkstemp(json);
	char *text;

	ASSERT_TRUE(fd >= 0, "mkstemp");
	snprintf(csv, sizeof(csv), "%s.csv", json);
	all_attached();
	cov[T_COPY_TO_USER].method = ATTACH_NONE;
	snprintf(cov[T_COPY_TO_USER].why, sizeof(cov[0].why), "fentry: busy");
	rows.n = 1;
	rows.row[0] = sample_row(MT_PATH_SYSCALL);
	ASSERT_EQ(run_from_rows(&rows, &ctx, (uint64_t[MT_NR_COUNTERS]){ 3 }, &run), 0,
		  "run_from_rows");

	ASSERT_EQ(run_write(json, run_render_json, &run), 0, "run_write json");
	text = slurp(json);
	ASSERT_TRUE(strstr(text, "\"rows\":[{\"path\":\"syscall\",\"op\":\"read\",\"size\":64"), "row key");
	ASSERT_TRUE(strstr(text, "\"count\":4,\"total_ns\":{\"mean\":1000"), "count and mean");
	ASSERT_TRUE(strstr(text, "\"copy\":null,\"buffer\":null"), "unknown parts are null, not 0");
	ASSERT_TRUE(strstr(text, "\"unattributed\":750"), "their time together");
	ASSERT_TRUE(strstr(text, "\"drops\":{\"events\":3"), "drops");
	ASSERT_TRUE(strstr(text, "{\"le_ns\":1279,\"count\":4}"), "histogram");
	ASSERT_TRUE(strstr(text, "\"why\":\"fentry: busy\""), "why unavailable");

	ASSERT_EQ(run_write(csv, run_render_csv, &run), 0, "run_write csv");
	text = slurp(csv);
	ASSERT_TRUE(strstr(text, "\nsyscall,read,64,exact,4,1000,"), "csv row");
	ASSERT_TRUE(strstr(text, ",77,250,0,,,0,750,0,,ok\n"), "csv parts, empty when unknown");
	unlink(json);
	unlink(csv);
	run_free(&run);
	return true;
}

/* @run as JSON, in memory (free it). */
static char *json_text(const struct run *run)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	run_render_json(f, run);
	fclose(f);
	return text;
}

/* model -> JSON -> model -> JSON: the two JSONs are the same bytes. */
static bool round_trip(const struct run *run, const char *label)
{
	char path[] = "/tmp/mt-unit-rt-XXXXXX", err[256];
	char *first = json_text(run), *second;
	struct run back = {};
	int fd = mkstemp(path);
	FILE *f;

	ASSERT_TRUE(first && fd >= 0, "render");
	f = fdopen(fd, "w");
	fputs(first, f);
	fclose(f);
	ASSERT_EQ(run_read_json(path, &back, err, sizeof(err)), 0, label);
	unlink(path);
	second = json_text(&back);
	ASSERT_TRUE(second && !strcmp(first, second), label);
	free(first);
	free(second);
	run_free(&back);
	return true;
}

static bool test_json_round_trip(void)
{
	static struct agg_rows rows;
	struct run_context ctx = { .kernel = "test", .duration_ns = 5, .targets = cov,
				   .cal = { .valid = true, .calls = 2000, .user_ns = 900,
					    .kernel_ns = 400, .mode_switch_ns = 500,
					    .self_valid = true, .self_calls = 2000,
					    .self_untraced_ns = 1000, .self_traced_ns = 3000,
					    .self_ns = 2000 },
				   .part_hists = true };
	struct run run = {}, fixture = {};
	char err[256], *text;
	bool found;

	all_attached();
	cov[T_VM_FAULT].method = ATTACH_NONE;
	snprintf(cov[T_VM_FAULT].why, sizeof(cov[0].why), "fentry: no BTF");
	rows.n = 2;
	rows.row[0] = sample_row(MT_PATH_SYSCALL);
	rows.row[0].agg.part_hist[MT_PART_COPY][9] = 4;
	rows.row[0].agg.part_hist[MT_PART_LOCK][0] = 4;
	rows.row[1] = sample_row(MT_PATH_KERNEL);
	rows.row[1].agg.offcpu_switches = 3;
	rows.row[1].agg.part_hist[MT_PART_OFFCPU][31] = 1;
	ASSERT_EQ(run_from_rows(&rows, &ctx, (uint64_t[MT_NR_COUNTERS]){ 1, 2, 3, 4 }, &run), 0,
		  "run_from_rows");
	if (!round_trip(&run, "live run with part histograms"))
		return false;
	text = json_text(&run);
	found = text && strstr(text, "\"part_hist\":{\"dispatch\":[],\"lock_wait\":[{\"le_ns\":1,\"count\":4}]");
	free(text);
	ASSERT_TRUE(found, "part histograms in the JSON");
	ASSERT_EQ(run_read_json("tests/unit/fixtures/run-a.json", &fixture, err, sizeof(err)), 0,
		  "fixture (version 0.1)");
	if (!round_trip(&fixture, "saved run without part histograms"))
		return false;
	run_free(&run);
	run_free(&fixture);
	return true;
}

static const struct unit_test tests[] = {
	{ "fine_bounds", test_fine_bounds },
	{ "percentile_one_bucket", test_percentile_one_bucket },
	{ "percentile_two_buckets", test_percentile_two_buckets },
	{ "breakdown_known_parts", test_breakdown_known_parts },
	{ "export_json_and_csv", test_export_json_and_csv },
	{ "json_round_trip", test_json_round_trip },
};

UNIT_MAIN("trace_report", tests)
