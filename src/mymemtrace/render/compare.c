// SPDX-License-Identifier: GPL-2.0
/*
 * The final report's answer to the course's question, "why is user space
 * slower?": per size, the kernel path against the syscall path (with its
 * mode switch, which is outside the traced window), in the course table's
 * shape, and then the difference split into the parts that make it up.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "model/names.h"
#include "model/run.h"
#include "render/report.h"

/* A syscall-path call as user space pays it: the window plus the mode switch. */
static uint64_t user_ns(const struct run_row *sys)
{
	return sys->b.mean + (sys->b.mode_switch_known ? sys->b.mode_switch : 0);
}

static const struct run_row *partner(const struct run *run, const struct run_row *r,
				      uint32_t path)
{
	struct mt_key key = r->key;

	key.path = path;
	return run_find(run, &key);
}

/* The exact sizes that both the syscall and the kernel path have, ascending. */
static size_t common_sizes(const struct run *run, uint64_t *sizes, size_t max)
{
	size_t i, j, n = 0;

	for (i = 0; i < run->n; i++) {
		const struct run_row *r = &run->rows[i];
		bool seen = false;

		/*
		 * Plain reads and writes that did all they were asked: the kernel
		 * path has no vectored calls, and a failure is no size's cost.
		 */
		if (r->key.path != MT_PATH_SYSCALL || r->key.size_class || r->key.via || r->key.result ||
		    !partner(run, r, MT_PATH_KERNEL))
			continue;
		for (j = 0; j < n; j++)
			seen |= sizes[j] == r->key.size;
		if (!seen && n < max)
			sizes[n++] = r->key.size;
	}
	/* Rows come sorted by path, op, size: reads then writes; merge them. */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && sizes[j - 1] > sizes[j]; j--) {
			uint64_t t = sizes[j];

			sizes[j] = sizes[j - 1];
			sizes[j - 1] = t;
		}
	return n;
}

static const struct run_row *row_of(const struct run *run, uint32_t path,
				     uint32_t op, uint64_t size)
{
	struct mt_key key = { .path = path, .op = op, .size = size };

	return run_find(run, &key);
}

static void print_side(FILE *out, const struct run *run, uint32_t op, uint64_t size)
{
	const struct run_row *k = row_of(run, MT_PATH_KERNEL, op, size);
	const struct run_row *s = row_of(run, MT_PATH_SYSCALL, op, size);

	if (!k || !s || !k->b.mean) {
		fprintf(out, " | %9s %9s %7s", "-", "-", "-");
		return;
	}
	fprintf(out, " | %9" PRIu64 " %9" PRIu64 " %6.2fx", k->b.mean, user_ns(s),
		(double)user_ns(s) / k->b.mean);
}

/* One part of the difference: "ns (pct%)", or '-' when not measurable. */
static void print_share(FILE *out, bool known, int64_t ns, int64_t diff)
{
	char cell[40];

	if (!known)
		snprintf(cell, sizeof(cell), "-");
	else if (diff > 0)
		snprintf(cell, sizeof(cell), "%" PRId64 " (%.0f%%)", ns, 100.0 * ns / diff);
	else
		snprintf(cell, sizeof(cell), "%" PRId64, ns);
	fprintf(out, " %15s", cell);
}

static bool known(const struct run_row *r, enum mt_part c)
{
	return r->b.known[c];
}

static void print_split(FILE *out, const struct run_row *s, const struct run_row *k)
{
	int64_t diff = (int64_t)user_ns(s) - (int64_t)k->b.mean;
	int64_t touch_s = s->b.part[MT_PART_COPY] + s->b.part[MT_PART_BUFFER];
	int64_t touch_k = k->b.part[MT_PART_COPY] + k->b.part[MT_PART_BUFFER];
	char size[32];

	run_size_label(size, sizeof(size), &s->key);
	fprintf(out, "%9s %-5s %9" PRId64, size, KEY_OP_LABEL(&s->key), diff);
	print_share(out, s->b.mode_switch_known, s->b.mode_switch_known ? s->b.mode_switch : 0, diff);
	print_share(out, known(s, MT_PART_DISPATCH),
		    s->b.part[MT_PART_DISPATCH] - (int64_t)k->b.part[MT_PART_DISPATCH], diff);
	print_share(out, known(s, MT_PART_COPY) && known(s, MT_PART_BUFFER) &&
		    known(k, MT_PART_BUFFER), touch_s - touch_k, diff);
	print_share(out, known(s, MT_PART_LOCK) && known(k, MT_PART_LOCK),
		    s->b.part[MT_PART_LOCK] - (int64_t)k->b.part[MT_PART_LOCK], diff);
	print_share(out, known(s, MT_PART_OFFCPU) && known(k, MT_PART_OFFCPU),
		    s->b.part[MT_PART_OFFCPU] - (int64_t)k->b.part[MT_PART_OFFCPU], diff);
	fputc('\n', out);
}

static void print_mmap(FILE *out, const struct run *run)
{
	size_t i;

	for (i = 0; i < run->n; i++) {
		const struct run_row *r = &run->rows[i];

		if (r->key.path != MT_PATH_MMAP || r->key.result || !r->b.count)
			continue;
		fprintf(out, "mmap path: %" PRIu64 " page faults, %" PRIu64 " ns each (p99 %" PRIu64
			" ns), of which %" PRIu64 " ns in mymem's fault handler. Only a page's first touch "
			"enters the kernel; after it, accesses are plain loads and stores.\n",
			r->b.count, r->b.mean, r->b.p99,
			r->b.known[MT_PART_BUFFER] ? r->b.part[MT_PART_BUFFER] : 0);
	}
}

void report_compare(FILE *out, const struct run *run)
{
	uint64_t sizes[MT_MAX_EXACT_KEYS];
	size_t n = common_sizes(run, sizes, MT_MAX_EXACT_KEYS), i;
	int op;

	fprintf(out, "\nWhy is user space slower? Mean ns per call. syscall = what user space pays:\n"
		"the traced sys_enter..sys_exit window plus the calibrated mode switch.\n");
	if (!n) {
		fprintf(out, "(no size was traced on both the syscall and the kernel path)\n");
		print_mmap(out, run);
		return;
	}
	fprintf(out, "%9s | %9s %9s %7s | %9s %9s %7s\n", "", "read", "", "", "write", "", "");
	fprintf(out, "%9s | %9s %9s %7s | %9s %9s %7s\n", "size", "kernel", "syscall", "ratio",
		"kernel", "syscall", "ratio");
	for (i = 0; i < n; i++) {
		fprintf(out, "%9" PRIu64, sizes[i]);
		print_side(out, run, MT_OP_READ, sizes[i]);
		print_side(out, run, MT_OP_WRITE, sizes[i]);
		fputc('\n', out);
	}

	fprintf(out, "\nWhere the difference goes (syscall - kernel, ns per call and share):\n");
	fprintf(out, "%9s %-5s %9s %15s %15s %15s %15s %15s\n", "size", "op", "diff",
		"mode_switch", "dispatch", "copy-vs-memcpy", "lock_wait", "offcpu");
	for (op = MT_OP_READ; op <= MT_OP_WRITE; op++)
		for (i = 0; i < n; i++) {
			const struct run_row *s = row_of(run, MT_PATH_SYSCALL, op, sizes[i]);
			const struct run_row *k = row_of(run, MT_PATH_KERNEL, op, sizes[i]);

			if (s && k)
				print_split(out, s, k);
		}
	fprintf(out, "copy-vs-memcpy: copy_to/from_user plus the rest of mymem's work on the syscall\n"
		"path, against the kernel path's memcpy and work. Parts may be negative.\n");
	print_mmap(out, run);
}
