/* SPDX-License-Identifier: GPL-2.0 */
/* Numbers from the command line, parsed one way by every program. */
#ifndef MYMEM_COMMON_PARSE_H
#define MYMEM_COMMON_PARSE_H

#include <stdint.h>

/*
 * A whole decimal number in [min, max]: no sign, no blanks, nothing after
 * it. 0 with the value in @out, or -1 (and @out untouched).
 */
int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);

#endif /* MYMEM_COMMON_PARSE_H */
