// SPDX-License-Identifier: GPL-2.0
/*
 * vmrun_spin: a test fixture for scripts/vm-run. Loading it spins on one
 * CPU with preemption off for @seconds, which the kernel's watchdog reports
 * as a soft lockup after about 20 s: vm-run must stop the guest soon after
 * that, not at its timeout. It is never loaded outside that test.
 */
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/preempt.h>

static unsigned int seconds = 120;
module_param(seconds, uint, 0444);
MODULE_PARM_DESC(seconds, "How long to spin with preemption off (default 120)");

static int __init vmrun_spin_init(void)
{
	unsigned long end = jiffies + seconds * HZ;

	pr_info("vmrun_spin: spinning for %u s with preemption off\n", seconds);
	preempt_disable();
	while (time_before(jiffies, end))
		mdelay(1);
	preempt_enable();
	/* Nothing to keep loaded: the spin was the whole point. */
	return -EAGAIN;
}

module_init(vmrun_spin_init);

MODULE_DESCRIPTION("Test fixture: spins with preemption off, to cause a soft lockup");
MODULE_LICENSE("GPL");
