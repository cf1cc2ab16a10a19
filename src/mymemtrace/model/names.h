/* SPDX-License-Identifier: GPL-2.0 */
/* The names every output gives a path, an op, a way in and a result (mt_key). */
#ifndef MYMEMTRACE_MODEL_NAMES_H
#define MYMEMTRACE_MODEL_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include <linux/types.h>

#include "mymemtrace.h"

const char *path_name(uint32_t path);
const char *op_name(uint32_t op);
/* How a syscall-path call came in (mt_key.via): NULL for a plain read or write. */
const char *via_name(uint32_t via, char *buf, size_t len);
/*
 * How the calls ended (mt_key.result): NULL for the ones that did all
 * they were asked; "short", an errno's name ("EFAULT"), or a fault's error
 * bits ("VM_FAULT_SIGBUS").
 */
const char *result_name(uint32_t result, char *buf, size_t len);
/*
 * The op as tables show it: "read", "preadv", "read@uring" (mymemtrace.h),
 * and after a colon how the calls ended when they did not do all they
 * were asked: "read:EFAULT", "write:short".
 */
#define OP_LABEL_LEN 48
const char *op_label(const struct mt_key *k, char *buf, size_t len);
/* The same in a buffer that lives until the end of the enclosing statement. */
#define KEY_OP_LABEL(k) op_label((k), (char[OP_LABEL_LEN]){ 0 }, OP_LABEL_LEN)

#endif /* MYMEMTRACE_MODEL_NAMES_H */
