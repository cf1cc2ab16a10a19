/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Files that appear whole or not at all: written to PATH.tmp, renamed over
 * PATH once complete, and removed on failure, so a reader never sees a
 * truncated file and a failed write leaves nothing behind.
 */
#ifndef MYMEM_COMMON_ATOMIC_FILE_H
#define MYMEM_COMMON_ATOMIC_FILE_H

#include <limits.h>
#include <stdio.h>

struct atomic_file {
	FILE *f;		/* write here; NULL when not open */
	const char *path;
	char tmp[PATH_MAX];
};

/* Opens PATH.tmp. 0, or -1 with a message on stderr. */
int atomic_open(struct atomic_file *a, const char *path);
/* Closes and renames over PATH. 0, or -1 (message; the temporary removed). */
int atomic_commit(struct atomic_file *a);
/* Closes and removes the temporary: PATH stays as it was. */
void atomic_abort(struct atomic_file *a);

#endif /* MYMEM_COMMON_ATOMIC_FILE_H */
