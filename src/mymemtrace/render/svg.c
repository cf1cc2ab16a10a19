// SPDX-License-Identifier: GPL-2.0
/*
 * The run model as a self-contained SVG (--svg, plot): per size, the paths'
 * mean cost as stacked bars of the parts on a log scale, then every row's
 * latency histogram. It only renders the model.
 */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "model/names.h"
#include "model/parts.h"
#include "render/report.h"
#include "render/svg.h"

#define WIDTH		1000
#define MARGIN_LEFT	70
#define PANEL_HEIGHT	260
#define HIST_COLS	4
#define HIST_W		235
#define HIST_H		120

/*
 * A stacked bar's segments, bottom to top: the parts in their svg_stack
 * order (model/parts.c), then the mode switch (outside the window) and the time
 * that could not be split.
 */
struct svg_part {
	const char *name;
	int part;		/* enum mt_part, or -1: mode switch, -2: unattributed */
	const char *color;
};
#define NR_SVG_PARTS (NR_PARTS + 2)
static struct svg_part svg_parts[NR_SVG_PARTS];

static void svg_parts_init(void)
{
	int i;

	for (i = 0; i < NR_PARTS; i++)
		svg_parts[part_table[i].svg_stack] = (struct svg_part){
			part_table[i].label, part_table[i].id, part_table[i].svg_color,
		};
	svg_parts[NR_PARTS] = (struct svg_part){ "mode switch", -1, "#76b7b2" };
	svg_parts[NR_PARTS + 1] = (struct svg_part){ "unattributed", -2, "#bab0ac" };
}

static void text_escaped(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		default: fputc(*s, out);
		}
	}
}

static void fmt_ns(char *buf, size_t len, double ns)
{
	if (ns < 1e3)
		snprintf(buf, len, "%.0f ns", ns);
	else if (ns < 1e6)
		snprintf(buf, len, "%.3g µs", ns / 1e3);
	else if (ns < 1e9)
		snprintf(buf, len, "%.3g ms", ns / 1e6);
	else
		snprintf(buf, len, "%.3g s", ns / 1e9);
}

/* A part's mean ns in a row, and whether the row has it. */
static bool part_ns(const struct run_row *r, const struct svg_part *p, uint64_t *ns)
{
	if (p->part == -1) {
		*ns = r->b.mode_switch;
		return r->b.mode_switch_known && r->key.path == MT_PATH_SYSCALL;
	}
	if (p->part == -2) {
		*ns = r->b.unattributed;
		return r->b.has_unattributed;
	}
	*ns = r->b.part[p->part];
	return r->b.known[p->part];
}

static uint64_t bar_total(const struct run_row *r)
{
	uint64_t sum = 0, ns;
	size_t i;

	for (i = 0; i < NR_SVG_PARTS; i++)
		if (part_ns(r, &svg_parts[i], &ns))
			sum += ns;
	return sum;
}

struct log_axis {
	double lo, hi;		/* decades: 10^lo .. 10^hi ns */
	int top, bottom;	/* pixels */
};

static double axis_y(const struct log_axis *a, double ns)
{
	double v = ns < 1 ? 0 : log10(ns);

	if (v < a->lo)
		v = a->lo;
	return a->bottom - (v - a->lo) / (a->hi - a->lo) * (a->bottom - a->top);
}

static void draw_axis(FILE *out, const struct log_axis *a)
{
	char label[32];
	int d;

	for (d = (int)a->lo; d <= (int)a->hi; d++) {
		double y = axis_y(a, pow(10, d));

		fmt_ns(label, sizeof(label), pow(10, d));
		fprintf(out, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
			MARGIN_LEFT, y, WIDTH - 10, y);
		fprintf(out, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>\n",
			MARGIN_LEFT - 4, y + 4, label);
	}
}

static void draw_bar(FILE *out, const struct log_axis *a, const struct run_row *r,
		     double x, double w, const char *label)
{
	char size[32], ns_text[32];
	uint64_t cum = 0, ns;
	size_t i;

	run_size_label(size, sizeof(size), &r->key);
	for (i = 0; i < NR_SVG_PARTS; i++) {
		double y0, y1;

		if (!part_ns(r, &svg_parts[i], &ns) || !ns)
			continue;
		y0 = axis_y(a, cum ? (double)cum : pow(10, a->lo));
		cum += ns;
		y1 = axis_y(a, (double)cum);
		fmt_ns(ns_text, sizeof(ns_text), ns);
		fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
			"<title>%s %s %s: %s %s</title></rect>\n", x, y1, w, y0 - y1 > 0 ? y0 - y1 : 0,
			svg_parts[i].color, path_name(r->key.path), KEY_OP_LABEL(&r->key), size,
			svg_parts[i].name, ns_text);
	}
	fprintf(out, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%s</text>\n",
		x + w / 2, a->bottom + 12, label);
}

/* Stacked bars of one op: per size, the kernel and syscall paths side by side. */
static int draw_op_panel(FILE *out, const struct run *run, uint32_t op, int top)
{
	const struct run_row *groups[MAX_RUN_ROWS][2];
	uint64_t max = 1, min = UINT64_MAX;
	struct log_axis a;
	size_t i, n = 0, g;
	double gw;

	/* One group per size; rows come sorted by path then size. */
	for (i = 0; i < run->n; i++) {
		const struct run_row *r = &run->rows[i];
		int side = r->key.path == MT_PATH_KERNEL ? 0 : 1;

		/* The calls that did all they were asked: failures are no size's cost. */
		if (r->key.op != op || r->key.path == MT_PATH_MMAP || r->key.result || !r->b.count)
			continue;
		for (g = 0; g < n; g++) {
			const struct run_row *o = groups[g][0] ? groups[g][0] : groups[g][1];

			if (o->key.size == r->key.size && o->key.size_class == r->key.size_class)
				break;
		}
		if (g == n) {
			if (n == MAX_RUN_ROWS)
				continue;
			groups[n][0] = groups[n][1] = NULL;
			n++;
		}
		groups[g][side] = r;
		if (bar_total(r) > max)
			max = bar_total(r);
		if (r->b.mean && r->b.mean < min)
			min = r->b.mean;
	}
	if (!n)
		return top;
	/* Sort the groups by size. */
	for (i = 1; i < n; i++)
		for (g = i; g > 0; g--) {
			const struct run_row *a0 = groups[g - 1][0] ? groups[g - 1][0] : groups[g - 1][1];
			const struct run_row *b0 = groups[g][0] ? groups[g][0] : groups[g][1];
			const struct run_row *t0, *t1;

			if (a0->key.size <= b0->key.size)
				break;
			t0 = groups[g][0];
			t1 = groups[g][1];
			groups[g][0] = groups[g - 1][0];
			groups[g][1] = groups[g - 1][1];
			groups[g - 1][0] = t0;
			groups[g - 1][1] = t1;
		}

	a.lo = floor(log10(min == UINT64_MAX ? 10 : (double)min)) - 1;
	if (a.lo < 0)
		a.lo = 0;
	a.hi = ceil(log10((double)max));
	if (a.hi <= a.lo)
		a.hi = a.lo + 1;
	a.top = top + 24;
	a.bottom = top + PANEL_HEIGHT - 30;
	fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"14\" font-weight=\"bold\">%s: mean ns per call, "
		"kernel path (K) and syscall path (S) per size, log scale</text>\n",
		MARGIN_LEFT, top + 14, op_name(op));
	draw_axis(out, &a);
	gw = (double)(WIDTH - 10 - MARGIN_LEFT) / n;
	for (g = 0; g < n; g++) {
		double x = MARGIN_LEFT + g * gw, w = gw * 0.3;
		const struct run_row *any = groups[g][0] ? groups[g][0] : groups[g][1];
		char size[32];

		if (groups[g][0])
			draw_bar(out, &a, groups[g][0], x + gw * 0.15, w, "K");
		if (groups[g][1])
			draw_bar(out, &a, groups[g][1], x + gw * 0.55, w, "S");
		run_size_label(size, sizeof(size), &any->key);
		fprintf(out, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s B</text>\n",
			x + gw / 2, a.bottom + 25, size);
	}
	return top + PANEL_HEIGHT;
}

static int draw_legend(FILE *out, int top)
{
	size_t i;
	int x = MARGIN_LEFT;

	for (i = 0; i < NR_SVG_PARTS; i++) {
		fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
			"<text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>\n", x, top, svg_parts[i].color,
			x + 16, top + 11, svg_parts[i].name);
		x += 24 + 8 * (int)strlen(svg_parts[i].name);
	}
	return top + 24;
}

static void draw_hist(FILE *out, const struct run_row *r, int x, int y)
{
	uint64_t hist[MT_HIST_SLOTS], max;
	int first, last, i;
	char size[32], lo[32], hi[32];
	double bw;

	run_total_log2(r, hist);
	max = hist_span(hist, MT_HIST_SLOTS, &first, &last);
	run_size_label(size, sizeof(size), &r->key);
	fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"11\">", x, y + 10);
	text_escaped(out, path_name(r->key.path));
	fprintf(out, " %s %s B: %" PRIu64 " calls</text>\n", KEY_OP_LABEL(&r->key), size, r->b.count);
	fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#ccc\"/>\n",
		x, y + 14, HIST_W - 15, HIST_H - 40);
	if (first < 0)
		return;
	bw = (double)(HIST_W - 15) / (last - first + 1);
	for (i = first; i <= last; i++) {
		double h = (double)hist[i] / max * (HIST_H - 42);

		fmt_ns(lo, sizeof(lo), i ? (double)(1ull << i) : 0);
		fmt_ns(hi, sizeof(hi), (double)(1ull << (i + 1)));
		fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#4e79a7\">"
			"<title>%s to %s: %" PRIu64 " calls</title></rect>\n",
			x + (i - first) * bw + 1, y + 14 + (HIST_H - 40) - h, bw - 2 > 1 ? bw - 2 : 1, h,
			lo, hi, hist[i]);
	}
	fmt_ns(lo, sizeof(lo), first ? (double)(1ull << first) : 0);
	fmt_ns(hi, sizeof(hi), (double)(1ull << (last + 1)));
	fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"10\">%s</text>"
		"<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">%s</text>\n",
		x, y + HIST_H - 14, lo, x + HIST_W - 15, y + HIST_H - 14, hi);
}

void svg_render(FILE *out, const struct run *run)
{
	int panels = 0, y, height, hist_rows;
	size_t i, n_hist = 0;
	char dur[32];
	uint32_t op;

	svg_parts_init();
	for (op = MT_OP_READ; op <= MT_OP_WRITE; op++)
		for (i = 0; i < run->n; i++)
			if (run->rows[i].key.op == op && run->rows[i].key.path != MT_PATH_MMAP) {
				panels++;
				break;
			}
	for (i = 0; i < run->n; i++)
		n_hist += run->rows[i].b.count > 0;
	hist_rows = (n_hist + HIST_COLS - 1) / HIST_COLS;
	height = 70 + panels * PANEL_HEIGHT + 30 + hist_rows * HIST_H + 20;

	fmt_ns(dur, sizeof(dur), (double)run->duration_ns);
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n", WIDTH, height, WIDTH, height);
	fprintf(out, "<text x=\"%d\" y=\"22\" font-size=\"16\" font-weight=\"bold\">mymemtrace: where a call's "
		"time goes (kernel ", MARGIN_LEFT);
	text_escaped(out, run->kernel);
	fprintf(out, ", %s traced)</text>\n", dur);
	y = draw_legend(out, 34);
	y += 6;
	for (op = MT_OP_READ; op <= MT_OP_WRITE; op++)
		y = draw_op_panel(out, run, op, y);

	fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"14\" font-weight=\"bold\">Total latency per call, "
		"log2 buckets</text>\n", MARGIN_LEFT, y + 18);
	y += 30;
	for (i = 0, n_hist = 0; i < run->n; i++) {
		if (!run->rows[i].b.count)
			continue;
		draw_hist(out, &run->rows[i], 10 + (n_hist % HIST_COLS) * (HIST_W + 10),
			  y + (n_hist / HIST_COLS) * HIST_H);
		n_hist++;
	}
	fprintf(out, "</svg>\n");
}
