/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal harness in the spirit of the kernel's selftests: a test
 * program runs named subtests and prints KTAP (the kernel's
 * Documentation/dev-tools/ktap.rst), which TAP tools read too:
 *
 *	KTAP version 1
 *	1..<number of subtests>
 *	ok 1 unit/<suite>/<name>
 *	# tests/unit/test_x.c:42: <what>: got 3, want 4
 *	not ok 2 unit/<suite>/<name> # <what>: got 3, want 4
 *
 * An ASSERT that fails prints where and what as diagnostic lines ("# "),
 * keeps the reason for the result line and returns false from the subtest.
 */
#ifndef MYMEM_UNIT_H
#define MYMEM_UNIT_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *unit_suite, *unit_test;
static int unit_failures;
/* Why the current subtest failed: the result line's diagnostic. */
static char unit_why[256];

/* unit_diag: TEXT as diagnostic lines, the first after LABEL, the others
 * under it (a multi-line string stays readable and stays KTAP). */
static inline void unit_diag(const char *label, const char *text)
{
	int indent = (int)strlen(label);
	const char *eol;

	printf("# %s", label);
	while ((eol = strchr(text, '\n'))) {
		printf("%.*s\n# %*s", (int)(eol - text), text, indent, "");
		text = eol + 1;
	}
	printf("%s\n", text);
}

#define UNIT_FAILED(...)						\
	do {								\
		snprintf(unit_why, sizeof(unit_why), __VA_ARGS__);	\
		printf("# %s:%d: %s\n", __FILE__, __LINE__, unit_why);	\
	} while (0)

#define ASSERT_TRUE(cond, what)						\
	do {								\
		if (!(cond)) {						\
			UNIT_FAILED("%s", what);			\
			return false;					\
		}							\
	} while (0)

#define ASSERT_EQ(got, want, what)					\
	do {								\
		unsigned long long _g = (got), _w = (want);		\
		if (_g != _w) {						\
			UNIT_FAILED("%s: got %llu, want %llu", what,	\
				    _g, _w);				\
			return false;					\
		}							\
	} while (0)

#define ASSERT_STREQ(got, want, what)					\
	do {								\
		const char *_g = (got), *_w = (want);			\
		if (strcmp(_g, _w)) {					\
			UNIT_FAILED("%s", what);			\
			unit_diag("got  ", _g);				\
			unit_diag("want ", _w);				\
			return false;					\
		}							\
	} while (0)

struct unit_test {
	const char *name;
	bool (*fn)(void);
};

/* unit_result_why: the reason on one line, with no "#", and not starting
 * with a directive's word: after the result line's "#", "SKIP" or "TODO"
 * would make a TAP reader take the failure for a skip or an expected one. */
static inline const char *unit_result_why(void)
{
	static char line[sizeof(unit_why) + 16];
	char *c;

	for (c = unit_why; *c; c++)
		if (*c == '\n' || *c == '#')
			*c = ' ';
	snprintf(line, sizeof(line), "%s%s",
		 strncasecmp(unit_why, "skip", 4) && strncasecmp(unit_why, "todo", 4) ?
		 "" : "failed: ", unit_why[0] ? unit_why : "failed");
	return line;
}

static inline int unit_run(const char *suite, const struct unit_test *tests,
			   size_t n)
{
	size_t i;

	/* Line by line: a subtest that crashes leaves the results before it. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	unit_suite = suite;
	printf("KTAP version 1\n1..%zu\n", n);
	for (i = 0; i < n; i++) {
		unit_test = tests[i].name;
		unit_why[0] = '\0';
		if (tests[i].fn()) {
			printf("ok %zu unit/%s/%s\n", i + 1, suite, unit_test);
		} else {
			printf("not ok %zu unit/%s/%s # %s\n", i + 1, suite,
			       unit_test, unit_result_why());
			unit_failures++;
		}
	}
	return unit_failures ? 1 : 0;
}

#define UNIT_MAIN(suite, tests)						\
	int main(void)							\
	{								\
		return unit_run(suite, tests,				\
				sizeof(tests) / sizeof(tests[0]));	\
	}

#endif /* MYMEM_UNIT_H */
