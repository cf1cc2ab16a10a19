/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mymem's kernel API: what other modules (mymem_test) call to reach the
 * buffer from kernel code. Every call takes the same lock as read(2) and
 * write(2) on /dev/mymem, so the two paths are atomic with respect to each
 * other.
 */
#ifndef _MYMEM_H
#define _MYMEM_H

#include <linux/compiler.h>
#include <linux/types.h>

/*
 * A module that must load with a clear message when mymem is missing
 * defines MYMEM_WEAK_IMPORT: the symbols below then resolve to NULL instead
 * of failing the load with "Unknown symbol", and the module checks them.
 */
#ifdef MYMEM_WEAK_IMPORT
#define MYMEM_IMPORT __weak
#else
#define MYMEM_IMPORT
#endif

/* Read up to @len bytes at @pos. Returns bytes read, 0 at the end. */
ssize_t mymem_kernel_read(void *dst, size_t len, loff_t pos) MYMEM_IMPORT;
/* Write up to @len bytes at @pos. Returns bytes written, -ENOSPC at the end. */
ssize_t mymem_kernel_write(const void *src, size_t len, loff_t pos) MYMEM_IMPORT;
/* Atomically add @delta to the u64 at @pos (8-byte aligned). */
int mymem_kernel_add_u64(loff_t pos, u64 delta, u64 *result) MYMEM_IMPORT;
/* copy_to_user/copy_from_user, out of line so that tracers see them. */
size_t mymem_copy_to_user(void __user *to, const void *from, size_t n) MYMEM_IMPORT;
size_t mymem_copy_from_user(void *to, const void __user *from, size_t n) MYMEM_IMPORT;
/* The buffer size in bytes. */
size_t mymem_kernel_size(void) MYMEM_IMPORT;

#endif /* _MYMEM_H */
