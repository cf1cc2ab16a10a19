// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "model/targets.h"

static const char *const method_names[NR_ATTACH_METHODS] = {
	"unavailable", "fentry", "kprobe", "tracepoint",
};

const char *attach_method_name(enum attach_method m)
{
	return method_names[m];
}

int attach_method_parse(const char *name)
{
	int m;

	for (m = 0; name && m < NR_ATTACH_METHODS; m++)
		if (!strcmp(name, method_names[m]))
			return m;
	return -1;
}
