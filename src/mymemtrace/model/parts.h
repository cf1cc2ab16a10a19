/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parts of a call, as every output names them: one table, in the order
 * every output lists them. The BPF side's enum mt_part (mymemtrace.h) is
 * the index into the aggregates; this table says how each is shown.
 */
#ifndef MYMEMTRACE_MODEL_PARTS_H
#define MYMEMTRACE_MODEL_PARTS_H

#include <linux/types.h>

#include "mymemtrace.h"

struct part_info {
	enum mt_part id;
	const char *key;	/* JSON key; the CSV column adds "_ns" */
	const char *label;	/* tables, live view, SVG legend */
	char letter;		/* the live view's bar */
	short curses_color;	/* the live view's bar colour (COLOR_*) */
	const char *svg_color;
	int svg_stack;		/* 0 at the bottom of the SVG's stacked bars */
};

#define NR_PARTS MT_NR_PARTS
extern const struct part_info part_table[NR_PARTS];

#endif /* MYMEMTRACE_MODEL_PARTS_H */
