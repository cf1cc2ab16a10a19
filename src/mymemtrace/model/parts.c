// SPDX-License-Identifier: GPL-2.0
#include <curses.h>

#include "model/parts.h"

/*
 * The order is the reports' (the course's question first: what happens
 * before the buffer is reached, then the buffer, then time away). The SVG
 * stacks the buffer, the innermost part, at the bottom.
 */
const struct part_info part_table[NR_PARTS] = {
	{ MT_PART_DISPATCH, "dispatch", "dispatch", 'D', COLOR_BLUE, "#4e79a7", 3 },
	{ MT_PART_LOCK, "lock_wait", "lock wait", 'L', COLOR_RED, "#e15759", 2 },
	{ MT_PART_COPY, "copy", "copy", 'C', COLOR_YELLOW, "#f28e2b", 1 },
	{ MT_PART_BUFFER, "buffer", "buffer", 'B', COLOR_GREEN, "#59a14f", 0 },
	{ MT_PART_OFFCPU, "offcpu", "off-CPU", 'O', COLOR_MAGENTA, "#b07aa1", 4 },
};
