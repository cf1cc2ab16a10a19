/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal harness in the spirit of the kernel's selftests: a test
 * program runs named subtests; each ASSERT prints what failed and returns
 * false from the subtest. One line per subtest: "PASS unit/<suite>/<name>"
 * or "FAIL unit/<suite>/<name>: <why>".
 */
#ifndef MYMEM_UNIT_H
#define MYMEM_UNIT_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char *unit_suite, *unit_test;
static int unit_failures;

#define ASSERT_TRUE(cond, what)						\
	do {								\
		if (!(cond)) {						\
			printf("FAIL unit/%s/%s: %s\n", unit_suite,	\
			       unit_test, what);			\
			return false;					\
		}							\
	} while (0)

#define ASSERT_EQ(got, want, what)					\
	do {								\
		unsigned long long _g = (got), _w = (want);		\
		if (_g != _w) {						\
			printf("FAIL unit/%s/%s: %s: got %llu, want %llu\n", \
			       unit_suite, unit_test, what, _g, _w);	\
			return false;					\
		}							\
	} while (0)

#define ASSERT_STREQ(got, want, what)					\
	do {								\
		const char *_g = (got), *_w = (want);			\
		if (strcmp(_g, _w)) {					\
			printf("FAIL unit/%s/%s: %s:\n  got  %s\n  want %s\n", \
			       unit_suite, unit_test, what, _g, _w);	\
			return false;					\
		}							\
	} while (0)

struct unit_test {
	const char *name;
	bool (*fn)(void);
};

static inline int unit_run(const char *suite, const struct unit_test *tests,
			   size_t n)
{
	size_t i;

	unit_suite = suite;
	for (i = 0; i < n; i++) {
		unit_test = tests[i].name;
		if (tests[i].fn())
			printf("PASS unit/%s/%s\n", suite, unit_test);
		else
			unit_failures++;
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
