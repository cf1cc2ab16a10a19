/* SPDX-License-Identifier: GPL-2.0 */
/* --cgroup: the cgroup v2 directory whose tasks, and its descendants', are traced. */
#ifndef MYMEMTRACE_COLLECT_CGROUP_H
#define MYMEMTRACE_COLLECT_CGROUP_H

/*
 * @path opened for the BPF side's cgroup map: a directory of the cgroup v2
 * hierarchy (/sys/fs/cgroup/...). The fd, or -1 with a message.
 */
int cgroup_open(const char *path);

#endif /* MYMEMTRACE_COLLECT_CGROUP_H */
