// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mymem.h"
#include "target.h"

void explain_open_error(const char *path, int err)
{
	const char *hint = "";

	if (err == ENOENT && !strcmp(path, MYMEM_DEVICE))
		hint = ": is the mymem module loaded? (sudo insmod build/kmod/$(uname -r)/mymem.ko)";
	else if (err == ENOENT && !strcmp(path, MYMEM_TEST_DEVICE))
		hint = ": is the mymem_test module loaded? (sudo insmod build/kmod/$(uname -r)/mymem_test.ko, after mymem.ko)";
	else if (err == EACCES)
		hint = ": permission denied (run as root?)";
	fprintf(stderr, "mymem-bench: %s: %s%s\n", path, strerror(err), hint);
}

/* mymem says its size; another file (--dev) has it in its inode. */
static int target_size(struct target *t)
{
	struct stat st;

	if (!ioctl(t->fd, MYMEM_IOC_GET_SIZE, &t->size) && t->size)
		return 0;
	if (!fstat(t->fd, &st) && st.st_size > 0) {
		t->size = st.st_size;
		return 0;
	}
	fprintf(stderr, "mymem-bench: %s: cannot tell its size (not mymem, not a regular file)\n",
		t->path);
	return -1;
}

int target_open(struct target *t, enum bench_mode mode, const char *path)
{
	*t = (struct target){ .mode = mode, .path = path, .fd = -1 };
	t->fd = open(path, O_RDWR | O_CLOEXEC);
	if (t->fd < 0) {
		explain_open_error(path, errno);
		return -1;
	}
	if (target_size(t))
		goto fail;
	if (mode == MODE_MMAP) {
		t->map = mmap(NULL, t->size, PROT_READ | PROT_WRITE, MAP_SHARED, t->fd, 0);
		if (t->map == MAP_FAILED) {
			t->map = NULL;
			fprintf(stderr, "mymem-bench: mmap %s: %s\n", path, strerror(errno));
			goto fail;
		}
	}
	return 0;
fail:
	target_close(t);
	return -1;
}

void target_close(struct target *t)
{
	if (t->map)
		munmap(t->map, t->size);
	if (t->fd >= 0)
		close(t->fd);
	t->map = NULL;
	t->fd = -1;
}

int target_rewind(struct target *t)
{
	if (t->mode != MODE_SYSCALL)
		return 0;
	return lseek(t->fd, 0, SEEK_SET) == 0 ? 0 : -1;
}

ssize_t target_read(struct target *t, void *dst, size_t len)
{
	if (t->mode == MODE_MMAP) {
		memcpy(dst, t->map, len);
		return len;
	}
	return read(t->fd, dst, len);
}

ssize_t target_write(struct target *t, const void *src, size_t len)
{
	if (t->mode == MODE_MMAP) {
		memcpy(t->map, src, len);
		return len;
	}
	return write(t->fd, src, len);
}

int target_fill(struct target *t, const void *src, size_t len)
{
	return pwrite(t->fd, src, len, 0) == (ssize_t)len ? 0 : -1;
}

int target_fetch(struct target *t, void *dst, size_t len)
{
	return pread(t->fd, dst, len, 0) == (ssize_t)len ? 0 : -1;
}
