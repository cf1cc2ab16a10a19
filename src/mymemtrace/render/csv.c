// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdio.h>

#include "model/names.h"
#include "model/parts.h"
#include "render/csv.h"

/* An empty field: not measurable (JSON's null). */
static void csv_part(FILE *f, bool known, uint64_t ns)
{
	if (known)
		fprintf(f, ",%" PRIu64, ns);
	else
		fputc(',', f);
}

void run_render_csv(FILE *f, const struct run *run)
{
	size_t i;
	int c;

	fprintf(f, "path,op,size,size_class,count,total_mean_ns,total_p50_ns,total_p90_ns,"
		"total_p99_ns,total_min_ns,total_max_ns,mode_switch_ns");
	for (c = 0; c < NR_PARTS; c++)
		fprintf(f, ",%s_ns", part_table[c].key);
	fprintf(f, ",unattributed_ns,offcpu_switches,via,result\n");
	for (i = 0; i < run->n; i++) {
		const struct run_row *r = &run->rows[i];
		const struct breakdown *b = &r->b;

		fprintf(f, "%s,%s,%" PRIu64 ",%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
			",%" PRIu64 ",%" PRIu64 ",%" PRIu64,
			path_name(r->key.path), op_name(r->key.op), (uint64_t)r->key.size,
			r->key.size_class ? "log2" : "exact", b->count, b->mean, b->p50, b->p90,
			b->p99, b->min, b->max);
		csv_part(f, b->mode_switch_known, b->mode_switch);
		for (c = 0; c < NR_PARTS; c++)
			csv_part(f, b->known[part_table[c].id], b->part[part_table[c].id]);
		csv_part(f, b->has_unattributed, b->unattributed);
		/* How the call came in, where not read/write/pread64/pwrite64. */
		const char *via = via_name(r->key.via, (char[OP_LABEL_LEN]){ 0 }, OP_LABEL_LEN);
		/* How the calls ended: "ok", or what went wrong (mymemtrace.h). */
		const char *result = result_name(r->key.result, (char[OP_LABEL_LEN]){ 0 },
						 OP_LABEL_LEN);

		fprintf(f, ",%" PRIu64 ",%s,%s\n", r->switches, via ? via : "",
			result ? result : "ok");
	}
}
