// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the oldest-kernel check (kernel_version.h). */
#include "collect/kernel_version.h"
#include "unit.h"

static bool test_releases(void)
{
	ASSERT_TRUE(kernel_release_supported("6.1.0-57-amd64"), "Debian 12's 6.1");
	ASSERT_TRUE(kernel_release_supported("6.12.117+deb12-amd64"), "Debian 12's 6.12");
	ASSERT_TRUE(kernel_release_supported("5.15.0-91-generic"), "the oldest: 5.15");
	ASSERT_TRUE(kernel_release_supported("10.0"), "a later major");
	ASSERT_TRUE(!kernel_release_supported("5.14.21"), "5.14 is refused");
	ASSERT_TRUE(!kernel_release_supported("5.10.0-30-amd64"), "Debian 11's 5.10 is refused");
	ASSERT_TRUE(!kernel_release_supported("4.19.0"), "an older major is refused");
	ASSERT_TRUE(!kernel_release_supported("2.6.78-fc"), "setarch --uname-2.6 is refused");
	ASSERT_TRUE(kernel_release_supported("custom"), "no MAJOR.MINOR: left to the load");
	return true;
}

static const struct unit_test tests[] = {
	{ "releases", test_releases },
};

UNIT_MAIN("trace_kernel", tests)
