// SPDX-License-Identifier: GPL-2.0
/* The names every output gives a path, an op and a way in. */
#include <stdio.h>

#include "model/names.h"

const char *path_name(uint32_t path)
{
	static const char *const names[] = { "syscall", "kernel", "mmap" };

	return path < MT_NR_PATHS ? names[path] : "?";
}

const char *op_name(uint32_t op)
{
	static const char *const names[] = { "read", "write", "fault" };

	return op < MT_NR_OPS ? names[op] : "?";
}

static const char *vectored_name(uint32_t nr)
{
	switch (nr) {
	case MT_NR_READV: return "readv";
	case MT_NR_WRITEV: return "writev";
	case MT_NR_PREADV: return "preadv";
	case MT_NR_PWRITEV: return "pwritev";
	case MT_NR_PREADV2: return "preadv2";
	case MT_NR_PWRITEV2: return "pwritev2";
	default: return NULL;
	}
}

const char *via_name(uint32_t via, char *buf, size_t len)
{
	uint32_t nr = via & ~MT_VIA_OUTSIDE;

	if (via == MT_VIA_PLAIN)
		return NULL;
	if (!(via & MT_VIA_OUTSIDE)) {
		const char *name = vectored_name(nr);

		if (name)
			return name;
		snprintf(buf, len, "syscall_%u", nr);
	} else if (nr == MT_VIA_NO_SYSCALL) {
		snprintf(buf, len, "outside:kthread");
	} else if (nr == MT_VIA_IO_WORKER) {
		snprintf(buf, len, "outside:io_worker");
	} else if (nr == MT_NR_IO_URING_ENTER) {
		snprintf(buf, len, "outside:io_uring_enter");
	} else {
		snprintf(buf, len, "outside:syscall_%u", nr);
	}
	return buf;
}

const char *op_label(const struct mt_key *k, char *buf, size_t len)
{
	uint32_t nr = k->via & ~MT_VIA_OUTSIDE;
	const char *name;

	if (k->via == MT_VIA_PLAIN)
		return op_name(k->op);
	if (!(k->via & MT_VIA_OUTSIDE) && (name = vectored_name(nr)))
		return name;
	/* op@where: the handler called outside a followed syscall. */
	snprintf(buf, len, "%s@%s", op_name(k->op),
		 nr == MT_VIA_NO_SYSCALL ? "kthread" : nr == MT_VIA_IO_WORKER ? "iowq" :
		 nr == MT_NR_IO_URING_ENTER ? "uring" : "sys");
	return buf;
}
