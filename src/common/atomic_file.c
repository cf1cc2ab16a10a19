// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "atomic_file.h"

int atomic_open(struct atomic_file *a, const char *path)
{
	a->path = path;
	snprintf(a->tmp, sizeof(a->tmp), "%s.tmp", path);
	a->f = fopen(a->tmp, "w");
	if (!a->f) {
		fprintf(stderr, "%s: cannot write %s: %s\n", program_invocation_short_name,
			a->tmp, strerror(errno));
		return -1;
	}
	return 0;
}

int atomic_commit(struct atomic_file *a)
{
	int ret;

	if (!a->f)
		return -1;
	ret = ferror(a->f) | fclose(a->f);
	a->f = NULL;
	if (ret || rename(a->tmp, a->path)) {
		fprintf(stderr, "%s: writing %s failed: %s\n", program_invocation_short_name,
			a->path, strerror(errno));
		remove(a->tmp);
		return -1;
	}
	return 0;
}

void atomic_abort(struct atomic_file *a)
{
	if (!a->f)
		return;
	fclose(a->f);
	a->f = NULL;
	remove(a->tmp);
}
