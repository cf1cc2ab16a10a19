// SPDX-License-Identifier: GPL-2.0
/*
 * patch_stress: load mymemtrace's BPF object once, then attach and detach
 * all of its targets CYCLES times, as fast as the kernel allows.
 *
 * Every attach and every detach live-patches kernel text: fentry rewrites
 * the first five bytes of each traced function (ftrace, via text_poke_bp),
 * and the first tracepoint user flips a static key (a jump label, patched
 * the same way). scripts/patch-stress runs this in a guest while other
 * tasks execute those very sites, to count how often a guest hangs there.
 *
 * Prints "cycle N" after each full attach+detach, so that a hung guest
 * still says how far it got.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "collect/attach.h"
#include "cli/env.h"
#include "mymemtrace.skel.h"

static int silent(enum libbpf_print_level level, const char *fmt, va_list args)
{
	(void)level;
	(void)fmt;
	(void)args;
	return 0;
}

int main(int argc, char **argv)
{
	struct mymemtrace_bpf *skel = NULL;
	struct attacher attacher;
	unsigned long long cycles = 0, i;
	char *end = NULL;
	int attached = 0, ret = 1, t;
	struct stat st;

	if (argc == 2)
		cycles = strtoull(argv[1], &end, 10);
	if (!cycles || *end) {
		fprintf(stderr, "usage: patch_stress CYCLES\n");
		return 2;
	}
	if (stat(env.dev, &st)) {
		fprintf(stderr, "patch_stress: %s: %s\n", env.dev, strerror(errno));
		return 1;
	}
	libbpf_set_print(silent);
	env_attach_opts(&attacher);
	skel = mymemtrace_bpf__open();
	if (!skel) {
		fprintf(stderr, "patch_stress: cannot open the BPF object: %s\n", strerror(errno));
		return 1;
	}
	/* System-wide, like mymemtrace without -p or CMD. */
	skel->rodata->targ_rdev = st.st_rdev;
	skel->rodata->targ_calib_tid = syscall(SYS_gettid);
	bpf_map__set_max_entries(skel->maps.events, 4096);
	if (attacher_prepare(&attacher, skel) || mymemtrace_bpf__load(skel)) {
		fprintf(stderr, "patch_stress: loading the BPF programs failed\n");
		goto cleanup;
	}
	for (t = 0; t < NR_TARGETS; t++)
		attached += bpf_program__autoload(attacher.targets[t].entry) ||
			    (attacher.targets[t].kprobe && bpf_program__autoload(attacher.targets[t].kprobe));
	printf("targets %d\n", attached);
	fflush(stdout);
	for (i = 1; i <= cycles; i++) {
		if (attacher_attach(&attacher)) {
			fprintf(stderr, "patch_stress: cycle %llu: attach failed\n", i);
			goto cleanup;
		}
		attacher_detach(&attacher);
		printf("cycle %llu\n", i);
		fflush(stdout);
	}
	ret = 0;
cleanup:
	attacher_free(&attacher);
	mymemtrace_bpf__destroy(skel);
	return ret;
}
