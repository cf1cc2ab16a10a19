// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <linux/capability.h>

#include "collect/device.h"

bool has_bpf_capabilities(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = {};
	bool bpf, perfmon;
	uint64_t eff;

	if (syscall(SYS_capget, &hdr, data))
		return geteuid() == 0;
	eff = (uint64_t)data[1].effective << 32 | data[0].effective;
	if (eff & (1ull << CAP_SYS_ADMIN))
		return true;
	bpf = eff & (1ull << CAP_BPF);
	perfmon = eff & (1ull << CAP_PERFMON);
	if (bpf && perfmon)
		return true;
	fprintf(stderr, "mymemtrace: needs root, or the capabilities CAP_BPF and CAP_PERFMON (missing: %s%s%s; CAP_SYS_ADMIN would do too): run it with sudo\n",
		bpf ? "" : "CAP_BPF", bpf || perfmon ? "" : " and ", perfmon ? "" : "CAP_PERFMON");
	return false;
}

static uint32_t kernel_dev(dev_t dev)
{
	return (major(dev) << 20) | minor(dev);
}

int device_rdev(const char *path, uint32_t *rdev)
{
	struct stat st;

	if (stat(path, &st)) {
		if (errno == ENOENT && !strcmp(path, "/dev/mymem"))
			fprintf(stderr, "mymemtrace: /dev/mymem does not exist: mymem is not loaded (run `sudo insmod build/kmod/$(uname -r)/mymem.ko`), or trace another device with --dev\n");
		else
			fprintf(stderr, "mymemtrace: --dev %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISCHR(st.st_mode)) {
		fprintf(stderr, "mymemtrace: --dev %s: not a character device\n", path);
		return -1;
	}
	*rdev = kernel_dev(st.st_rdev);
	return 0;
}

bool device_gone(const char *path, uint32_t rdev)
{
	struct stat st;

	return stat(path, &st) || !S_ISCHR(st.st_mode) || kernel_dev(st.st_rdev) != rdev;
}
