// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <sys/utsname.h>

#include "collect/kernel_version.h"

bool kernel_release_supported(const char *release)
{
	unsigned int major, minor;

	if (sscanf(release, "%u.%u", &major, &minor) != 2)
		return true;
	return major > MT_MIN_KERNEL_MAJOR ||
	       (major == MT_MIN_KERNEL_MAJOR && minor >= MT_MIN_KERNEL_MINOR);
}

bool kernel_supported(void)
{
	struct utsname uts;

	if (uname(&uts) || kernel_release_supported(uts.release))
		return true;
	fprintf(stderr, "mymemtrace: kernel %s is older than %u.%u, the oldest mymemtrace runs on: it needs %s\n",
		uts.release, MT_MIN_KERNEL_MAJOR, MT_MIN_KERNEL_MINOR, MT_MIN_KERNEL_NEEDS);
	return false;
}
