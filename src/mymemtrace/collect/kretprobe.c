// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/perf_event.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "collect/kretprobe.h"

#define GROUP_PREFIX "mymemtrace_"

static const char *tracefs(void)
{
	static const char *const dirs[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	char path[128];
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/kprobe_events", dirs[i]);
		if (!access(path, W_OK))
			return dirs[i];
	}
	return NULL;
}

/* Appends @line to kprobe_events (never truncating: other tools' probes stay). */
static int write_kprobe_events(const char *dir, const char *line)
{
	char path[128];
	ssize_t len = strlen(line), n;
	int fd, err;

	snprintf(path, sizeof(path), "%s/kprobe_events", dir);
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, line, len);
	err = errno;
	close(fd);
	errno = err;
	return n == len ? 0 : -1;
}

static int read_u64(const char *path, uint64_t *v)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -1;
	ok = fscanf(f, "%" SCNu64, v) == 1;
	fclose(f);
	return ok ? 0 : -1;
}

int kretprobe_attach(struct kretprobe *kp, struct bpf_program *prog, const char *func)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr), .type = PERF_TYPE_TRACEPOINT,
		.sample_period = 1, .wakeup_events = 1,
	};
	const char *dir = tracefs();
	char line[256], path[256], name[64];
	uint64_t id;
	int pfd, err;
	size_t i;

	memset(kp, 0, sizeof(*kp));
	if (!dir) {
		errno = ENOENT;
		return -1;
	}
	/* Event names take letters, digits and '_' only. */
	snprintf(name, sizeof(name), "%s", func);
	for (i = 0; name[i]; i++)
		if (!(name[i] == '_' || (name[i] >= 'a' && name[i] <= 'z') ||
		      (name[i] >= 'A' && name[i] <= 'Z') || (name[i] >= '0' && name[i] <= '9')))
			name[i] = '_';
	/* kprobe_profile names events without their group: the pid twice. */
	snprintf(kp->event, sizeof(kp->event), GROUP_PREFIX "%d/%.40s_%d", getpid(), name, getpid());
	snprintf(line, sizeof(line), "r%d:%s %s\n", KRETPROBE_MAXACTIVE, kp->event, func);
	if (write_kprobe_events(dir, line)) {
		kp->event[0] = '\0';
		return -1;
	}
	snprintf(path, sizeof(path), "%s/events/%s/id", dir, kp->event);
	if (read_u64(path, &id))
		goto fail;
	attr.config = id;
	/* pid -1, CPU 0: the program runs wherever the probe fires. */
	pfd = syscall(SYS_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (pfd < 0)
		goto fail;
	kp->link = bpf_program__attach_perf_event(prog, pfd);
	if (!kp->link) {
		err = errno;
		close(pfd);
		errno = err;
		goto fail;
	}
	return 0;
fail:
	err = errno;
	kretprobe_detach(kp);
	errno = err;
	return -1;
}

void kretprobe_detach(struct kretprobe *kp)
{
	const char *dir = tracefs();
	char line[128];

	/* The link owns the perf event: destroying it closes it. */
	bpf_link__destroy(kp->link);
	kp->link = NULL;
	if (kp->event[0] && dir) {
		snprintf(line, sizeof(line), "-:%s\n", kp->event);
		if (write_kprobe_events(dir, line))
			fprintf(stderr, "mymemtrace: cannot remove the kretprobe %s: %s\n", kp->event,
				strerror(errno));
	}
	kp->event[0] = '\0';
}

uint64_t kretprobe_missed(const struct kretprobe *kp)
{
	const char *dir = tracefs();
	char path[128], line[512], name[256];
	uint64_t hits, missed = 0, m;
	FILE *f;

	if (!kp->event[0] || !dir)
		return 0;
	snprintf(path, sizeof(path), "%s/kprobe_profile", dir);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%255s %" SCNu64 " %" SCNu64, name, &hits, &m) == 3 &&
		    !strcmp(name, strchr(kp->event, '/') + 1))
			missed = m;
	if (f)
		fclose(f);
	return missed;
}

void kretprobe_remove_stale(void)
{
	const char *dir = tracefs();
	char path[128], line[512], event[256], cmd[300];
	FILE *f;
	int pid;

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/kprobe_events", dir);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		/* "r1024:mymemtrace_123/mymem_read mymem_read" */
		if (sscanf(line, "%*[^:]:%255s", event) != 1 ||
		    sscanf(event, GROUP_PREFIX "%d/", &pid) != 1 || pid <= 0)
			continue;
		if (kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		snprintf(cmd, sizeof(cmd), "-:%s\n", event);
		write_kprobe_events(dir, cmd);
	}
	if (f)
		fclose(f);
}
