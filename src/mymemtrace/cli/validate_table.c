// SPDX-License-Identifier: GPL-2.0
/*
 * mymemtrace validate's tables. Per (path, op, size) they show the untraced
 * and traced medians over the rounds, the error and each side's spread;
 * then the same for the user/kernel ratio. Every median is stats.h's
 * nearest-rank one. With an even number of rounds that is the lower middle
 * round, never the mean of the two middle ones: the errors were
 * interpolated before, so their figures may move slightly.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "stats.h"
#include "cli/validate_table.h"

/* The median of @n rounds' figures, leaving them in their order. */
static uint64_t median_of_rounds(const uint64_t *v, unsigned int n)
{
	uint64_t copy[VALIDATE_MAX_ROUNDS];

	memcpy(copy, v, n * sizeof(*v));
	return stats_median(copy, n);
}

static double error_pct(double traced, double untraced)
{
	return untraced > 0 ? 100.0 * (traced - untraced) / untraced : NAN;
}

/* (max - min) / median of the rounds, in %: how much they moved. */
static double spread_pct(const uint64_t *v, unsigned int n)
{
	uint64_t lo = v[0], hi = v[0], mid = median_of_rounds(v, n);
	unsigned int i;

	for (i = 1; i < n; i++) {
		lo = v[i] < lo ? v[i] : lo;
		hi = v[i] > hi ? v[i] : hi;
	}
	return mid ? 100.0 * (hi - lo) / mid : 0;
}

/*
 * The error: the median over rounds of each round's traced figure against
 * the untraced one run just before it, so that a drift of the machine
 * between rounds (tens of percent under emulation) hits both sides alike.
 */
static double paired_error(const struct round_medians *m)
{
	unsigned int i, n = m->n_untraced < m->n_traced ? m->n_untraced : m->n_traced;
	double e[VALIDATE_MAX_ROUNDS];

	for (i = 0; i < n; i++)
		e[i] = error_pct(m->traced[i], m->untraced[i]);
	return stats_median_double(e, n);
}

/* The same for the user/kernel ratio: each round's traced ratio against its untraced one. */
static double paired_ratio_error(const struct round_medians *u, const struct round_medians *k)
{
	struct round_medians ratio = { 0 };
	unsigned int i;

	/* In thousandths: round_medians holds integers. */
	for (i = 0; i < u->n_untraced && i < k->n_untraced; i++)
		ratio.untraced[ratio.n_untraced++] =
			k->untraced[i] ? 1000 * u->untraced[i] / k->untraced[i] : 0;
	for (i = 0; i < u->n_traced && i < k->n_traced; i++)
		ratio.traced[ratio.n_traced++] = k->traced[i] ? 1000 * u->traced[i] / k->traced[i] : 0;
	return paired_error(&ratio);
}

/* One row: untraced, traced, the error, and each side's spread over the rounds. */
static bool print_row(const char *path, const char *op, const char *size,
		      const struct round_medians *m, double *worst)
{
	double e;

	if (!m->n_untraced || !m->n_traced) {
		printf("%-7s %-5s %8s %10s %10s %8s\n", path, op, size, m->n_untraced ? "" : "-",
		       m->n_traced ? "" : "-", "missing");
		return false;
	}
	e = paired_error(m);
	printf("%-7s %-5s %8s %10" PRIu64 " %10" PRIu64 " %+7.1f%% %6.1f%%/%.1f%%\n", path, op, size,
	       median_of_rounds(m->untraced, m->n_untraced), median_of_rounds(m->traced, m->n_traced),
	       e, spread_pct(m->untraced, m->n_untraced), spread_pct(m->traced, m->n_traced));
	if (fabs(e) > *worst)
		*worst = fabs(e);
	return true;
}

/* The user/kernel ratios of one op, per size; rows with a figure missing are left out. */
static void print_ratios(const struct validate_opts *o, const struct validate_figures *f, int op,
			 double *worst)
{
	int s;

	for (s = 0; s < o->n_sizes; s++) {
		const struct round_medians *u = &f->calls[VALIDATE_SYSCALL][op][s];
		const struct round_medians *k = &f->calls[VALIDATE_KERNEL][op][s];
		double ru, rt, e;

		if (!u->n_untraced || !u->n_traced || !k->n_untraced || !k->n_traced)
			continue;
		ru = (double)median_of_rounds(u->untraced, u->n_untraced) /
		     median_of_rounds(k->untraced, k->n_untraced);
		rt = (double)median_of_rounds(u->traced, u->n_traced) /
		     median_of_rounds(k->traced, k->n_traced);
		e = paired_ratio_error(u, k);
		printf("%-13s %8" PRIu64 " %9.2fx %9.2fx %+7.1f%%\n", op_name(op), o->sizes[s], ru, rt,
		       e);
		if (fabs(e) > *worst)
			*worst = fabs(e);
	}
}

double validate_print_tables(const struct validate_opts *o, const struct validate_figures *f)
{
	char size[24], race_size[24];
	bool missing = false;
	double worst = 0;
	int p, op, s;

	printf("%-7s %-5s %8s %10s %10s %8s %s\n", "path", "op", "size", "untraced", "traced",
	       "error", "spread (untraced/traced)");
	for (p = 0; p < VALIDATE_NR_PATHS; p++) {
		for (op = 0; op < MT_OP_FAULT; op++) {
			for (s = 0; s < o->n_sizes; s++) {
				snprintf(size, sizeof(size), "%" PRIu64, o->sizes[s]);
				missing |= !print_row(path_name(validate_paths[p].path), op_name(op),
						      size, &f->calls[p][op][s], &worst);
			}
		}
	}
	snprintf(race_size, sizeof(race_size), "%d", VALIDATE_RACE_SIZE);
	for (op = 0; o->race_workers && op <= MT_OP_WRITE; op++)
		missing |= !print_row("race", op_name(op), race_size, &f->race[op], &worst);
	printf("\n%-13s %8s %10s %10s %8s\n", "user/kernel", "size", "untraced", "traced", "error");
	for (op = 0; op < MT_OP_FAULT; op++)
		print_ratios(o, f, op, &worst);
	return missing ? -1 : worst;
}
