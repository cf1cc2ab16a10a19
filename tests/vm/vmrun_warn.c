// SPDX-License-Identifier: GPL-2.0
/*
 * vmrun_warn: a test fixture for scripts/vm-run. Loading it logs one
 * kernel WARNING, which vm-run must report as a failure (exit 123) whatever
 * the command returned. It is never loaded outside that test.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init vmrun_warn_init(void)
{
	WARN(1, "vmrun_warn: deliberate warning for the vm-run self-test\n");
	return 0;
}

static void __exit vmrun_warn_exit(void)
{
}

module_init(vmrun_warn_init);
module_exit(vmrun_warn_exit);

MODULE_DESCRIPTION("Test fixture: logs a WARNING on load");
MODULE_LICENSE("GPL");
