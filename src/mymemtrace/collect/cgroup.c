// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <linux/magic.h>

#include "collect/cgroup.h"

int cgroup_open(const char *path)
{
	struct statfs fs;
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "mymemtrace: --cgroup %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fstatfs(fd, &fs) || fs.f_type != CGROUP2_SUPER_MAGIC) {
		fprintf(stderr, "mymemtrace: --cgroup %s: not a cgroup v2 directory (the unified hierarchy, usually under /sys/fs/cgroup)\n",
			path);
		close(fd);
		return -1;
	}
	return fd;
}
