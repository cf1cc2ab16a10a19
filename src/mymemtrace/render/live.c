// SPDX-License-Identifier: GPL-2.0
/*
 * ncurses rather than raw escape codes: it knows every terminal's
 * capabilities from terminfo, redraws only the cells that changed, turns
 * SIGWINCH into KEY_RESIZE and restores the terminal's modes with endwin().
 * Hand-written escapes would have to redo each of those.
 */
#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/names.h"
#include "model/parts.h"
#include "render/live.h"

/* Colour pairs: part_table[i] has pair PAIR_PART + i. */
enum { PAIR_MODE = 1, PAIR_TITLE, PAIR_PART };

static struct {
	SCREEN *screen;
	const char *title;
	size_t selected;
	int hist_part;		/* -1: the total; else an index into part_table[] */
	/* Counts at the last draw, for the rates. */
	struct mt_key keys[MAX_RUN_ROWS];
	uint64_t counts[MAX_RUN_ROWS];
	size_t n_counts;
	double last_s;
	double rates[MAX_RUN_ROWS];
} live = { .hist_part = -1 };

bool live_possible(void)
{
	const char *term = getenv("TERM");

	return isatty(STDOUT_FILENO) && isatty(STDIN_FILENO) && term && *term &&
	       strcmp(term, "dumb");
}

int live_start(const char *title)
{
	live.screen = newterm(NULL, stdout, stdin);
	if (!live.screen)
		return -1;
	live.title = title;
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	if (has_colors()) {
		size_t i;

		start_color();
		use_default_colors();
		for (i = 0; i < NR_PARTS; i++)
			init_pair(PAIR_PART + i, COLOR_BLACK, part_table[i].curses_color);
		init_pair(PAIR_MODE, COLOR_CYAN, -1);
		init_pair(PAIR_TITLE, COLOR_BLACK, COLOR_CYAN);
	}
	return 0;
}

void live_stop(void)
{
	if (!live.screen)
		return;
	endwin();
	delscreen(live.screen);
	live.screen = NULL;
	fflush(stdout);
}

void live_reset_rates(void)
{
	live.n_counts = 0;
}

/* Rates from the counts at the last draw; remembers the new counts. */
static void update_rates(const struct run *run, double now_s)
{
	double dt = now_s - live.last_s;
	size_t i, j;

	for (i = 0; i < run->n && i < MAX_RUN_ROWS; i++) {
		const struct run_row *r = &run->rows[i];
		uint64_t before = 0;

		for (j = 0; j < live.n_counts; j++)
			if (!memcmp(&live.keys[j], &r->key, sizeof(r->key)))
				before = live.counts[j];
		live.rates[i] = dt > 0 && r->b.count >= before ? (r->b.count - before) / dt : 0;
	}
	for (i = 0; i < run->n && i < MAX_RUN_ROWS; i++) {
		live.keys[i] = run->rows[i].key;
		live.counts[i] = run->rows[i].b.count;
	}
	live.n_counts = i;
	live.last_s = now_s;
}

/* The mean's parts as a bar of @width cells, one mark per part. */
static void draw_bar(const struct breakdown *b, int width)
{
	uint64_t sum = 0;
	int drawn = 0;
	size_t i;

	for (i = 0; i < NR_PARTS; i++)
		if (b->known[part_table[i].id])
			sum += b->part[part_table[i].id];
	if (!sum) {
		printw("%-*s", width, b->has_unattributed ? "(parts not measurable)" : "");
		return;
	}
	for (i = 0; i < NR_PARTS; i++) {
		const struct part_info *p = &part_table[i];
		int cells, c;

		if (!b->known[p->id])
			continue;
		cells = (int)((double)b->part[p->id] * width / sum + 0.5);
		if (cells > width - drawn)
			cells = width - drawn;
		if (has_colors())
			attron(COLOR_PAIR(PAIR_PART + i));
		for (c = 0; c < cells; c++)
			addch(p->letter);
		if (has_colors())
			attroff(COLOR_PAIR(PAIR_PART + i));
		drawn += cells;
	}
	printw("%*s", width - drawn, "");
}

static const char *hist_name(void)
{
	return live.hist_part < 0 ? "total latency" : part_table[live.hist_part].label;
}

static void draw_hist(const struct run_row *r, int top, int lines, int cols)
{
	uint64_t hist[MT_HIST_SLOTS], max;
	int first, last, i, y = top, width;
	char size[32];

	if (live.hist_part < 0)
		run_total_log2(r, hist);
	else if (r->has_part_hists)
		memcpy(hist, r->part_hist[part_table[live.hist_part].id], sizeof(hist));
	else
		memset(hist, 0, sizeof(hist));
	max = hist_span(hist, MT_HIST_SLOTS, &first, &last);
	run_size_label(size, sizeof(size), &r->key);
	attron(A_BOLD);
	mvprintw(y++, 0, "%s %s %s: %s (c: next part)", path_name(r->key.path),
		 KEY_OP_LABEL(&r->key), size, hist_name());
	attroff(A_BOLD);
	if (live.hist_part >= 0 && !r->has_part_hists) {
		mvprintw(y, 0, "  (part histograms are kept with --part-hists only)");
		return;
	}
	if (first < 0) {
		mvprintw(y, 0, "  (no calls)");
		return;
	}
	/* The slots that fit, around the busiest. */
	while (last - first + 1 > lines - 2 && last > first) {
		if (hist[first] <= hist[last])
			first++;
		else
			last--;
	}
	mvprintw(y++, 0, "%24s : %-10s %s", "ns", "count", "distribution");
	width = cols - 40;
	if (width > 60)
		width = 60;
	for (i = first; i <= last && y < top + lines; i++, y++) {
		uint64_t lo = i ? 1ull << i : 0, hi = (1ull << (i + 1)) - 1;
		int stars = width > 0 ? (int)(hist[i] * width / max) : 0;

		mvprintw(y, 0, "%10" PRIu64 " -> %-10" PRIu64 " : %-10" PRIu64 " |", lo, hi, hist[i]);
		while (stars-- > 0)
			addch('*');
		if (width > 0)
			mvaddch(y, 39 + width, '|');
	}
}

void live_draw(const struct run *run, double elapsed_s, bool tick)
{
	int lines = LINES, cols = COLS, y = 0, bar, table_rows, first_row = 0, i;
	char legend[128];
	char size[32];

	if (!live.screen)
		return;
	if (tick)
		update_rates(run, elapsed_s);
	if (run->n && live.selected >= run->n)
		live.selected = run->n - 1;
	erase();

	if (has_colors())
		attron(COLOR_PAIR(PAIR_TITLE));
	mvprintw(y, 0, "%-*.*s", cols, cols, "");
	mvprintw(y++, 0, " mymemtrace  %s  %.0f s  kernel %s  drops: %" PRIu64 " events, %" PRIu64
		 " calls lost", live.title, elapsed_s, run->kernel, run->events_dropped,
		 run->calls_lost + run->calls_abandoned + run->agg_failed + run->returns_missed);
	if (has_colors())
		attroff(COLOR_PAIR(PAIR_TITLE));

	/* path op size count rate mean p99 = 64 columns, then the bar, then mode_sw. */
	bar = cols - 64 - 10;
	if (bar < 10)
		bar = 10;
	attron(A_BOLD);
	legend[0] = '\0';
	for (i = 0; i < NR_PARTS; i++) {
		size_t len = strlen(legend);

		snprintf(legend + len, sizeof(legend) - len, "%s%c %s", i ? " " : "",
			 part_table[i].letter, part_table[i].label);
	}
	mvprintw(y++, 0, "%-7s %-5s %8s %10s %9s %9s %9s  %-*s %8s", "path", "op", "size", "count",
		 "rate/s", "mean ns", "p99 ns", bar, legend, "mode_sw");
	attroff(A_BOLD);

	/* Half the screen for the table, the rest for the histogram. */
	table_rows = (lines - 4) / 2;
	if (table_rows < 3)
		table_rows = 3;
	if ((int)live.selected >= table_rows)
		first_row = live.selected - table_rows + 1;
	for (i = first_row; i < (int)run->n && i < first_row + table_rows; i++) {
		const struct run_row *r = &run->rows[i];

		run_size_label(size, sizeof(size), &r->key);
		if ((size_t)i == live.selected)
			attron(A_REVERSE);
		mvprintw(y, 0, "%-7s %-5s %8s %10" PRIu64 " %9.0f %9" PRIu64 " %9" PRIu64 "  ",
			 path_name(r->key.path), KEY_OP_LABEL(&r->key), size, r->b.count,
			 i < MAX_RUN_ROWS ? live.rates[i] : 0.0, r->b.mean, r->b.p99);
		if ((size_t)i == live.selected)
			attroff(A_REVERSE);
		draw_bar(&r->b, bar);
		if (r->b.mode_switch_known)
			printw(" %8" PRIu64, r->b.mode_switch);
		else
			printw(" %8s", "-");
		y++;
	}
	if (!run->n)
		mvprintw(y++, 0, "(no calls traced yet)");
	y = 2 + table_rows + 1;

	if (run->n)
		draw_hist(&run->rows[live.selected], y, lines - y - 2 - (int)run_unattached(run), cols);
	y = lines - 1 - (int)run_unattached(run);
	for (i = 0; i < (int)run->n_targets && y > 0; i++) {
		const struct run_target *target = &run->targets[i];

		if (target->method == ATTACH_NONE)
			mvprintw(y++, 0, "not attached: %s (%s)", target->func, target->why);
	}
	attron(A_DIM);
	mvprintw(lines - 1, 0, "up/down or k/j: select   c: total/part histogram   r: reset counters   q: quit");
	attroff(A_DIM);
	refresh();
}

enum live_action live_keys(void)
{
	enum live_action action = LIVE_NONE;
	int ch;

	if (!live.screen)
		return LIVE_NONE;
	while ((ch = getch()) != ERR) {
		switch (ch) {
		case 'q':
		case 'Q':
			return LIVE_QUIT;
		case KEY_UP:
		case 'k':
			if (live.selected > 0)
				live.selected--;
			action = LIVE_REDRAW;
			break;
		case KEY_DOWN:
		case 'j':
			live.selected++;	/* clamped to the rows at the next draw */
			action = LIVE_REDRAW;
			break;
		case 'c':
			live.hist_part = live.hist_part + 1 < NR_PARTS ? live.hist_part + 1 : -1;
			action = LIVE_REDRAW;
			break;
		case 'r':
			action = LIVE_RESET;
			break;
		case KEY_RESIZE:
			if (action == LIVE_NONE)
				action = LIVE_REDRAW;
			break;
		default:
			break;
		}
	}
	return action;
}
