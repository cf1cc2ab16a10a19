// SPDX-License-Identifier: GPL-2.0
/* The names every output gives a path, an op, a way in and a result. */
#define _GNU_SOURCE	/* strerrorname_np */
#include <stdio.h>
#include <string.h>

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

const char *result_name(uint32_t result, char *buf, size_t len)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} vm_fault[] = {
		{ 0x0001, "VM_FAULT_OOM" }, { 0x0002, "VM_FAULT_SIGBUS" },
		{ 0x0010, "VM_FAULT_HWPOISON" }, { 0x0020, "VM_FAULT_HWPOISON_LARGE" },
		{ 0x0040, "VM_FAULT_SIGSEGV" }, { 0x0800, "VM_FAULT_FALLBACK" },
	};
	const char *name;
	size_t i, n = 0;

	if (result == MT_RESULT_OK)
		return NULL;
	if (result == MT_RESULT_SHORT)
		return "short";
	if (result & MT_RESULT_VM_FAULT) {
		buf[0] = '\0';
		for (i = 0; i < sizeof(vm_fault) / sizeof(vm_fault[0]); i++)
			if (result & vm_fault[i].bit && n < len)
				n += snprintf(buf + n, len - n, "%s%s", n ? "|" : "", vm_fault[i].name);
		return buf;
	}
	name = result <= MT_RESULT_ERRNO_MAX ? strerrorname_np(result) : NULL;
	if (name)
		return name;
	snprintf(buf, len, "errno_%u", result);
	return buf;
}

const char *op_label(const struct mt_key *k, char *buf, size_t len)
{
	uint32_t nr = k->via & ~MT_VIA_OUTSIDE;
	const char *name, *result;
	char rbuf[OP_LABEL_LEN];
	int n;

	if (k->via == MT_VIA_PLAIN)
		name = op_name(k->op);
	else if (!(k->via & MT_VIA_OUTSIDE) && vectored_name(nr))
		name = vectored_name(nr);
	else
		name = NULL;
	result = result_name(k->result, rbuf, sizeof(rbuf));
	if (name && !result)
		return name;
	if (name)
		n = snprintf(buf, len, "%s", name);
	else	/* op@where: the handler called outside a followed syscall. */
		n = snprintf(buf, len, "%s@%s", op_name(k->op),
			     nr == MT_VIA_NO_SYSCALL ? "kthread" : nr == MT_VIA_IO_WORKER ? "iowq" :
			     nr == MT_NR_IO_URING_ENTER ? "uring" : "sys");
	/* op:RESULT: the calls that failed or moved fewer bytes than asked. */
	if (result && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - n, ":%s", result);
	return buf;
}
