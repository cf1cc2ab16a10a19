// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "model/hist.h"
#include "model/run.h"

void run_size_label(char *buf, size_t len, const struct mt_key *key)
{
	snprintf(buf, len, "%s%" PRIu64, key->size_class ? ">=" : "", (uint64_t)key->size);
}

uint64_t hist_span(const uint64_t *hist, size_t slots, int *first, int *last)
{
	uint64_t max = 0;
	size_t i;

	*first = *last = -1;
	for (i = 0; i < slots; i++) {
		if (!hist[i])
			continue;
		if (*first < 0)
			*first = i;
		*last = i;
		if (hist[i] > max)
			max = hist[i];
	}
	return max;
}

void run_total_log2(const struct run_row *r, uint64_t log2[MT_HIST_SLOTS])
{
	size_t s;

	memset(log2, 0, MT_HIST_SLOTS * sizeof(log2[0]));
	for (s = 0; s < MT_TOTAL_SLOTS; s++) {
		uint64_t lo, hi;
		unsigned int l;

		fine_bounds(s, &lo, &hi);
		l = lo ? 63 - __builtin_clzll(lo) : 0;
		/*
		 * The fine slots go to 2^33 ns; the log2 histogram's last slot
		 * holds everything from 2^31 up, as the BPF side's does.
		 */
		log2[l < MT_HIST_SLOTS ? l : MT_HIST_SLOTS - 1] += r->hist[s];
	}
}

const struct run_row *run_find(const struct run *run, const struct mt_key *key)
{
	size_t i;

	for (i = 0; i < run->n; i++) {
		const struct mt_key *k = &run->rows[i].key;

		if (k->path == key->path && k->op == key->op && k->size == key->size &&
		    k->size_class == key->size_class && k->via == key->via &&
		    k->result == key->result)
			return &run->rows[i];
	}
	return NULL;
}

size_t run_unattached(const struct run *run)
{
	size_t i, n = 0;

	for (i = 0; i < run->n_targets; i++)
		n += run->targets[i].method == ATTACH_NONE;
	return n;
}

int run_write(const char *path, run_renderer *render, const struct run *run)
{
	struct atomic_file out;

	if (atomic_open(&out, path))
		return -1;
	render(out.f, run);
	return atomic_commit(&out);
}

void run_free(struct run *run)
{
	free(run->rows);
	run->rows = NULL;
	run->n = 0;
}

