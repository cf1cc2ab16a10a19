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
/*
 * A comma-separated list of such numbers, each in [min, max], into @out
 * (room for @max_n). Returns how many: 0 for an empty string, -1 for an
 * empty item, a bad one, or more than @max_n.
 */
int parse_u64_list(const char *s, uint64_t min, uint64_t max, uint64_t *out, int max_n);
/*
 * A number as strtod reads it, in [min, max]: nothing before or after it,
 * and neither inf nor nan. 0 with the value in @out, or -1 (@out untouched).
 */
int parse_double(const char *s, double min, double max, double *out);

/*
 * A duration: a whole number with a unit, ns, us, ms or s ("10us", "2ms");
 * a bare number is in µs, as funcslower takes it. 0 with the ns in @out,
 * or -1 (@out untouched).
 */
int parse_duration_ns(const char *s, uint64_t *out);

#endif /* MYMEM_COMMON_PARSE_H */
