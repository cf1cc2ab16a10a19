// SPDX-License-Identifier: GPL-2.0
/* Unit tests of src/common/json.c: commas, nesting, escaping, numbers. */
#include <stdint.h>
#include <stdlib.h>

#include "json.h"
#include "unit.h"

/* Runs @fn on a writer over a memory stream; returns the text (static). */
static const char *render(void (*fn)(struct json *), int *status)
{
	static char text[1024];
	FILE *f = fmemopen(text, sizeof(text), "w");
	struct json j;

	json_begin(&j, f);
	fn(&j);
	*status = json_end(&j);
	fclose(f);
	return text;
}

static void nested(struct json *j)
{
	json_object_begin(j);
	json_key(j, "a");
	json_u64(j, 1);
	json_key(j, "list");
	json_array_begin(j);
	json_u64(j, 2);
	json_object_begin(j);
	json_object_end(j);
	json_array_begin(j);
	json_array_end(j);
	json_i64(j, -3);
	json_array_end(j);
	json_key(j, "t");
	json_bool(j, true);
	json_key(j, "n");
	json_null(j);
	json_object_end(j);
}

static bool test_nesting_and_commas(void)
{
	int status;
	const char *s = render(nested, &status);

	ASSERT_STREQ(s, "{\"a\":1,\"list\":[2,{},[],-3],\"t\":true,\"n\":null}\n", "text");
	ASSERT_EQ(status, 0, "status");
	return true;
}

static void escapes(struct json *j)
{
	json_array_begin(j);
	json_string(j, "q\"b\\s/\n\t\x01");
	json_string(j, "");
	json_string(j, "µs");
	json_array_end(j);
}

static bool test_string_escaping(void)
{
	int status;
	const char *s = render(escapes, &status);

	ASSERT_STREQ(s, "[\"q\\\"b\\\\s/\\n\\t\\u0001\",\"\",\"µs\"]\n", "text");
	return true;
}

static void numbers(struct json *j)
{
	json_array_begin(j);
	json_u64(j, UINT64_MAX);
	json_i64(j, INT64_MIN);
	json_double(j, 0.5);
	json_double(j, 1.0 / 0.0);
	json_array_end(j);
}

static bool test_numbers(void)
{
	int status;
	const char *s = render(numbers, &status);

	ASSERT_STREQ(s, "[18446744073709551615,-9223372036854775808,0.5,null]\n",
		     "text: infinity is not JSON, so null");
	return true;
}

static void unbalanced(struct json *j)
{
	json_object_begin(j);
	json_key(j, "a");
}

static bool test_misuse_reported(void)
{
	int status;

	render(unbalanced, &status);
	ASSERT_EQ(status, (unsigned long long)-1, "an unclosed object is an error");
	return true;
}

static const struct unit_test tests[] = {
	{ "nesting_and_commas", test_nesting_and_commas },
	{ "string_escaping", test_string_escaping },
	{ "numbers", test_numbers },
	{ "misuse_reported", test_misuse_reported },
};

UNIT_MAIN("json", tests)
