// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the saved-run tools on fixture JSON (tests/unit/fixtures):
 * reading a run back, the "why is user space slower" report, diff and the
 * SVG plot.
 */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "render/diff.h"
#include "render/report.h"
#include "model/run.h"
#include "model/run_file.h"
#include "render/svg.h"
#include "unit.h"

#define FIXTURE_A "tests/unit/fixtures/run-a.json"
#define FIXTURE_B "tests/unit/fixtures/run-b.json"

/* Renders @fn(view) into a string (caller frees). */
static char *render(void (*fn)(FILE *, const struct run *), const struct run *v)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	fn(f, v);
	fclose(f);
	return text;
}

static char *write_temp(const char *text)
{
	static char path[] = "/tmp/mymemtrace-unit-XXXXXX";
	int fd;

	strcpy(path, "/tmp/mymemtrace-unit-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		return NULL;
	close(fd);
	return path;
}

static bool test_read_fixture(void)
{
	struct mt_key key = { .path = MT_PATH_SYSCALL, .op = MT_OP_READ, .size = 64 };
	struct run v = {};
	const struct run_row *r;
	char err[512] = "";
	uint64_t sum = 0;
	size_t s;

	ASSERT_TRUE(!run_read_json(FIXTURE_A, &v, err, sizeof(err)), err);
	ASSERT_EQ(v.n, 17, "rows");
	r = run_find(&v, &key);
	ASSERT_TRUE(r != NULL, "syscall read 64 is there");
	ASSERT_EQ(r->b.count, 500, "count");
	ASSERT_EQ(r->b.mean, 3302, "mean");
	ASSERT_EQ(r->b.part[MT_PART_COPY], 838, "copy");
	ASSERT_TRUE(r->b.mode_switch_known && r->b.mode_switch == 1026, "mode switch");
	for (s = 0; s < MT_TOTAL_SLOTS; s++)
		sum += r->hist[s];
	ASSERT_EQ(sum, 500, "the histogram comes back whole");
	ASSERT_TRUE(v.cal.valid && v.cal.mode_switch_ns == 1026, "calibration");
	run_free(&v);
	return true;
}

static bool test_unknown_parts_stay_unknown(void)
{
	const char *doc = "{\"tool\":\"mymemtrace\",\"kernel\":\"k\",\"rows\":[{\"path\":\"syscall\","
		"\"op\":\"read\",\"size\":64,\"size_class\":\"exact\",\"count\":4,\"total_ns\":{\"mean\":1000},"
		"\"breakdown_ns\":{\"mode_switch\":null,\"dispatch\":250,\"lock_wait\":0,\"copy\":null,"
		"\"buffer\":null,\"offcpu\":0,\"unattributed\":750},\"hist\":[]}],"
		"\"unavailable\":{\"mymem_read\":{\"why\":\"fentry: busy\",\"missing\":\"the split\"}}}";
	char *path = write_temp(doc), err[512] = "";
	struct run v = {};
	char *text;

	ASSERT_TRUE(path != NULL, "temp file");
	ASSERT_TRUE(!run_read_json(path, &v, err, sizeof(err)), err);
	unlink(path);
	ASSERT_TRUE(!v.rows[0].b.known[MT_PART_COPY] && !v.rows[0].b.mode_switch_known,
		    "null parts are unknown, not 0");
	ASSERT_TRUE(v.rows[0].b.has_unattributed && v.rows[0].b.unattributed == 750, "unattributed");
	text = render(report_table, &v);
	ASSERT_TRUE(strstr(text, "not attached: mymem_read (fentry: busy)") != NULL, "problems");
	free(text);
	run_free(&v);
	return true;
}

static bool test_bad_files(void)
{
	char err[512] = "", *path;
	struct run v = {};

	ASSERT_TRUE(run_read_json("/nonexistent.json", &v, err, sizeof(err)), "missing file");
	ASSERT_TRUE(strstr(err, "No such file") != NULL, err);
	path = write_temp("{\"tool\":\"mymemtrace\",\"rows\":[{\"path\":");
	ASSERT_TRUE(run_read_json(path, &v, err, sizeof(err)), "truncated");
	ASSERT_TRUE(strstr(err, "not valid JSON: line 1") != NULL, err);
	unlink(path);
	path = write_temp("{\"tool\":\"mymem-bench\",\"rows\":[]}");
	ASSERT_TRUE(run_read_json(path, &v, err, sizeof(err)), "another tool");
	ASSERT_TRUE(strstr(err, "not a mymemtrace run") != NULL, err);
	unlink(path);
	path = write_temp("{\"tool\":\"mymemtrace\",\"rows\":[{\"path\":\"nowhere\"}]}");
	ASSERT_TRUE(run_read_json(path, &v, err, sizeof(err)), "bad row");
	ASSERT_TRUE(strstr(err, "row 1") != NULL, err);
	unlink(path);
	return true;
}

static bool test_compare_report(void)
{
	struct run v = {};
	char err[512] = "", *text;

	ASSERT_TRUE(!run_read_json(FIXTURE_A, &v, err, sizeof(err)), err);
	text = render(report_compare, &v);
	/* 64 B read: (3302 + 1026) / 703; write: (2804 + 1026) / 607. */
	ASSERT_TRUE(strstr(text, "       64 |       703      4328   6.16x |       607      3830   6.31x") != NULL,
		    "course-shaped row for 64 B");
	/* diff 3625 = 1026 mode switch + 1634 dispatch + (838 + 829 - 703) copy vs memcpy. */
	ASSERT_TRUE(strstr(text, "       64 read       3625      1026 (28%)      1634 (45%)       964 (27%)") != NULL,
		    "the 64 B read's difference, split");
	ASSERT_TRUE(strstr(text, "mmap path: 1 page faults, 439916 ns each") != NULL, "mmap line");
	free(text);
	run_free(&v);
	return true;
}

static bool test_diff(void)
{
	struct run a = {}, b = {};
	char err[512] = "", *text = NULL;
	size_t len = 0;
	FILE *f;

	ASSERT_TRUE(!run_read_json(FIXTURE_A, &a, err, sizeof(err)), err);
	ASSERT_TRUE(!run_read_json(FIXTURE_B, &b, err, sizeof(err)), err);
	f = fopen("/dev/null", "w");
	ASSERT_EQ(diff_runs(f, &a, &a, DIFF_MEAN, 10), 0, "a run against itself");
	ASSERT_EQ(diff_runs(f, &a, &b, DIFF_MEAN, 10), 1, "the slower row, at 10%");
	ASSERT_EQ(diff_runs(f, &a, &b, DIFF_MEAN, 60), 0, "under a 60% threshold");
	ASSERT_EQ(diff_runs(f, &a, &b, DIFF_P99, 10), 1, "p99 too");
	ASSERT_EQ(diff_runs(f, &b, &a, DIFF_MEAN, 10), 0, "faster is not a regression");
	fclose(f);
	f = open_memstream(&text, &len);
	diff_runs(f, &a, &b, DIFF_MEAN, 10);
	fclose(f);
	ASSERT_TRUE(strstr(text, "syscall read         64 |       3302       4953    1.50x") != NULL, text);
	ASSERT_TRUE(strstr(text, "REGRESSED") != NULL, "marked");
	free(text);
	run_free(&a);
	run_free(&b);
	return true;
}

static bool test_svg(void)
{
	struct run v = {};
	char err[512] = "", *text;

	ASSERT_TRUE(!run_read_json(FIXTURE_A, &v, err, sizeof(err)), err);
	text = render(svg_render, &v);
	ASSERT_TRUE(!strncmp(text, "<?xml", 5), "an XML document");
	ASSERT_TRUE(strstr(text, "<svg xmlns=\"http://www.w3.org/2000/svg\"") != NULL, "SVG root");
	ASSERT_TRUE(strstr(text, "syscall read 64: copy 838 ns") != NULL, "a stacked segment");
	ASSERT_TRUE(strstr(text, "kernel write 65536 B: 500 calls") != NULL, "a histogram");
	ASSERT_TRUE(strstr(text, "</svg>\n") != NULL, "closed");
	free(text);
	run_free(&v);
	return true;
}

static const struct unit_test tests[] = {
	{ "read_fixture", test_read_fixture },
	{ "unknown_parts_stay_unknown", test_unknown_parts_stay_unknown },
	{ "bad_files", test_bad_files },
	{ "compare_report", test_compare_report },
	{ "diff", test_diff },
	{ "svg", test_svg },
};

UNIT_MAIN("trace_view", tests)
