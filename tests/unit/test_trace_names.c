// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of model/names.c (how outputs name an op and how its calls
 * ended) and of a result through every output: JSON both ways, CSV and
 * Prometheus.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/names.h"
#include "model/run.h"
#include "model/run_file.h"
#include "render/csv.h"
#include "render/prometheus.h"
#include "render/run_json.h"
#include "unit.h"

static bool test_result_names(void)
{
	char buf[OP_LABEL_LEN];

	ASSERT_TRUE(!result_name(MT_RESULT_OK, buf, sizeof(buf)), "success has no name");
	ASSERT_STREQ(result_name(MT_RESULT_SHORT, buf, sizeof(buf)), "short", "short");
	ASSERT_STREQ(result_name(14, buf, sizeof(buf)), "EFAULT", "an errno by its name");
	ASSERT_STREQ(result_name(28, buf, sizeof(buf)), "ENOSPC", "ENOSPC");
	ASSERT_STREQ(result_name(4000, buf, sizeof(buf)), "errno_4000", "an errno with no name");
	ASSERT_STREQ(result_name(MT_RESULT_VM_FAULT | 0x2, buf, sizeof(buf)), "VM_FAULT_SIGBUS",
		     "a fault's error bit");
	ASSERT_STREQ(result_name(MT_RESULT_VM_FAULT | 0x41, buf, sizeof(buf)),
		     "VM_FAULT_OOM|VM_FAULT_SIGSEGV", "several bits");
	return true;
}

static bool test_op_labels(void)
{
	struct mt_key plain = { .op = MT_OP_READ };
	struct mt_key failed = { .op = MT_OP_READ, .result = 14 };
	struct mt_key vec_short = { .op = MT_OP_WRITE, .via = MT_NR_PWRITEV2,
				    .result = MT_RESULT_SHORT };
	struct mt_key uring = { .op = MT_OP_READ, .via = MT_VIA_OUTSIDE | MT_NR_IO_URING_ENTER,
				.result = 14 };

	ASSERT_STREQ(KEY_OP_LABEL(&plain), "read", "a plain read");
	ASSERT_STREQ(KEY_OP_LABEL(&failed), "read:EFAULT", "a failed read");
	ASSERT_STREQ(KEY_OP_LABEL(&vec_short), "pwritev2:short", "a short vectored write");
	ASSERT_STREQ(KEY_OP_LABEL(&uring), "read@uring:EFAULT", "outside a syscall, failed");
	return true;
}

/* A run of a 64-byte read row twice: the calls that succeeded and those that failed. */
static void two_rows(struct run *run, struct run_row rows[2])
{
	memset(run, 0, sizeof(*run));
	memset(rows, 0, 2 * sizeof(rows[0]));
	rows[0].key = (struct mt_key){ .path = MT_PATH_SYSCALL, .op = MT_OP_READ, .size = 64 };
	rows[0].b.count = 10;
	rows[0].b.mean = 900;
	rows[1].key = rows[0].key;
	rows[1].key.result = 14;
	rows[1].b.count = 3;
	rows[1].b.mean = 400;
	run->rows = rows;
	run->n = 2;
}

static char *render(run_renderer *fn, const struct run *run)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	fn(f, run);
	fclose(f);
	return text;
}

static bool test_json_round_trip(void)
{
	struct run run, back = { 0 };
	struct run_row rows[2];
	const struct run_row *ok, *failed;
	struct mt_key key;
	char err[256] = "", *text;

	two_rows(&run, rows);
	text = render(run_render_json, &run);
	ASSERT_TRUE(strstr(text, "\"result\": \"EFAULT\"") || strstr(text, "\"result\":\"EFAULT\""),
		    "the failed row says its errno");
	ASSERT_TRUE(!run_parse_json(text, &back, err, sizeof(err)), err);
	free(text);
	ASSERT_EQ(back.n, 2, "both rows read back");
	key = rows[0].key;
	ok = run_find(&back, &key);
	key.result = 14;
	failed = run_find(&back, &key);
	ASSERT_TRUE(ok && failed && ok != failed, "two rows, one per result");
	ASSERT_EQ(ok->b.count, 10, "the successes' count");
	ASSERT_EQ(failed->b.count, 3, "the failures' count");
	run_free(&back);
	return true;
}

static bool test_csv_and_prometheus(void)
{
	struct run run;
	struct run_row rows[2];
	char *text;

	two_rows(&run, rows);
	text = render(run_render_csv, &run);
	ASSERT_TRUE(strstr(text, ",via,result\n") != NULL, "CSV header");
	ASSERT_TRUE(strstr(text, ",ok\n") && strstr(text, ",EFAULT\n"), "CSV result column");
	free(text);
	text = render(run_render_prometheus, &run);
	ASSERT_TRUE(strstr(text, "size=\"64\",result=\"EFAULT\"") != NULL,
		    "the failures' series carry a result label");
	ASSERT_TRUE(strstr(text, "size=\"64\"}") != NULL, "the successes' series carry none");
	ASSERT_TRUE(!strstr(text, "result=\"ok\""), "no result label on successes");
	free(text);
	return true;
}

static const struct unit_test tests[] = {
	{ "result_names", test_result_names },
	{ "op_labels", test_op_labels },
	{ "json_round_trip", test_json_round_trip },
	{ "csv_and_prometheus", test_csv_and_prometheus },
};

UNIT_MAIN("trace_names", tests)
