/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An aggregate as the BPF side keeps it, summed over the CPUs: one per
 * (path, op, size) key. The map reader (collect/maps.c) fills them; the
 * breakdown and the compensation read them. Nothing here knows the maps.
 */
#ifndef MYMEMTRACE_MODEL_AGG_ROW_H
#define MYMEMTRACE_MODEL_AGG_ROW_H

#include <stdbool.h>
#include <stddef.h>

#include <linux/types.h>

#include "mymemtrace.h"

#define MAX_AGG_ROWS MT_MAX_AGG_SLOTS

struct agg_row {
	struct mt_key key;
	struct mt_agg agg;
	bool refused;	/* compensate_row(): the calibration does not hold for it */
};

struct agg_rows {
	struct agg_row row[MAX_AGG_ROWS];
	size_t n;
};

#endif /* MYMEMTRACE_MODEL_AGG_ROW_H */
