// SPDX-License-Identifier: GPL-2.0
/*
 * mymem-bench: times reads and writes of the mymem buffer on the syscall,
 * mmap and kernel paths, and runs the course's counter race.
 */
#include <stdio.h>
#include <stdlib.h>

#include "options.h"
#include "race.h"
#include "report.h"
#include "target.h"
#include "timing.h"

static int run_race(const struct bench_opts *o)
{
	struct race_result *res = calloc(1, sizeof(*res));
	int ret;

	if (!res)
		return 1;
	ret = race_run(o, res);
	if (!ret) {
		if (o->json)
			report_race_json(stdout, o, res);
		else
			report_race_table(stdout, o, res);
		ret = race_check_exact(o, res);
	}
	free(res);
	return ret;
}

static int run_timing(const struct bench_opts *o)
{
	static struct bench_result res;
	struct target t;
	size_t i;
	int ret;

	/* Every mode needs mymem; its size bounds the sizes asked for. */
	if (target_open(&t, o->mode == MODE_MMAP ? MODE_MMAP : MODE_SYSCALL, o->dev))
		return 1;
	for (i = 0; i < o->nr_sizes; i++) {
		if (o->sizes[i] > t.size) {
			fprintf(stderr, "mymem-bench: --sizes: %llu is larger than the buffer (%llu bytes)\n",
				(unsigned long long)o->sizes[i],
				(unsigned long long)t.size);
			target_close(&t);
			return 2;
		}
	}
	if (o->mode == MODE_KERNEL)
		ret = bench_kernel_path(o, &res);
	else
		ret = bench_user_path(&t, o, &res);
	target_close(&t);
	if (ret)
		return ret;
	if (o->json)
		report_timing_json(stdout, o, &res);
	else
		report_timing_table(stdout, o, &res);
	return 0;
}

int main(int argc, char **argv)
{
	struct bench_opts opts;
	int ret = bench_parse_args(argc, argv, &opts);

	if (ret)
		return ret;
	ret = opts.race ? run_race(&opts) : run_timing(&opts);
	if (fflush(stdout)) {
		perror("mymem-bench: stdout");
		return 1;
	}
	return ret;
}
