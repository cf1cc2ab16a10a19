/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The live run of --hist -i SEC on a terminal: a full-screen table
 * redrawn in place (ncurses), one row per (path, op, size) with its rate,
 * mean, p99 and a stacked bar of its parts, and the histogram of the
 * selected row. Keys: up/down (or k/j) select, c cycles the histogram
 * between the total and each part, r resets the counters, q quits.
 */
#ifndef MYMEMTRACE_RENDER_LIVE_H
#define MYMEMTRACE_RENDER_LIVE_H

#include <stdbool.h>

#include "model/run.h"

enum live_action { LIVE_NONE, LIVE_REDRAW, LIVE_RESET, LIVE_QUIT };

/* Is there a terminal to draw on and read keys from? */
bool live_possible(void);
/* Takes the terminal. 0, or -1 (then nothing was changed). */
int live_start(const char *title);
/* Gives the terminal back as it was. Safe to call more than once. */
void live_stop(void);
/*
 * Redraws from @run; @elapsed_s since the start (or the last reset).
 * @tick: a new interval, so the rates are updated; else only a key's redraw.
 */
void live_draw(const struct run *run, double elapsed_s, bool tick);
/* Handles the keys pressed since the last call. */
enum live_action live_keys(void);
/* Forget the rates' previous counts (after a reset). */
void live_reset_rates(void);

#endif /* MYMEMTRACE_RENDER_LIVE_H */
